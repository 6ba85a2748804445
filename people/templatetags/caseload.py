"""The caseload table's rows, drawn in Python.

The caseload is the page practitioners open most. Drawn by the template language, each
of its 25 rows cost a dozen variable lookups, filters and a {% url %}: about a third of the
page's time (measured with cProfile, see bench/load.py). Here each row is one format_html,
escaped the same way, for the same markup.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from people import codes, domain

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


PRIMARY_SUPPORT_REASONS = dict(codes.PRIMARY_SUPPORT_REASONS)


def _row(person, today, link, months):
    born = person.date_of_birth
    return (
        link(person.pk),
        person.last_name,
        person.first_name,
        DIED if person.date_of_death else "",
        domain.format_nhs_number(person.nhs_number or "") or "–",
        person.council_person_id,
        f"{born.day} {months[born.month]} {born.year}",  # the date filter's "j M Y"
        domain.age_on(born, person.date_of_death or today),
        person.postcode or "–",
        PRIMARY_SUPPORT_REASONS.get(person.primary_support_reason, person.primary_support_reason),
    )


@register.simple_tag
def caseload_rows(people):
    today = timezone.localdate()
    # One reverse() for the page, not one per row: /people/1/ → "/people/" + id + "/".
    prefix, suffix = reverse("people:detail", args=[1]).rsplit("1", 1)
    months = {number: str(name).title() for number, name in MONTHS_3.items()}

    def link(pk):
        return f"{prefix}{pk}{suffix}"

    return format_html_join("", ROW, (_row(p, today, link, months) for p in people))
