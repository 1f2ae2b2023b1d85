"""Importing the spreadsheets Japanese offices actually send, with django-import-export.

- Files: .xlsx (date cells are dates) or .csv in UTF-8 with or without BOM or CP932 (Shift_JIS from
  Japanese Excel), detected automatically; size and row limits with a clear message.
- Cells: full-width digits and spaces, dates as 2025/4/1, 2025-04-01, R7.4.1, 令和7年4月1日, H31.4.30,
  choices by their Japanese label; headers in Japanese (the UI's labels), in any column order.
- Every import is dry-run first and atomic: one bad row and nothing is written; errors read
  "行 12・列「活動日」: 日付として読めません（例: 令和7年4月1日）" (row numbers as Excel shows them).
- The organisation always comes from the user, never from the file; the same model rules
  (full_clean) and the year lock apply as in the forms.

This module reads the file and runs an import (`read_upload`, `run_import`); the cells are read by the
widgets in `accounts.import_widgets` and the rows written by `accounts.import_resources.TenantResource`,
whose names it re-exports for the programs' resources.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from openpyxl import load_workbook

from accounts.import_resources import TenantResource
from accounts.import_widgets import (
    FORMULA_WITHOUT_VALUE,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    ScopedForeignKeyWidget,
    TextWidget,
    TimeWidget,
    _blank,
    normalise_text,
    refuse_formula,
)

__all__ = [
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "TOO_LARGE",
    "BooleanWidget",
    "ChoiceWidget",
    "DateWidget",
    "DecimalWidget",
    "ImportFileError",
    "ImportOutcome",
    "IntegerWidget",
    "ScopedForeignKeyWidget",
    "TenantResource",
    "TextWidget",
    "TimeWidget",
    "decode_csv",
    "header_key",
    "normalise_text",
    "read_upload",
    "refuse_formula",
    "run_import",
    "use_column_names",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
TOO_LARGE = (
    f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // (1024 * 1024)}MB）。ファイルを分けて取り込んでください。"
)
_XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user, in Japanese."""


def decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存した CSV を選んでください。"
    )


def read_upload(filename: str, content: bytes) -> tablib.Dataset:
    """The table in an uploaded .csv or .xlsx, headers normalised, trailing empty rows dropped."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(TOO_LARGE)
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        if not content.startswith(_XLSX_MAGIC):
            raise ImportFileError("Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。")
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(decode_csv(content))))
    else:
        raise ImportFileError("CSV（.csv）または Excel（.xlsx）のファイルを選んでください。")
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError("ファイルが空です。1行目に見出し、2行目からデータを入れてください。")
    header = [normalise_text(cell) if cell is not None else "" for cell in rows[0]]
    data = rows[1:]
    if not data:
        raise ImportFileError("データの行がありません。2行目からデータを入れてください。")
    if len(data) > MAX_ROWS:
        raise ImportFileError(f"行数が多すぎます（上限 {MAX_ROWS:,} 行）。ファイルを分けて取り込んでください。")
    width = len(header)
    dataset = tablib.Dataset(headers=header)
    for row in data:
        cells = list(row)[:width]
        dataset.append(cells + [""] * (width - len(cells)))
    return dataset


def _xlsx_rows(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportFileError(
            "Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。"
        ) from error
    sheet = workbook["データ"] if "データ" in workbook.sheetnames else workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    title = sheet.title
    workbook.close()
    if _has_formulas(content):
        _mark_formulas_without_values(content, title, rows)
    return rows


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _mark_formulas_without_values(content: bytes, title: str, rows: list[list]) -> None:
    """A formula cell read as empty because no result was saved with it (a file written by a program
    rather than Excel) is marked, so the import says so instead of calling the cell empty."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    for row, formulas in zip(rows, workbook[title].iter_rows(values_only=True), strict=False):
        for index, formula in enumerate(formulas[: len(row)]):
            if row[index] is None and isinstance(formula, str) and formula.startswith("="):
                row[index] = FORMULA_WITHOUT_VALUE
    workbook.close()


