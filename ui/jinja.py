"""Jinja2 for the few pages staff open most: the caseload and a person's record.

Every other page is drawn by Django's template language. These are drawn by Jinja2, which
compiles a template to Python once and then runs it: the caseload page's drawing went from
about 1.2 ms to 0.2 ms of CPU, a person's record from about 3 ms to 0.4 ms (measured in
process on the 100,000-person council, bench/profile_pages.py), the largest part of what
those pages cost. They share the GOV.UK layout of templates/base.html through
ui/jinja2/layout.html, which draws the same HTML (ui/tests/test_jinja.py checks it).

The pages must read as if Django drew them, so output is escaped the way Django escapes
(`&#x27;` for an apostrophe, not markupsafe's `&#39;`), dates go through Django's date
format in the council's time zone, and the helpers are the Django tags' own functions.
Undefined names are errors (StrictUndefined), so a misspelt variable fails a test instead
of drawing nothing.
"""

import datetime as dt
import functools
import html

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, timezone
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from core import models
from ui.templatetags.ui import (
    fixed_field_group,
    money,
    query_string_with,
    record_url,
    static_url,
)


def _finalize(value):
    """Each {{ value }} as Django would write it: safe strings kept, others escaped as
    django.utils.html.escape escapes them (html.escape, which it calls, without its lazy-string
    wrapper)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped on this line


def date(value, format_string: str) -> str:
    """Django's `date` filter: an aware datetime is shown in the council's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


def choice_label(instance, name: str):
    """`instance.get_<name>_display()`, read from labels put in a dictionary once per process
    (core.models.choice_label), for any model."""
    return models.choice_label(instance._meta.get_field(name), getattr(instance, name))


def url(name: str, *args) -> str:
    """{% url name arg … %}; an address without arguments is worked out once per process (per
    URL prefix and configuration, which reverse() depends on)."""
    if args:
        return reverse(name, args=args)
    return _url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _url(name: str, script_prefix: str, urlconf) -> str:
    return reverse(name)


def query_with(request, **changes) -> str:
    """{% query_with … %}: the request's query string with some parameters changed."""
    return query_string_with(request.GET, changes)


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(finalize=_finalize, **options)  # noqa: S701 - autoescape is on (Django's backend sets it)
    env.globals.update(
        url=url,
        choice_label=choice_label,
        record_url=record_url,
        static_url=static_url,
        query_with=query_with,
        fixed_field_group=fixed_field_group,
    )
    env.filters.update(date=date, intcomma=intcomma, money=money)
    return env
