"""Review schedules, ASCOT's quality-of-life domains and reablement's length: plain values.

Reviews: the council reviews a plan within 6 months of it becoming active (or a direct
payment starting: statutory guidance chapter 12, the initial review of direct payments) and
then at least every 12 months (Care and Support Statutory Guidance, chapter 13, 13.32), and
may review at any time when asked or when circumstances change (Care Act 2014 s27(4),
unplanned reviews, chapter 13).

Quality of life: the Adult Social Care Outcomes Toolkit (ASCOT), Personal Social Services
Research Unit, University of Kent, https://www.pssru.ac.uk/ascot/ — the SCT4 self-completion
tool rates each of eight domains at four levels, scored 3 (ideal state), 2 (no needs),
1 (some needs) and 0 (high-level needs).

Reablement: free for up to six weeks (Care and Support (Charging and Assessment of
Resources) Regulations 2014, reg 3(3)(b); statutory guidance 2.61 on intermediate care and
reablement); ASCOF 2B: the proportion of older people still at home 91 days after leaving
hospital into reablement.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

FIRST_REVIEW_MONTHS = 6
REVIEW_EVERY_MONTHS = 12
REABLEMENT_FREE_DAYS = 42  # six weeks
AT_HOME_AFTER_DAYS = 91

# ASCOT's eight domains (SCT4), in the toolkit's order.
ASCOT_DOMAINS = [
    ("control", "Control over daily life"),
    ("personal_care", "Personal cleanliness and comfort"),
    ("food_drink", "Food and drink"),
    ("safety", "Personal safety"),
    ("social", "Social participation and involvement"),
    ("occupation", "Occupation (doing things you value and enjoy)"),
    ("accommodation", "Accommodation cleanliness and comfort"),
    ("dignity", "Dignity"),
]
ASCOT_LABELS = dict(ASCOT_DOMAINS)
# SCT4 levels, best first, with their scores.
ASCOT_LEVELS = [
    (3, "Ideal state: as they would wish"),
    (2, "No needs: adequate"),
    (1, "Some needs"),
    (0, "High-level needs"),
]
ASCOT_LEVEL_LABELS = dict(ASCOT_LEVELS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months on (the month's last day where it is shorter)."""
    return day + relativedelta(months=months)


def first_review_due(started: dt.date) -> dt.date:
    """Within 6 months of a plan becoming active or a direct payment starting."""
    return add_months(started, FIRST_REVIEW_MONTHS)


def next_review_due(completed: dt.date) -> dt.date:
    """At least every 12 months after the last review (guidance 13.32)."""
    return add_months(completed, REVIEW_EVERY_MONTHS)


def ascot_score(ratings: dict) -> int | None:
    """The SCT4 score: the sum of the eight domains' scores (0-24), when all are rated."""
    if any(ratings.get(code) is None for code, _ in ASCOT_DOMAINS):
        return None
    return sum(int(ratings[code]) for code, _ in ASCOT_DOMAINS)


def reablement_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Days of an episode, both ends counted."""
    return (ends_on - starts_on).days + 1


def at_home_check_due(discharged_on: dt.date) -> dt.date:
    return discharged_on + dt.timedelta(days=AT_HOME_AFTER_DAYS)
