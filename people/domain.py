"""Rules for the person record: identifiers, postcodes and ages. No Django imports."""

import datetime as dt
import re

# NHS numbers: ten digits, the last a modulus-11 check digit over the first nine.
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type: '943 476 5919' -> '9434765919'."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid number can start with them."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def format_nhs_number(digits: str) -> str:
    """Show an NHS number in the 3-3-4 groups used on NHS letters."""
    if len(digits or "") != 10:
        return digits or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# UK postcodes: outward code (area, district) then inward code (sector, unit).
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'wx14dq' -> 'WX1 4DQ'."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(value)))


NO_DISTRICT = "Postcode not recorded"


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode ('WX1 4DQ' -> 'WX1'): the locality equality breakdowns
    use, because a team's area can be the whole council (a county-wide team)."""
    if not is_valid_postcode(postcode or ""):
        return NO_DISTRICT
    return normalise_postcode(postcode).split(" ", 1)[0]


def district_sort_key(district: str) -> tuple:
    """'WX2' before 'WX10'; the missing district last."""
    if district == NO_DISTRICT:
        return (1, "", 0, "")
    match = re.match(r"([A-Z]+)(\d+)(.*)", district)
    if not match:
        return (0, district, 0, "")
    return (0, match.group(1), int(match.group(2)), match.group(3))


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# Age bands used on caseload filters and in equality breakdowns (upper bound exclusive).
AGE_BANDS = [
    ("18-24", 18, 25),
    ("25-44", 25, 45),
    ("45-64", 45, 65),
    ("65-74", 65, 75),
    ("75-84", 75, 85),
    ("85+", 85, None),
]
AGE_BAND_CODES = [code for code, _low, _high in AGE_BANDS]


def age_band(age: int) -> str:
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age < high):
            return code
    return "under 18"


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year without one
        return on.replace(year=on.year - years, day=28)


def birth_dates_for_band(code: str, on: dt.date) -> tuple[dt.date | None, dt.date]:
    """(earliest, latest) date of birth, inclusive, of someone in the band on a date."""
    for band, low, high in AGE_BANDS:
        if band == code:
            latest = _years_before(on, low)
            earliest = None if high is None else _years_before(on, high) + dt.timedelta(days=1)
            return earliest, latest
    raise ValueError(f"Unknown age band {code!r}")


def client_group(primary_support_reason: str, age: int, has_dementia: bool) -> str:
    """The broad client group used by commissioners and in equality breakdowns.

    A carer's own record has no primary support reason: its group is "Carer"."""
    if not primary_support_reason:
        return "Carer"
    if has_dementia or primary_support_reason == "memory_cognition":
        return "Dementia, memory and cognition"
    if primary_support_reason == "learning_disability":
        return "Learning disability"
    if primary_support_reason == "mental_health":
        return "Mental health"
    if age >= 65:
        return "Older people"
    if primary_support_reason.startswith("sensory"):
        return "Sensory impairment"
    if primary_support_reason.startswith("physical"):
        return "Physical disability"
    return "Other"
