"""Excel・CSV imports of the peer-support program: real files, the screens' rules, all or nothing."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.import_registry import import_kinds
from accounts.imports import read_upload, run_import
from accounts.models import AuditAction, AuditEvent, PeriodLock, Program
from peers.models import (
    Activity,
    ActivityKind,
    ActivitySupporter,
    Expenditure,
    ExpenseCategory,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterStatus,
)
from tests.peers.factories import (
    ConditionsFactory,
    PersonFactory,
    SupporterFactory,
    asaka_hospital,
)

ACTIVITY_HEADER = [
    "活動日",
    "開始時刻",
    "終了時刻",
    "種別",
    "区域（保健所）",
    "病院",
    "参加者数",
    "コーディネーター",
    "ピアサポーター1",
    "時間1",
    "謝金1",
    "ピアサポーター2",
    "時間2",
    "謝金2",
]


def csv_bytes(header, rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind_key, filename, content, *, organisation, user=None, dry_run=False):
    kind = import_kinds()[kind_key]
    resource = kind.resource_class(organisation=organisation, user=user)
    return run_import(resource, read_upload(filename, content), dry_run=dry_run, required=kind.required_columns)


@pytest.fixture
def hospital(db):
    return asaka_hospital()


def activity_row(coordinator, supporter, *, day="令和8年11月2日", start="13:30", hours="1.5", pay="1650", **extra):
    return [
        day,
        start,
        extra.get("end", "15:00"),
        extra.get("kind", "院内グループワーク"),
        extra.get("district", "朝霞保健所"),
        extra.get("hospital", asaka_hospital().name),
        extra.get("participants", "6"),
        coordinator.name,
        supporter.name if supporter else "",
        hours if supporter else "",
        pay if supporter else "",
        "",
        "",
        "",
    ]


# --- activities -----------------------------------------------------------------------------


def test_activity_csv_with_supporter_hours_is_imported(contract_a, coordinator_record_a, supporter_a, coordinator_a):
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    outcome = run("activities", "活動.csv", content, organisation=contract_a.organisation, user=coordinator_a)
    assert outcome.errors == []
    assert (outcome.new, outcome.update) == (1, 0)
    activity = Activity.objects.get()
    assert activity.date == date(2026, 11, 2)
    assert activity.kind == ActivityKind.HOSPITAL_GROUP
    assert activity.contract == contract_a
    assert activity.created_by == coordinator_a
    row = ActivitySupporter.objects.get()
    assert (row.supporter, row.hours, row.pay) == (supporter_a, Decimal("1.5"), 1650)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.organisation == contract_a.organisation and "new=1" in event.detail
    assert coordinator_a.has_perm("peers.view_activity", activity)


def test_activity_xlsx_with_date_cells_time_cells_and_default_pay(contract_a, coordinator_record_a, supporter_a):
    ConditionsFactory(supporter=supporter_a, hourly_pay=1200)
    header = [
        "種別",
        "活動日",
        "開始時刻",
        "終了時刻",
        "区域（保健所）",
        "病院",
        "コーディネーター",
        "ピアサポーター1",
        "時間1",
    ]
    row = [
        "同行外出",
        datetime(2026, 11, 2),
        time(9, 30),
        time(12, 0),
        "朝霞",
        asaka_hospital().name,
        coordinator_record_a.name.replace(" ", "　"),
        supporter_a.name.replace(" ", ""),
        2,
    ]
    outcome = run("activities", "活動.xlsx", xlsx_bytes(header, [row]), organisation=contract_a.organisation)
    assert outcome.errors == []
    activity = Activity.objects.get()
    assert (activity.kind, activity.start_time, activity.participants) == (ActivityKind.OUTING, time(9, 30), 0)
    assert ActivitySupporter.objects.get().pay == 2400  # 2 hours × the hourly pay told to the supporter


def test_full_width_digits_and_wareki_dates(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a, day="Ｒ８．１１．２", start="１３：３０", hours="１．５")
    row[6] = "１２"
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row]), organisation=contract_a.organisation)
    assert outcome.errors == []
    activity = Activity.objects.get()
    assert (activity.date, activity.start_time, activity.participants) == (date(2026, 11, 2), time(13, 30), 12)


def test_unreadable_date_names_row_and_column(contract_a, coordinator_record_a, supporter_a):
    rows = [
        activity_row(coordinator_record_a, supporter_a),
        activity_row(coordinator_record_a, supporter_a, day="11月頃"),
    ]
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract_a.organisation)
    assert outcome.errors == ["行 3・列「活動日」: 日付として読めません（例: 令和7年4月1日、2025/4/1）"]
    assert not Activity.objects.exists()  # the good row 2 is not written either


def test_supporter_without_pledge_is_refused_by_name_and_nothing_is_written(
    contract_a, coordinator_record_a, supporter_a
):
    no_pledge = SupporterFactory(organisation=contract_a.organisation, name="誓約 未了", name_kana="セイヤク ミリョウ")
    rows = [
        activity_row(coordinator_record_a, supporter_a),
        activity_row(coordinator_record_a, no_pledge, start="16:00", end="17:00"),
    ]
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract_a.organisation)
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith(
        "行 3・列「ピアサポーター1」: ピアサポーター「誓約 未了」は活動日（令和8年11月2日）に有効な誓約書がない"
    )
    assert not Activity.objects.exists()
    assert not ActivitySupporter.objects.exists()


def test_activity_rules_of_the_forms_apply(contract_a, coordinator_record_a, supporter_a):
    rows = [
        activity_row(coordinator_record_a, supporter_a, hospital=""),  # ア without a hospital
        activity_row(coordinator_record_a, supporter_a, day="2027/4/5"),  # no contract for 令和9年度
        activity_row(coordinator_record_a, supporter_a, district="川越市保健所", kind="個別訪問", hospital=""),
        activity_row(coordinator_record_a, supporter_a, kind="散歩"),
    ]
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract_a.organisation)
    text = "\n".join(outcome.errors)
    assert (
        "行 2・列「病院」: 院内グループワーク（要綱第4条1(1)ア 精神科病院等での活動）では、病院を選んでください。"
        in text
    )
    assert "行 3・列「活動日」: 活動日（令和9年4月5日）を含む令和9年度の委託契約がありません" in text
    assert "行 4・列「区域（保健所）」: この区域は令和8年度の委託契約の区域（朝霞保健所）に含まれていません。" in text
    assert "行 5・列「種別」: 「散歩」は選べません" in text
    assert not Activity.objects.exists()


def test_frozen_year_is_refused(contract_a, coordinator_record_a, supporter_a):
    PeriodLock.objects.create(organisation=contract_a.organisation, program=Program.PEER_SUPPORT, fiscal_year=2026)
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    outcome = run("activities", "a.csv", content, organisation=contract_a.organisation)
    assert outcome.errors and "令和8年度" in outcome.errors[0] and "承認済み" in outcome.errors[0]
    assert outcome.errors[0].startswith("行 2: ")
    assert not Activity.objects.exists()


def test_reimporting_the_same_file_updates_instead_of_duplicating(contract_a, coordinator_record_a, supporter_a):
    other = SupporterFactory(organisation=contract_a.organisation, name="仲間 二郎", name_kana="ナカマ ジロウ")
    Pledge.objects.create(
        organisation=contract_a.organisation, supporter=other, signed_on=date(2025, 4, 1), provisions_version="v"
    )
    rows = [
        activity_row(coordinator_record_a, supporter_a),
        activity_row(coordinator_record_a, other, start="16:00", end="17:00", kind="同行外出"),
    ]
    content = csv_bytes(ACTIVITY_HEADER, rows)
    first = run("activities", "a.csv", content, organisation=contract_a.organisation)
    assert (first.new, first.update, first.errors) == (2, 0, [])
    rows[0][6] = "9"
    second = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract_a.organisation)
    assert (second.new, second.update, second.unchanged, second.errors) == (0, 1, 1, [])
    assert Activity.objects.count() == 2
    assert ActivitySupporter.objects.count() == 2
    assert Activity.objects.get(start_time=time(13, 30)).participants == 9


def test_the_same_activity_twice_in_one_file_is_an_error(contract_a, coordinator_record_a, supporter_a):
    row = activity_row(coordinator_record_a, supporter_a)
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, [row, row]), organisation=contract_a.organisation)
    assert outcome.errors == [
        "行 3: 行 2 と同じ記録です（活動日・開始時刻・種別・区域・病院が同じ）。1行にまとめてください。"
    ]


def test_dry_run_writes_nothing(contract_a, coordinator_record_a, supporter_a):
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    outcome = run("activities", "a.csv", content, organisation=contract_a.organisation, dry_run=True)
    assert (outcome.ok, outcome.new) == (True, 1)
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_people_codes_on_an_activity(contract_a, coordinator_record_a, supporter_a):
    PersonFactory(organisation=contract_a.organisation, code="A-001")
    PersonFactory(organisation=contract_a.organisation, code="A-002")
    header = [*ACTIVITY_HEADER[:8], "支援対象者コード"]
    row = [*activity_row(coordinator_record_a, None)[:8], "Ａ－００１、A-002"]
    outcome = run("activities", "a.csv", csv_bytes(header, [row]), organisation=contract_a.organisation)
    assert outcome.errors == []
    assert sorted(p.code for p in Activity.objects.get().people.all()) == ["A-001", "A-002"]


def test_missing_required_column(contract_a):
    outcome = run("activities", "a.csv", csv_bytes(["活動日"], [["2026/11/2"]]), organisation=contract_a.organisation)
    assert "列「開始時刻」がありません。テンプレートの見出しを使ってください。" in outcome.errors


# --- isolation ---------------------------------------------------------------------------------


def test_another_contractors_supporter_is_not_found(contract_a, contract_b, supporter_a, supporter_b):
    from tests.peers.factories import CoordinatorFactory

    coordinator_b = CoordinatorFactory(organisation=contract_b.organisation, name="別 調整")
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_b, supporter_a)])
    outcome = run("activities", "a.csv", content, organisation=contract_b.organisation)
    assert outcome.errors == ["行 2・列「ピアサポーター1」: ピアサポーター「仲間 一郎」が見つかりません"]
    assert not Activity.objects.exists()


def test_another_contractors_person_is_not_found(contract_a, contract_b, coordinator_record_a):
    PersonFactory(organisation=contract_b.organisation, code="B-001")
    header = [*ACTIVITY_HEADER[:8], "支援対象者コード"]
    row = [*activity_row(coordinator_record_a, None)[:8], "B-001"]
    outcome = run("activities", "a.csv", csv_bytes(header, [row]), organisation=contract_a.organisation)
    assert outcome.errors == ["行 2・列「支援対象者コード」: 支援対象者「B-001」が見つかりません"]


def test_same_code_in_another_contractor_creates_a_new_person_not_an_update(contractor_a, contractor_b):
    PersonFactory(organisation=contractor_a, code="A-001")
    content = csv_bytes(["対象者コード", "支援開始日"], [["A-001", "2026/5/1"]])
    outcome = run("people", "p.csv", content, organisation=contractor_b)
    assert (outcome.new, outcome.update, outcome.errors) == (1, 0, [])
    assert PersonSupported.objects.filter(organisation=contractor_a).get().support_started_on == date(2026, 4, 10)


# --- supporters --------------------------------------------------------------------------------

SUPPORTER_HEADER = ["フリガナ", "氏名", "活動開始日", "状態", "誓約書の署名日", "説明した特記事項の版", "説明者"]


def test_cp932_csv_of_supporters_with_pledges(contractor_a, coordinator_a):
    rows = [
        ["タカハシ イチロウ", "髙橋 一郎", "R7.4.1", "", "令和7年4月1日", "令和7年4月版", "調整 花子"],
        ["ヤマザキ ①", "山﨑 ①", "2025-04-01", "休止中", "", "", ""],
    ]
    content = csv_bytes(SUPPORTER_HEADER, rows, encoding="cp932")
    outcome = run("supporters", "サポーター.csv", content, organisation=contractor_a, user=coordinator_a)
    assert outcome.errors == ["行 3・列「状態の変更日」: 休止・終了の場合は、変更日を入力してください。"]
    assert not PeerSupporter.objects.exists()
    rows[1][3] = "活動中"
    outcome = run("supporters", "s.csv", csv_bytes(SUPPORTER_HEADER, rows, "cp932"), organisation=contractor_a)
    assert (outcome.new, outcome.errors) == (2, [])
    takahashi = PeerSupporter.objects.get(name="髙橋 一郎")
    assert takahashi.status == SupporterStatus.ACTIVE
    assert takahashi.pledges.get().signed_on == date(2025, 4, 1)
    assert PeerSupporter.objects.get(name_kana="ヤマザキ ①").name == "山﨑 ①"
    again = run("supporters", "s.csv", csv_bytes(SUPPORTER_HEADER, rows, "cp932"), organisation=contractor_a)
    assert (again.new, again.update) == (0, 2)
    assert PeerSupporter.objects.count() == 2 and Pledge.objects.count() == 1


def test_pledge_without_version_is_refused(contractor_a):
    rows = [["ナカマ", "仲間", "2025/4/1", "", "2025/4/1", "", ""]]
    outcome = run("supporters", "s.csv", csv_bytes(SUPPORTER_HEADER, rows), organisation=contractor_a)
    assert any(error.startswith("行 2・列「説明した特記事項の版」") for error in outcome.errors)
    assert not PeerSupporter.objects.exists()


# --- people and expenditures -------------------------------------------------------------------


def test_people_by_code_utf8_bom(contractor_a, hospital):
    header = ["対象者コード", "入院先の病院", "支援開始日", "退院日"]
    rows = [["A-001", hospital.name, "令和8年4月10日", ""], ["A-002", "", "2026/5/1", "2026/9/30"]]
    content = csv_bytes(header, rows)
    assert content.startswith(b"\xef\xbb\xbf")
    first = run("people", "p.csv", content, organisation=contractor_a)
    assert (first.new, first.errors) == (2, [])
    rows[0][3] = "2026/10/1"
    second = run("people", "p.csv", csv_bytes(header, rows), organisation=contractor_a)
    assert (second.new, second.update, second.unchanged) == (0, 1, 1)
    assert PersonSupported.objects.get(code="A-001").discharged_on == date(2026, 10, 1)


def test_people_moved_to_one_new_start_date_with_their_own_discharges(contractor_a):
    """Both new dates are written in one statement: the start date alone, written first, would fall after
    the stored discharge of A-001 and break the database's check (discharge on or after the start)."""
    header = ["対象者コード", "支援開始日", "退院日"]
    stored = [["A-001", "2024/4/1", "2024/5/1"], ["A-002", "2024/4/1", "2024/6/1"]]
    assert run("people", "p.csv", csv_bytes(header, stored), organisation=contractor_a).errors == []
    moved = [["A-001", "2024/7/1", "2024/8/1"], ["A-002", "2024/7/1", "2024/9/1"]]
    outcome = run("people", "p.csv", csv_bytes(header, moved), organisation=contractor_a)
    assert (outcome.update, outcome.errors) == (2, [])
    stored_dates = PersonSupported.objects.order_by("code").values_list("support_started_on", "discharged_on")
    assert list(stored_dates) == [(date(2024, 7, 1), date(2024, 8, 1)), (date(2024, 7, 1), date(2024, 9, 1))]


