"""The caseload table's rows, drawn in Python (the caseload view draws them and hands them
to its Jinja2 template, people/jinja2/people/caseload.html; `{% caseload_rows %}` gives the
same to a Django template).

The caseload is the page practitioners open most. Drawn by the template language, each
of its 25 rows cost a dozen variable lookups, filters and a {% url %}: about a third of the
page's time (measured with cProfile, see bench/load.py). Here each row is one str.format of
values escaped by html.escape, which is what django.utils.html.escape does underneath,
without its lazy-string and SafeString wrapping on each of the page's 250 values.
"""

import html

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from people import codes, domain
from ui.templatetags.ui import record_url_parts

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}, {}</a>{}</td>'
    '<td class="govuk-table__cell app-nowrap">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell app-nowrap">{} ({})</td>'
    '<td class="govuk-table__cell app-nowrap">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>\n"
)
DIED = SafeString(' <strong class="govuk-tag govuk-tag--grey">Died</strong>')
NONE = "–"


PRIMARY_SUPPORT_REASONS = {
    code: html.escape(str(label)) for code, label in codes.PRIMARY_SUPPORT_REASONS
}


def _row(person, today, link, months) -> str:
    """One row: `person` is a Person or anything with the same attributes (CaseloadRow)."""
    born = person.date_of_birth
    escape = html.escape
    return ROW.format(
        link(person.pk),  # digits only
        escape(person.last_name),
        escape(person.first_name),
        DIED if person.date_of_death else "",
        escape(domain.format_nhs_number(person.nhs_number or "")) or NONE,
        escape(person.council_person_id),
        f"{born.day} {months[born.month]} {born.year}",  # the date filter's "j M Y"
        domain.age_on(born, person.date_of_death or today),
        escape(person.postcode) or NONE,
        PRIMARY_SUPPORT_REASONS.get(person.primary_support_reason)
        or escape(person.primary_support_reason),
    )


@register.simple_tag
def caseload_rows(people):
    today = timezone.localdate()
    # One address for the page, not one per row: /people/<id>/ → "/people/" + id + "/".
    prefix, suffix = map(html.escape, record_url_parts("people:detail"))
    months = {number: html.escape(str(name).title()) for number, name in MONTHS_3.items()}

    def link(pk):
        return f"{prefix}{pk}{suffix}"

    return mark_safe("".join(_row(p, today, link, months) for p in people))  # noqa: S308 - every value escaped above
