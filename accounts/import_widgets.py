"""Cells of an imported file: one cell → one Python value, or a ValueError in Japanese.

Full-width digits and spaces, dates as 2025/4/1, 2025-04-01, R7.4.1, 令和7年4月1日, H31.4.30 or Excel
date cells, times as 9:30 or 13時30分, choices by their Japanese label, related records by a name looked up
only where the importing organisation may look. Used by the resources in `accounts.import_resources`.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from import_export import widgets

from accounts.wareki import parse_date


def normalise_text(value) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full-width), trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class FormulaWithoutValue:
    """An .xlsx cell holding a formula whose result was never saved (written by a program, not Excel)."""

    def __str__(self) -> str:
        return ""


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()
FORMULA_MESSAGE = "数式のセルですが、計算結果が保存されていません。Excel で開いて保存し直してください"


def refuse_formula(value) -> None:
    if isinstance(value, FormulaWithoutValue):
        raise ValueError(FORMULA_MESSAGE)


# --- widgets: one cell → one Python value, with a Japanese error -------------------------------


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return ""
        return str(value).strip()  # str.strip() also removes full-width spaces


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and 20000 < value < 80000:  # an unformatted Excel serial date
            return date(1899, 12, 30) + timedelta(days=int(value))
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValueError("日付として読めません（例: 令和7年4月1日、2025/4/1）") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, float) and 0 <= value < 1:  # Excel time as a fraction of a day
            minutes = round(value * 24 * 60)
            return time(minutes // 60, minutes % 60)
        text = normalise_text(value).replace("時", ":").replace("分", "").replace("：", ":")
        hours, _, minutes = text.partition(":") if ":" in text else (text[:-2] or "0", "", text[-2:])
        try:
            return time(int(hours), int(minutes or 0))
        except ValueError:
            raise ValueError("時刻として読めません（例: 9:30、13:00）") from None

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


def _number_text(value) -> str:
    return normalise_text(value).replace(",", "").replace("円", "").replace("時間", "").replace("人", "")


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return None
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        try:
            return int(Decimal(_number_text(value)))
        except (InvalidOperation, ValueError):
            raise ValueError("整数として読めません（例: 12）") from None


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return None
        try:
            return Decimal(str(value)) if isinstance(value, int | float) else Decimal(_number_text(value))
        except InvalidOperation:
            raise ValueError("数値として読めません（例: 1.5）") from None


class BooleanWidget(widgets.Widget):
    TRUE = {"はい", "○", "◯", "有", "あり", "済", "1", "true", "yes", "y"}
    FALSE = {"いいえ", "×", "無", "なし", "未", "0", "false", "no", "n", "-", "ー"}

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = normalise_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError("「はい」か「いいえ」で入力してください")

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class ChoiceWidget(widgets.Widget):
    """A choice by its Japanese label (as the UI shows it) or by its stored value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.lookup = {}
        for stored, label in self.choices:
            self.lookup[normalise_text(label)] = stored
            self.lookup[normalise_text(stored)] = stored

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return ""
        try:
            return self.lookup[normalise_text(value)]
        except KeyError:
            labels = "、".join(str(label) for _stored, label in self.choices)
            raise ValueError(f"「{value}」は選べません（選べる値: {labels}）") from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value)


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record named by a column (code, name…), looked up only where the resource may look.

    The resource passes the queryset (e.g. the organisation's own supporters), so a file can never
    point at another organisation's record: it is simply "not found".
    """

    def __init__(self, model, field="pk", *, label: str = "", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name
        self.queryset = model._default_manager.none()
        self._cache: dict[str, object] | None = None

    def use_queryset(self, queryset) -> None:
        self.queryset = queryset
        self._cache = None

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset

    def key(self, value) -> str:
        """How a cell and a record's field are compared (subclasses may loosen it, e.g. ignore spaces)."""
        return normalise_text(value)

    def lookup(self) -> dict[str, object]:
        """key → record, built once per import; a key two records share maps to None (ambiguous)."""
        if self._cache is None:
            cache: dict[str, object] = {}
            for obj in self.queryset:
                key = self.key(getattr(obj, self.field))
                cache[key] = None if key in cache else obj
            self._cache = cache
        return self._cache

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if _blank(value):
            return None
        cache = self.lookup()
        key = self.key(value)
        if key not in cache:
            raise ValueError(f"{self.label}「{value}」が見つかりません")
        if cache[key] is None:
            raise ValueError(f"{self.label}「{value}」に当たる記録が複数あります。区別できる値にしてください")
        return cache[key]
