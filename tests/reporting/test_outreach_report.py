"""The outreach 実績報告書 (要綱004), one per agency: every section's figures against a hand-counted 年度,
the links behind them, the checks, the page, PDF and Excel, the number of queries and isolation.

Contractor Ａ runs two agencies (春日部 = agency_1, 越谷 = agency_2); each reports on its own records."""

import io
import shutil
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from openpyxl import load_workbook

from accounts.models import Program
from reporting.pdf import render_report_pdf
from reporting.registry import Cell, builder_for
from reporting.services import report_get_or_create_draft
from tests.reporting.outreach_year import YEAR, add_more_records, build_outreach_year


@pytest.fixture
def year_a(contractor_a, contractor_b, outreach_worker_a, outreach_worker_b):
    return build_outreach_year(contractor_a, contractor_b, outreach_worker_a, outreach_worker_b)


@pytest.fixture
def report_a(year_a, contractor_a, outreach_worker_a):
    report = report_get_or_create_draft(
        organisation=contractor_a,
        program=Program.OUTREACH,
        fiscal_year=YEAR,
        by=outreach_worker_a,
        agency=year_a.agency_1,
    )
    report.outcomes_text = "初回接触できた人が2名ありました。"
    report.effects_text = "サポステとの連携が進みました。"
    report.issues_text = "夜間の相談体制が課題です。"
    report.save()
    return report


def _sections(contractor, agency):
    return {s.key: s for s in builder_for(Program.OUTREACH).build(contractor, YEAR, agency=agency)["sections"]}


def _values(row):
    return [cell.value if isinstance(cell, Cell) else cell for cell in row]


def _rows(section):
    return {_values(row)[0]: _values(row)[1:] for row in section.rows}


