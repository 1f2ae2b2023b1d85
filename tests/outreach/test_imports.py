"""Outreach imports: real CSV/Excel files through the shared engine, the screens and the command."""

import csv
import io
from datetime import date, datetime, time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.import_registry import EXAMPLE_MARK, import_kinds, template_xlsx
from accounts.imports import normalise_text, read_upload, run_import
from accounts.models import AuditAction, AuditEvent, Municipality, PeriodLock, Program, Role
from outreach.models import Client, ClientStatus, Contact, Outcome, OutcomeKind
from outreach.resources import CLIENT_COLUMNS, CONTACT_COLUMNS, SEVERAL_AGENCIES, ClientResource, ContactResource
from tests.factories import make_user
from tests.outreach.factories import AgencyFactory, WorkerFactory

CLIENT_HEADER = [
    "ケース番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "住所の市町村",
    "相談経路",
    "生活困窮者に該当する",
    "(ｱ) ひきこもり状態",
    "範囲外でも支援対象とする理由",
]
CONTACT_HEADER = ["ケース番号", "日付", "開始時刻", "終了時刻", "種別", "本人", "家族", "内容"]


@pytest.fixture
def town(db):
    return Municipality.objects.order_by("pk").first().name


def client_row(number, town, **overrides):
    row = {
        "ケース番号": number,
        "氏名": "山田 太郎",
        "フリガナ": "ヤマダ タロウ",
        "生年月日": "昭和53年6月1日",
        "性別": "男性",
        "住所の市町村": town,
        "相談経路": "家族",
        "生活困窮者に該当する": "はい",
        "(ｱ) ひきこもり状態": "○",
        "範囲外でも支援対象とする理由": "",
    }
    row.update(overrides)
    return [row.get(column, "") for column in CLIENT_HEADER]


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


def do_import(resource_class, user, filename, content, *, dry_run=False):
    kind = {ClientResource: "clients", ContactResource: "contacts"}[resource_class]
    resource = resource_class(organisation=user.organisation, user=user)
    return run_import(
        resource, read_upload(filename, content), dry_run=dry_run, required=import_kinds()[kind].required_columns
    )


# --- clients ---------------------------------------------------------------------------------


def test_cp932_csv_with_ibm_kanji_and_half_width_kana(worker_a, outreach_worker_a, town):
    content = csv_bytes(
        CLIENT_HEADER,
        [client_row("2025-0001", town, 氏名="髙橋 﨑子", フリガナ="ﾀｶﾊｼ ｻｷｺ"), client_row("2025-0002", town)],
        encoding="cp932",
    )
    outcome = do_import(ClientResource, outreach_worker_a, "対象者.csv", content)
    assert outcome.ok, outcome.errors
    assert (outcome.new, outcome.update) == (2, 0)
    client = Client.objects.get(number="2025-0001")
    assert client.name == "髙橋 﨑子"
    assert client.name_kana == "タカハシ サキコ"
    assert client.agency == worker_a.agency
    assert client.organisation == worker_a.organisation
    assert client.worker == worker_a
    assert client.birth_date == date(1978, 6, 1)
    assert client.in_cohort is True
    assert "タカハシ" in client.search_key


def test_half_width_kana_yamada_is_stored_as_katakana(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, フリガナ="ﾔﾏﾀﾞ ﾀﾛｳ")], encoding="cp932")
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    assert Client.objects.get().name_kana == "ヤマダ タロウ"


def test_xlsx_with_date_cells_full_width_digits_and_heisei(worker_a, outreach_worker_a, town):
    content = xlsx_bytes(
        [*CLIENT_HEADER, "受付日"],
        [
            [*client_row("２０２５－０００３", town, 生年月日=datetime(1980, 1, 2)), datetime(2025, 5, 1)],
            [
                *client_row(
                    "2025-0004", town, 生年月日="平成2年4月1日", 範囲外でも支援対象とする理由="長期のひきこもり"
                ),
                "令和７年５月２日",
            ],
        ],
    )
    outcome = do_import(ClientResource, outreach_worker_a, "対象者.xlsx", content)
    assert outcome.ok, outcome.errors
    first = Client.objects.get(number="2025-0003")
    assert (first.birth_date, first.registered_on) == (date(1980, 1, 2), date(2025, 5, 1))
    second = Client.objects.get(number="2025-0004")
    assert second.birth_date == date(1990, 4, 1)
    assert second.registered_on == date(2025, 5, 2)
    assert second.in_cohort is False


