"""Outreach downloads: CSV (UTF-8 BOM), CSV (Shift_JIS) and Excel of every list, filtered and audited."""

import csv
import io
from datetime import date, time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from outreach.exports import CLIENT_HEADER, CONTACT_HEADER
from outreach.models import Client
from outreach.resources import ClientResource, ContactResource
from tests.outreach.factories import ClientFactory, ContactFactory
from tests.outreach.test_imports import do_import

EXPORTS = [
    ("outreach:client_csv", "outreach.Client"),
    ("outreach:contact_csv", "outreach.Contact"),
    ("outreach:meeting_csv", "outreach.SupportMeeting"),
    ("outreach:worker_csv", "outreach.OutreachWorker"),
    ("outreach:plan_csv", "outreach.SupportPlan"),
    ("outreach:plan_review_csv", "outreach.PlanReview"),
    ("outreach:linkage_csv", "outreach.Linkage"),
    ("outreach:outcome_csv", "outreach.Outcome"),
    ("outreach:agency_list", "outreach.Agency"),
    ("outreach:contract_list", "outreach.OutreachContract"),
    ("outreach:resource_list", "outreach.SocialResource"),
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(("name", "object_type"), EXPORTS)
@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
def test_every_list_downloads_in_three_formats_and_is_audited(
    client_for, prefecture_user, records_a, name, object_type, export_format
):
    response = client_for(prefecture_user).get(reverse(name), {"format": export_format})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if export_format == "xlsx":
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert len(xlsx_rows(response)) == 2
    elif export_format == "csv_cp932":
        assert response["Content-Type"] == "text/csv; charset=cp932"
        assert "_SJIS.csv" in response["Content-Disposition"]
        body(response).decode("cp932")
    else:
        assert body(response).startswith("\ufeff".encode())
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type=object_type)
    assert event.user == prefecture_user


@pytest.mark.parametrize(
    "name", ["outreach:client_list", "outreach:contact_list", "outreach:meeting_list", "outreach:plan_review_list"]
)
def test_list_pages_show_the_three_buttons(client_for, outreach_worker_a, records_a, name):
    text = client_for(outreach_worker_a).get(reverse(name), {"status": "new"}).text
    assert "format=csv_cp932" in text
    assert "format=xlsx" in text


def test_client_export_has_japanese_headers_and_wareki(client_for, outreach_worker_a, client_a):
    rows = xlsx_rows(client_for(outreach_worker_a).get(reverse("outreach:client_csv"), {"format": "xlsx"}))
    assert rows[0] == CLIENT_HEADER
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["生年月日"] == "1978-06-01"
    assert record["生年月日（和暦）"] == "昭和53年6月1日"
    assert record["(ｱ) ひきこもり状態"] == "はい"
    assert record["氏名"] == "山田 太郎"


def test_contact_export_names_the_holiday_and_wareki(client_for, outreach_worker_a, client_a):
    ContactFactory(client=client_a, date=date(2025, 11, 3), start_time=time(10, 0), end_time=time(11, 0))
    rows = csv_rows(client_for(outreach_worker_a).get(reverse("outreach:contact_csv")))
    assert rows[0] == CONTACT_HEADER
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["日付"], record["日付（和暦）"], record["曜日"]) == ("2025-11-03", "令和7年11月3日", "月")
    assert record["祝日"] == "文化の日"


def test_filters_apply_to_the_download(client_for, outreach_worker_a, client_a):
    ClientFactory(agency=client_a.agency, name="佐藤 花子", name_kana="サトウ ハナコ")
    rows = csv_rows(client_for(outreach_worker_a).get(reverse("outreach:client_csv"), {"q": "ｻﾄｳ"}))
    assert [row[CLIENT_HEADER.index("氏名")] for row in rows[1:]] == ["佐藤 花子"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert "q=" in event.detail and "CSV" in event.detail


def test_formulas_are_escaped(client_for, outreach_worker_a, client_a):
    ContactFactory(client=client_a, summary='=HYPERLINK("http://x")')
    ContactFactory(client=client_a, date=date(2025, 6, 11), summary="＋1 電話")
    web = client_for(outreach_worker_a)
    summaries = {row[-1] for row in csv_rows(web.get(reverse("outreach:contact_csv")))[1:]}
    assert summaries == {'\'=HYPERLINK("http://x")', "'＋1 電話"}
    rows = xlsx_rows(web.get(reverse("outreach:contact_csv"), {"format": "xlsx"}))
    assert {row[-1] for row in rows[1:]} == summaries


def test_cp932_lists_characters_it_cannot_hold(client_for, outreach_worker_a, client_a):
    ClientFactory(agency=client_a.agency, name="𠮷田 花子", name_kana="ヨシダ ハナコ")
    web = client_for(outreach_worker_a)
    response = web.get(reverse("outreach:client_csv"), {"format": "csv_cp932"})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "𠮷" in response.text
    assert "format=csv" in response.text  # UTF-8 is offered
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()  # nothing left yet
    replaced = web.get(reverse("outreach:client_csv"), {"format": "csv_cp932", "replace": "1"})
    assert "〓田 花子" in replaced.content.decode("cp932")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="outreach.Client").count() == 1


