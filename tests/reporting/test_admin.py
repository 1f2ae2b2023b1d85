from django.urls import reverse

from tests.factories import UserFactory


def test_admin_shows_reports_read_only(client_for, peer_report_a):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    assert client.get(reverse("admin:reporting_annualreport_changelist")).status_code == 200
    page = client.get(reverse("admin:reporting_annualreport_change", args=[peer_report_a.pk]))
    assert page.status_code == 200
    assert "ピアサポーターの確保が課題です。" in page.text
    assert 'name="status"' not in page.text  # nothing editable
    assert client.get(reverse("admin:reporting_annualreport_add")).status_code == 403
    assert client.get(reverse("admin:reporting_reporttransition_changelist")).status_code == 200