def test_expenditures_take_the_contract_of_their_date(contract_a):
    header = ["支出日", "費目", "金額（円）", "支払先"]
    rows = [
        ["令和8年10月1日", "報償費・謝金", "16,500円", "ピアサポーター謝金"],
        ["2026/10/2", "旅費", "１２００", "交通費"],
    ]
    first = run("expenditures", "e.csv", csv_bytes(header, rows), organisation=contract_a.organisation)
    assert (first.new, first.errors) == (2, [])
    assert Expenditure.objects.filter(contract=contract_a).count() == 2
    assert Expenditure.objects.get(payee="交通費").category == ExpenseCategory.TRAVEL
    second = run("expenditures", "e.csv", csv_bytes(header, rows), organisation=contract_a.organisation)
    assert (second.new, second.update, second.unchanged) == (0, 0, 2)  # the same file again changes nothing
    rows[1][0] = "2026/10/3"  # a changed date is a new key: the 10/2 expense stays, one is added
    third = run("expenditures", "e.csv", csv_bytes(header, rows), organisation=contract_a.organisation)
    assert (third.new, third.update, third.unchanged) == (1, 0, 1)
    bad = run(
        "expenditures",
        "e.csv",
        csv_bytes(header, [["2025/10/1", "旅費", "1", "x"]]),
        organisation=contract_a.organisation,
    )
    assert bad.errors == [
        "行 2・列「支出日」: 支出日（令和7年10月1日）を含む令和7年度の委託契約がありません。"
        "契約期間内の日付を入力してください（契約は県が登録します）。"
    ]


