"""和暦 (Japanese era) dates and 年度 (fiscal years), in one place.

Dates are stored as ISO dates; these helpers only format and parse. An era's first
year is written 元年 (令和元年5月1日), as official documents do.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.utils import timezone

# (era name, short letter, first day) newest first.
ERAS: tuple[tuple[str, str, date], ...] = (
    ("令和", "R", date(2019, 5, 1)),
    ("平成", "H", date(1989, 1, 8)),
    ("昭和", "S", date(1926, 12, 25)),
    ("大正", "T", date(1912, 7, 30)),
    ("明治", "M", date(1868, 1, 25)),
)
_ERA_BY_KEY = {key: first for name, letter, first in ERAS for key in (name, letter)}


def era_of(day: date) -> tuple[str, int]:
    """Era name and year number for a date: 2019-05-01 → ("令和", 1)."""
    for name, _letter, first_day in ERAS:
        if day >= first_day:
            return name, day.year - first_day.year + 1
    raise ValueError(f"{day} is before the Meiji era")


def _year_text(number: int) -> str:
    return "元" if number == 1 else str(number)


def to_wareki(day: date | datetime | None) -> str:
    """2025-04-01 → 令和7年4月1日; 2019-05-01 → 令和元年5月1日."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    name, number = era_of(day)
    return f"{name}{_year_text(number)}年{day.month}月{day.day}日"


def to_wareki_short(day: date | None) -> str:
    """2025-04-01 → R7.4.1 (for dense tables)."""
    if day is None:
        return ""
    name, number = era_of(day)
    letter = next(letter for era, letter, _first in ERAS if era == name)
    return f"{letter}{number}.{day.month}.{day.day}"


def fiscal_year_of(day: date) -> int:
    """年度 as its starting calendar year: 2026-03-31 → 2025, 2026-04-01 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(year: int) -> str:
    """2025 → 令和7年度; 2019 → 令和元年度 (the government's name for FY2019); 2018 → 平成30年度."""
    if year >= 2019:
        return f"令和{_year_text(year - 2018)}年度"
    if year >= 1989:
        return f"平成{_year_text(year - 1988)}年度"
    return f"昭和{year - 1925}年度"


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_months(year: int) -> list[tuple[int, int]]:
    """(year, month) pairs of a 年度, April first: the column order of every monthly table."""
    return [(year, month) for month in range(4, 13)] + [(year + 1, month) for month in range(1, 4)]


#: Calendar month → its column in a 年度's monthly table (4月 → 0 … 3月 → 11), the same in every 年度.
FISCAL_MONTH_POSITION = {month: (month - 4) % 12 for month in range(1, 13)}


_WAREKI_PATTERN = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,2})\s*[年.\-/]\s*(?P<month>\d{1,2})\s*"
    r"[月.\-/]\s*(?P<day>\d{1,2})\s*日?$",
    re.IGNORECASE,
)
_WESTERN_PATTERN = re.compile(r"^(?P<year>\d{4})\s*[年.\-/]\s*(?P<month>\d{1,2})\s*[月.\-/]\s*(?P<day>\d{1,2})\s*日?$")


def parse_date(text: str) -> date:
    """Read a date as Japanese offices write it.

    Accepts 2025/4/1, 2025-04-01, 2025年4月1日, R7.4.1, 令和7年4月1日, H31.4.30, 令和元年5月1日,
    in full-width or half-width digits. Raises ValueError (with a Japanese message) otherwise,
    and also for a date that does not exist in the era named (H31.5.1, R1.4.30).
    """
    normalised = unicodedata.normalize("NFKC", str(text)).strip()
    match = _WESTERN_PATTERN.match(normalised)
    if match:
        return _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    match = _WAREKI_PATTERN.match(normalised)
    if not match:
        raise ValueError("日付として読めません（例: 令和7年4月1日、2025/4/1）")
    era_key = match["era"].upper() if len(match["era"]) == 1 else match["era"]
    first_day = _ERA_BY_KEY[era_key]
    era_year = 1 if match["year"] == "元" else int(match["year"])
    if era_year < 1:
        raise ValueError("和暦の年が正しくありません")
    day = _make_date(first_day.year + era_year - 1, int(match["month"]), int(match["day"]))
    if day < first_day or _era_name_for(day) != _era_name_for(first_day):
        raise ValueError(f"{match['era']}{match['year']}年{match['month']}月{match['day']}日は存在しない日付です")
    return day


def _era_name_for(day: date) -> str:
    return era_of(day)[0]


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError("存在しない日付です") from exc
