"""The peer-support 実績報告書: every section's figures against a hand-counted 年度, the links
behind them, the checks, the PDF and the number of queries."""

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Program
from reporting.registry import Cell, builder_for
from reporting.services import report_get_or_create_draft
from tests.reporting.peer_year import YEAR, add_more_records, build_peer_year


@pytest.fixture
def year_a(contractor_a, contractor_b):
    return build_peer_year(contractor_a, contractor_b)


@pytest.fixture
def report_a(year_a, contractor_a, coordinator_a):
    return report_get_or_create_draft(
        organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=YEAR, by=coordinator_a
    )


def _sections(contractor):
    return {s.key: s for s in builder_for(Program.PEER_SUPPORT).build(contractor, YEAR)["sections"]}


def _values(row):
    return [cell.value if isinstance(cell, Cell) else cell for cell in row]


def _row(section, *labels):
    for row in section.rows:
        if _values(row)[: len(labels)] == list(labels):
            return _values(row)
    raise AssertionError(f"no row {labels} in {section.key}")


def _months(**by_month):
    """12 values April first from {"m4": 2, "m1": 1}."""
    return [by_month.get(f"m{month}", 0) for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def test_contract_coordinator_and_supporter_sections(year_a, contractor_a):
    sections = _sections(contractor_a)
    contract = dict(_values(row) for row in sections["contract"].rows)
    assert contract["契約金額"] == "3,000,000円"
    assert contract["契約期間"] == "令和7年4月1日～令和8年3月31日"
    assert contract["担当区域（保健所）"] == "朝霞保健所"
    assert [_values(r)[:2] for r in sections["coordinators"].rows] == [["調整 花子", "精神保健福祉士"]]
    assert [_values(r)[1] for r in sections["supporters"].rows] == [3, 1, 2, 1, 1, 0]


def test_in_hospital_figures_per_hospital_kind_and_month(year_a, contractor_a):
    section = _sections(contractor_a)["in_hospital"]
    h1 = f"{year_a.h1.name}（院内グループワーク）"
    h2 = f"{year_a.h2.name}（同行外出）"
    assert _row(section, h1, "実施回数")[2:] == [*_months(m4=2), 2]
    assert _row(section, h1, "参加者数（延べ）")[2:] == [*_months(m4=12), 12]
    assert _row(section, h1, "ピアサポーター（延べ）")[2:] == [*_months(m4=3), 3]
    assert _row(section, h2, "実施回数")[2:] == [*_months(m5=1), 1]
    assert _row(section, h2, "参加者数（延べ）")[2:] == [*_months(m5=2), 2]
    assert _row(section, "院内グループワーク 計", "実施回数")[2:] == [*_months(m4=2), 2]
    # Contractor Ｂ's group work in the same hospital and month is not counted.
    assert len(section.rows) == 4 * 3


def test_after_discharge_people_courses_and_training(year_a, contractor_a):
    sections = _sections(contractor_a)
    after = sections["after_discharge"]
    assert _row(after, "退院後グループワーク", "実施回数")[2:] == [*_months(m6=1), 1]
    assert _row(after, "退院後グループワーク", "参加者数（延べ）")[2:] == [*_months(m6=10), 10]
    assert _row(after, "個別訪問", "実施回数")[2:] == [*_months(m9=1, m1=1), 2]
    assert _row(after, "個別訪問", "ピアサポーター（延べ）")[2:] == [*_months(m9=1, m1=1), 2]
    assert [_values(r)[1] for r in sections["discharges"].rows] == [3, 1]
    assert _row(sections["awareness"], "開催回数")[1:] == [*_months(m7=2, m2=1), 3]
    assert _row(sections["awareness"], "参加者数")[1:] == [*_months(m7=50, m2=15), 65]
    assert [_values(r)[1] for r in sections["training"].rows] == [1, 3, 2, 1]


def test_paid_work_councils_and_accounts(year_a, contractor_a):
    sections = _sections(contractor_a)
    months = sections["paid_work_months"]
    assert _row(months, "活動時間（時間）")[1:] == [
        *_months(m4=Decimal("5.5"), m5=Decimal("1"), m6=Decimal("3"), m9=Decimal("1"), m1=Decimal("1")),
        Decimal("11.5"),
    ]
    assert _row(months, "謝金（円）")[1:] == [*_months(m4=6050, m5=1100, m6=3300, m9=1100, m1=1100), 12650]
    supporters = sections["paid_work_supporters"]
    assert [_values(r) for r in supporters.rows] == [
        ["仲間 一郎", 4, Decimal("5.5"), 6050],
        ["仲間 三郎", 2, Decimal("3"), 3300],
        ["仲間 二郎", 1, Decimal("3"), 3300],
    ]
    assert _values(supporters.footer) == ["合計", 7, Decimal("11.5"), 12650]
    assert len(sections["councils"].rows) == 1
    assert _values(sections["councils"].rows[0])[0] == "令和7年10月15日"
    accounts = dict(_values(r) for r in sections["accounts"].rows)
    assert accounts["人件費"] == 2_000_000 and accounts["報償費・謝金"] == 12_650 and accounts["旅費"] == 1_100_000
    assert accounts["支出合計"] == 3_112_650 and accounts["契約金額"] == 3_000_000 and accounts["残額"] == -112_650
    assert "112,650円超えています" in sections["accounts"].note


def test_checks_find_the_lapsed_pledge_empty_months_and_overspending(year_a, report_a, contractor_a):
    findings = builder_for(Program.PEER_SUPPORT).checks(contractor_a, YEAR, report_a)
    errors = [f for f in findings if f.is_error]
    assert len(errors) == 1
    assert "仲間 三郎" in errors[0].message and "要綱第5条5" in errors[0].message
    assert errors[0].link == reverse("peers:activity_detail", args=[year_a.activities["a6"].pk])
    empty = [f.message[: f.message.index("月")] for f in findings if "活動記録がありません" in f.message]
    assert empty == ["7", "8", "10", "11", "12", "2", "3"]
    over = [f for f in findings if "契約金額" in f.message]
    assert len(over) == 1 and not over[0].is_error and over[0].link.startswith(reverse("peers:expenditure_list"))


def test_checks_refuse_a_year_without_contract_or_coordinator(make_report, contractor_b):
    report = make_report(contractor_b, year=2023, complete=False)
    messages = [f.message for f in builder_for(Program.PEER_SUPPORT).checks(contractor_b, 2023, report) if f.is_error]
    assert any("委託契約が登録されていません" in m for m in messages)
    assert any("コーディネーターが登録されていません" in m for m in messages)


def _rows_on(client, url) -> int:
    page = client.get(url)
    assert page.status_code == 200
    body = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page.text else ""
    return body.count("<tr")


def _link_of(section, *labels, column):
    for row in section.rows:
        if _values(row)[: len(labels)] == list(labels):
            return row[column]
    raise AssertionError(labels)


def test_every_figure_in_the_page_links_to_exactly_the_counted_records(
    year_a, report_a, contractor_a, client_for, prefecture_user
):
    client = client_for(prefecture_user)
    sections = _sections(contractor_a)
    h1 = f"{year_a.h1.name}（院内グループワーク）"
    april = _link_of(sections["in_hospital"], h1, "実施回数", column=2)
    assert april.value == 2 and _rows_on(client, april.url) == 2
    visits = _link_of(sections["after_discharge"], "個別訪問", "実施回数", column=14)
    assert visits.value == 2 and _rows_on(client, visits.url) == 2
    for row in sections["supporters"].rows:
        assert _rows_on(client, row[1].url) == row[1].value, row[0]
    for row in sections["discharges"].rows:
        assert _rows_on(client, row[1].url) == row[1].value, row[0]
    for row in sections["training"].rows:
        if row[0] != "開催回数":
            assert _rows_on(client, row[1].url) == row[1].value, row[0]
    awareness = sections["awareness"].rows[0][-1]
    assert _rows_on(client, awareness.url) == 3 == awareness.value
    s1 = sections["paid_work_supporters"].rows[0][1]
    assert _rows_on(client, s1.url) == s1.value == 4
    page = client.get(reverse("reporting:report_detail", args=[report_a.pk]))
    assert f'href="{april.url.replace("&", "&amp;")}"' in page.text


def test_a_coordinator_cannot_list_another_contractors_figure(year_a, client_for, coordinator_b, contractor_a):
    url = reverse("reporting:peer_figure_records")
    response = client_for(coordinator_b).get(
        url, {"figure": "supporters_registered", "contractor": contractor_a.pk, "fiscal_year": YEAR}
    )
    assert response.status_code == 404


def test_excel_has_one_sheet_per_section_with_plain_values(year_a, report_a, client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("reporting:report_xlsx", args=[report_a.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 1 + 12 + 2  # cover, 12 sections, texts and history
    sheet = workbook["ピアサポーター（要綱第2条(2)・第5条5）"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [3, 1, 2, 1, 1, 0]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_has_contractor_era_sections_and_a_known_figure(year_a, report_a, tmp_path):
    from reporting.pdf import render_report_pdf

    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(report_a))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "社会福祉法人Ａ会" in text and "令和7年度" in text
    for title in ("第4条1(1)ア", "第4条1(1)イ", "第4条1(2)ウ", "第5条3", "第5条4"):
        assert title in text
    assert "3,112,650" in text and "12,650" in text
    assert "href" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"IPAex\w+.*\byes\b", fonts)


def test_report_page_queries_do_not_grow_with_records(
    year_a, report_a, contractor_a, client_for, coordinator_a, django_assert_max_num_queries
):
    client = client_for(coordinator_a)
    url = reverse("reporting:report_detail", args=[report_a.pk])
    with django_assert_max_num_queries(60) as baseline:
        assert client.get(url).status_code == 200
    add_more_records(contractor_a, year_a.coordinator, year_a.s1, year_a.h1, 3 * 6)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url).status_code == 200


def test_an_empty_text_links_to_its_field(year_a, report_a, contractor_a):
    findings = builder_for(Program.PEER_SUPPORT).checks(contractor_a, YEAR, report_a)
    texts = [f for f in findings if "未記入" in f.message]
    assert len(texts) == 3
    assert texts[0].link == reverse("reporting:report_detail", args=[report_a.pk]) + "#id_outcomes_text"


def _csv_amounts(client, url) -> list[int]:
    """The 金額 column of a list's CSV download (the list exactly as the link filters it)."""
    response = client.get(f"{url}&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("金額")
    return [int(row[column].replace(",", "")) for row in rows[1:]]


def test_paid_work_totals_link_to_exactly_the_supporter_turns_they_add_up(
    year_a, report_a, contractor_a, client_for, prefecture_user
):
    client = client_for(prefecture_user)
    footer = _sections(contractor_a)["paid_work_supporters"].footer
    query = f"figure=supporter_turns&contractor={contractor_a.pk}&fiscal_year={YEAR}"
    expected = f"{reverse('reporting:peer_figure_records')}?{query}"
    assert [cell.url for cell in footer[1:]] == [expected] * 3
    assert [cell.value for cell in footer[1:]] == [7, Decimal("11.5"), 12650]
    page = client.get(expected)
    assert page.status_code == 200
    assert _rows_on(client, expected) == 7
    assert '<span class="figure-count">7</span>' in page.text
    # Contractor Ｂ's turn and contractor Ａ's FY2024 turn are not listed.
    assert "別所 二郎" not in page.text and "令和6年" not in page.text
    report_page = client.get(reverse("reporting:report_detail", args=[report_a.pk]))
    assert f'href="{expected.replace("&", "&amp;")}"' in report_page.text


def test_every_accounts_figure_links_to_the_contracts_expenditures(year_a, contractor_a, client_for, prefecture_user):
    client = client_for(prefecture_user)
    section = _sections(contractor_a)["accounts"]
    cells = {row[0]: row[1] for row in section.rows}
    contract = year_a.contract
    base = f"{reverse('peers:expenditure_list')}?contractor={contractor_a.pk}&contract={contract.pk}"
    assert cells["支出合計"].url == base
    assert cells["残額"].url == base
    assert cells["人件費"].url == f"{base}&category=personnel"
    for label, cell in cells.items():
        if label == "契約金額":
            assert cell.url == reverse("peers:contract_detail", args=[contract.pk])
            continue
        amounts = _csv_amounts(client, cell.url)
        if label == "残額":
            assert cell.value == contract.amount - sum(amounts) == -112_650
        else:
            assert sum(amounts) == cell.value, label
    assert len(_csv_amounts(client, cells["支出合計"].url)) == 3 == _rows_on(client, cells["支出合計"].url)