def test_two_supporters_of_the_same_name_are_ambiguous(contract_a, coordinator_record_a, supporter_a):
    SupporterFactory(organisation=contract_a.organisation, name="仲間　一郎", name_kana="ナカマ イチロウ（2）")
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    outcome = run("activities", "a.csv", content, organisation=contract_a.organisation)
    assert outcome.errors == [
        "行 2・列「ピアサポーター1」: ピアサポーター「仲間 一郎」に当たる記録が複数あります。区別できる値にしてください"
    ]


def test_changing_a_record_of_a_frozen_year_is_refused(contract_a, coordinator_record_a, supporter_a):
    header = ["支出日", "費目", "金額（円）", "支払先", "摘要"]
    rows = [["2026/10/1", "旅費", "1000", "交通費", ""]]
    assert run("expenditures", "e.csv", csv_bytes(header, rows), organisation=contract_a.organisation).ok
    PeriodLock.objects.create(organisation=contract_a.organisation, program=Program.PEER_SUPPORT, fiscal_year=2026)
    rows[0][4] = "摘要を変更"
    outcome = run("expenditures", "e.csv", csv_bytes(header, rows), organisation=contract_a.organisation)
    assert len(outcome.errors) == 1 and "承認済み" in outcome.errors[0]
    assert Expenditure.objects.get().note == ""


