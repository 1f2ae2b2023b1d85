from datetime import date

import pytest

from accounts.wareki import (
    fiscal_year_label,
    fiscal_year_months,
    fiscal_year_of,
    parse_date,
    to_wareki,
    to_wareki_short,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2025, 4, 1), "令和7年4月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_to_wareki_at_era_boundaries(day, expected):
    assert to_wareki(day) == expected


def test_short_form():
    assert to_wareki_short(date(2025, 4, 1)) == "R7.4.1"
    assert to_wareki_short(date(2019, 4, 30)) == "H31.4.30"


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 4, 1), 2025), (date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2025, 3, 31), 2024)],
)
def test_fiscal_year_starts_on_first_of_april(day, year):
    assert fiscal_year_of(day) == year


@pytest.mark.parametrize(
    ("year", "label"), [(2025, "令和7年度"), (2019, "令和元年度"), (2018, "平成30年度"), (2020, "令和2年度")]
)
def test_fiscal_year_label(year, label):
    assert fiscal_year_label(year) == label


def test_fiscal_year_months_run_april_to_march():
    months = fiscal_year_months(2025)
    assert months[0] == (2025, 4)
    assert months[-1] == (2026, 3)
    assert len(months) == 12


@pytest.mark.parametrize(
    "text",
    [
        "2025/4/1",
        "2025-04-01",
        "R7.4.1",
        "r7.4.1",
        "令和7年4月1日",
        "２０２５/４/１",
        "令和７年４月１日",
        "2025年4月1日",
    ],
)
def test_parse_date_accepts_what_offices_write(text):
    assert parse_date(text) == date(2025, 4, 1)


def test_parse_date_reads_heisei_and_gannen():
    assert parse_date("H31.4.30") == date(2019, 4, 30)
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)


@pytest.mark.parametrize("text", ["H31.5.1", "R1.4.30", "2025/2/30", "令和7年13月1日", "きのう", ""])
def test_parse_date_refuses_impossible_dates_in_japanese(text):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert any(word in str(error.value) for word in ("日付", "存在しない", "和暦"))


def test_aware_datetimes_are_shown_in_japan_time(settings):
    from datetime import UTC, datetime

    # 2025-03-31 16:00 UTC is already 1 April in Tokyo.
    assert to_wareki(datetime(2025, 3, 31, 16, 0, tzinfo=UTC)) == "令和7年4月1日"
