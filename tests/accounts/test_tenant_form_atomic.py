"""A screen's save is one transaction: record, many-to-many values, grant, audit and history
are all written, or none of them is."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django.views.generic import CreateView

from accounts.mixins import TenantFormMixin
from accounts.models import AuditAction, AuditEvent, Role
from peers.models import PeerSupporter, PeerSupporterGroupObjectPermission, PersonSupported


class Boom(RuntimeError):
    pass


def _raise(*args, **kwargs):
    raise Boom("forced failure after the record was saved")


SUPPORTER_POST = {
    "name": "半分 保存",
    "name_kana": "ハンブン ホゾン",
    "start_date": "2026-04-01",
    "status": "active",
    "joined_via": "other",
}


def _nothing_written() -> None:
    assert not PeerSupporter.objects.exists()
    assert not PeerSupporter.history.exists()
    assert not PeerSupporterGroupObjectPermission.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_a_failing_grant_leaves_no_record_history_or_audit(client_for, coordinator_a, monkeypatch):
    monkeypatch.setattr("accounts.services.grant_organisation_access", _raise)
    with pytest.raises(Boom):
        client_for(coordinator_a).post(reverse("peers:supporter_create"), SUPPORTER_POST)
    _nothing_written()


def test_a_failing_audit_write_leaves_no_record(client_for, coordinator_a, monkeypatch):
    monkeypatch.setattr("accounts.services.audit", _raise)
    with pytest.raises(Boom):
        client_for(coordinator_a).post(reverse("peers:supporter_create"), SUPPORTER_POST)
    _nothing_written()


def test_the_same_post_without_a_failure_writes_everything(client_for, coordinator_a):
    response = client_for(coordinator_a).post(reverse("peers:supporter_create"), SUPPORTER_POST)
    assert response.status_code == 302
    supporter = PeerSupporter.objects.get()
    assert supporter.history.count() == 1
    assert PeerSupporterGroupObjectPermission.objects.filter(content_object=supporter).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(supporter.pk)).exists()


class _FailingM2MForm(forms.ModelForm):
    """A form whose many-to-many step (run after the record was saved) fails."""

    class Meta:
        model = PersonSupported
        fields = ["code", "support_started_on"]

    def _save_m2m(self):
        raise Boom("many-to-many failed")


class _PersonCreate(TenantFormMixin, CreateView):
    allowed_roles = (Role.COORDINATOR,)
    model = PersonSupported
    form_class = _FailingM2MForm
    success_url = "/"


def test_tenant_form_mixin_rolls_back_the_record_when_save_m2m_fails(coordinator_a):
    request = RequestFactory().post("/", {"code": "A-001", "support_started_on": "2026-04-01"})
    request.user = coordinator_a
    with pytest.raises(Boom):
        _PersonCreate.as_view()(request)
    assert not PersonSupported.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()
