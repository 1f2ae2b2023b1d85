import csv
import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from accounts.audit import audit
from accounts.exports import cp932_problems, xlsx_bytes
from accounts.models import AuditAction


def _audit_export(client_for, user, **params):
    return client_for(user).get(reverse("accounts:audit_list"), params)


def test_cp932_export_lists_characters_shift_jis_cannot_hold(client_for, prefecture_user):
    audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", detail="𠮷野 さん")
    response = _audit_export(client_for, prefecture_user, format="csv_cp932")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Shift_JIS（CP932）で保存できない文字があります" in response.text
    assert "𠮷" in response.text
    assert "format=csv" in response.text  # UTF-8 is offered


def test_cp932_export_is_written_when_every_character_fits(client_for, prefecture_user):
    audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", detail="髙橋 ① ㈱")
    response = _audit_export(client_for, prefecture_user, format="csv_cp932", action="view")
    assert response["Content-Type"] == "text/csv; charset=cp932"
    text = response.content.decode("cp932")
    assert "髙橋 ① ㈱" in text
    assert text.startswith("日時,")


def test_cp932_export_replaces_only_when_asked(client_for, prefecture_user):
    audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", detail="𠮷野")
    response = _audit_export(client_for, prefecture_user, format="csv_cp932", replace="1", action="view")
    assert "〓野" in response.content.decode("cp932")


def test_xlsx_export_has_japanese_headers_and_escaped_formulas(client_for, prefecture_user):
    audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", detail='=HYPERLINK("x")')
    response = _audit_export(client_for, prefecture_user, format="xlsx", action="view")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet["A1"].value == "日時"
    details = [row[10] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in details


def test_utf8_csv_has_bom_and_keeps_every_character(client_for, prefecture_user):
    audit(prefecture_user, AuditAction.VIEW, object_type="outreach.Client", detail="𠮷野")
    response = _audit_export(client_for, prefecture_user, format="csv", action="view")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert any("𠮷野" in row for row in rows)


def test_cp932_problems_name_row_and_column():
    problems = cp932_problems(["氏名", "備考"], [["山田", "ok"], ["𠮷田", "ok"]])
    assert [(p.row, p.column, p.characters) for p in problems] == [(3, "氏名", "𠮷")]


def test_xlsx_bytes_makes_one_sheet_per_section():
    content = xlsx_bytes([("概要", ["項目"], [["a"]]), ("月別", ["月"], [["4月"]])])
    assert load_workbook(io.BytesIO(content)).sheetnames == ["概要", "月別"]


def test_xlsx_bytes_bolds_and_freezes_the_header_and_escapes_formulas():
    content = xlsx_bytes([("対応記録", ["日付", "内容"], [[date(2026, 4, 1), "=1+1"], [date(2026, 4, 2), "訪問"]])])
    sheet = load_workbook(io.BytesIO(content))["対応記録"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["日付", "内容"] and sheet["A1"].font.b
    assert [row for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("2026-04-01", "'=1+1"),
        ("2026-04-02", "訪問"),
    ]
    assert sheet.column_dimensions["B"].width == 10
