"""What the peers imports say about a row: an empty required cell, a cell out of range, a formula
without its result; the template's example row; the preview of what will change."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.import_registry import EXAMPLE_MARK, import_kinds, template_xlsx
from peers.models import Activity, Expenditure, PeerSupporter, PersonSupported
from tests.peers.test_imports import ACTIVITY_HEADER, activity_row, csv_bytes, run, xlsx_bytes

HOURS = "時間は 0〜24 の数で入力してください（例: 1.5）。"


def _row(header, **cells):
    return [cells.get(column, "") for column in header]


def test_an_empty_start_time_asks_for_it(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a, start="")
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert outcome.errors == ["行 2・列「開始時刻」: 入力してください。"]


@pytest.mark.parametrize("hours", ["99999999999", "25", "-1", "1.255"])
def test_hours_out_of_range_are_named_in_their_own_column(contract_a, coordinator_record_a, supporter_a, hours):
    row = activity_row(coordinator_record_a, supporter_a, hours=hours)
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert outcome.errors == [f"行 2・列「時間1」: {HOURS}"]


def test_a_negative_pay_is_named_in_its_column(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a, pay="-100")
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert outcome.errors == ["行 2・列「謝金1」: 謝金は 0 以上の整数（円）で入力してください（例: 1650）。"]


def test_a_missing_hourly_pay_is_reported_on_the_pay_column(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a, pay="")
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert len(outcome.errors) == 1 and outcome.errors[0].startswith("行 2・列「謝金1」: ")


def test_a_formula_without_a_saved_result_says_so(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a, start="=TIME(13,30,0)")  # openpyxl saves no result
    outcome = run("activities", "a.xlsx", xlsx_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert outcome.errors == [
        "行 2・列「開始時刻」: 数式のセルですが、計算結果が保存されていません。Excel で開いて保存し直してください"
    ]


@pytest.mark.parametrize(
    ("kind", "header", "cells", "column"),
    [
        ("supporters", ["氏名", "フリガナ", "活動開始日"], {"氏名": "仲間 一郎", "フリガナ": "ナカマ"}, "活動開始日"),
        ("people", ["対象者コード", "支援開始日"], {"対象者コード": "A-001"}, "支援開始日"),
        (
            "expenditures",
            ["支出日", "費目", "金額（円）", "支払先"],
            {"支出日": "令和8年10月1日", "費目": "旅費", "支払先": "交通費"},
            "金額（円）",
        ),
        (
            "activities",
            ACTIVITY_HEADER[:8],
            {"活動日": "令和8年11月2日", "開始時刻": "13:30", "種別": "個別訪問", "区域（保健所）": "朝霞"},
            "終了時刻",
        ),
    ],
)
def test_an_empty_required_cell_asks_for_it(contract_a, coordinator_record_a, kind, header, cells, column):
    cells.setdefault("コーディネーター", coordinator_record_a.name)
    outcome = run(kind, "a.csv", csv_bytes(header, [_row(header, **cells)]), organisation=contract_a.organisation)
    assert f"行 2・列「{column}」: 入力してください。" in outcome.errors
    assert not any("NULL" in error or "必須" in error for error in outcome.errors)


# --- the template's example row ----------------------------------------------------------------


def _template(kind: str, *, marked: bool = True) -> bytes:
    workbook = load_workbook(io.BytesIO(template_xlsx(import_kinds()[kind])))
    sheet = workbook["データ"]
    assert str(sheet["A2"].value).startswith(EXAMPLE_MARK)
    if not marked:
        sheet["A2"] = sheet["A2"].value.removeprefix(EXAMPLE_MARK)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("supporters", PeerSupporter),
        ("people", PersonSupported),
        ("activities", Activity),
        ("expenditures", Expenditure),
    ],
)
def test_the_template_uploaded_unchanged_imports_nothing(contract_a, coordinator_record_a, kind, model):
    outcome = run(kind, "t.xlsx", _template(kind), organisation=contract_a.organisation)
    assert (outcome.errors, outcome.new, outcome.update, outcome.unchanged, outcome.examples) == ([], 0, 0, 0, 1)
    assert not model.objects.filter(organisation=contract_a.organisation).exists()


def test_the_example_rows_follow_the_rules(contract_a, coordinator_record_a, coordinator_a):
    coordinator_record_a.name = "調整 花子"
    coordinator_record_a.save()
    organisation = contract_a.organisation
    for kind in ("supporters", "people", "activities", "expenditures"):
        outcome = run(kind, "t.xlsx", _template(kind, marked=False), organisation=organisation, user=coordinator_a)
        assert (kind, outcome.errors, outcome.new) == (kind, [], 1)


# --- the preview --------------------------------------------------------------------------------


def test_the_preview_shows_dates_as_read_and_changes_of_an_update(contract_a):
    organisation = contract_a.organisation
    header = ["支出日", "費目", "金額（円）", "支払先", "摘要"]
    first = run(
        "expenditures",
        "e.csv",
        csv_bytes(header, [["R8.10.1", "旅費", "1200", "交通費", "往路"]]),
        organisation=organisation,
    )
    assert first.preview == [(2, "新規", ["令和8年10月1日", "旅費", "1200", "交通費", "往路"])]
    second = run(
        "expenditures",
        "e.csv",
        csv_bytes(header, [["2026/10/1", "旅費", "1200", "交通費", "往復"]]),
        organisation=organisation,
    )
    assert second.update == 1
    assert second.preview == [(2, "更新", ["令和8年10月1日", "旅費", "1200", "交通費", "往路 → 往復"])]


def _preview_queries(contract, coordinator, supporter, count: int) -> tuple[int, list]:
    rows = [activity_row(coordinator, supporter, start=f"{9 + n}:00", end=f"{9 + n}:30") for n in range(count)]
    run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract.organisation)
    for row in rows:
        row[6] = "7"  # 参加者数
    with CaptureQueriesContext(connection) as queries:
        outcome = run(
            "activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract.organisation, dry_run=True
        )
    Activity.objects.all().delete()
    return len(queries), outcome.preview


def test_the_preview_of_updates_takes_no_query_per_row(contract_a, coordinator_record_a, supporter_a):
    few, preview = _preview_queries(contract_a, coordinator_record_a, supporter_a, 3)
    many, _preview = _preview_queries(contract_a, coordinator_record_a, supporter_a, 9)
    assert few == many
    assert [cells[ACTIVITY_HEADER.index("参加者数")] for _number, _kind, cells in preview] == ["6 → 7"] * 3
    assert preview[0][2][ACTIVITY_HEADER.index("病院")] == activity_row(coordinator_record_a, supporter_a)[5]
    assert preview[0][2][ACTIVITY_HEADER.index("活動日")] == "令和8年11月2日"


def test_a_blank_status_of_an_update_is_shown_as_the_status_kept(contract_a):
    header = ["氏名", "フリガナ", "活動開始日", "状態", "備考"]
    organisation = contract_a.organisation
    run(
        "supporters",
        "s.csv",
        csv_bytes(header, [["仲間 一郎", "ナカマ", "R8.4.1", "活動中", "a"]]),
        organisation=organisation,
    )
    outcome = run(
        "supporters",
        "s.csv",
        csv_bytes(header, [["仲間 一郎", "ナカマ", "R8.4.1", "", "b"]]),
        organisation=organisation,
    )
    assert outcome.preview == [(2, "更新", ["仲間 一郎", "ナカマ", "令和8年4月1日", "活動中", "a → b"])]


def test_only_the_first_column_marks_an_example_row(contract_a):
    header = ["氏名", "フリガナ", "活動開始日", "備考"]
    rows = [["仲間 一郎", "ナカマ", "R8.4.1", "（記入例）の書き方を確認"]]
    outcome = run("supporters", "s.csv", csv_bytes(header, rows), organisation=contract_a.organisation)
    assert (outcome.new, outcome.examples) == (1, 0)
