"""Automatic classification of a contact's time (要綱004 3(1)イ: 土日祝日や時間外の相談).

One pure function decides every flag; `Contact.save()` stores its result on the row so lists
and reports filter and count in SQL. The office hours come from settings, passed in by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import jpholiday

#: 年末年始の閉庁日 (12/29–1/3) as (month, day) pairs.
YEAR_END_DAYS = frozenset({(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)})


@dataclass(frozen=True)
class ContactFlags:
    is_weekend: bool
    is_holiday: bool
    holiday_name: str
    is_year_end: bool
    is_after_hours: bool

    @property
    def is_outside_regular_hours(self) -> bool:
        """Any of the four: a contact that improves access beyond office hours."""
        return self.is_weekend or self.is_holiday or self.is_year_end or self.is_after_hours

    def labels(self) -> list[str]:
        names = []
        if self.is_weekend:
            names.append("土日")
        if self.is_holiday:
            names.append("祝日")
        if self.is_year_end:
            names.append("年末年始")
        if self.is_after_hours:
            names.append("時間外")
        return names


def classify_contact(day: date, start: time, end: time | None, *, office_start: time, office_end: time) -> ContactFlags:
    """Weekend, public holiday (incl. 振替休日), year-end closure and after-hours for one contact.

    After hours: starts before `office_start` or ends after `office_end` (a contact 16:00–17:16
    is after hours, 16:00–17:15 is not). Without an end time, the start time alone decides.
    """
    holiday_name = jpholiday.is_holiday_name(day) or ""
    finish = end or start
    return ContactFlags(
        is_weekend=day.weekday() >= 5,
        is_holiday=bool(holiday_name),
        holiday_name=holiday_name,
        is_year_end=(day.month, day.day) in YEAR_END_DAYS,
        is_after_hours=start < office_start or finish > office_end or start > office_end,
    )
