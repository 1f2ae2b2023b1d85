import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent


def test_prefecture_sees_organisation_list_with_search(client_for, prefecture_user, contractor_a, contractor_b):
    response = client_for(prefecture_user).get(reverse("accounts:organisation_list"), {"q": "Ａ会"})
    assert response.status_code == 200
    assert "社会福祉法人Ａ会" in response.text
    assert "特定非営利活動法人Ｂ" not in response.text


def test_organisation_list_is_refused_to_contractor_staff(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("accounts:organisation_list"))
    assert response.status_code == 403
    assert "権限がありません" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=coordinator_a).exists()


def test_organisation_detail_is_refused_to_contractor_staff(client_for, coordinator_a, contractor_b):
    response = client_for(coordinator_a).get(reverse("accounts:organisation_detail", args=[contractor_b.pk]))
    assert response.status_code == 403


def test_health_centre_staff_can_read_district_master(client_for, health_centre_user):
    response = client_for(health_centre_user).get(reverse("accounts:district_list"))
    assert response.status_code == 200
    assert "秩父保健所" in response.text


def test_unknown_organisation_is_404(client_for, prefecture_user):
    response = client_for(prefecture_user).get(reverse("accounts:organisation_detail", args=[999999]))
    assert response.status_code == 404
    assert "ページが見つかりません" in response.text


@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
def test_organisation_list_downloads_with_the_filters_applied(
    client_for, prefecture_user, contractor_a, contractor_b, export_format
):
    response = client_for(prefecture_user).get(
        reverse("accounts:organisation_list"), {"q": "Ａ会", "format": export_format}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "xlsx":
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert rows[0][:2] == ("組織コード", "名称")
        assert [row[1] for row in rows[1:]] == ["社会福祉法人Ａ会"]
    else:
        text = content.decode("cp932" if export_format == "csv_cp932" else "utf-8-sig")
        assert "社会福祉法人Ａ会" in text and "特定非営利活動法人Ｂ" not in text
        assert "ピアサポート・アウトリーチ" in text


def test_organisation_list_download_is_refused_to_contractor_staff(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("accounts:organisation_list"), {"format": "csv"}).status_code == 403