def test_columns_in_any_order(worker_a, outreach_worker_a, town):
    header = list(reversed(CLIENT_HEADER))
    content = csv_bytes(header, [list(reversed(client_row("2025-0001", town)))])
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    assert Client.objects.get().name == "山田 太郎"


def test_reimport_updates_never_duplicates(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)])
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).new == 1
    changed = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, 氏名="山田 一郎")])
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", changed)
    assert (outcome.new, outcome.update) == (0, 1)
    assert Client.objects.get().name == "山田 一郎"
    assert do_import(ClientResource, outreach_worker_a, "a.csv", changed).update == 1
    assert Client.objects.count() == 1


def test_out_of_cohort_needs_a_reason_with_row_and_column(worker_a, outreach_worker_a, town):
    content = csv_bytes(
        CLIENT_HEADER, [client_row("2025-0001", town), client_row("2025-0002", town, 生年月日="平成2年4月1日")]
    )
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", content)
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("行 3・列「範囲外でも支援対象とする理由」: 生年月日が就職氷河期世代の範囲")
    assert Client.objects.count() == 0  # atomic: the good row 2 is not written either


def test_at_least_one_criterion(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, **{"(ｱ) ひきこもり状態": "いいえ"})])
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", content)
    assert outcome.errors == [
        "行 2・列「(ｱ) ひきこもり状態」: (ｱ)〜(ｴ)のいずれかに該当する必要があります（要綱3(2)イ）。"
    ]


def test_exact_cell_errors(worker_a, outreach_worker_a, town):
    content = csv_bytes(
        CLIENT_HEADER, [client_row("2025-0001", town, 生年月日="6月頃", 性別="不明", 住所の市町村="東京都港区")]
    )
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", content)
    assert "行 2・列「生年月日」: 日付として読めません（例: 令和7年4月1日、2025/4/1）" in outcome.errors
    assert "行 2・列「性別」: 「不明」は選べません（選べる値: 男性、女性、その他、回答なし）" in outcome.errors
    assert "行 2・列「住所の市町村」: 市町村「東京都港区」が見つかりません" in outcome.errors


def test_missing_required_column(worker_a, outreach_worker_a, town):
    header = [c for c in CLIENT_HEADER if c != "生年月日"]
    row = [v for c, v in zip(CLIENT_HEADER, client_row("1", town), strict=True) if c != "生年月日"]
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes(header, [row]))
    assert outcome.errors == ["列「生年月日」がありません。テンプレートの見出しを使ってください。"]


def test_blank_case_number_is_refused(worker_a, outreach_worker_a, town):
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes(CLIENT_HEADER, [client_row("", town)]))
    assert outcome.errors[0].startswith("行 2: ケース番号を入力してください")


def test_same_key_twice_in_one_file_is_refused(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town), client_row("2025-0001", town)])
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", content)
    assert outcome.errors == ["行 3: 行 2 と同じ記録です（ケース番号が同じ）。1行にまとめてください。"]
    assert Client.objects.count() == 0


def test_closing_in_the_file_records_the_outcome_through_the_service(worker_a, outreach_worker_a, town):
    header = [*CLIENT_HEADER, "受付日", "状況", "終結日", "終結の理由"]
    content = csv_bytes(header, [[*client_row("2025-0001", town), "R7.4.1", "終結", "R7.9.30", "就労により終結"]])
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    client = Client.objects.get()
    assert client.status == ClientStatus.CLOSED
    assert Outcome.objects.filter(client=client, kind=OutcomeKind.CLOSED, date=date(2025, 9, 30)).exists()


def test_import_audit_and_grants(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)])
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.object_type == "outreach.Client"
    assert "new=1" in event.detail
    assert outreach_worker_a.has_perm("outreach.view_client", Client.objects.get())


def test_dry_run_writes_nothing(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)])
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", content, dry_run=True)
    assert outcome.ok and outcome.new == 1
    assert Client.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


# --- isolation -------------------------------------------------------------------------------


