import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent, Program, Role
from reporting.models import AnnualReport, ReportStatus
from reporting.services import report_approve, report_return, report_submit

REPORT_URLS = [
    ("reporting:report_detail", {}, "get"),
    ("reporting:report_pdf", {}, "get"),
    ("reporting:report_xlsx", {}, "get"),
    ("reporting:report_texts", {}, "post"),
    ("reporting:report_submit", {}, "get"),
    ("reporting:report_submit", {}, "post"),
    ("reporting:report_return", {}, "get"),
    ("reporting:report_return", {}, "post"),
    ("reporting:report_approve", {}, "post"),
    ("reporting:report_reopen", {}, "post"),
]


def _call(client, name, kwargs, method, report):
    url = reverse(name, kwargs={"pk": report.pk, **kwargs})
    return client.post(url, {"comment": "x", "issues_text": "x"}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "kwargs", "method"), REPORT_URLS)
def test_other_contractors_staff_get_404_on_every_report_url(
    client_for, coordinator_b, peer_report_a, name, kwargs, method
):
    response = _call(client_for(coordinator_b), name, kwargs, method, peer_report_a)
    assert response.status_code == 404
    peer_report_a.refresh_from_db()
    assert peer_report_a.status == ReportStatus.DRAFT


@pytest.mark.parametrize(("name", "kwargs", "method"), REPORT_URLS)
def test_coordinators_get_404_on_their_own_organisations_outreach_report(
    client_for, coordinator_a, outreach_report_a, name, kwargs, method
):
    assert _call(client_for(coordinator_a), name, kwargs, method, outreach_report_a).status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "method"), REPORT_URLS)
def test_health_centre_staff_are_refused_every_report_url(
    client_for, health_centre_user, peer_report_a, name, kwargs, method
):
    assert _call(client_for(health_centre_user), name, kwargs, method, peer_report_a).status_code == 403


@pytest.mark.parametrize("url_name", ["reporting:report_list", "reporting:overview"])
def test_health_centre_staff_are_refused_the_lists(client_for, health_centre_user, url_name):
    assert client_for(health_centre_user).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("action", ["return", "approve", "reopen"])
