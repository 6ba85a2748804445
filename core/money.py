"""Money, written once: pence and pounds, and the weeks in a year. No Django imports.

How Selfdirect holds money (README, "Architecture"): every stored amount is a whole number
of pence in an integer column (`PenceField`), so sums are exact, the ledger to come can
balance to the penny, and no float ever touches a pound. Rates that need more precision
than a penny (a RAS price per point, solved exactly by calibration) are kept as exact
decimal strings in the scheme definition and turned into pence only when an amount is
issued. Pages and letters show pounds as people write them ("£1,250.50", "−£65.70");
the API writes pounds as strings with two decimals ("1250.50").
"""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

# A year of a weekly amount is 52 weeks: the convention councils use to annualise budgets
# (a 52.14-week year would make a weekly budget's year differ from its 52 payments).
WEEKS_PER_YEAR = 52
PENNY = Decimal("0.01")
MINUS = "\u2212"  # a real minus sign: "−£65.70"
MAX_DIGITS = 15  # pounds below 10**15: more than any council's budget, and safe in a bigint
PERIODS = {"week": "a week", "year": "a year", "once": "one-off"}


class MoneyError(ValueError):
    pass


_WIDE = Context(prec=120)


def round_pence(value: Decimal) -> Decimal:
    """Pounds to the nearest penny, halves away from zero: how every issued amount is rounded.

    Worked in a 120-digit context, so no amount is ever rounded twice."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP, context=_WIDE)


def to_pence(amount) -> int:
    """Pounds (a Decimal, a string like '12.50', or an int of pounds) as whole pence.

    Amounts with fractions of a penny are rounded half up; floats are refused, because a
    float cannot say exactly what amount it means.
    """
    if isinstance(amount, float):
        raise MoneyError("Money is never a float: pass a Decimal or a string")
    try:
        value = Decimal(str(amount).replace(",", "").replace("£", "").strip())
    except InvalidOperation as error:
        raise MoneyError(f"{amount!r} is not an amount of money") from error
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not an amount of money")
    if value.adjusted() >= MAX_DIGITS:
        raise MoneyError(f"{amount!r} is more money than Selfdirect can hold")
    return int(round_pence(value) * 100)


def from_pence(pence: int) -> Decimal:
    """Whole pence as pounds, exactly: 125050 -> Decimal('1250.50')."""
    return Decimal(int(pence)).scaleb(-2).quantize(PENNY)


def pounds_text(pence: int | None) -> str | None:
    """Pence as the API writes pounds: '1250.50' (no symbol, no separators)."""
    if pence is None:
        return None
    return f"{from_pence(pence):.2f}"


def format_pounds(amount, *, pence: bool = True) -> str:
    """Pounds as people write them: '£1,250.50', '−£65.70'; pence=False drops them when whole.

    `amount` is pounds (Decimal, int or string).
    """
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if not value.is_finite():
        return str(amount)
    value = round_pence(value)
    sign = MINUS if value < 0 else ""
    magnitude = abs(value)
    if not pence and magnitude == magnitude.to_integral_value():
        return f"{sign}£{magnitude:,.0f}"
    return f"{sign}£{magnitude:,.2f}"


def format_pence(pence: int | None, *, pence_shown: bool = True) -> str:
    """Whole pence as people write pounds: 125050 -> '£1,250.50'."""
    if pence is None:
        return ""
    return format_pounds(from_pence(pence), pence=pence_shown)


def format_rate(value: Decimal, places: int = 4) -> str:
    """A rate that may need more than pennies (a price per point): at least `places` decimals,
    no trailing noise beyond what the rate holds, thousands separated."""
    value = Decimal(value)
    exponent = -value.normalize().as_tuple().exponent
    shown = max(2, min(places, max(exponent, 2)))
    return f"£{value:,.{shown}f}"


def per_year(amount_pence: int, period: str) -> int:
    """An amount for a period as pence a year: weekly × 52; a yearly one as it is.

    One-off amounts have no yearly rate: refuse them rather than guess.
    """
    if period == "week":
        return amount_pence * WEEKS_PER_YEAR
    if period == "year":
        return amount_pence
    raise MoneyError(f"An amount per {period!r} has no yearly equivalent")


def annual_multiplier(period: str) -> int:
    """How many times an amount for the period is paid in a year, for a year's total: 52 for
    a weekly amount, 1 for a yearly one, and 1 for a one-off amount, which is paid once and
    never multiplied (a RAS may give one-off amounts: selfdirect-ras/2 period "once")."""
    if period == "once":
        return 1
    return per_year(1, period)


def period_words(period: str) -> str:
    return PERIODS.get(period, period)
