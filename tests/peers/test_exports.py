"""Downloads of the peers lists: CSV (UTF-8 BOM), CSV (Shift_JIS) and Excel, filtered, scoped, safe."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from tests.peers.factories import ExpenditureFactory, PersonFactory, SupporterFactory

LISTS = [
    "peers:activity_list",
    "peers:supporter_list",
    "peers:person_list",
    "peers:course_list",
    "peers:council_list",
    "peers:expenditure_list",
    "peers:contract_list",
    "peers:coordinator_list",
]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
def test_every_list_downloads_in_every_format(client_for, coordinator_a, activity_a, url_name, export_format):
    response = client_for(coordinator_a).get(reverse(url_name), {"format": export_format})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_activity_csv_has_japanese_headers_wareki_and_the_filter(client_for, coordinator_a, activity_a):
    client = client_for(coordinator_a)
    response = client.get(reverse("peers:activity_list"), {"format": "csv", "month": "11"})
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("活動日,活動日（和暦）,")
    assert first.startswith("2026-11-02,令和8年11月2日,")
    assert "仲間 一郎" in text
    other_month = _csv(client.get(reverse("peers:activity_list"), {"format": "csv", "month": "10"}))
    assert len(other_month.splitlines()) == 1  # the header only


def test_activity_xlsx(client_for, coordinator_a, activity_a):
    rows = _xlsx_rows(client_for(coordinator_a).get(reverse("peers:activity_list"), {"format": "xlsx"}))
    assert rows[0][:2] == ("活動日", "活動日（和暦）")
    assert rows[1][:2] == ("2026-11-02", "令和8年11月2日")


def test_cp932_export_lists_characters_shift_jis_lacks(client_for, coordinator_a, contractor_a):
    SupporterFactory(organisation=contractor_a, name="𠮷田 花子", name_kana="ヨシダ ハナコ")
    SupporterFactory(organisation=contractor_a, name="髙橋 ①", name_kana="タカハシ")
    client = client_for(coordinator_a)
    response = client.get(reverse("peers:supporter_list"), {"format": "csv_cp932"})
    assert response["Content-Type"].startswith("text/html")
    assert "𠮷" in response.text and "𠮷田 花子" in response.text
    assert "format=csv" in response.text  # UTF-8 is offered
    replaced = client.get(reverse("peers:supporter_list"), {"format": "csv_cp932", "replace": "1"})
    text = replaced.content.decode("cp932")
    assert "〓田 花子" in text and "髙橋 ①" in text  # CP932 keeps 髙 and ①


def test_exports_escape_formulas(client_for, coordinator_a, contractor_a):
    SupporterFactory(organisation=contractor_a, name="=HYPERLINK(1)", name_kana="イコール")
    SupporterFactory(organisation=contractor_a, name="＋cmd", name_kana="プラス")
    client = client_for(coordinator_a)
    text = _csv(client.get(reverse("peers:supporter_list"), {"format": "csv"}))
    assert "'=HYPERLINK(1)" in text and "'＋cmd" in text
    names = [row[0] for row in _xlsx_rows(client.get(reverse("peers:supporter_list"), {"format": "xlsx"}))]
    assert "'=HYPERLINK(1)" in names and "'＋cmd" in names
    assert "=HYPERLINK(1)" not in names


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_supporter_exports_are_audited(client_for, coordinator_a, supporter_a, export_format):
    client_for(coordinator_a).get(reverse("peers:supporter_list"), {"format": export_format})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="peers.PeerSupporter")
    assert event.organisation == coordinator_a.organisation
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="peers.PeerSupporter").exists()


@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
def test_b_never_exports_a_rows(
    client_for, coordinator_b, activity_a, activity_b, contract_a, contract_b, export_format
):
    PersonFactory(organisation=contract_a.organisation, code="A-SECRET")
    ExpenditureFactory(organisation=contract_a.organisation, payee="Ａ会の支払先")
    client = client_for(coordinator_b)
    for url_name, secret in [
        ("peers:supporter_list", "仲間 一郎"),
        ("peers:activity_list", "仲間 一郎"),
        ("peers:person_list", "A-SECRET"),
        ("peers:expenditure_list", "Ａ会の支払先"),
    ]:
        response = client.get(reverse(url_name), {"format": export_format})
        if export_format == "xlsx":
            text = str(_xlsx_rows(response))
        elif export_format == "csv":
            text = _csv(response)
        else:
            text = response.content.decode("cp932")
        assert secret not in text, url_name
        assert "社会福祉法人Ａ会" not in text


def test_list_pages_show_the_download_buttons_and_the_import(client_for, coordinator_a, prefecture_user):
    page = client_for(coordinator_a).get(reverse("peers:activity_list"))
    assert "format=csv_cp932" in page.text and "format=xlsx" in page.text
    assert reverse("accounts:import_upload", args=["activities"]) in page.text
    assert reverse("accounts:import_index") in page.text  # the menu entry
    assert "Excel・CSV取込" in page.text
    contracts = client_for(coordinator_a).get(reverse("peers:contract_list"))
    assert "accounts/imports/" not in contracts.content.decode().split("</nav>")[-1]


def test_prefecture_sees_no_import(client, prefecture_user, client_for):
    page = client_for(prefecture_user).get(reverse("peers:activity_list"))
    assert "format=xlsx" in page.text
    assert reverse("accounts:import_upload", args=["activities"]) not in page.text