def test_cp932_keeps_ibm_kanji(client_for, outreach_worker_a, client_a):
    ClientFactory(agency=client_a.agency, name="髙橋 﨑子", name_kana="タカハシ サキコ")
    response = client_for(outreach_worker_a).get(reverse("outreach:client_csv"), {"format": "csv_cp932"})
    assert "髙橋 﨑子" in response.content.decode("cp932")


@pytest.mark.parametrize("name", ["outreach:client_csv", "outreach:contact_csv", "outreach:meeting_csv"])
@pytest.mark.parametrize("export_format", ["csv", "csv_cp932", "xlsx"])
def test_b_never_downloads_a_rows(client_for, outreach_worker_b, records_a, records_b, name, export_format):
    response = client_for(outreach_worker_b).get(reverse(name), {"format": export_format})
    content = body(response)
    text = content.decode("cp932") if export_format == "csv_cp932" else content.decode("utf-8", "ignore")
    if export_format == "xlsx":
        text = "\n".join(str(cell) for row in xlsx_rows(response) for cell in row)
    assert "山田" not in text
    assert records_a["client"].number not in text


@pytest.mark.parametrize("name", ["outreach:client_csv", "outreach:agency_list"])
def test_health_centre_staff_cannot_download(client_for, health_centre_user, records_a, name):
    response = client_for(health_centre_user).get(reverse(name), {"format": "xlsx"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_exported_clients_and_contacts_import_back_unchanged(client_for, outreach_worker_a, worker_a, client_a):
    ContactFactory(client=client_a, worker=worker_a, with_person=True)
    web = client_for(outreach_worker_a)
    clients_file = web.get(reverse("outreach:client_csv"), {"format": "xlsx"}).content
    contacts_file = body(web.get(reverse("outreach:contact_csv")))
    outcome = do_import(ClientResource, outreach_worker_a, "支援対象者.xlsx", clients_file)
    assert (outcome.ok, outcome.new, outcome.update) == (True, 0, 1), outcome.errors
    outcome = do_import(ContactResource, outreach_worker_a, "対応記録.csv", contacts_file)
    assert (outcome.ok, outcome.new, outcome.update) == (True, 0, 1), outcome.errors
    assert Client.objects.count() == 1
    assert client_a.contacts.count() == 1


def test_plan_export_has_the_plans_with_wareki_dates(client_for, outreach_worker_a, records_a):
    rows = csv_rows(client_for(outreach_worker_a).get(reverse("outreach:plan_csv")))
    assert rows[0][:3] == ["作成日", "作成日（和暦）", "ケース番号"]
    plan = records_a["plan"]
    assert rows[1][2] == records_a["client"].number
    assert rows[1][1].startswith("令和")
    assert rows[1][5] == plan.goals


def test_plan_review_export_has_the_reviews_with_wareki_dates(client_for, outreach_worker_a, records_a):
    rows = csv_rows(client_for(outreach_worker_a).get(reverse("outreach:plan_review_csv")))
    assert rows[0][:3] == ["見直し日", "見直し日（和暦）", "ケース番号"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["見直し日"] == "2025-10-01"
    assert record["見直し日（和暦）"] == "令和7年10月1日"
    assert record["氏名"] == records_a["client"].name
    assert record["評価・見直しの内容"] == records_a["review"].summary
    assert record["次回見直し予定日（和暦）"] == "令和8年1月10日"
    assert len(rows) == 2


def test_plan_review_export_in_shift_jis_and_excel(client_for, outreach_worker_a, records_a):
    web = client_for(outreach_worker_a)
    sjis = web.get(reverse("outreach:plan_review_csv"), {"format": "csv_cp932"})
    assert "令和7年10月1日" in body(sjis).decode("cp932")
    rows = xlsx_rows(web.get(reverse("outreach:plan_review_csv"), {"format": "xlsx"}))
    assert rows[1][1] == "令和7年10月1日"