@dataclass
class ImportOutcome:
    """What a (dry or real) import did, in words a user reads."""

    total_rows: int
    new: int = 0
    update: int = 0
    unchanged: int = 0  # rows equal to what is stored (bulk kinds): left as they are
    examples: int = 0  # the template's 「（記入例）」 rows: not imported
    errors: list[str] = field(default_factory=list)
    preview: list[tuple[int, str, list]] = field(default_factory=list)  # (row, 新規/更新, values)

    @property
    def ok(self) -> bool:
        return not self.errors


def missing_columns(resource: TenantResource, dataset: tablib.Dataset, required: list[str]) -> list[str]:
    headers = set(dataset.headers or [])
    return [column for column in required if column not in headers]


_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "〈": "(", "〉": ")"})


def header_key(text) -> str:
    """How a file's header is compared with a column name: NFKC (（）→(), ｱ→ア, full-width letters and
    digits), without any spaces (half- or full-width), with 【】［］〔〕 read as ()."""
    return "".join(normalise_text(text).split()).translate(_BRACKETS)


def use_column_names(resource: TenantResource, dataset: tablib.Dataset) -> None:
    """Headers as the resource spells them, whatever variant the file uses: 「区域(保健所)」「区域（保健所）」
    「区域 （保健所）」, 「（ア）　ひきこもり状態」 for 「(ｱ) ひきこもり状態」, 「氏　名」 for 「氏名」."""
    names = {header_key(f.column_name): f.column_name for f in resource.fields.values() if f.column_name}
    if dataset.headers:
        dataset.headers = [names.get(header_key(header), header) for header in dataset.headers]


def run_import(
    resource: TenantResource, dataset: tablib.Dataset, *, dry_run: bool, required: list[str]
) -> ImportOutcome:
    """Import all or nothing. Dry run: roll back and report what would happen."""
    outcome = ImportOutcome(total_rows=len(dataset))
    use_column_names(resource, dataset)
    missing = missing_columns(resource, dataset, required)
    if missing:
        outcome.errors = [f"列「{column}」がありません。テンプレートの見出しを使ってください。" for column in missing]
        return outcome
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    labels = {name: f.column_name for name, f in resource.fields.items()}
    labels.update({f.attribute: f.column_name for f in resource.fields.values() if f.attribute})
    for error in result.base_errors:
        outcome.errors.append(f"ファイル全体: {_file_error(error.error)}")
    for number, row_errors in result.row_errors():
        for error in row_errors:
            outcome.errors.append(f"行 {number + 1}: {_plain(error.error)}")
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            for message in messages:
                if attribute == NON_FIELD_ERRORS:
                    outcome.errors.append(f"行 {invalid.number + 1}: {message}")
                else:
                    outcome.errors.append(
                        f"行 {invalid.number + 1}・列「{labels.get(attribute, attribute)}」: {message}"
                    )
    outcome.errors.sort(key=_row_sort_key)
    outcome.new = result.totals.get("new", 0)
    outcome.update = result.totals.get("update", 0)
    outcome.examples = resource.example_rows
    outcome.unchanged = result.totals.get("skip", 0) - outcome.examples
    headers = list(dataset.headers or [])
    for number, row_result in enumerate(result.rows, start=1):
        if row_result.import_type in ("new", "update"):
            shown = resource.preview_cells.get(number, {})
            values = [shown.get(column, cell) for column, cell in zip(headers, dataset[number - 1], strict=False)]
            outcome.preview.append((number + 1, "新規" if row_result.import_type == "new" else "更新", values))
    return outcome


def _plain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


def _file_error(error: Exception) -> str:
    if isinstance(error, ValidationError | ImportFileError):
        return _plain(error)
    return f"保存中に問題が起きたため、何も保存していません（{error.__class__.__name__}: {error}）。"


def _row_sort_key(message: str) -> tuple[int, str]:
    if message.startswith("行 "):
        digits = message[2:].split("・")[0].split(":")[0]
        if digits.isdigit():
            return int(digits), message
    return 0, message
