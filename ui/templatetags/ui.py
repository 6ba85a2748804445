"""Template helpers for GOV.UK markup that Django's widgets do not draw by themselves."""

import copy
import functools
import html
import threading
from collections import OrderedDict

from django import forms, template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import empty
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from core.money import format_pence, format_pounds
from ui.forms import GovUKCheckboxes, GovUKDateInput, GovUKRadioSelect

register = template.Library()

INPUT_CLASSES = {
    "input": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
}


@register.filter
def govuk_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, GovUKDateInput):
        return "date"
    if isinstance(widget, GovUKRadioSelect):
        return "radios"
    if isinstance(widget, GovUKCheckboxes):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def govuk_option(bound_field, key):
    """A GOV.UK presentation option set on the form field, e.g. field.govuk = {"width": 10}."""
    return getattr(bound_field.field, "govuk", {}).get(key)


@register.filter
def govuk_describedby(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(bound_field):
    """Render the widget with GOV.UK classes, error state and aria-describedby."""
    kind = govuk_kind(bound_field)
    options = getattr(bound_field.field, "govuk", {})
    attrs = {}
    if kind in INPUT_CLASSES:
        classes = [INPUT_CLASSES[kind]]
        if options.get("width"):
            classes.append(f"govuk-input--width-{options['width']}")
        if bound_field.errors:
            classes.append(f"{INPUT_CLASSES[kind]}--error")
        attrs["class"] = " ".join(classes)
        describedby = govuk_describedby(bound_field)
        if describedby:
            attrs["aria-describedby"] = describedby
        if options.get("spellcheck") is False:
            attrs["spellcheck"] = "false"
    elif kind == "date":
        classes = "govuk-input govuk-date-input__input"
        if bound_field.errors:
            classes += " govuk-input--error"
        attrs["class"] = classes
    elif kind == "checkbox":
        attrs["class"] = "govuk-checkboxes__input"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination links)."""
    return query_string_with(context["request"].GET, changes)


def query_string_with(query, changes: dict) -> str:
    """A query string (a QueryDict) with some parameters changed: None or "" removes one."""
    params = query.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.filter
def elided_range(paginator, number):
    """Page numbers around the current one, with '…' for the gaps."""
    return [
        str(item) if not isinstance(item, int) else item
        for item in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]


@register.filter
def money(value) -> str:
    """Pounds as people write them: £1,250.50, and −£65.70 for a reduction."""
    return format_pounds(value)


@register.filter
def pence(value) -> str:
    """Whole pence as pounds: 125050 → £1,250.50."""
    return format_pence(value)


_FIELD_GROUPS: OrderedDict = OrderedDict()
_FIELD_GROUPS_LOCK = threading.Lock()
FIELD_GROUPS_KEPT = 512


# Stands for a text box's value in a remembered drawing (letters only: escaping leaves it be).
_TYPED = "fixedfieldgrouptypedvalue"


@register.simple_tag
def fixed_field_group(bound_field):
    """`field.as_field_group`, remembered per value: for forms whose fields draw the same for
    everyone (fixed choices, no per-user querysets), such as a list's filters.

    Drawing a GOV.UK field through its templates costs about half a millisecond (a select
    with its options, more); a filter form of six fields on every page of a list added up to
    a third of the page's time. A field drawn before with the same value and errors is reused
    from this process's memory (the last 512 kept). A text box with something typed in it
    and no error is remembered once, whatever was typed: drawn with a stand-in value, which
    is swapped for the typed one, escaped as Django escapes it (a search's name differs on
    nearly every page, so remembering each one helped nothing).
    """
    form = type(bound_field.form)
    value = bound_field.value()
    errors = tuple(bound_field.errors)
    typed = (
        type(bound_field.field.widget) is forms.TextInput
        and isinstance(value, str)
        and value != ""
        and not errors
    )
    key = (
        form.__module__,
        form.__qualname__,
        bound_field.html_name,
        bound_field.auto_id,
        _TYPED if typed else repr(value),
        errors,
    )
    with _FIELD_GROUPS_LOCK:
        drawn = _FIELD_GROUPS.get(key)
        if drawn is not None:
            _FIELD_GROUPS.move_to_end(key)
    if drawn is None:
        drawn = _draw_field_group(bound_field, typed)
        with _FIELD_GROUPS_LOCK:
            _FIELD_GROUPS[key] = drawn
            while len(_FIELD_GROUPS) > FIELD_GROUPS_KEPT:
                _FIELD_GROUPS.popitem(last=False)
    if drawn is _UNSWAPPABLE:
        return mark_safe(bound_field.as_field_group())  # noqa: S308 - rendered and escaped by the field's templates
    if typed:
        # The attribute as Django's widget writes it: value="{{ value|stringformat:'s' }}".
        return mark_safe(drawn.replace(_TYPED, html.escape(value), 1))  # noqa: S308 - escaped here
    return drawn


_UNSWAPPABLE = SafeString("")


def _draw_field_group(bound_field, typed: bool) -> str:
    """The field drawn by its templates; a typed text box with the stand-in value (or
    _UNSWAPPABLE if the stand-in does not appear exactly once, in its value attribute)."""
    if not typed:
        return mark_safe(bound_field.as_field_group())  # noqa: S308 - rendered and escaped by the field's templates
    stand_in = copy.copy(bound_field)
    stand_in.value = lambda: _TYPED  # what the widget and the field's template are given
    drawn = stand_in.as_field_group()
    if drawn.count(_TYPED) != 1 or f'value="{_TYPED}"' not in drawn:
        return _UNSWAPPABLE
    return mark_safe(drawn)  # noqa: S308 - rendered and escaped by the field's templates


_SENTINEL = 987654321987


@functools.cache
def _record_url_parts(name: str, ids: int, script_prefix: str, urlconf) -> tuple[str, ...]:
    """A URL of `ids` whole-number arguments, split around them: /people/<pk>/assessments/ →
    ("/people/", "/assessments/"); /plans/<pk>/support/<line_pk>/ → ("/plans/", "/support/",
    "/")."""
    sentinels = [str(_SENTINEL + n) for n in range(ids)]  # the same length: none in another
    rest = reverse(name, args=sentinels)
    parts = []
    for sentinel in sentinels:
        before, _, rest = rest.partition(sentinel)
        parts.append(before)
    return (*parts, rest)


def record_url_parts(name: str, ids: int = 1) -> tuple[str, ...]:
    """The URL `name` of `ids` record ids, as the text around them (one more part than ids),
    worked out once per process (per URL prefix and configuration): for pages that draw many
    such links in Python."""
    return _record_url_parts(name, ids, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@register.simple_tag
def record_url(name: str, *ids) -> str:
    """{% url name id … %} for a URL whose arguments are records' ids, worked out once per
    process: a person's pages link to a dozen of them, and each {% url %} is a reverse()
    (a fifth of the person page's drawing time, measured with cProfile)."""
    if not ids or any(isinstance(pk, bool) or not isinstance(pk, int) for pk in ids):
        return reverse(name, args=list(ids))
    parts = record_url_parts(name, len(ids))
    return "".join(f"{part}{pk}" for part, pk in zip(parts, ids, strict=False)) + parts[-1]


@functools.lru_cache(maxsize=256)
def _static_url(path: str, storage) -> str:
    return storage.url(path)


@register.simple_tag
def static_url(path: str) -> str:
    """{% static path %}, remembered per process (and per storage, which tests may swap):
    every page links the same five files, and the manifest storage looks each one up and
    quotes it again on every page."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    if staticfiles_storage._wrapped is empty:
        staticfiles_storage._setup()
    return _static_url(path, staticfiles_storage._wrapped)
