"""Downloads of every list: CSV (UTF-8 with BOM, or CP932 for older Excel) and .xlsx.

Cells that a spreadsheet would run as a formula are escaped, and a CP932 file never turns a
character into "?" silently: characters Shift_JIS cannot hold are listed to the user first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

# Leading characters that make a spreadsheet treat a cell as a formula (incl. full-width forms).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

FORMAT_CSV = "csv"
FORMAT_CSV_CP932 = "csv_cp932"
FORMAT_XLSX = "xlsx"
FORMATS = (FORMAT_CSV, FORMAT_CSV_CP932, FORMAT_XLSX)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wants_export(request) -> bool:
    """A list URL with ?format=csv|csv_cp932|xlsx is the download of that list."""
    return request.GET.get("format") in FORMATS


def safe_cell(value) -> str | int | float:
    """Text as-is unless a spreadsheet would run it: then prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _disposition(filename: str) -> str:
    ascii_fallback = "export" + filename[filename.rfind(".") :]
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Stream a UTF-8 (with BOM) CSV; Excel in Japanese Windows opens it without garbling."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse((line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


@dataclass(frozen=True)
class EncodingProblem:
    row: int  # spreadsheet row number (the header is row 1)
    column: str
    characters: str
    value: str


def cp932_problems(header: Sequence[str], rows: Sequence[Sequence]) -> list[EncodingProblem]:
    """Cells with characters Shift_JIS (CP932) cannot hold, such as 𠮷 or some 異体字."""
    problems = []
    for number, row in enumerate([header, *rows], start=1):
        for column, cell in zip(header, row, strict=False):
            text = str(safe_cell(cell))
            bad = "".join(dict.fromkeys(ch for ch in text if not _cp932_encodable(ch)))
            if bad:
                problems.append(EncodingProblem(number, column, bad, text))
    return problems


def _cp932_encodable(character: str) -> bool:
    try:
        character.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def cp932_csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("cp932")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One worksheet per (title, header, rows); header bold and frozen, formulas escaped."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE5EE")
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        sheet.freeze_panes = "A2"
        for index, label in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                10, len(str(label)) * 2 + 2
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(request, *, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence]):
    """The download a list's export buttons ask for: ?format=csv (default), csv_cp932 or xlsx.

    For CP932, characters that cannot be written are shown first (with their rows) and UTF-8 is
    offered; `?format=csv_cp932&replace=1` then writes them as "〓" knowingly, never silently.
    """
    export_format = request.GET.get("format", FORMAT_CSV)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if export_format == FORMAT_XLSX:
        response = HttpResponse(xlsx_bytes([(filename_stem, header, rows)]), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = _disposition(f"{filename_stem}_{stamp}.xlsx")
        return response
    if export_format == FORMAT_CSV_CP932:
        rows = list(rows)
        problems = cp932_problems(header, rows)
        if problems and request.GET.get("replace") != "1":
            params = request.GET.copy()
            params["format"] = FORMAT_CSV
            utf8_url = f"{request.path}?{params.urlencode()}"
            params["format"], params["replace"] = FORMAT_CSV_CP932, "1"
            return render(
                request,
                "partials/export_cp932_problems.html",
                {
                    "problems": problems[:200],
                    "problem_count": len(problems),
                    "utf8_url": utf8_url,
                    "replace_url": f"{request.path}?{params.urlencode()}",
                    "filename_stem": filename_stem,
                },
                status=200,
            )
        replaced = [[_replace_unencodable(safe_cell(cell)) for cell in row] for row in rows]
        response = HttpResponse(cp932_csv_bytes(header, replaced), content_type="text/csv; charset=cp932")
        response["Content-Disposition"] = _disposition(f"{filename_stem}_{stamp}_SJIS.csv")
        return response
    return csv_response(f"{filename_stem}_{stamp}.csv", header, rows)


def _replace_unencodable(value):
    if not isinstance(value, str):
        return value
    return "".join(ch if _cp932_encodable(ch) else "〓" for ch in value)
