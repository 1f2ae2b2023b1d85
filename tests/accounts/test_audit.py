import csv
import io

import pytest
from django.urls import reverse

from accounts.audit import audit
from accounts.exports import safe_cell
from accounts.models import AuditAction, AuditEvent


def test_audit_rows_cannot_be_changed_or_deleted(prefecture_user):
    event = audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", object_id="1")
    event.detail = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(detail="x")
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_audit_admin_is_read_only(client_for, prefecture_user):
    prefecture_user.is_staff = prefecture_user.is_superuser = True
    prefecture_user.save()
    client = client_for(prefecture_user)
    event = audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", object_id="1")
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_unknown_audit_action_is_a_programming_error(prefecture_user):
    with pytest.raises(ValueError):
        audit(prefecture_user, "peek")


def test_prefecture_filters_audit_log_by_action(client_for, prefecture_user, coordinator_a):
    audit(coordinator_a, AuditAction.EXPORT, object_type="peers.Activity")
    audit(coordinator_a, AuditAction.VIEW, object_type="peers.PeerSupporter", object_id="7")
    response = client_for(prefecture_user).get(reverse("accounts:audit_list"), {"action": "export"})
    assert response.status_code == 200
    rows = response.text.split("<tbody>")[1]
    assert "活動記録" in rows
    assert "ピアサポーター" not in rows


def test_audit_log_names_object_types_in_japanese_and_filters_by_them(client_for, prefecture_user, coordinator_a):
    audit(coordinator_a, AuditAction.VIEW, object_type="outreach.Client", object_id="7")
    audit(coordinator_a, AuditAction.VIEW, object_type="peers.PeerSupporter", object_id="8")
    client = client_for(prefecture_user)
    page = client.get(reverse("accounts:audit_list"))
    assert '<option value="outreach.Client">支援対象者（アウトリーチ）</option>' in page.text
    filtered = client.get(reverse("accounts:audit_list"), {"object_type": "outreach.Client"}).text
    rows = filtered.split("<tbody>")[1]
    assert "支援対象者（アウトリーチ） ID 7" in rows
    assert "ID 8" not in rows
    assert "outreach.Client" not in rows


def test_audit_csv_export_is_itself_audited_and_has_bom(client_for, prefecture_user, coordinator_a):
    audit(coordinator_a, AuditAction.VIEW, object_type="=cmd|' /C calc'!A0")
    response = client_for(prefecture_user).get(reverse("accounts:audit_list"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff日時")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert any(row[3] == "'=cmd|' /C calc'!A0" for row in rows[1:])
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, user=prefecture_user).exists()


def test_audit_screen_is_refused_to_contractor_staff(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("accounts:audit_list")).status_code == 403


@pytest.mark.parametrize("text", ["=1+1", "+81", "-5", "@SUM(A1)", "\tx", "＝1", "\rfoo"])
def test_formula_like_text_is_escaped(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_are_not_escaped():
    assert safe_cell("山田") == "山田"
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""
