"""Every permission refusal is in the audit log, once; log-ins refused by the lockout are too;
an oversized upload is refused by its size before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, HealthCentre


def _refusals(user):
    return AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=user)


def test_an_import_refused_to_a_role_is_audited_once(client_for, health_centre_user):
    response = client_for(health_centre_user).get(reverse("accounts:import_upload", args=["activities"]))
    assert response.status_code == 403
    assert _refusals(health_centre_user).count() == 1


def test_the_import_index_refused_to_a_role_without_imports_is_audited_once(client_for, health_centre_user):
    assert client_for(health_centre_user).get(reverse("accounts:import_index")).status_code == 403
    assert _refusals(health_centre_user).count() == 1


def test_changing_the_cohort_refused_to_a_worker_is_audited_once(client_for, outreach_worker_a):
    response = client_for(outreach_worker_a).post(reverse("outreach:cohort"), {"birth_from": "1970-04-02"})
    assert response.status_code == 403
    assert _refusals(outreach_worker_a).count() == 1


def test_a_refusal_the_view_audits_itself_is_not_written_twice(client_for, health_centre_user):
    assert client_for(health_centre_user).get(reverse("outreach:client_list")).status_code == 403
    [event] = _refusals(health_centre_user)
    assert event.detail == "role health_centre"
    assert event.path == reverse("outreach:client_list")


def test_another_districts_summary_is_404_written_as_a_refusal(client_for, health_centre_user):
    other = HealthCentre.objects.exclude(pk=health_centre_user.organisation.health_centre_id).order_by("pk").first()
    response = client_for(health_centre_user).get(reverse("reporting:district_summary", args=[other.code]))
    assert response.status_code == 404
    [event] = _refusals(health_centre_user)
    assert (event.object_type, event.object_id) == ("accounts.HealthCentre", other.code)


def test_another_contractors_figure_records_are_404_written_as_a_refusal(client_for, coordinator_a, contractor_b):
    response = client_for(coordinator_a).get(
        reverse("reporting:peer_figure_records"),
        {"figure": "people_supported", "fiscal_year": "2026", "contractor": str(contractor_b.pk)},
    )
    assert response.status_code == 404
    [event] = _refusals(coordinator_a)
    assert (event.object_type, event.object_id) == ("accounts.Organisation", str(contractor_b.pk))


def test_log_ins_refused_by_the_lockout_are_audited_as_failed(client, coordinator_a):
    for _ in range(5):
        client.post(reverse("login"), {"username": "coord-a", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "coord-a", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="coord-a").count() == 6
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_an_oversized_import_is_refused_before_it_is_read(client_for, coordinator_a, monkeypatch):
    from accounts.imports import MAX_UPLOAD_BYTES

    def must_not_read(*args, **kwargs):
        raise AssertionError("the oversized file was read")

    monkeypatch.setattr("accounts.import_views.read_upload", must_not_read)
    upload = SimpleUploadedFile("big.csv", b"a" * (MAX_UPLOAD_BYTES + 1), content_type="text/csv")
    response = client_for(coordinator_a).post(reverse("accounts:import_upload", args=["supporters"]), {"file": upload})
    assert response.status_code == 200
    assert "ファイルが大きすぎます（上限 5MB）" in response.text


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("scan.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("book.xlsx", b"%PDF-1.7\n" + b"x" * 100),
    ],
)
def test_an_import_whose_bytes_do_not_match_its_name_is_refused(client_for, coordinator_a, filename, content):
    response = client_for(coordinator_a).post(
        reverse("accounts:import_upload", args=["supporters"]), {"file": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