def test_other_agency_and_contractor_numbers_are_not_found(
    worker_a, worker_b, worker_a2, client_a, client_b, outreach_worker_b
):
    content = csv_bytes(
        CONTACT_HEADER,
        [[client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "訪問"]],
    )
    outcome = do_import(ContactResource, outreach_worker_b, "a.csv", content)
    assert outcome.errors == [f"行 2・列「ケース番号」: ケース番号「{client_a.number}」が見つかりません"]
    outcome = do_import(ContactResource, worker_a2.user, "a.csv", content)
    assert outcome.errors == [f"行 2・列「ケース番号」: ケース番号「{client_a.number}」が見つかりません"]
    assert Contact.objects.count() == 0


def test_same_case_number_in_another_contractor_creates_their_own(client_a, worker_b, outreach_worker_b, town):
    content = csv_bytes(CLIENT_HEADER, [client_row(client_a.number, town, 氏名="別人 花子")])
    outcome = do_import(ClientResource, outreach_worker_b, "a.csv", content)
    assert (outcome.new, outcome.update) == (1, 0)
    client_a.refresh_from_db()
    assert client_a.name == "山田 太郎"
    assert Client.objects.get(agency=worker_b.agency).name == "別人 花子"


def test_worker_without_placement_is_refused(outreach_worker_a, agency_a, town):
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes(CLIENT_HEADER, [client_row("1", town)]))
    assert outcome.errors == [
        "ファイル全体: アウトリーチ支援員として機関に配置されていないため、取り込めません。"
        "県の担当者に配置を依頼してください。"
    ]


# --- contacts --------------------------------------------------------------------------------


def test_sunday_holiday_and_after_hours_flags_are_computed(client_a, worker_a, outreach_worker_a):
    rows = [
        [client_a.number, "2025/6/1", "10:00", "11:00", "自宅訪問", "はい", "", "日曜の訪問"],  # Sunday
        [client_a.number, "R7.11.3", "10:00", "11:00", "電話", "", "はい", "文化の日"],
        [client_a.number, "令和7年6月3日", "１８：００", "１９：００", "来所面談", "はい", "", "夜間"],
        [client_a.number, "2025-06-04", "10:00", "11:00", "来所面談", "はい", "", "平日"],
    ]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, rows, "cp932"))
    assert outcome.ok, outcome.errors
    sunday = Contact.objects.get(date=date(2025, 6, 1))
    assert sunday.is_weekend and sunday.is_outside_hours
    assert "土日" in sunday.flag_labels
    holiday = Contact.objects.get(date=date(2025, 11, 3))
    assert holiday.is_holiday and holiday.holiday_name == "文化の日"
    evening = Contact.objects.get(date=date(2025, 6, 3))
    assert evening.is_after_hours and evening.start_time == time(18, 0)
    weekday = Contact.objects.get(date=date(2025, 6, 4))
    assert not weekday.is_outside_hours
    assert weekday.worker == worker_a
    assert weekday.organisation == client_a.organisation


def test_contacts_reimport_updates_by_client_date_start_and_kind(client_a, worker_a, outreach_worker_a):
    row = [client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "訪問"]
    assert do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, [row])).new == 1
    row[3], row[7] = "12:00", "訪問（延長）"
    outcome = do_import(ContactResource, outreach_worker_a, "a.xlsx", xlsx_bytes(CONTACT_HEADER, [row]))
    assert (outcome.new, outcome.update) == (0, 1)
    contact = Contact.objects.get()
    assert (contact.end_time, contact.summary) == (time(12, 0), "訪問（延長）")


def test_contact_rules_are_the_models(client_a, worker_a, outreach_worker_a):
    rows = [
        [client_a.number, "2025/6/2", "10:00", "09:00", "自宅訪問", "はい", "", "逆"],
        [client_a.number, "2025/6/3", "10:00", "11:00", "自宅訪問", "", "", "相手なし"],
        [client_a.number, "2025/6/4", "10:00", "11:00", "散歩", "はい", "", "種別違い"],
    ]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, rows))
    assert outcome.errors == [
        "行 2・列「終了時刻」: 終了時刻は開始時刻より後にしてください。",
        "行 3・列「本人」: 対応した相手（本人・家族・関係機関）を1つ以上選んでください。",
        "行 4・列「種別」: 「散歩」は選べません"
        "（選べる値: 自宅訪問、同行相談、来所面談、電話、メール・手紙、ケース会議、その他）",
    ]
    assert Contact.objects.count() == 0


