"""Percentages as people read them, with a real minus sign (−) for a fall.

`{% load numbers %}`: `percent` for a share ("12.5%"), `signed_percent` for a change
("+3.2%", "−4.0%", "0%"; a real change too small to show at one decimal place is
"+<0.1%" or "−<0.1%", never "0.0%", so it never seems to have no direction), and
`points` for a difference between two percentages ("−6.1 percentage points").
"""

from django import template

from core.money import MINUS

register = template.Library()


def _number(value):
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _signed(value: float, places: int, unit: str) -> str:
    if value == 0:
        return f"0{unit}"
    sign = "+" if value > 0 else MINUS
    magnitude = abs(value)
    smallest = 10**-places
    if round(magnitude, places) < smallest:
        return f"{sign}<{smallest:.{places}f}{unit}"
    return f"{sign}{magnitude:,.{places}f}{unit}"


@register.filter
def percent(value, places=1) -> str:
    """A share: '12.5%', or '−3.0%' for a negative value; nothing known is '–'."""
    number = _number(value)
    if number is None:
        return "–"
    text = f"{abs(number):,.{int(places)}f}%"
    return f"{MINUS}{text}" if number < 0 and float(text[:-1].replace(",", "")) else text


@register.filter
def signed_percent(value, places=1) -> str:
    """A change: '+3.2%', '−4.0%', '0%'; nothing to compare with is '–'."""
    number = _number(value)
    return "–" if number is None else _signed(number, int(places), "%")


@register.filter
def points(value, places=1) -> str:
    """A difference between percentages: '+1.2 percentage points', '−6.1 percentage points'."""
    number = _number(value)
    return "–" if number is None else _signed(number, int(places), " percentage points")
