"""Template filters for RAS pages: rates finer than a penny, shown sensibly."""

from decimal import Decimal, InvalidOperation

from django import template

from core.money import format_rate, period_words

from ..domain import rates as rate_catalogue

register = template.Library()


@register.filter
def rate(value, places: int = 4) -> str:
    """A price per point as people read it: '£4.6021' (4 decimal places at most)."""
    try:
        return format_rate(Decimal(str(value)), int(places))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def is_rounded(value, places: int = 4) -> bool:
    """Whether `rate` hides decimal places the exact value has."""
    try:
        exponent = -Decimal(str(value)).normalize().as_tuple().exponent
    except (InvalidOperation, ValueError):
        return False
    return exponent > int(places)


@register.filter
def points(value) -> str:
    """Points (or units) as the scheme editor shows them: '2.5', '10', never '2.50'."""
    if value in (None, ""):
        return ""
    return format(Decimal(str(value)).normalize(), "f")


@register.filter
def per_period(period: str) -> str:
    """'a week', 'a year' or 'one-off' (a RAS's period "once")."""
    return period_words(period)


@register.filter
def service_units(support) -> str:
    """One service of a cost-rate answer in words: 'Home care, 7.5 hours' or 'Waking night,
    1 night' (its units each period, in the unit the service is priced in)."""
    service = rate_catalogue.BY_CODE.get(support.service)
    amount = points(support.units)
    if service is None:  # not in the catalogue: the definition's check refuses it
        return f"{support.service}, {amount}"
    one = service.per.split(" ", 1)[1]  # 'an hour' -> 'hour'
    return f"{service.label}, {amount} {one if Decimal(str(support.units)) == 1 else service.units}"
