"""Financial years and working days."""

import datetime as dt

from core import dates


def test_the_financial_year_runs_from_april_to_march():
    assert dates.financial_year(dt.date(2027, 3, 31)) == (
        "2026/27",
        dt.date(2026, 4, 1),
        dt.date(2027, 3, 31),
    )
    assert dates.financial_year(dt.date(2027, 4, 1))[0] == "2027/28"


def test_twenty_working_days_skip_weekends_and_bank_holidays():
    # From Monday 14 December 2026: 15-24 Dec are 8, Christmas Day and Monday 28th (for Boxing
    # Day) are holidays, 29-31 Dec make 11, New Year's Day is a holiday, 4-8 Jan make 16, and
    # 11-14 Jan make 20.
    assert dates.add_working_days(dt.date(2026, 12, 14), 20) == dt.date(2027, 1, 14)


def test_weeks_left_count_a_part_week():
    assert dates.weeks_left_in_year(dt.date(2027, 3, 31)) == 1
    assert dates.weeks_left_in_year(dt.date(2027, 3, 25)) == 1
    assert dates.weeks_left_in_year(dt.date(2027, 3, 24)) == 2
