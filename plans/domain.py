"""Support plan arithmetic and code lists: what a plan line costs, and in which words. No Django.

A plan line buys `units` of something at `unit_cost` pence each, at a `frequency` (weekly,
fortnightly, four-weekly, monthly, quarterly, yearly, or one-off). How its cost is worked
out, and rounded (every rounding is half up, to the penny, once at each step people see):

1. The cost each time: units × unit cost, rounded to the penny. 10.5 hours at £28.00 is
   £294.00; 4.5 hours at £26.67 is £120.015, so £120.02. This is what is paid each time.
2. The cost a week of a line that is not weekly: the cost each time × how many times a year
   ÷ 52, rounded to the penny: £120.00 a month × 12 ÷ 52 = £27.69 a week. A weekly budget is
   52 weeks a year (core.money.WEEKS_PER_YEAR), so a year is 52 of these weeks.
3. The cost a year: the cost each time × how many times a year, exactly (no rounding).
4. A one-off line (equipment, say) has no weekly cost: it is shown apart, with its own
   total, and never averaged into the weekly amount.

A plan's weekly total is the sum of its lines' weekly costs (each already rounded, so the
lines shown add up to the total shown, to the penny). Against a yearly budget the plan's
cost is the sum of its lines' yearly costs plus its one-off costs: periods are converted
explicitly, never compared across.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from core.money import WEEKS_PER_YEAR, format_pence

# --- Frequencies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    code: str
    label: str
    per_year: int | None  # None: one-off
    words: str  # "a month": how often, after an amount

    @property
    def one_off(self) -> bool:
        return self.per_year is None


FREQUENCIES = (
    Frequency("weekly", "Every week", 52, "a week"),
    Frequency("fortnightly", "Every 2 weeks", 26, "a fortnight"),
    Frequency("four_weekly", "Every 4 weeks", 13, "every 4 weeks"),
    Frequency("monthly", "Every month", 12, "a month"),
    Frequency("quarterly", "Every 3 months", 4, "a quarter"),
    Frequency("yearly", "Every year", 1, "a year"),
    Frequency("one_off", "Once only", None, "once"),
)
FREQUENCY = {f.code: f for f in FREQUENCIES}

# --- Service types: the Client Level Data (CLD) "Service Type" defined list ------------------
# NHS England's Adult Social Care Client Level Data specification; the same list the
# SALT and ASCOF derivations read (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-
# transformations). Our codes are short slugs; the labels are the list's own words, so a
# national return needs no mapping.

SERVICE_TYPES = (
    ("lts_nursing", "Long Term Support: Nursing Care"),
    ("lts_residential", "Long Term Support: Residential Care"),
    ("lts_community", "Long Term Support: Community"),
    ("lts_prison", "Long Term Support: Prison"),
    ("sts_st_max", "Short Term Support: ST-Max"),
    ("sts_ongoing_low_level", "Short Term Support: Ongoing Low Level"),
    ("sts_other_short_term", "Short Term Support: Other Short Term"),
    ("carer_direct", "Unpaid Carer Support: Direct to Unpaid Carer"),
    ("carer_cared_for", "Unpaid Carer Support: Support involving the person cared-for"),
)
SERVICE_TYPE = dict(SERVICE_TYPES)

# --- Line types -------------------------------------------------------------------------------
# Most lines are ongoing care and support; four kinds have rules of their own.

LINE_TYPES = (
    ("care", "Care and support"),
    ("reablement", "Reablement"),
    ("telecare", "Telecare"),
    ("equipment", "Equipment"),
    ("replacement_care", "Replacement care, to give a carer a break"),
)
LINE_TYPE = dict(LINE_TYPES)
# The CLD service type each line type must be reported as, where the list fixes it:
# reablement is short-term support to maximise independence (ST-Max), and replacement care
# is carer support that involves the person cared for.
SERVICE_TYPE_FOR_LINE_TYPE = {
    "reablement": "sts_st_max",
    "replacement_care": "carer_cared_for",
}
# Reablement is free for up to six weeks (Care and Support (Preventing Needs for Care and
# Support) Regulations 2014, reg 4): a reablement line ends within 42 days of starting.
REABLEMENT_DAYS = 42

# --- Who provides it, where the money comes from, how it is taken -----------------------------

PROVIDER_KINDS = (
    ("provider", "A care provider"),
    ("personal_assistant", "A personal assistant"),
    ("to_be_arranged", "To be arranged"),
)
PROVIDER_KIND = dict(PROVIDER_KINDS)

# The same codes as budgets.FundingStream.Stream and budgets.ManagementShare.Mode.
FUNDING_STREAMS = (
    ("council", "The council"),
    ("contribution", "The person’s own contribution"),
    ("nhs_joint", "NHS: joint funding"),
    ("nhs_chc", "NHS continuing healthcare"),
    ("s117", "Aftercare under section 117 of the Mental Health Act"),
    ("carers", "Carers’ funding"),
)
FUNDING_STREAM = dict(FUNDING_STREAMS)
MODES = (
    ("direct_payment", "Direct payment"),
    ("council_managed", "Managed by the council"),
    ("isf", "Individual service fund"),
)
MODE = dict(MODES)

# --- Units --------------------------------------------------------------------------------------

UNIT_WORDS = {
    "hour": ("an hour", "hour", "hours"),
    "day": ("a day", "day", "days"),
    "night": ("a night", "night", "nights"),
    "week": ("a week", "week", "weeks"),
    "meal": ("a meal", "meal", "meals"),
    "item": ("each", "item", "items"),
}
MAX_UNIT_PLACES = 2
HOURS_IN_A_WEEK = 168


def unit_words(unit: str) -> tuple[str, str, str]:
    """(per, singular, plural): ("an hour", "hour", "hours")."""
    return UNIT_WORDS.get(unit, UNIT_WORDS["item"])


# --- Arithmetic ---------------------------------------------------------------------------------


def _half_up(value: Fraction) -> int:
    """A fraction of pence to whole pence, halves away from zero."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    return sign * int((magnitude * 2 + 1) // 2)


