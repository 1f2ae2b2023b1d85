from datetime import date, time

import pytest

from outreach.classification import classify_contact

OFFICE = {"office_start": time(8, 30), "office_end": time(17, 15)}
WEDNESDAY = date(2025, 6, 11)


def flags(day=WEDNESDAY, start=time(10, 0), end=time(11, 0)):
    return classify_contact(day, start, end, **OFFICE)


def test_a_weekday_in_office_hours_has_no_flag():
    result = flags()
    assert not result.is_outside_regular_hours
    assert result.labels() == []


@pytest.mark.parametrize("day", [date(2025, 6, 14), date(2025, 6, 15)], ids=["saturday", "sunday"])
def test_saturday_and_sunday_are_weekend(day):
    result = flags(day)
    assert result.is_weekend
    assert not result.is_holiday
    assert result.is_outside_regular_hours


@pytest.mark.parametrize("day", [date(2025, 5, 6), date(2024, 2, 12)])
def test_substitute_holiday_is_a_holiday(day):
    result = flags(day)
    assert result.is_holiday
    assert "振替休日" in result.holiday_name
    assert not result.is_weekend


def test_a_national_holiday_on_a_weekday_is_a_holiday():
    assert flags(date(2025, 11, 3)).holiday_name == "文化の日"


@pytest.mark.parametrize("day", [date(2025, 12, 29), date(2025, 12, 31), date(2026, 1, 3)])
def test_year_end_closure_runs_from_12_29_to_1_3(day):
    assert flags(day).is_year_end


@pytest.mark.parametrize("day", [date(2025, 12, 26), date(2026, 1, 5), date(2025, 12, 28)])
def test_days_around_the_closure_are_not_year_end(day):
    assert not flags(day).is_year_end


def test_1_4_is_not_year_end():
    assert not flags(date(2027, 1, 4)).is_year_end  # a Monday


@pytest.mark.parametrize(
    ("start", "end", "after_hours"),
    [
        (time(17, 14), time(17, 15), False),
        (time(17, 16), time(17, 40), True),
        (time(16, 0), time(17, 15), False),
        (time(16, 0), time(17, 16), True),
        (time(8, 29), time(9, 0), True),
        (time(8, 30), time(9, 0), False),
        (time(19, 0), time(20, 0), True),
    ],
    ids=["17:14-start", "17:16-start", "ends-17:15", "spans-17:15", "08:29-start", "08:30-start", "evening"],
)
def test_after_hours_at_its_edges(start, end, after_hours):
    assert flags(start=start, end=end).is_after_hours is after_hours


def test_office_hours_come_from_the_caller():
    result = classify_contact(WEDNESDAY, time(9, 0), time(10, 0), office_start=time(9, 30), office_end=time(18, 0))
    assert result.is_after_hours


def test_a_holiday_on_a_sunday_is_both(db):
    result = flags(date(2025, 2, 23))  # 天皇誕生日, a Sunday
    assert result.is_weekend and result.is_holiday