def test_prefecture_only_actions_are_403_for_the_reports_own_staff(client_for, coordinator_a, peer_report_a, action):
    response = client_for(coordinator_a).post(
        reverse(f"reporting:report_{action}", args=[peer_report_a.pk]), {"comment": "x"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=coordinator_a).exists()


def test_submit_is_403_for_prefecture_staff(client_for, prefecture_user, peer_report_a):
    response = client_for(prefecture_user).post(reverse("reporting:report_submit", args=[peer_report_a.pk]))
    assert response.status_code == 403


def test_overview_is_403_for_contractor_staff(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("reporting:overview")).status_code == 403


def test_contractor_list_shows_only_their_reports(client_for, coordinator_a, peer_report_a, make_report, contractor_b):
    make_report(contractor_b)
    response = client_for(coordinator_a).get(reverse("reporting:report_list"), {"fiscal_year": 2025})
    assert response.status_code == 200
    assert "社会福祉法人Ａ会" in response.text
    assert "特定非営利活動法人Ｂ" not in response.text
    rows = response.context["page"].object_list
    assert [(row.organisation.name, row.program) for row in rows] == [("社会福祉法人Ａ会", Program.PEER_SUPPORT)]


def test_prefecture_list_shows_every_contractor_and_program_with_filters(
    client_for, prefecture_user, peer_report_a, contractor_b
):
    client = client_for(prefecture_user)
    response = client.get(reverse("reporting:report_list"), {"fiscal_year": 2025})
    assert response.text.count("社会福祉法人Ａ会") == 2  # both programs, one started
    assert response.text.count("特定非営利活動法人Ｂ") == 2
    assert "未着手" in response.text
    response = client.get(reverse("reporting:report_list"), {"fiscal_year": 2025, "status": "draft"})
    assert "社会福祉法人Ａ会" in response.text
    assert "特定非営利活動法人Ｂ" not in response.text


def test_prefecture_list_exports_csv(client_for, prefecture_user, peer_report_a, coordinator_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_return(report=peer_report_a, by=prefecture_user, comment="=数式ではなく説明を")
    response = client_for(prefecture_user).get(reverse("reporting:report_list"), {"fiscal_year": 2025, "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "社会福祉法人Ａ会,,地域移行・地域定着ピアサポート活動促進事業,差戻し" in body
    assert "'=数式ではなく説明を" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, user=prefecture_user).exists()


def test_report_list_downloads_as_excel(client_for, prefecture_user, peer_report_a):
    import io

    from openpyxl import load_workbook

    params = {"fiscal_year": 2025, "format": "xlsx"}
    response = client_for(prefecture_user).get(reverse("reporting:report_list"), params)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("年度", "受託事業者", "機関", "事業")
    assert "社会福祉法人Ａ会" in [row[1] for row in rows[1:]]


def test_contractor_starts_a_report_from_the_list(client_for, coordinator_a, contractor_a):
    response = client_for(coordinator_a).post(reverse("reporting:report_start"), {"fiscal_year": 2025}, follow=True)
    assert response.status_code == 200
    assert "実績報告書を開きました" in response.text
    assert contractor_a.pk == response.context["report"].organisation_id
    assert response.context["report"].program == Program.PEER_SUPPORT


def test_an_outreach_worker_lists_and_starts_the_report_of_their_own_agency(
    client_for, outreach_worker_a, contractor_a
):
    from tests.outreach.factories import AgencyFactory, WorkerFactory

    own = AgencyFactory(organisation=contractor_a, name="Ａ会 春日部自立相談支援センター")
    other = AgencyFactory(organisation=contractor_a, name="Ａ会 越谷自立相談支援センター")
    WorkerFactory(user=outreach_worker_a, agency=own)
    web = client_for(outreach_worker_a)
    listed = web.get(reverse("reporting:report_list"), {"fiscal_year": 2025})
    assert [row.agency for row in listed.context["page"].object_list] == [own]
    assert "越谷" not in listed.text
    for refused in (
        {"fiscal_year": 2025, "agency": other.pk},
        {"fiscal_year": 2025, "agency": "x"},
        {"fiscal_year": 2025},
    ):
        response = web.post(reverse("reporting:report_start"), refused, follow=True)
        assert "報告書を作成する機関（自立相談支援機関）を選んでください。" in response.text, refused
    response = web.post(reverse("reporting:report_start"), {"fiscal_year": 2025, "agency": own.pk}, follow=True)
    report = response.context["report"]
    assert (report.program, report.agency, report.organisation_id) == (Program.OUTREACH, own, contractor_a.pk)
    assert "Ａ会 春日部自立相談支援センター" in response.text


def test_the_prefecture_sees_one_outreach_report_row_per_agency(client_for, prefecture_user, contractor_a):
    from tests.outreach.factories import AgencyFactory

    agencies = [AgencyFactory(organisation=contractor_a, name=f"Ａ会 センター{n}") for n in (1, 2)]
    response = client_for(prefecture_user).get(
        reverse("reporting:report_list"), {"fiscal_year": 2025, "program": Program.OUTREACH}
    )
    rows = [row for row in response.context["page"].object_list if row.organisation == contractor_a]
    assert [row.agency for row in rows] == agencies
    assert "社会福祉法人Ａ会　Ａ会 センター2" in response.text


def test_report_page_shows_the_report_and_empty_text_warnings(client_for, coordinator_a, make_report, contractor_a):
    report = make_report(contractor_a, by=coordinator_a, outcomes_text="退院者3名")
    response = client_for(coordinator_a).get(reverse("reporting:report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert "埼玉県知事" in response.text
    assert "退院者3名" in response.text
    assert "「事業の効果」が未記入です。" in response.text
    assert "記述を保存する" in response.text


def test_contractor_saves_texts_then_submits_with_confirmation(client_for, coordinator_a, peer_report_a):
    client = client_for(coordinator_a)
    response = client.post(
        reverse("reporting:report_texts", args=[peer_report_a.pk]),
        {"outcomes_text": "成果A", "effects_text": "効果B", "issues_text": "課題C"},
        follow=True,
    )
    assert "記述を保存しました。" in response.text
    peer_report_a.refresh_from_db()
    assert peer_report_a.issues_text == "課題C"
    confirm = client.get(reverse("reporting:report_submit", args=[peer_report_a.pk]))
    assert "県に提出する：確認" in confirm.text
    response = client.post(reverse("reporting:report_submit", args=[peer_report_a.pk]), follow=True)
    assert "実績報告書を県に提出しました。" in response.text
    peer_report_a.refresh_from_db()
    assert peer_report_a.status == ReportStatus.SUBMITTED


def test_return_without_comment_keeps_the_form_with_an_error(client_for, prefecture_user, coordinator_a, peer_report_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    response = client_for(prefecture_user).post(
        reverse("reporting:report_return", args=[peer_report_a.pk]), {"comment": ""}
    )
    assert response.status_code == 200
    assert "差戻しの理由（修正してほしい点）を入力してください。" in response.text
    peer_report_a.refresh_from_db()
    assert peer_report_a.status == ReportStatus.SUBMITTED


def test_contractor_sees_the_return_comment_on_the_report_and_home(
    client, client_for, prefecture_user, coordinator_a, peer_report_a, settings
):
    report_submit(report=peer_report_a, by=coordinator_a)
    response = client_for(prefecture_user).post(
        reverse("reporting:report_return", args=[peer_report_a.pk]),
        {"comment": "病院ごとの参加人数を見直してください。"},
        follow=True,
    )
    assert "実績報告書を差し戻しました。" in response.text
    client.logout()
    contractor = client_for(coordinator_a)
    page = contractor.get(reverse("reporting:report_detail", args=[peer_report_a.pk]))
    assert "県から差し戻されました" in page.text
    assert "病院ごとの参加人数を見直してください。" in page.text
    assert "記述を保存する" in page.text


def test_prefecture_approves_and_then_downloads_the_stored_pdf(
    client_for, prefecture_user, coordinator_a, peer_report_a
):
    report_submit(report=peer_report_a, by=coordinator_a)
    client = client_for(prefecture_user)
    response = client.post(reverse("reporting:report_approve", args=[peer_report_a.pk]), follow=True)
    assert "承認し、年度の記録を確定しました。" in response.text
    peer_report_a.refresh_from_db()
    with peer_report_a.approved_pdf.open("rb") as stored:
        stored_bytes = stored.read()
    pdf = client.get(reverse("reporting:report_pdf", args=[peer_report_a.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == stored_bytes
    assert "%E4%BB%A4%E5%92%8C7%E5%B9%B4%E5%BA%A6_" in pdf["Content-Disposition"]  # 令和7年度_


def test_reopen_through_the_page_needs_a_reason(client_for, prefecture_user, coordinator_a, peer_report_a):
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    client = client_for(prefecture_user)
    url = reverse("reporting:report_reopen", args=[peer_report_a.pk])
    assert "確定解除の理由を入力してください。" in client.post(url, {"comment": ""}).text
    response = client.post(url, {"comment": "入力漏れ"}, follow=True)
    assert "年度の確定を解除し" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.REOPEN, detail__contains="入力漏れ").exists()


def test_an_illegal_step_from_the_page_is_explained(client_for, prefecture_user, peer_report_a):
    response = client_for(prefecture_user).post(
        reverse("reporting:report_approve", args=[peer_report_a.pk]), follow=True
    )
    assert "「作成中」のため承認できません" in response.text


def test_excel_has_cover_texts_and_history_sheets(client_for, coordinator_a, peer_report_a):
    response = client_for(coordinator_a).get(reverse("reporting:report_xlsx", args=[peer_report_a.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    # The peer-support builder adds one sheet per section between the cover and the texts.
    assert workbook.sheetnames[0] == "表紙・概要"
    assert workbook.sheetnames[-2:] == ["成果・効果・課題", "経過"]
    cover = {row[0]: row[1] for row in workbook["表紙・概要"].iter_rows(min_row=2, values_only=True)}
    assert cover["受託事業者"] == "社会福祉法人Ａ会"
    assert cover["年度"].startswith("令和7年度")
    texts = [row for row in workbook["成果・効果・課題"].iter_rows(min_row=2, values_only=True)]
    assert ("課題及び今後の取組", "ピアサポーターの確保が課題です。") in texts


def test_home_panels(client, client_for, prefecture_user, coordinator_a, make_report, contractor_a, monkeypatch):
    monkeypatch.setattr("reporting.panels.report_year_default", lambda: 2025)
    report = make_report(contractor_a, by=coordinator_a)
    report_submit(report=report, by=coordinator_a)
    home = client_for(prefecture_user).get(reverse("home"))
    assert "承認待ちの実績報告書" in home.text
    assert "社会福祉法人Ａ会" in home.text
    report_return(report=report, by=prefecture_user, comment="数字を確認してください")
    client.logout()
    home = client_for(coordinator_a).get(reverse("home"))
    assert "数字を確認してください" in home.text


def test_dates_are_shown_in_japan_time(client_for, coordinator_a, peer_report_a):
    from datetime import UTC, datetime

    from reporting.models import AnnualReport

    report_submit(report=peer_report_a, by=coordinator_a)
    # 2026-03-31 16:30 UTC is already 1 April in Tokyo.
    AnnualReport.objects.filter(pk=peer_report_a.pk).update(submitted_at=datetime(2026, 3, 31, 16, 30, tzinfo=UTC))
    response = client_for(coordinator_a).get(reverse("reporting:report_detail", args=[peer_report_a.pk]))
    assert "令和8年4月1日" in response.text
    # Only the 年度's and the contract's end date may read 令和8年3月31日.
    assert "令和8年3月31日" not in response.text.replace("令和8年3月31日）", "").replace("～令和8年3月31日", "")


def test_contractor_list_keeps_earlier_years(client_for, coordinator_a, make_report, contractor_a):
    make_report(contractor_a, year=2023)
    response = client_for(coordinator_a).get(reverse("reporting:report_list"), {"fiscal_year": 2025})
    assert "これまでの実績報告書" in response.text
    assert "令和5年度" in response.text


def _reporting_object_routes():
    from django.urls import URLPattern, get_resolver

    resolver = get_resolver().namespace_dict["reporting"][1]
    return [p.name for p in resolver.url_patterns if isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern)]


def test_the_isolation_table_covers_every_report_url():
    assert set(_reporting_object_routes()) == {name.split(":")[1] for name, _kwargs, _method in REPORT_URLS}


def test_confirmation_page_of_an_unavailable_step_explains_and_goes_back(client_for, prefecture_user, peer_report_a):
    response = client_for(prefecture_user).get(reverse("reporting:report_reopen", args=[peer_report_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:report_detail", args=[peer_report_a.pk])
    assert "「作成中」のため、この操作はできません。" in response.text


def test_home_panel_shows_the_report_of_the_workers_own_agency_only(
    client_for, outreach_worker_a, prefecture_user, make_report, contractor_a, monkeypatch
):
    from tests.conftest import make_user
    from tests.outreach.factories import AgencyFactory
    from tests.reporting.conftest import place_worker

    monkeypatch.setattr("reporting.panels.report_year_default", lambda: 2025)
    kasukabe = AgencyFactory(organisation=contractor_a, name="春日部センター")
    koshigaya = AgencyFactory(organisation=contractor_a, name="越谷センター")
    place_worker(outreach_worker_a, kasukabe)
    colleague = make_user(Role.OUTREACH_WORKER, contractor_a, username="outreach-koshigaya")
    other = make_report(contractor_a, program=Program.OUTREACH, by=colleague, agency=koshigaya)
    report_return(report=report_submit(report=other, by=colleague), by=prefecture_user, comment="越谷の差戻し理由")

    home = client_for(outreach_worker_a).get(reverse("home")).text

    assert "自立相談支援機能強化事業の令和7年度実績報告書はまだ作成されていません。" in home
    assert "越谷" not in home and reverse("reporting:report_detail", args=[other.pk]) not in home

    own = make_report(contractor_a, program=Program.OUTREACH, by=outreach_worker_a, agency=kasukabe)
    home = client_for(outreach_worker_a).get(reverse("home")).text
    assert (
        "自立相談支援機能強化事業（春日部センター）：" in home
        and reverse("reporting:report_detail", args=[own.pk]) in home
    )


@pytest.mark.parametrize("year", ["", "abc", "1999"])
def test_starting_a_report_for_an_unknown_year_is_refused(client_for, coordinator_a, year):
    response = client_for(coordinator_a).post(reverse("reporting:report_start"), {"fiscal_year": year}, follow=True)
    assert "年度の指定が正しくありません。" in response.text
    assert not AnnualReport.objects.exists()