def _units(units) -> Fraction:
    if isinstance(units, float):
        raise TypeError("Units are never a float: pass a Decimal, an int or a string")
    return Fraction(Decimal(str(units)))


def occurrence_pence(units, unit_cost_pence: int) -> int:
    """The cost each time: units × unit cost, to the penny (half up)."""
    return _half_up(_units(units) * int(unit_cost_pence))


def weekly_from_occurrence(occurrence: int, frequency: str) -> int | None:
    """A week's share of a cost paid `frequency`: × times a year ÷ 52, to the penny.

    None for a one-off cost: it has no weekly share."""
    per_year = FREQUENCY[frequency].per_year
    if per_year is None:
        return None
    return _half_up(Fraction(occurrence * per_year, WEEKS_PER_YEAR))


def yearly_from_occurrence(occurrence: int, frequency: str) -> int | None:
    """A year of a cost paid `frequency`, exactly. None for a one-off cost."""
    per_year = FREQUENCY[frequency].per_year
    return None if per_year is None else occurrence * per_year


@dataclass(frozen=True)
class LineCost:
    occurrence_pence: int  # each time
    weekly_pence: int | None  # None: one-off
    yearly_pence: int | None  # None: one-off
    frequency: str

    @property
    def one_off(self) -> bool:
        return self.weekly_pence is None

    @property
    def one_off_pence(self) -> int:
        return self.occurrence_pence if self.one_off else 0

    def in_period(self, period: str) -> int:
        """What this line costs in a budget's period: a week, a year, or one-off."""
        if period == "week":
            return self.weekly_pence or 0
        if self.one_off:
            return self.occurrence_pence
        return self.yearly_pence or 0


def line_cost(units, unit_cost_pence: int, frequency: str) -> LineCost:
    occurrence = occurrence_pence(units, unit_cost_pence)
    return LineCost(
        occurrence_pence=occurrence,
        weekly_pence=weekly_from_occurrence(occurrence, frequency),
        yearly_pence=yearly_from_occurrence(occurrence, frequency),
        frequency=frequency,
    )


@dataclass(frozen=True)
class Totals:
    weekly_pence: int  # the ongoing lines, a week
    yearly_pence: int  # the ongoing lines, a year (exact)
    one_off_pence: int  # the one-off lines, together

    def in_period(self, period: str) -> int:
        """The plan's cost in its budget's period. Weekly: the ongoing lines a week (one-off
        costs are shown apart). Yearly or one-off: a year of the ongoing lines and the
        one-off costs."""
        if period == "week":
            return self.weekly_pence
        return self.yearly_pence + self.one_off_pence


def totals(costs) -> Totals:
    costs = list(costs)
    return Totals(
        weekly_pence=sum(c.weekly_pence or 0 for c in costs),
        yearly_pence=sum(c.yearly_pence or 0 for c in costs),
        one_off_pence=sum(c.one_off_pence for c in costs),
    )


def per_week(amount_pence: int, period: str) -> int:
    """An amount for a budget's period as a week's, rounded up to the penny (a yearly amount ÷
    52): for comparing with weekly limits only. One-off amounts are compared as they are."""
    if period == "year":
        return -(-amount_pence // WEEKS_PER_YEAR)
    return amount_pence


# --- Words --------------------------------------------------------------------------------------


def units_text(units) -> str:
    """10 -> '10'; 10.50 -> '10.5'; 0.25 -> '0.25'."""
    value = Decimal(str(units))
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _count(units, unit: str) -> str:
    _per, singular, plural = unit_words(unit)
    text = units_text(units)
    return f"{text} {singular if Decimal(str(units)) == 1 else plural}"


def conversion(
    units, unit: str, unit_cost_pence: int, frequency: str, cost: LineCost | None = None
) -> str:
    """The working behind a line's cost, in words people read:

    '10 hours at £28.00 an hour = £280.00 a week'
    '1 item at £120.00 each = £120.00 a month; £120.00 × 12 ÷ 52 = £27.69 a week'
    '2 items at £60.00 each = £120.00 once (not part of the weekly cost)'
    """
    if cost is None:  # else the line's cost, already worked out from the same three
        cost = line_cost(units, unit_cost_pence, frequency)
    freq = FREQUENCY[frequency]
    per, _singular, _plural = unit_words(unit)
    each = (
        f"{_count(units, unit)} at {format_pence(unit_cost_pence)} {per} = "
        f"{format_pence(cost.occurrence_pence)}"
    )
    if freq.one_off:
        return f"{each} once (not part of the weekly cost)"
    if freq.code == "weekly":
        return f"{each} a week"
    return (
        f"{each} {freq.words}; {format_pence(cost.occurrence_pence)} × {freq.per_year} ÷ "
        f"{WEEKS_PER_YEAR} = {format_pence(cost.weekly_pence)} a week"
    )


def units_a_week(units, frequency: str) -> Fraction | None:
    """How many units a week a line gives (for checking hours against the hours in a week)."""
    per_year = FREQUENCY[frequency].per_year
    if per_year is None:
        return None
    return _units(units) * per_year / WEEKS_PER_YEAR
