"""The caseload table's rows, drawn in Python.

The caseload is the page practitioners open most. Drawn by the template language, each
of its 25 rows cost a dozen variable lookups, filters and a {% url %}: about a third of the
page's time (measured with cProfile, see bench/load.py). Here each row is one format_html,
escaped the same way, for the same markup.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from people import domain

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


def _row(person, today):
    end = person.date_of_death or today
    return (
        reverse("people:detail", args=[person.pk]),
        person.last_name,
        person.first_name,
        DIED if person.date_of_death else "",
        domain.format_nhs_number(person.nhs_number or "") or "–",
        person.council_person_id,
        format_date(person.date_of_birth, "j M Y"),
        domain.age_on(person.date_of_birth, end),
        person.postcode or "–",
        person.get_primary_support_reason_display(),
    )


@register.simple_tag
def caseload_rows(people):
    today = timezone.localdate()
    return format_html_join("", ROW, (_row(person, today) for person in people))
