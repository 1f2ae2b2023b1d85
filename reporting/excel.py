"""The report as an Excel workbook: 表紙・概要, one sheet per section, 記述, 経過."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.exports import safe_cell
from accounts.wareki import to_wareki
from reporting.registry import plain

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
_FONT = "IPAexGothic"


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "表"
    name, number = base, 2
    while name in used:
        name, number = f"{base[:26]}_{number}", number + 1
    used.add(name)
    return name


def _table(sheet, headers: list[str], rows: list[list], *, start_row: int = 1, footer: list | None = None) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=column, value=safe_cell(header))
        cell.font, cell.fill, cell.border = Font(name=_FONT, bold=True), _HEADER_FILL, _BORDER
    for offset, row in enumerate([*rows, *([footer] if footer else [])], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=start_row + offset, column=column, value=safe_cell(plain(value)))
            cell.font, cell.border = Font(name=_FONT), _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column == len(headers) else 18
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)


def report_workbook(document: dict) -> bytes:
    report, organisation = document["report"], document["organisation"]
    workbook = Workbook()
    used: set[str] = set()

    cover = workbook.active
    cover.title = _sheet_title("表紙・概要", used)
    _table(
        cover,
        ["項目", "内容"],
        [
            ["報告書", f"{document['year_label']} {document['title']}"],
            ["宛先", "埼玉県知事 様"],
            ["受託事業者", organisation.name],
            ["所在地", organisation.address],
            ["代表者", organisation.representative],
            ["事業名", report.get_program_display()],
            [
                "年度",
                f"{document['year_label']}（{to_wareki(document['period_start'])}～{to_wareki(document['period_end'])}）",
            ],
            ["状態", report.get_status_display()],
            ["提出日", to_wareki(timezone.localtime(report.submitted_at)) if report.submitted_at else "未提出"],
            ["承認日", to_wareki(timezone.localtime(report.approved_at)) if report.approved_at else ""],
        ],
    )

    for section in document["sections"]:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        _table(sheet, section.headers, section.rows, footer=section.footer)

    texts = workbook.create_sheet(_sheet_title("成果・効果・課題", used))
    _table(texts, ["項目", "記述"], [[label, text] for _name, label, text in document["texts"]])
    texts.column_dimensions["B"].width = 80

    history = workbook.create_sheet(_sheet_title("経過", used))
    _table(
        history,
        ["日時", "内容", "担当者", "コメント"],
        [
            [
                timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M"),
                step.action_label,
                step.by.display_name if step.by else "システム",
                step.comment,
            ]
            for step in document["transitions"]
        ],
    )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
