"""Money is whole pence in storage and pounds as people write them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import money


@pytest.mark.parametrize(
    ("amount", "pence"),
    [
        ("12.50", 1250),
        (Decimal("0.005"), 1),
        (Decimal("-0.005"), -1),
        ("£1,250.00", 125000),
        (7, 700),
    ],
)
def test_amounts_become_whole_pence_rounding_halves_away_from_zero(amount, pence):
    assert money.to_pence(amount) == pence


def test_a_float_is_never_money():
    with pytest.raises(money.MoneyError):
        money.to_pence(0.1)


@pytest.mark.parametrize("text", ["1E+99999999", "NaN", "Infinity", "twelve", "1" * 5000])
def test_nonsense_and_absurd_amounts_are_not_money(text):
    with pytest.raises(money.MoneyError):
        money.to_pence(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_pence_to_pounds_and_back_is_exact(pence):
    assert money.to_pence(money.from_pence(pence)) == pence
    assert money.to_pence(money.pounds_text(pence)) == pence


def test_pounds_are_shown_as_people_write_them():
    assert money.format_pence(125050) == "£1,250.50"
    assert money.format_pence(-6570) == "\u2212£65.70"
    assert money.format_pounds(Decimal("1336"), pence=False) == "£1,336"
    assert money.pounds_text(125050) == "1250.50"


def test_a_year_of_a_weekly_amount_is_fifty_two_weeks_and_a_one_off_has_no_year():
    assert money.per_year(10000, "week") == 520000
    assert money.per_year(10000, "year") == 10000
    with pytest.raises(money.MoneyError):
        money.per_year(10000, "once")