def test_blank_status_keeps_the_stored_one(contractor_a):
    header = ["氏名", "フリガナ", "活動開始日", "状態", "状態の変更日"]
    run(
        "supporters",
        "s.csv",
        csv_bytes(header, [["休 一", "ヤスミ", "2025/4/1", "休止中", "2026/1/5"]]),
        organisation=contractor_a,
    )
    outcome = run(
        "supporters",
        "s.csv",
        csv_bytes(header, [["休 一", "ヤスミ", "2025/4/1", "", "2026/1/5"]]),
        organisation=contractor_a,
    )
    assert (outcome.update, outcome.errors) == (1, [])
    assert PeerSupporter.objects.get().status == SupporterStatus.PAUSED


# --- speed: queries per batch, not per row --------------------------------------------------------


def _activity_rows(coordinator, supporter, count, *, first_day=date(2026, 6, 1), blank_pay=False):
    rows = []
    for i in range(count):
        day = date.fromordinal(first_day.toordinal() + i)
        pay = "" if blank_pay and i % 2 else "1650"
        rows.append(activity_row(coordinator, supporter, day=f"{day:%Y/%m/%d}", pay=pay))
    return rows


def _queries_of_import(content, organisation, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        outcome = run("activities", "a.csv", content, organisation=organisation, user=user)
    assert outcome.errors == []
    return len(captured.captured_queries)


def test_importing_twice_the_rows_takes_the_same_number_of_queries(
    contract_a, coordinator_record_a, supporter_a, coordinator_a
):
    ConditionsFactory(supporter=supporter_a, hourly_pay=1200)  # blank 謝金 rows take the pay from here
    organisation = contract_a.organisation
    warm_up = _activity_rows(coordinator_record_a, supporter_a, 1, first_day=date(2026, 12, 1))
    _queries_of_import(csv_bytes(ACTIVITY_HEADER, warm_up), organisation, coordinator_a)  # Django's content-type cache
    few = csv_bytes(ACTIVITY_HEADER, _activity_rows(coordinator_record_a, supporter_a, 4, blank_pay=True))
    many = csv_bytes(
        ACTIVITY_HEADER,
        _activity_rows(coordinator_record_a, supporter_a, 8, first_day=date(2026, 7, 1), blank_pay=True),
    )
    assert _queries_of_import(few, organisation, coordinator_a) == _queries_of_import(many, organisation, coordinator_a)
    assert Activity.objects.count() == 13
    # and re-importing (every row an update) does not grow with the rows either
    assert _queries_of_import(few, organisation, coordinator_a) == _queries_of_import(many, organisation, coordinator_a)
    assert Activity.objects.count() == 13
    assert ActivitySupporter.objects.count() == 13


def test_a_bad_row_after_written_batches_leaves_nothing(
    monkeypatch, contract_a, coordinator_record_a, supporter_a, coordinator_a
):
    from peers.resources import ActivityResource

    monkeypatch.setattr(ActivityResource._meta, "batch_size", 2)
    rows = _activity_rows(coordinator_record_a, supporter_a, 5)
    rows[-1][0] = "11月頃"
    outcome = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=contract_a.organisation)
    assert outcome.errors == ["行 6・列「活動日」: 日付として読めません（例: 令和7年4月1日、2025/4/1）"]
    assert not Activity.objects.exists()
    assert not ActivitySupporter.objects.exists()
    assert not Activity.history.exists()


