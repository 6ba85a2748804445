"""The line arithmetic (plans/domain.py), checked against a plain reference with exact fractions,
and the words that show the working."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans import domain

PER_YEAR = {
    "weekly": 52,
    "fortnightly": 26,
    "four_weekly": 13,
    "monthly": 12,
    "quarterly": 4,
    "yearly": 1,
}


def reference_half_up(value: Fraction) -> int:
    """Round a non-negative fraction of pence to whole pence, halves up, the long way."""
    whole = value.numerator // value.denominator
    remainder = value - whole
    return whole + (1 if remainder >= Fraction(1, 2) else 0)


def reference_line(units: Decimal, cost_pence: int, frequency: str):
    each = reference_half_up(Fraction(units) * cost_pence)
    if frequency == "one_off":
        return each, None, None
    times = PER_YEAR[frequency]
    return each, reference_half_up(Fraction(each * times, 52)), each * times


units_strategy = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2, allow_nan=False
)
costs = st.integers(min_value=1, max_value=100_000_000)
frequencies = st.sampled_from([f.code for f in domain.FREQUENCIES])


@given(units=units_strategy, cost=costs, frequency=frequencies)
def test_a_line_costs_what_the_plain_reference_says(units, cost, frequency):
    line = domain.line_cost(units, cost, frequency)
    assert (line.occurrence_pence, line.weekly_pence, line.yearly_pence) == reference_line(
        units, cost, frequency
    )


@given(units=units_strategy, cost=costs, frequency=frequencies, more=st.integers(1, 1000))
def test_more_units_never_cost_less(units, cost, frequency, more):
    fewer = domain.line_cost(units, cost, frequency)
    extra = domain.line_cost(units + Decimal(more) / 100, cost, frequency)
    assert extra.occurrence_pence >= fewer.occurrence_pence
    assert (extra.weekly_pence or 0) >= (fewer.weekly_pence or 0)


@given(lines=st.lists(st.tuples(units_strategy, costs, frequencies), min_size=0, max_size=30))
def test_the_weekly_total_is_the_sum_of_the_weekly_lines_shown(lines):
    costs_ = [domain.line_cost(u, c, f) for u, c, f in lines]
    totals = domain.totals(costs_)
    assert totals.weekly_pence == sum(c.weekly_pence or 0 for c in costs_)
    assert totals.one_off_pence == sum(c.occurrence_pence for c in costs_ if c.one_off)
    assert totals.in_period("year") == sum(c.in_period("year") for c in costs_)


@given(units=units_strategy, cost=costs, frequency=frequencies)
def test_a_weekly_cost_is_within_half_a_penny_of_the_exact_year_over_52(units, cost, frequency):
    line = domain.line_cost(units, cost, frequency)
    if line.one_off:
        assert line.weekly_pence is None and line.one_off_pence == line.occurrence_pence
    else:
        assert abs(Fraction(line.weekly_pence) - Fraction(line.yearly_pence, 52)) <= Fraction(1, 2)


def test_a_monthly_amount_becomes_weekly_with_the_working_shown():
    assert domain.conversion(Decimal("1"), "item", 12000, "monthly") == (
        "1 item at £120.00 each = £120.00 a month; £120.00 × 12 ÷ 52 = £27.69 a week"
    )


def test_hours_and_rates_show_behind_a_weekly_line():
    assert domain.conversion(Decimal("10.5"), "hour", 2800, "weekly") == (
        "10.5 hours at £28.00 an hour = £294.00 a week"
    )


def test_a_one_off_line_is_shown_apart_not_averaged():
    line = domain.line_cost(Decimal("2"), 6000, "one_off")
    assert (line.weekly_pence, line.occurrence_pence, line.in_period("week")) == (None, 12000, 0)
    assert domain.conversion(Decimal("2"), "item", 6000, "one_off") == (
        "2 items at £60.00 each = £120.00 once (not part of the weekly cost)"
    )


@pytest.mark.parametrize(
    ("units", "cost", "each"),
    [("4.5", 2667, 12002), ("0.5", 1, 1), ("0.25", 1, 0), ("1.5", 3, 5)],
)
def test_the_cost_each_time_rounds_half_up_to_the_penny(units, cost, each):
    assert domain.occurrence_pence(Decimal(units), cost) == each


def test_a_yearly_budget_counts_a_year_of_ongoing_lines_and_the_one_offs():
    totals = domain.totals(
        [
            domain.line_cost(Decimal("1"), 10000, "monthly"),
            domain.line_cost(Decimal("1"), 5000, "one_off"),
        ]
    )
    assert totals.in_period("year") == 12 * 10000 + 5000
    assert totals.in_period("week") == 2308  # £100 a month × 12 ÷ 52 = £23.08


def test_units_are_never_floats():
    with pytest.raises(TypeError):
        domain.occurrence_pence(1.5, 100)


def test_a_yearly_amount_as_a_week_rounds_up_to_compare_with_weekly_limits():
    assert domain.per_week(5201, "year") == 101
    assert domain.per_week(5200, "week") == 5200


@given(
    weekly=st.integers(0, 10**7),
    yearly_extra=st.integers(0, 10**6),
    one_off=st.integers(0, 10**8),
    period=st.sampled_from(["week", "year", "once"]),
)
def test_a_plans_weekly_figure_is_its_ongoing_lines_and_never_counts_one_off_costs(
    weekly, yearly_extra, one_off, period
):
    from plans.actions import PlanCost

    totals = domain.Totals(
        weekly_pence=weekly, yearly_pence=weekly * 52 + yearly_extra, one_off_pence=one_off
    )
    cost = PlanCost(totals=totals, period=period, budget_pence=0, indicative_pence=None)
    assert cost.weekly_pence == weekly
    # ...while the cost in the budget's own period counts one-off costs except beside a week.
    assert cost.cost_pence == (weekly if period == "week" else totals.yearly_pence + one_off)
