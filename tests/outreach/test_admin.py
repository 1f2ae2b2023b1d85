import pytest
from django.contrib import admin
from django.urls import reverse

from outreach.apps import OutreachConfig
from tests.conftest import verify_second_factor
from tests.factories import UserFactory

OUTREACH_MODELS = [model for model in admin.site._registry if model._meta.app_label == OutreachConfig.name]


def test_every_outreach_model_has_an_admin():
    from django.apps import apps

    # Change history is shown only on the record's own page, to those who may see the record.
    tenant_models = {
        m
        for m in apps.get_app_config("outreach").get_models()
        if not m.__name__.endswith("ObjectPermission") and not m.__name__.startswith("Historical")
    }
    assert tenant_models <= set(OUTREACH_MODELS)


@pytest.mark.parametrize("model", OUTREACH_MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(client, records_a, model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    verify_second_factor(client, superuser)  # staff accounts need the second factor for the admin too
    meta = model._meta
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])).status_code == 200
