import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.imports import (
    MAX_UPLOAD_BYTES,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    ImportFileError,
    IntegerWidget,
    TextWidget,
    TimeWidget,
    read_upload,
)

CSV_TEXT = "活動日,参加者数\r\n令和7年4月1日,１２\r\n2025/4/2,3\r\n"


def _xlsx(rows, sheet_title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [CSV_TEXT.encode("cp932"), CSV_TEXT.encode("utf-8"), b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8")],
    ids=["cp932", "utf8", "utf8-bom"],
)
def test_csv_encodings_are_detected(content):
    dataset = read_upload("活動.csv", content)
    assert dataset.headers == ["活動日", "参加者数"]
    assert dataset[0] == ("令和7年4月1日", "１２")


def test_cp932_characters_shift_jis_lacks_are_read():
    dataset = read_upload("a.csv", "氏名\r\n髙橋①㈱﨑\r\n".encode("cp932"))
    assert dataset[0][0] == "髙橋①㈱﨑"


def test_xlsx_date_cells_come_through_as_dates():
    dataset = read_upload("a.xlsx", _xlsx([["活動日", "開始"], [datetime(2025, 4, 1), time(9, 30)]]))
    assert DateWidget().clean(dataset[0][0]) == date(2025, 4, 1)
    assert TimeWidget().clean(dataset[0][1]) == time(9, 30)


def test_xlsx_prefers_a_sheet_named_data():
    content = _xlsx([["活動日"], ["2025/4/1"]], sheet_title="データ")
    assert read_upload("a.xlsx", content).headers == ["活動日"]


def test_headers_are_normalised_from_full_width():
    dataset = read_upload("a.csv", "　活動日　,ＩＤ\r\n1,2\r\n".encode())
    assert dataset.headers == ["活動日", "ID"]


def test_trailing_blank_rows_are_ignored():
    dataset = read_upload("a.csv", "活動日\r\n2025/4/1\r\n,\r\n\r\n".encode())
    assert len(dataset) == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("a.txt", b"x", "CSV（.csv）または Excel（.xlsx）"),
        ("a.xlsx", b"not a zip", "Excel（.xlsx）ファイルとして読めません"),
        ("a.csv", b"\xff\xfe\x00\x81\xff", "文字コードを判別できません"),
        ("a.csv", "活動日\r\n".encode(), "データの行がありません"),
        ("a.csv", b"", "ファイルが空です"),
        ("a.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "ファイルが大きすぎます"),
    ],
)
def test_unreadable_files_are_refused_in_japanese(filename, content, message):
    with pytest.raises(ImportFileError) as error:
        read_upload(filename, content)
    assert message in str(error.value)


def test_too_many_rows_are_refused(monkeypatch):
    from accounts import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="行数が多すぎます"):
        read_upload("a.csv", b"a\r\n1\r\n2\r\n3\r\n")


@pytest.mark.parametrize(
    "value", ["2025/4/1", "2025-04-01", "R7.4.1", "令和7年4月1日", "２０２５／４／１", 45748, datetime(2025, 4, 1)]
)
def test_date_widget_reads_every_office_form(value):
    assert DateWidget().clean(value) == date(2025, 4, 1)


def test_date_widget_error_is_japanese_with_an_example():
    with pytest.raises(ValueError, match="日付として読めません（例: 令和7年4月1日"):
        DateWidget().clean("4月頃")


@pytest.mark.parametrize("value", ["9:30", "09:30", "９：３０", "9時30分", "0930", 0.3958333333])
def test_time_widget(value):
    assert TimeWidget().clean(value) == time(9, 30)


def test_numbers_accept_full_width_and_units():
    assert IntegerWidget().clean("１２") == 12
    assert IntegerWidget().clean("1,200円") == 1200
    assert DecimalWidget().clean("１．５時間") == Decimal("1.5")
    with pytest.raises(ValueError, match="整数として読めません"):
        IntegerWidget().clean("十二")


def test_choice_widget_accepts_label_or_value_and_lists_choices():
    widget = ChoiceWidget([("group", "院内グループワーク"), ("visit", "個別訪問")])
    assert widget.clean("院内グループワーク") == "group"
    assert widget.clean("visit") == "visit"
    with pytest.raises(ValueError, match="選べる値: 院内グループワーク、個別訪問"):
        widget.clean("散歩")


def test_boolean_and_text_widgets():
    assert BooleanWidget().clean("○") is True
    assert BooleanWidget().clean("いいえ") is False
    assert TextWidget().clean("\u3000山田\u3000太郎\u3000") == "山田\u3000太郎"
