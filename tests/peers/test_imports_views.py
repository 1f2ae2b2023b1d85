"""The peers imports through the real screens (upload → preview → confirm), the template and the command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from peers.models import Activity, ActivitySupporter, PeerSupporter
from tests.peers.test_imports import ACTIVITY_HEADER, activity_row, csv_bytes


def _upload(client, kind, filename, content):
    return client.post(reverse("accounts:import_upload", args=[kind]), {"file": SimpleUploadedFile(filename, content)})


def test_preview_then_confirm_writes_once(client_for, coordinator_a, contract_a, coordinator_record_a, supporter_a):
    client = client_for(coordinator_a)
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)], encoding="cp932")
    preview = _upload(client, "activities", "活動記録.csv", content)
    assert preview.status_code == 200
    assert "新規 <strong>1</strong> 件" in preview.text
    assert not Activity.objects.exists()  # the preview is a dry run
    token = preview.context["token"]
    done = client.post(reverse("accounts:import_confirm", args=["activities"]), {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("peers:activity_list")
    assert Activity.objects.get().organisation == coordinator_a.organisation
    assert ActivitySupporter.objects.get().supporter == supporter_a
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_type="peers.Activity").count() == 1
    again = client.post(reverse("accounts:import_confirm", args=["activities"]), {"token": token})
    assert again.status_code == 302 and Activity.objects.count() == 1  # a token is used once


def test_preview_shows_row_errors_and_offers_no_confirm(client_for, coordinator_a, contract_a, coordinator_record_a):
    rows = [activity_row(coordinator_record_a, None), activity_row(coordinator_record_a, None, day="いつか")]
    preview = _upload(client_for(coordinator_a), "activities", "a.csv", csv_bytes(ACTIVITY_HEADER, rows))
    assert "行 3・列「活動日」: 日付として読めません" in preview.text
    assert "何も保存していません" in preview.text
    assert preview.context["token"] == ""


def test_b_imports_into_b_even_naming_a(client_for, coordinator_b, contract_a, contract_b, supporter_a, supporter_b):
    from tests.peers.factories import CoordinatorFactory

    coordinator_record_b = CoordinatorFactory(organisation=contract_b.organisation, name="別 調整")
    client = client_for(coordinator_b)
    named_a = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_b, supporter_a)])
    preview = _upload(client, "activities", "a.csv", named_a)
    assert "ピアサポーター「仲間 一郎」が見つかりません" in preview.text
    header = ["受託事業者", "氏名", "フリガナ", "活動開始日"]
    content = csv_bytes(header, [["社会福祉法人Ａ会", "新人 三郎", "シンジン サブロウ", "2026/4/1"]])
    token = _upload(client, "supporters", "s.csv", content).context["token"]
    client.post(reverse("accounts:import_confirm", args=["supporters"]), {"token": token})
    assert PeerSupporter.objects.get(name="新人 三郎").organisation == contract_b.organisation


def test_import_is_for_coordinators(client_for, prefecture_user, coordinator_a):
    assert client_for(prefecture_user).get(reverse("accounts:import_upload", args=["activities"])).status_code == 403
    index = client_for(coordinator_a).get(reverse("accounts:import_index"))
    assert [kind.key for kind in index.context["kinds"]][:4] == ["supporters", "people", "activities", "expenditures"]


def test_template_has_the_headers_and_an_explanation(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("accounts:import_template", args=["activities"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["データ", "説明"]
    header = [cell.value for cell in workbook["データ"][1]]
    assert header[:5] == ["活動日", "開始時刻", "終了時刻", "種別", "区域（保健所）"]
    assert {"ピアサポーター1", "時間1", "謝金1", "ピアサポーター5", "謝金5"} <= set(header)
    notes = " ".join(str(cell.value) for row in workbook["説明"].iter_rows() for cell in row if cell.value)
    assert "活動日・開始時刻・種別・区域・病院が同じなら同じ活動" in notes
    assert "ピアサポーター2・時間2・謝金2" in notes
    assert "有効な誓約書が必要です" in notes


# --- manage.py import_records ------------------------------------------------------------------


@pytest.fixture
def activity_file(tmp_path, coordinator_record_a, supporter_a):
    path = tmp_path / "活動記録.csv"
    path.write_bytes(csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)], "cp932"))
    return path


def test_command_imports(contract_a, activity_file, capsys):
    call_command("import_records", "activities", str(activity_file), organisation="contractor-a")
    assert "新規 1 件" in capsys.readouterr().out
    assert Activity.objects.get().organisation == contract_a.organisation


def test_command_dry_run_writes_nothing(contract_a, activity_file, capsys):
    call_command("import_records", "activities", str(activity_file), organisation="contractor-a", dry_run=True)
    assert "確認のみ" in capsys.readouterr().out
    assert not Activity.objects.exists()


def test_command_errors_exit_non_zero(contract_a, tmp_path, coordinator_record_a, capsys):
    from tests.peers.factories import SupporterFactory

    no_pledge = SupporterFactory(organisation=contract_a.organisation, name="誓約 未了", name_kana="セイヤク")
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, no_pledge)]))
    with pytest.raises(CommandError, match="誤りが 1 件"):
        call_command("import_records", "activities", str(path), organisation="contractor-a")
    assert "ピアサポーター「誓約 未了」は活動日（令和8年11月2日）に有効な誓約書がない" in capsys.readouterr().err
    assert not Activity.objects.exists()


@pytest.mark.parametrize("kind", ["supporters", "activities", "people", "expenditures"])
def test_command_writes_every_template(kind, tmp_path, db):
    out = tmp_path / f"{kind}.xlsx"
    call_command("import_records", kind, template=str(out))
    assert load_workbook(out).sheetnames == ["データ", "説明"]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client_for, coordinator_a, contract_a, monkeypatch):
    from accounts import import_views

    monkeypatch.setattr(import_views, "MAX_UPLOAD_BYTES", 10)
    monkeypatch.setattr(import_views, "read_upload", lambda *args: pytest.fail("the file was read"))
    response = _upload(client_for(coordinator_a), "activities", "a.csv", b"x" * 11)
    assert response.status_code == 200
    assert "ファイルが大きすぎます（上限 5MB）" in response.text


def test_preview_of_the_same_file_again_says_nothing_changes(
    client_for, coordinator_a, contract_a, coordinator_record_a, supporter_a
):
    client = client_for(coordinator_a)
    content = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a)])
    token = _upload(client, "activities", "a.csv", content).context["token"]
    client.post(reverse("accounts:import_confirm", args=["activities"]), {"token": token})
    preview = _upload(client, "activities", "a.csv", content)
    assert "新規 <strong>0</strong> 件、更新 <strong>0</strong> 件" in preview.text
    assert "登録済みと同じ内容の 1 件は変更しません" in preview.text
    token = preview.context["token"]
    done = client.post(reverse("accounts:import_confirm", args=["activities"]), {"token": token}, follow=True)
    assert "新規 0 件、更新 0 件、変更なし 1 件" in done.text
    assert Activity.objects.get().history.count() == 1


def test_the_template_uploaded_unchanged_says_its_example_row_is_not_imported(client_for, coordinator_a, contract_a):
    client = client_for(coordinator_a)
    template = client.get(reverse("accounts:import_template", args=["supporters"])).content
    preview = _upload(client, "supporters", "template.xlsx", template)
    assert "新規 <strong>0</strong> 件" in preview.text
    assert "記入例の行は取り込みません" in preview.text


def test_the_preview_shows_an_update_as_old_and_new(client_for, coordinator_a, contract_a):
    client = client_for(coordinator_a)
    header = ["氏名", "フリガナ", "活動開始日", "備考"]
    token = _upload(client, "supporters", "s.csv", csv_bytes(header, [["仲間 一郎", "ナカマ", "R8.4.1", "a"]]))
    assert "令和8年4月1日" in token.text  # the date as read, not as typed
    client.post(reverse("accounts:import_confirm", args=["supporters"]), {"token": token.context["token"]})
    preview = _upload(client, "supporters", "s.csv", csv_bytes(header, [["仲間 一郎", "ナカマ", "R8.4.1", "b"]]))
    assert "a → b" in preview.text


@pytest.mark.parametrize("name", ["nonexist.csv", ""])
def test_command_says_in_japanese_when_the_file_cannot_be_read(name, tmp_path, contractor_a):
    path = tmp_path / name
    expected = "が見つかりません" if name else "はフォルダです"
    with pytest.raises(CommandError, match=expected):
        call_command("import_records", "activities", str(path), organisation=contractor_a.code)
