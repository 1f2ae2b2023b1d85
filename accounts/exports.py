"""Downloads of every list: CSV (UTF-8 with BOM, or CP932 for older Excel) and .xlsx.

Cells that a spreadsheet would run as a formula are escaped, and a CP932 file never turns a
character into "?" silently: characters Shift_JIS cannot hold are listed to the user first.
Lists of records download through `audited_export`, which writes the one audit event of a download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.audit import audit, audit_list, own_organisation
from accounts.models import AuditAction

# Leading characters that make a spreadsheet treat a cell as a formula (incl. full-width forms).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

FORMAT_CSV = "csv"
FORMAT_CSV_CP932 = "csv_cp932"
FORMAT_XLSX = "xlsx"
FORMATS = (FORMAT_CSV, FORMAT_CSV_CP932, FORMAT_XLSX)
FORMAT_LABELS = {FORMAT_CSV: "CSV", FORMAT_CSV_CP932: "CSV（Shift_JIS）", FORMAT_XLSX: "Excel"}
# Query parameters that say how the file is written, not which rows it holds.
_NOT_CONDITIONS = ("format", "replace", "page")

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
    """One worksheet per (title, header, rows); header bold and frozen, formulas escaped.

    Written in openpyxl's write-only mode: rows go straight to the file instead of being held as cell
    objects, so a prefecture-wide list (60,000 contacts) takes a fraction of the memory and time.
    """
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, label in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(str(label)) * 2 + 2)
        sheet.append([_header_cell(sheet, label) for label in header])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, label) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(label))
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDE5EE")
    return cell


@dataclass(frozen=True)
class _Export:
    response: HttpResponse
    #: A file was handed over (False: the Shift_JIS check page was shown instead).
    delivered: bool
    #: Cells in which characters Shift_JIS cannot hold were knowingly written as "〓".
    replaced: int = 0


def _export(request, *, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence]) -> _Export:
    export_format = request.GET.get("format", FORMAT_CSV)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if export_format == FORMAT_XLSX:
        response = HttpResponse(xlsx_bytes([(filename_stem, header, rows)]), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = _disposition(f"{filename_stem}_{stamp}.xlsx")
        return _Export(response, delivered=True)
    if export_format == FORMAT_CSV_CP932:
        rows = list(rows)
        problems = cp932_problems(header, rows)
        if problems and request.GET.get("replace") != "1":
            params = request.GET.copy()
            params["format"] = FORMAT_CSV
            utf8_url = f"{request.path}?{params.urlencode()}"
            params["format"], params["replace"] = FORMAT_CSV_CP932, "1"
            response = render(
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
            return _Export(response, delivered=False)
        replaced = [[_replace_unencodable(safe_cell(cell)) for cell in row] for row in rows]
        response = HttpResponse(cp932_csv_bytes(header, replaced), content_type="text/csv; charset=cp932")
        response["Content-Disposition"] = _disposition(f"{filename_stem}_{stamp}_SJIS.csv")
        return _Export(response, delivered=True, replaced=len(problems))
    return _Export(csv_response(f"{filename_stem}_{stamp}.csv", header, rows), delivered=True)


def export_response(request, *, filename_stem: str, header: Sequence[str], rows: Iterable[Sequence]):
    """The download a list's export buttons ask for: ?format=csv (default), csv_cp932 or xlsx.

    For CP932, characters that cannot be written are shown first (with their rows) and UTF-8 is
    offered; `?format=csv_cp932&replace=1` then writes them as "〓" knowingly, never silently.
    Not audited: for lists without personal data only; lists of records use `audited_export`.
    """
    return _export(request, filename_stem=filename_stem, header=header, rows=rows).response


def audited_export(
    request, *, model: type[models.Model], filename_stem: str, header: Sequence[str], rows: Iterable[Sequence]
):
    """`export_response`, and the one audit event of it, the same for every list of every program.

    A file handed over is one EXPORT event: object type the model's label, detail the format and the
    list's conditions (the query string without format/replace/page), organisation as for opening the
    list (`own_organisation`). The Shift_JIS check page hands over no file, so it is no export; as it
    shows the cells it cannot write, it is a view of the list when the model holds personal data.
    """
    export = _export(request, filename_stem=filename_stem, header=header, rows=rows)
    user = request.user
    if export.delivered:
        audit(
            user,
            AuditAction.EXPORT,
            object_type=model._meta.label,
            organisation=own_organisation(user),
            detail=_export_detail(request, replaced=export.replaced),
        )
    else:
        audit_list(user, model, detail="Shift_JIS で保存できない文字の確認")
    return export.response


def _export_detail(request, *, replaced: int = 0) -> str:
    """E.g. "CSV（Shift_JIS、2か所を〓に置換） 条件: q=山田&sort=-date", or "Excel 条件: なし"."""
    export_format = request.GET.get("format", FORMAT_CSV)
    label = FORMAT_LABELS.get(export_format, export_format)
    if replaced:  # only a Shift_JIS file replaces characters
        label = f"CSV（Shift_JIS、{replaced}か所を〓に置換）"
    params = request.GET.copy()
    for name in _NOT_CONDITIONS:
        params.pop(name, None)
    return f"{label} 条件: {params.urlencode() or 'なし'}"


def _replace_unencodable(value):
    if not isinstance(value, str):
        return value
    return "".join(ch if _cp932_encodable(ch) else "〓" for ch in value)