def test_first_connection_records_the_outcome(client_a, worker_a, outreach_worker_a):
    header = [*CONTACT_HEADER, "本人との初めてのつながり"]
    row = [client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "初めて会えた", "はい"]
    assert do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(header, [row])).ok
    assert Outcome.objects.filter(client=client_a, kind=OutcomeKind.CONNECTED, date=date(2025, 6, 2)).exists()


def test_frozen_year_is_refused(client_a, worker_a, outreach_worker_a, contractor_a):
    PeriodLock.objects.create(organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025)
    row = [client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "訪問"]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, [row]))
    assert outcome.errors == [
        "行 2: 令和7年度の自立相談支援機能強化事業の実績報告書は承認済みのため、"
        "この年度の記録は登録・変更・削除できません。"
        "必要な場合は県の担当者に確定解除を依頼してください。"
    ]
    assert Contact.objects.count() == 0


# --- the screens -----------------------------------------------------------------------------


def test_preview_then_confirm_through_the_views(client_for, worker_a, outreach_worker_a, town):
    web = client_for(outreach_worker_a)
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)], "cp932")
    upload = io.BytesIO(content)
    upload.name = "対象者.csv"
    response = web.post(reverse("accounts:import_upload", args=["clients"]), {"file": upload})
    assert response.status_code == 200
    assert response.context["outcome"].ok
    assert Client.objects.count() == 0
    token = response.context["token"]
    response = web.post(reverse("accounts:import_confirm", args=["clients"]), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:client_list")
    assert Client.objects.get().number == "2025-0001"


def test_preview_shows_errors_and_offers_no_confirm(client_for, worker_a, outreach_worker_a, town):
    web = client_for(outreach_worker_a)
    upload = io.BytesIO(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, 性別="?")]))
    upload.name = "a.csv"
    response = web.post(reverse("accounts:import_upload", args=["clients"]), {"file": upload})
    assert response.context["token"] == ""
    assert "行 2・列「性別」" in response.content.decode()


def test_index_lists_outreach_kinds_and_menu(client_for, worker_a, outreach_worker_a):
    response = client_for(outreach_worker_a).get(reverse("accounts:import_index"))
    assert response.status_code == 200
    keys = {kind.key for kind in response.context["kinds"]}
    assert {"clients", "contacts"} <= keys
    assert "Excel・CSV取込" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["health_centre_user", "prefecture_user"])
def test_other_roles_are_refused(db, client_for, request, user_fixture):
    # `db` in the signature: pytest-django orders tests by their static fixtures, and without it this
    # test could run after the flushing transactional tests (test_backup) and find no health centres.
    web = client_for(request.getfixturevalue(user_fixture))
    assert web.get(reverse("accounts:import_upload", args=["clients"])).status_code == 403
    assert web.get(reverse("accounts:import_template", args=["contacts"])).status_code == 403


def test_lists_link_to_their_import(client_for, worker_a, outreach_worker_a):
    web = client_for(outreach_worker_a)
    for list_name, key in (("outreach:client_list", "clients"), ("outreach:contact_list", "contacts")):
        assert reverse("accounts:import_upload", args=[key]) in web.get(reverse(list_name)).content.decode()


# --- templates and the command ---------------------------------------------------------------


@pytest.mark.parametrize(("key", "columns"), [("clients", CLIENT_COLUMNS), ("contacts", CONTACT_COLUMNS)])
def test_template_has_headers_and_notes(key, columns):
    workbook = load_workbook(io.BytesIO(template_xlsx(import_kinds()[key])))
    assert workbook.sheetnames == ["データ", "説明"]
    assert [cell.value for cell in workbook["データ"][1]] == [column for column, *_ in columns]
    notes = "\n".join(str(row[0].value) for row in workbook["説明"].iter_rows() if row[0].value)
    assert "同じ記録の判定" in notes


def test_required_columns_survive_header_normalisation():
    # read_upload applies NFKC to headers; required columns must be compared as the file shows them.
    for kind in ("clients", "contacts"):
        for column in import_kinds()[kind].required_columns:
            assert normalise_text(column) == column


def _unmarked_template(key, **cells) -> bytes:
    """The template with its example row's 「（記入例）」 mark taken off (and cells changed)."""
    workbook = load_workbook(io.BytesIO(template_xlsx(import_kinds()[key])))
    sheet = workbook["データ"]
    sheet["A2"] = sheet["A2"].value.removeprefix(EXAMPLE_MARK)
    for address, value in cells.items():
        sheet[address] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("key", "resource_class"), [("clients", ClientResource), ("contacts", ContactResource)])