def _months(**by_month):
    """13 values (April … March, then the total) from {"m4": 2, "m1": 1}."""
    values = [by_month.get(f"m{month}", 0) for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    return [*values, sum(values)]


def test_contract_and_workers_of_the_agency(year_a, contractor_a):
    sections = _sections(contractor_a, year_a.agency_1)
    contracts = sections["contracts"]
    assert [_values(r)[0] for r in contracts.rows] == [12_000_000]  # not 越谷's 8,000,000 nor FY2024's
    assert contracts.footer is None
    assert "Ａ会 春日部自立相談支援センター" in contracts.note and "経費" in contracts.note
    workers = sections["workers"]
    assert [_values(r)[1] for r in workers.rows] == ["ウ 相談支援業務5年以上"]  # w3 has left; w2 is 越谷's
    assert _values(workers.footer)[1] == 1
    qualifications = _rows(sections["qualifications"])
    assert qualifications["ウ 相談支援業務5年以上"] == [1]
    assert sum(v[0] for v in qualifications.values()) == 1


def test_the_other_agency_reports_only_its_own_records(year_a, contractor_a):
    sections = _sections(contractor_a, year_a.agency_2)
    assert [_values(r)[0] for r in sections["contracts"].rows] == [8_000_000]
    assert _values(sections["workers"].rows[0])[0] == "越谷 二郎"
    assert [_values(r)[1] for r in sections["clients"].rows] == [1, 0, 1]  # c3 (new); c4 closed before
    assert _values(sections["contacts_monthly"].footer)[1:] == _months(m12=1)
    access = _rows(sections["access"])
    assert access["年末年始"] == _months(m12=1) and access["本人との初めてのつながり"] == _months(m12=1)
    plans = _rows(sections["plans"])
    assert plans["支援計画の作成"] == _months() and plans["ケース会議"][-1] == 1 and plans["支援調整会議"][-1] == 0
    assert _rows(sections["linkages_monthly"])["つなぎ"] == _months(m1=1)
    assert _rows(sections["outcomes"])["つながりの確保"] == _months(m12=1)


def test_clients_new_continuing_cohort_and_criteria(year_a, contractor_a):
    sections = _sections(contractor_a, year_a.agency_1)
    # 春日部: c1, c2, c6 open in the 年度; new c2 (April); continuing c1, c6.
    assert [_values(r)[1] for r in sections["clients"].rows] == [1, 2, 3]
    criteria = _rows(sections["criteria"])
    assert criteria["ア 就職氷河期世代の範囲内"] == [3]
    assert criteria["ア 範囲外（理由を記録して支援）"] == [0]  # c3 is 越谷's
    assert criteria["イ(ｱ) ひきこもり状態"] == [2]
    assert criteria["イ(ｲ) サポステ等の利用（可能性）"] == [1]
    assert criteria["イ(ｳ) 長期間安定した就労ができていない"] == [2]
    assert criteria["イ(ｴ) その他丁寧な支援が必要"] == [0]
    assert _values(sections["new_clients_monthly"].rows[0])[1:] == _months(m4=1)


def test_profile_by_age_sex_and_route(year_a, contractor_a):
    profile = {(v[0], v[1]): v[2] for v in map(_values, _sections(contractor_a, year_a.agency_1)["profile"].rows)}
    assert profile[("年齢（4月1日時点）", "35〜39歳")] == 1
    assert profile[("年齢（4月1日時点）", "40〜44歳")] == 1
    assert profile[("年齢（4月1日時点）", "50〜54歳")] == 1
    assert sum(v for (group, _), v in profile.items() if group == "年齢（4月1日時点）") == 3
    assert profile[("性別", "男性")] == 2 and profile[("性別", "女性")] == 1
    assert [profile[("相談経路", r)] for r in ("本人", "家族", "関係機関", "アウトリーチによる把握")] == [1, 1, 0, 1]


def test_contacts_by_kind_and_month(year_a, contractor_a):
    section = _sections(contractor_a, year_a.agency_1)["contacts_monthly"]
    rows = _rows(section)
    assert rows["自宅訪問"] == _months(m4=1, m5=1)
    assert rows["電話"] == _months(m5=1)
    assert rows["来所面談"] == _months(m6=1)
    assert rows["同行相談"] == _months()  # k5 is 越谷's
    assert rows["メール・手紙"] == _months(m3=1)
    assert rows["ケース会議"] == _months()
    assert _values(section.footer)[1:] == _months(m4=1, m5=2, m6=1, m3=1)


def test_weekend_holiday_after_hours_and_first_connections(year_a, contractor_a):
    rows = _rows(_sections(contractor_a, year_a.agency_1)["access"])
    assert rows["土日祝日・時間外のいずれか"] == _months(m5=2, m6=1)
    assert rows["土日"] == _months(m5=1)
    assert rows["祝日"] == _months(m5=2)
    assert rows["年末年始"] == _months()
    assert rows["時間外"] == _months(m6=1)
    assert rows["本人との初めてのつながり"] == _months(m5=1)


def test_plans_meetings_linkages_and_outcomes(year_a, contractor_a):
    sections = _sections(contractor_a, year_a.agency_1)
    plans = _rows(sections["plans"])
    assert plans["支援計画の作成"] == _months(m7=1, m9=1)
    assert plans["支援計画の見直し"][-1] == 1
    assert plans["支援調整会議"][-1] == 1 and plans["ケース会議"][-1] == 0
    linkages = _rows(sections["linkages"])
    assert linkages["地域若者サポートステーション"] == [1]
    assert linkages["ハローワーク"] == [1]
    assert _values(sections["linkages"].footer)[1] == 2
    assert _rows(sections["linkages_monthly"])["つなぎ"] == _months(m9=1, m10=1)
    outcomes = _rows(sections["outcomes"])
    assert outcomes["つながりの確保"] == _months(m5=1)
    assert outcomes["支援計画の作成"] == _months(m7=1)
    assert outcomes["就職"] == _months(m2=1)
    assert outcomes["居場所への参加"] == _months()


def test_monthly_figures_agree_with_the_yearly_counts(year_a, contractor_a):
    """What the report counts by month (report.py) adds up to what counts.py counts for the 年度."""
    data = builder_for(Program.OUTREACH).build(contractor_a, YEAR, agency=year_a.agency_1)
    figures = data["figures"]
    summary = figures.summary
    assert sum(figures.new_clients_by_month) == summary["clients"]["new"]
    assert sum(figures.plans_by_month) == summary["plans_and_meetings"]["plans_made"]
    assert sum(figures.linkages_by_month) == sum(summary["linkages"].values())
    assert {k: sum(v) for k, v in figures.outcomes_by_kind_and_month.items()} == summary["outcomes"]
    for key, values in figures.flags_by_month.items():
        assert sum(values) == summary["flags"][key]


def _drill_down_cells(sections):
    for section in sections.values():
        for row in [*section.rows, *([section.footer] if section.footer else [])]:
            for cell in row:
                if (
                    isinstance(cell, Cell)
                    and cell.url
                    and isinstance(cell.value, int)
                    and resolve(urlsplit(cell.url).path).url_name.endswith("_list")
                ):
                    yield section.key, cell


def test_every_figure_links_to_a_list_of_exactly_the_records_counted(year_a, contractor_a, client_for, prefecture_user):
    client = client_for(prefecture_user)
    checked = 0
    for agency in (year_a.agency_1, year_a.agency_2):
        for key, cell in _drill_down_cells(_sections(contractor_a, agency)):
            if resolve(urlsplit(cell.url).path).url_name == "contract_list":
                continue
            response = client.get(cell.url)
            assert response.status_code == 200, cell.url
            query = parse_qs(urlsplit(cell.url).query)
            assert query["contractor"] == [str(contractor_a.pk)], cell.url
            assert query["agency"] == [str(agency.pk)], cell.url
            assert response.context["page"].paginator.count == cell.value, (key, cell.url)
            checked += 1
    assert checked > 300


def test_a_month_link_lists_that_months_contacts(year_a, contractor_a, client_for, prefecture_user):
    rows = {_values(r)[0]: r for r in _sections(contractor_a, year_a.agency_1)["access"].rows}
    holiday_may = rows["祝日"][2]  # 5月
    assert "flag=holiday" in holiday_may.url and "month=2025-05" in holiday_may.url
    page = client_for(prefecture_user).get(holiday_may.url).context["page"]
    assert sorted(c.date.day for c in page.object_list) == [3, 5]


def test_another_contractors_worker_following_a_link_sees_nothing(year_a, contractor_a, client_for, outreach_worker_b):
    cell = _sections(contractor_a, year_a.agency_1)["clients"].rows[2][1]
    response = client_for(outreach_worker_b).get(cell.url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def _checks(report):
    return builder_for(Program.OUTREACH).checks(report.organisation, YEAR, report, agency=report.agency)


def test_checks_warn_about_empty_months_and_missing_plans(report_a):
    findings = _checks(report_a)
    assert not [f for f in findings if f.is_error]
    messages = [f.message for f in findings]
    assert [m for m in messages if "対応記録がありません" in m] == [
        f"{m}月の対応記録がありません。対応がなかった場合は「事業の成果」等にその理由を記入してください。"
        for m in (7, 8, 9, 10, 11, 12, 1, 2)  # December's contact (k5) is 越谷's
    ]
    plan = next(f for f in findings if "支援計画が作成されていない" in f.message)
    assert "1人" in plan.message and "missing=plan" in plan.link


def test_check_links_list_the_clients_it_counts(report_a, contractor_a, client_for, prefecture_user):
    plan = next(f for f in _checks(report_a) if "missing=plan" in f.link)
    page = client_for(prefecture_user).get(plan.link).context["page"]
    assert sorted(c.name for c in page.object_list) == ["高橋 三郎"]  # 田中 次郎 is 越谷's


def test_empty_texts_are_warnings(year_a, contractor_a, outreach_worker_a):
    report = report_get_or_create_draft(
        organisation=contractor_a,
        program=Program.OUTREACH,
        fiscal_year=YEAR,
        by=outreach_worker_a,
        agency=year_a.agency_1,
    )
    findings = _checks(report)
    empty = [f for f in findings if "未記入です" in f.message]
    assert [f.level for f in empty] == ["warning"] * 3
    assert empty[0].link.endswith("#id_outcomes_text")


def test_a_client_meeting_no_criterion_is_an_error_that_blocks_submission(report_a, year_a, contractor_a):
    from django.core.exceptions import ValidationError

    from outreach.models import Client
    from reporting.services import report_submit

    Client.objects.filter(pk=year_a.clients["c2"].pk).update(
        criterion_youth_station=False, criterion_unstable_work=False
    )
    Client.objects.filter(pk=year_a.clients["c1"].pk).update(outside_cohort_reason="", in_cohort=False)
    errors = [f for f in _checks(report_a) if f.is_error]
    assert ["(ｱ)〜(ｴ)のいずれにも該当しない支援対象者が1人います（要綱3(2)イ）。" in f.message for f in errors].count(
        True
    ) == 1
    assert any("範囲外で、支援対象とする理由が未記入の支援対象者が1人" in f.message for f in errors)
    with pytest.raises(ValidationError):
        report_submit(report=report_a, by=year_a.worker_1.user)


def test_no_contract_and_an_unqualified_worker_are_errors(report_a, year_a, contractor_a):
    from outreach.models import OutreachContract, OutreachWorker

    OutreachContract.objects.filter(agency=year_a.agency_1, fiscal_year=YEAR).delete()
    OutreachWorker.objects.filter(pk=year_a.worker_1.pk).update(consultation_years=3)
    OutreachWorker.objects.filter(pk=year_a.worker_2.pk).update(field_years=3)  # 越谷's: not this report's
    errors = [f.message for f in _checks(report_a) if f.is_error]
    assert any("Ａ会 春日部自立相談支援センターの令和7年度の委託契約が登録されていません（要綱2）" in m for m in errors)
    assert any(year_a.worker_1.user.display_name in m and "5年" in m for m in errors)
    assert not any("越谷 二郎" in m for m in errors)


def test_workflow_submit_return_approve(report_a, year_a, prefecture_user):
    from reporting.services import report_approve, report_return, report_submit

    report_submit(report=report_a, by=year_a.worker_1.user)
    report_return(report=report_a, by=prefecture_user, comment="成果を具体的に")
    report_submit(report=report_a, by=year_a.worker_1.user)
    report_approve(report=report_a, by=prefecture_user)
    report_a.refresh_from_db()
    assert report_a.status == "approved" and report_a.approved_pdf


def test_page_shows_figures_with_links(report_a, client_for, outreach_worker_a):
    page = client_for(outreach_worker_a).get(reverse("reporting:report_detail", args=[report_a.pk]))
    assert page.status_code == 200
    assert "自立相談支援機能強化事業 実績報告書" in page.text
    assert "土日祝日・時間外の相談と初めてのつながり" in page.text
    query = f"contractor={report_a.organisation_id}&amp;agency={report_a.agency_id}&amp;flag=holiday&amp;month=2025-05"
    assert f"/outreach/contacts/?{query}" in page.text
    assert "Ａ会 春日部自立相談支援センター" in page.text


def test_excel_has_one_sheet_per_section(report_a, client_for, prefecture_user):
    response = client_for(prefecture_user).get(reverse("reporting:report_xlsx", args=[report_a.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sections = builder_for(Program.OUTREACH).build(report_a.organisation, YEAR, agency=report_a.agency)["sections"]
    assert len(workbook.sheetnames) == len(sections) + 3
    sheet = next(name for name in workbook.sheetnames if name.startswith("対応の種別・月別件数"))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    assert rows[0][0] == "種別" and rows[0][-1] == "計"
    assert rows[-1] == ("合計", 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 5)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_has_name_era_figures_and_an_embedded_japanese_font(report_a, tmp_path):
    started = time.perf_counter()
    content = render_report_pdf(report_a)
    elapsed = time.perf_counter() - started
    path = tmp_path / "outreach.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "社会福祉法人Ａ会" in text
    assert "令和7年度" in text
    assert "自立相談支援機能強化事業 実績報告書" in text
    assert "12,000,000" in text and "Ａ会 春日部自立相談支援センター" in text
    assert "Ａ会 越谷自立相談支援センター" not in text
    assert "夜間の相談体制が課題です。" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    ipa = [line for line in fonts.splitlines() if "IPAex" in line]
    assert ipa and all(" yes " in line for line in ipa)  # embedded (emb column)
    print(f"outreach report PDF: {elapsed:.2f}s, {len(content) // 1024} KiB")


def test_building_the_report_takes_a_constant_number_of_queries(year_a, contractor_a):
    builder = builder_for(Program.OUTREACH)
    with CaptureQueriesContext(connection) as before:
        builder.build(contractor_a, YEAR, agency=year_a.agency_1)
    add_more_records(year_a.agency_1, year_a.worker_1, 30)
    add_more_records(year_a.agency_2, year_a.worker_2, 30)
    with CaptureQueriesContext(connection) as after:
        builder.build(contractor_a, YEAR, agency=year_a.agency_1)
    assert len(after) == len(before)
    assert len(before) <= 20  # the agency's year_summary (12) and 7 more
    print(f"outreach report build: {len(before)} queries")


def test_report_page_queries_are_bounded(report_a, year_a, client_for, prefecture_user, django_assert_max_num_queries):
    client = client_for(prefecture_user)
    url = reverse("reporting:report_detail", args=[report_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_more_records(year_a.agency_1, year_a.worker_1, 40)
    with django_assert_max_num_queries(len(before)):
        assert client.get(url).status_code == 200
    print(f"outreach report page: {len(before)} queries")


def test_another_contractors_worker_and_health_centre_staff_cannot_open_it(
    report_a, client_for, outreach_worker_b, coordinator_a, health_centre_user
):
    for name in ("report_detail", "report_pdf", "report_xlsx", "report_submit"):
        url = reverse(f"reporting:{name}", args=[report_a.pk])
        assert client_for(outreach_worker_b).get(url).status_code == 404, name
        assert client_for(coordinator_a).get(url).status_code == 404, name  # peer-support staff of the same contractor
        assert client_for(health_centre_user).get(url).status_code in (403, 404), name


@pytest.mark.parametrize(("training_year", "refused"), [(2024, False), (2025, True)])
def test_training_must_be_completed_before_the_reports_year(report_a, year_a, contractor_a, training_year, refused):
    from outreach.models import OutreachWorker, Qualification

    OutreachWorker.objects.filter(pk=year_a.worker_1.pk).update(
        qualification=Qualification.TRAINING, training_course="consultation", training_year=training_year
    )
    errors = [f.message for f in _checks(report_a) if f.is_error]
    assert any("前年度までに研修を修了" in m for m in errors) is refused


def test_a_worker_of_the_other_agency_cannot_open_or_submit_it(report_a, year_a, client_for):
    """Each agency reports on its own: 越谷's worker, of the same contractor, is refused 春日部's report."""
    from django.core.exceptions import PermissionDenied

    from reporting.services import report_submit

    other = client_for(year_a.worker_2.user)
    for name in ("report_detail", "report_pdf", "report_xlsx", "report_submit"):
        assert other.get(reverse(f"reporting:{name}", args=[report_a.pk])).status_code == 404, name
    with pytest.raises(PermissionDenied):
        report_submit(report=report_a, by=year_a.worker_2.user)


def test_each_agency_has_its_own_report_of_the_year(year_a, contractor_a, outreach_worker_a):
    from django.core.exceptions import ValidationError

    def draft(agency):
        return report_get_or_create_draft(
            organisation=contractor_a, program=Program.OUTREACH, fiscal_year=YEAR, by=outreach_worker_a, agency=agency
        )

    first, second = draft(year_a.agency_1), draft(year_a.agency_2)
    assert first.pk != second.pk and draft(year_a.agency_1).pk == first.pk
    with pytest.raises(ValidationError, match="機関"):
        draft(None)
