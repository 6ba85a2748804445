"""The person record's rules: NHS numbers, postcodes, ages and bands."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from people import domain


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_known_valid_nhs_numbers_pass(number):
    assert domain.is_valid_nhs_number(number)


@pytest.mark.parametrize(
    "number", ["9434765918", "943476591", "94347659190", "abcdefghij", "", "1234567890"]
)
def test_invalid_nhs_numbers_fail(number):
    assert not domain.is_valid_nhs_number(number)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_the_check_digit_makes_a_valid_number_or_none_exists(first_nine):
    check = domain.nhs_check_digit(first_nine)
    if check is None:
        assert not any(domain.is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        assert domain.is_valid_nhs_number(first_nine + str(check))
        assert sum(domain.is_valid_nhs_number(first_nine + str(d)) for d in range(10)) == 1


@given(nine_digits, st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_mistake_is_caught(first_nine, position, shift):
    check = domain.nhs_check_digit(first_nine)
    if check is None:
        return
    number = first_nine + str(check)
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not domain.is_valid_nhs_number(wrong)


def test_nhs_numbers_display_in_groups():
    assert domain.format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("wx14dq", "WX1 4DQ"),
        ("WX1 4DQ", "WX1 4DQ"),
        (" sw1a  1aa ", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised_and_valid(typed, stored):
    assert domain.normalise_postcode(typed) == stored
    assert domain.is_valid_postcode(typed)


@pytest.mark.parametrize("typed", ["WX1", "12345", "WX1 4DC", "W1X 1XX1", "", "WXX 4DQ"])
def test_bad_postcodes_are_refused(typed):
    assert not domain.is_valid_postcode(typed)


def test_age_counts_whole_years():
    assert domain.age_on(dt.date(1950, 6, 15), dt.date(2026, 6, 14)) == 75
    assert domain.age_on(dt.date(1950, 6, 15), dt.date(2026, 6, 15)) == 76
    assert domain.age_on(dt.date(1952, 2, 29), dt.date(2026, 2, 28)) == 73


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2008, 1, 1)),
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_birth_date_ranges_agree_with_age_bands(born, on):
    band = domain.age_band(domain.age_on(born, on))
    for code in domain.AGE_BAND_CODES:
        earliest, latest = domain.birth_dates_for_band(code, on)
        inside = born <= latest and (earliest is None or born >= earliest)
        assert inside == (code == band), (code, band, born, on)


@pytest.mark.parametrize(
    ("psr", "age", "dementia", "group"),
    [
        ("physical_personal_care", 80, False, "Older people"),
        ("physical_personal_care", 80, True, "Dementia, memory and cognition"),
        ("learning_disability", 30, False, "Learning disability"),
        ("mental_health", 70, False, "Mental health"),
        ("physical_access_mobility", 40, False, "Physical disability"),
        ("sensory_visual", 40, False, "Sensory impairment"),
    ],
)
def test_client_groups(psr, age, dementia, group):
    assert domain.client_group(psr, age, dementia) == group
