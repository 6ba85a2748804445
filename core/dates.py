"""Dates councils work in: financial years and working days. No Django imports."""

import datetime as dt

# Bank holidays in England and Wales (GOV.UK's list; the council adds years as they are
# announced). Response-by dates count working days: weekdays that are not bank holidays.
BANK_HOLIDAYS_ENGLAND = frozenset(
    dt.date.fromisoformat(day)
    for day in [
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
        "2028-01-03",
        "2028-04-14",
        "2028-04-17",
        "2028-05-01",
        "2028-05-29",
        "2028-08-28",
        "2028-12-25",
        "2028-12-26",
    ]
)


def financial_year(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The council's financial year holding a date: ("2026/27", 1 April 2026, 31 March 2027)."""
    start_year = day.year if day.month >= 4 else day.year - 1
    label = f"{start_year}/{(start_year + 1) % 100:02d}"
    return label, dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS_ENGLAND


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def weeks_left_in_year(day: dt.date) -> int:
    """Whole or part weeks from a date to the end of its financial year, at least one."""
    _label, _start, end = financial_year(day)
    return max(1, -(-((end - day).days + 1) // 7))
