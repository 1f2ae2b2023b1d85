"""The shared import engine on outreach files: header variants, key cells, file-wide errors, grants."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.import_registry import import_kinds
from accounts.imports import read_upload, run_import
from outreach.models import Client, ClientGroupObjectPermission, Contact
from outreach.resources import ClientResource, ContactResource
from tests.outreach.test_imports import CLIENT_HEADER, CONTACT_HEADER, client_row, csv_bytes, do_import


@pytest.fixture
def town(db):
    from accounts.models import Municipality

    return Municipality.objects.order_by("pk").first().name


def test_client_headers_with_full_width_brackets_and_spaces_are_read(worker_a, outreach_worker_a, town):
    header = [
        "ケース番号",
        "氏　名",
        "フリガナ",
        "生年月日",
        "性別",
        "住所の市町村",
        "相談経路",
        "生活困窮者に該当する",
        "（ア）　ひきこもり状態",
        "範囲外でも支援対象とする理由",
    ]
    outcome = do_import(ClientResource, outreach_worker_a, "a.csv", csv_bytes(header, [client_row("2025-0001", town)]))
    assert outcome.errors == []
    assert Client.objects.get().criterion_hikikomori


def test_contact_headers_with_spaces_are_read(client_a, worker_a, outreach_worker_a):
    header = ["ケース 番号", "日　付", "開始時刻 ", "終了時刻", "種別", "本人", "家族", "内容"]
    row = [client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "訪問"]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(header, [row]))
    assert outcome.errors == []
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("日付", "6月頃", "行 2・列「日付」: 日付として読めません"),
        ("開始時刻", "朝", "行 2・列「開始時刻」: 時刻として読めません"),
        ("ケース番号", "9999-0001", "行 2・列「ケース番号」: ケース番号「9999-0001」が見つかりません"),
    ],
)
def test_an_unreadable_key_cell_is_a_row_error_with_its_column(
    client_a, worker_a, outreach_worker_a, column, value, message
):
    row = dict(
        zip(
            CONTACT_HEADER, [client_a.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "訪問"], strict=True
        )
    )
    row[column] = value
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", csv_bytes(CONTACT_HEADER, [list(row.values())]))
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith(message)
    assert not Contact.objects.exists()


def test_a_validation_error_before_the_rows_stops_the_import_in_japanese(worker_a, outreach_worker_a, town):
    class Refusing(ClientResource):
        def before_import(self, dataset, **kwargs):
            super().before_import(dataset, **kwargs)
            raise ValidationError("このファイルは取り込めません。")

    resource = Refusing(organisation=outreach_worker_a.organisation, user=outreach_worker_a)
    dataset = read_upload("a.csv", csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    outcome = run_import(resource, dataset, dry_run=False, required=import_kinds()["clients"].required_columns)
    assert outcome.errors == ["ファイル全体: このファイルは取り込めません。"]
    assert outcome.preview == []
    assert not Client.objects.exists()


def test_records_saved_through_services_are_granted_once(worker_a, outreach_worker_a, town):
    content = csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town), client_row("2025-0002", town)])
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    assert do_import(ClientResource, outreach_worker_a, "a.csv", content).ok
    for client in Client.objects.all():
        assert ClientGroupObjectPermission.objects.filter(content_object=client).count() == 3


def test_command_takes_the_agency_by_name(tmp_path, agency_a, agency_a2, contractor_a, town):
    path = tmp_path / "対象者.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    out = io.StringIO()
    call_command(
        "import_records",
        "clients",
        str(path),
        "--organisation",
        contractor_a.code,
        "--agency",
        agency_a2.name,
        stdout=out,
    )
    assert Client.objects.get().agency == agency_a2
    assert agency_a2.name in out.getvalue()


def test_command_agency_alone_finds_its_contractor(tmp_path, agency_a, agency_a2, contractor_a, town):
    path = tmp_path / "対象者.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    call_command("import_records", "clients", str(path), "--agency", agency_a.name, stdout=io.StringIO())
    assert Client.objects.get().agency == agency_a


def test_command_unknown_agency_or_agency_for_a_peers_kind_fails(tmp_path, agency_a, contractor_a, town):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town)]))
    with pytest.raises(CommandError, match="機関"):
        call_command(
            "import_records", "clients", str(path), "--organisation", contractor_a.code, "--agency", "無い機関"
        )
    with pytest.raises(CommandError, match="--agency"):
        call_command("import_records", "activities", str(path), "--organisation", contractor_a.code, "--agency", "x")


def test_command_exits_non_zero_on_a_row_error(tmp_path, agency_a, contractor_a, town):
    from django.core.management import execute_from_command_line

    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(CLIENT_HEADER, [client_row("2025-0001", town, 生年月日="不明")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "clients", str(path), "--organisation", contractor_a.code, stderr=err)
    assert "行 2・列「生年月日」" in err.getvalue()
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "import_records", "clients", str(path), "--organisation", contractor_a.code]
        )
    assert exit_.value.code != 0


def test_the_client_form_and_the_import_take_the_same_fields():
    from outreach.forms import ClientForm
    from outreach.models import CLIENT_INPUT_FIELDS, CRITERIA

    assert list(ClientForm.base_fields) == list(CLIENT_INPUT_FIELDS)
    imported = {f.attribute for f in ClientResource.fields.values() if f.attribute}
    assert imported == set(CLIENT_INPUT_FIELDS)
    columns = {f.attribute: f.column_name for f in ClientResource.fields.values()}
    assert [columns[field] for field, _label in CRITERIA] == [label for _field, label in CRITERIA]