def test_bulk_import_writes_history_grants_once_and_replaces_supporters(
    monkeypatch, contract_a, coordinator_record_a, supporter_a, coordinator_a
):
    from peers.models import ActivityGroupObjectPermission
    from peers.resources import ActivityResource

    monkeypatch.setattr(ActivityResource._meta, "batch_size", 2)
    rows = _activity_rows(coordinator_record_a, supporter_a, 3)
    organisation = contract_a.organisation
    assert run(
        "activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=organisation, user=coordinator_a
    ).ok
    rows[0][9], rows[0][10] = "2", "2200"
    again = run("activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows), organisation=organisation, user=coordinator_a)
    assert (again.new, again.update, again.unchanged, again.errors) == (0, 1, 2, [])
    assert Activity.objects.count() == 3
    assert ActivitySupporter.objects.filter(hours=Decimal("2"), pay=2200).count() == 1
    assert ActivitySupporter.objects.count() == 3
    for activity in Activity.objects.all():
        assert ActivityGroupObjectPermission.objects.filter(content_object=activity).count() == 3
        assert coordinator_a.has_perm("peers.change_activity", activity)
        assert activity.history.first().history_user == coordinator_a
    changed = Activity.objects.get(supporter_rows__hours=Decimal("2"))
    assert [h.history_type for h in changed.history.order_by("history_id")] == ["+", "~"]
    assert Activity.history.filter(history_type="~").count() == 1  # unchanged rows leave no history


def test_bulk_grant_reaches_only_the_named_records_and_never_twice(contractor_a, contractor_b, coordinator_a):
    from accounts.permissions import grant_organisation_access_bulk
    from peers.models import PersonSupportedGroupObjectPermission

    mine = [
        PersonSupported.objects.create(organisation=contractor_a, code=f"A-{n}", support_started_on=date(2026, 4, 1))
        for n in range(3)
    ]
    grant_organisation_access_bulk(mine[:2], contractor_a)
    grant_organisation_access_bulk(PersonSupported.objects.filter(organisation=contractor_a), contractor_a)
    for person in mine:
        assert PersonSupportedGroupObjectPermission.objects.filter(content_object=person).count() == 3
        assert coordinator_a.has_perm("peers.change_personsupported", person)
    assert not PersonSupportedGroupObjectPermission.objects.filter(group=contractor_b.group).exists()


@pytest.mark.parametrize(
    ("kind", "header", "row"),
    [
        ("people", ["対象者コード", "支援開始日"], lambda n: [f"P-{n}", "2026/4/1"]),
        (
            "expenditures",
            ["支出日", "費目", "金額（円）", "支払先"],
            lambda n: ["2026/5/1", "報償費・謝金", str(1000 + n), "謝金"],
        ),
    ],
)
def test_people_and_expenditures_take_the_same_queries_for_twice_the_rows(contract_a, coordinator_a, kind, header, row):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(numbers):
        with CaptureQueriesContext(connection) as captured:
            outcome = run(
                kind,
                "a.csv",
                csv_bytes(header, [row(n) for n in numbers]),
                organisation=contract_a.organisation,
                user=coordinator_a,
            )
        assert (outcome.errors, outcome.new) == ([], len(numbers))
        return len(captured.captured_queries)

    queries(range(900, 901))  # the first import also fills Django's content-type cache
    assert queries(range(0, 4)) == queries(range(100, 108))


def test_an_import_leaves_the_id_sequence_alone(contract_a, coordinator_record_a, supporter_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    with CaptureQueriesContext(connection) as captured:
        assert run("activities", "a.csv", content, organisation=contract_a.organisation).ok
    assert not [q["sql"] for q in captured.captured_queries if "setval" in q["sql"] or "sqlite_sequence" in q["sql"]]


def test_a_record_deleted_by_someone_else_during_an_import_stops_it(contractor_a, coordinator_a):
    from django.core.exceptions import ValidationError

    from peers.resources import PersonResource

    person = PersonFactory(organisation=contractor_a, code="A-001")
    PersonSupported.objects.filter(pk=person.pk).delete()  # after the import read it
    resource = PersonResource(organisation=contractor_a, user=coordinator_a)
    with pytest.raises(ValidationError, match="ほかの人が記録を削除しました"):
        resource._update_batch([person], batch_size=1000)