def test_the_template_uploaded_unchanged_imports_nothing(worker_a, outreach_worker_a, key, resource_class):
    outcome = do_import(resource_class, outreach_worker_a, "t.xlsx", template_xlsx(import_kinds()[key]))
    assert (outcome.errors, outcome.new, outcome.update, outcome.examples) == ([], 0, 0, 1)
    assert not Client.objects.exists() and not Contact.objects.exists()


def test_template_example_rows_follow_the_rules(worker_a, outreach_worker_a, town):
    clients = _unmarked_template("clients", G2=town)  # 住所の市町村
    outcome = do_import(ClientResource, outreach_worker_a, "t.xlsx", clients)
    assert (outcome.errors, outcome.new) == ([], 1)
    outcome = do_import(ContactResource, outreach_worker_a, "t.xlsx", _unmarked_template("contacts"))
    assert (outcome.errors, outcome.new) == ([], 1)


def test_empty_required_cells_ask_for_them(client_a, worker_a, outreach_worker_a, town):
    outcome = do_import(
        ClientResource, outreach_worker_a, "a.csv", csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, 氏名="")])
    )
    assert outcome.errors == ["行 2・列「氏名」: 入力してください。"]
    row = [client_a.number, "2025/6/2", "10:00", "", "自宅訪問", "はい", "", ""]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, [row]))
    assert "行 2・列「終了時刻」: 入力してください。" in outcome.errors
    assert "行 2・列「内容」: 入力してください。" in outcome.errors
    assert not any("NULL" in error or "必須" in error for error in outcome.errors)


def test_command_uses_the_only_agency(tmp_path, agency_a, contractor_a, town):
    path = tmp_path / "対象者.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)], "cp932"))
    call_command("import_records", "clients", str(path), "--organisation", contractor_a.code, "--dry-run")
    assert Client.objects.count() == 0
    call_command("import_records", "clients", str(path), "--organisation", contractor_a.code)
    assert Client.objects.get().agency == agency_a


def test_command_refuses_when_several_agencies(tmp_path, agency_a, agency_a2, contractor_a, town):
    path = tmp_path / "対象者.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "clients", str(path), "--organisation", contractor_a.code, stderr=err)
    assert SEVERAL_AGENCIES in err.getvalue()
    assert Client.objects.count() == 0


def test_command_agency_must_be_active(tmp_path, contractor_a, town):
    AgencyFactory(organisation=contractor_a, is_active=False)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    with pytest.raises(CommandError):
        call_command("import_records", "clients", str(path), "--organisation", contractor_a.code, stderr=io.StringIO())


def test_contacts_from_xlsx_with_real_date_and_time_cells(client_a, worker_a, outreach_worker_a):
    row = [client_a.number, datetime(2025, 6, 1), time(7, 30), time(8, 45), "同行相談", "○", "", "早朝の同行"]
    outcome = do_import(ContactResource, outreach_worker_a, "対応.xlsx", xlsx_bytes(CONTACT_HEADER, [row]))
    assert outcome.ok, outcome.errors
    contact = Contact.objects.get()
    assert (contact.date, contact.start_time, contact.end_time) == (date(2025, 6, 1), time(7, 30), time(8, 45))
    assert contact.is_weekend and contact.is_after_hours


def test_worker_column_names_a_worker_of_the_agency_only(worker_a, worker_a2, worker_b, outreach_worker_a, town):
    colleague = WorkerFactory(
        user=make_user(Role.OUTREACH_WORKER, worker_a.organisation, first_name="花子", last_name="鈴木"),
        agency=worker_a.agency,
    )
    header = [*CLIENT_HEADER, "担当支援員"]
    rows = [
        [*client_row("2025-0001", town), "鈴木　花子"],
        [*client_row("2025-0002", town), ""],
    ]
    assert do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes(header, rows)).ok
    assert Client.objects.get(number="2025-0001").worker == colleague
    assert Client.objects.get(number="2025-0002").worker == worker_a  # blank: the importing worker
    other = worker_a2.user.display_name
    outcome = do_import(
        ClientResource, outreach_worker_a, "a.csv", csv_bytes(header, [[*client_row("2025-0003", town), other]])
    )
    assert outcome.errors == [f"行 2・列「担当支援員」: この機関の支援員「{other}」が見つかりません"]
