"""The imports users can run: each program registers its kinds (in AppConfig.ready)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from accounts.import_resources import EXAMPLE_MARKS
from accounts.imports import TenantResource

EXAMPLE_MARK = EXAMPLE_MARKS[0]


@dataclass(frozen=True)
class ImportKind:
    key: str  # used in URLs and by `manage.py import_records KIND`
    label: str  # 活動記録
    resource_class: type[TenantResource]
    roles: tuple[str, ...]
    list_url_name: str  # where the user lands after a successful import
    stable_key: str  # how a re-import finds the record it updates, in words
    columns: tuple[tuple[str, bool, str, str], ...] = field(default=())  # (column, required, format, example)
    notes: tuple[str, ...] = field(default=())  # extra lines for the template's 説明 sheet (e.g. a row layout)

    @property
    def required_columns(self) -> list[str]:
        return [column for column, required, _format, _example in self.columns if required]


_kinds: dict[str, ImportKind] = {}


def register_import(kind: ImportKind) -> None:
    _kinds[kind.key] = kind


def import_kinds() -> dict[str, ImportKind]:
    return dict(_kinds)


def kinds_for(role: str | None) -> list[ImportKind]:
    return [kind for kind in _kinds.values() if role in kind.roles]


def template_xlsx(kind: ImportKind) -> bytes:
    """The downloadable template: a データ sheet (headers + an example row) and a 説明 sheet."""
    workbook = Workbook()
    data = workbook.active
    data.title = "データ"
    data.append([column for column, *_rest in kind.columns])
    examples = [example for *_rest, example in kind.columns]
    if examples:  # marked, so the template uploaded as it is imports nothing by mistake
        examples[0] = f"{EXAMPLE_MARK}{examples[0]}"
    data.append(examples)
    for cell in data[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EE")
    for index, (column, *_rest) in enumerate(kind.columns, start=1):
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = max(12, len(column) * 2 + 4)
    data.freeze_panes = "A2"
    notes = workbook.create_sheet("説明")
    notes.append([f"{kind.label}の取込テンプレート"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(
        [
            f"「データ」シートの2行目は記入例です。1列目が「{EXAMPLE_MARK}」で始まる行は取り込みません"
            "（消しても残しても構いません）。データは記入例の下の行から入れてください。"
        ]
    )
    notes.append(["CSV で取り込む場合は、1行目に同じ見出しを入れ、UTF-8 または Shift_JIS で保存してください。"])
    notes.append(["日付は 令和7年4月1日、R7.4.1、2025/4/1 のいずれの形でも構いません。全角数字も使えます。"])
    notes.append([f"同じ記録の判定: {kind.stable_key}。同じファイルをもう一度取り込んでも重複しません。"])
    notes.append(["1行でも誤りがあると、ファイル全体が取り込まれません（誤りの行と列を表示します）。"])
    for line in kind.notes:
        notes.append([line])
    notes.append([])
    notes.append(["列", "必須", "入力のしかた", "例"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for column, required, fmt, example in kind.columns:
        notes.append([column, "必須" if required else "任意", fmt, example])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
