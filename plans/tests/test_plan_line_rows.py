"""The support table's rows drawn in Python (plans.templatetags.plans.plan_line_rows) are
the HTML the template language drew before, character for character: the loop it replaced is
kept here as the reference, and both draw the same generated lines."""

import datetime as dt
import types
from decimal import Decimal

from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.models import PlanLine

# The loop of plans/_lines_table.html before the rows were drawn in Python.
REFERENCE = """{% load ui %}  {% for line in lines %}<tr class="govuk-table__row">
    <td class="govuk-table__cell">{{ line.description }}<br><span class="govuk-body-s">{{ line.get_line_type_display }}{% if line.line_type == "replacement_care" %}, for {{ line.carer_shown }}{% endif %} · {{ line.get_service_type_display }}{% if v.staff %} · {{ line.get_funding_stream_display }}{% endif %}</span></td>
    <td class="govuk-table__cell">{{ line.who }}</td>
    <td class="govuk-table__cell">{{ line.conversion }}{% if line.reference_rate_pence and line.reference_rate_pence != line.unit_cost_pence %}<br><span class="govuk-body-s">The council’s rate is {{ line.reference_rate_pence|pence }}</span>{% endif %}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric app-nowrap">{% if one_off %}{{ line.cost.occurrence_pence|pence }}{% else %}{{ line.cost.weekly_pence|pence }}{% endif %}</td>
    <td class="govuk-table__cell">{{ line.get_mode_display }}</td>
    <td class="govuk-table__cell app-nowrap">{{ line.start_date|date:"j M Y" }}{% if line.end_date %} to {{ line.end_date|date:"j M Y" }}{% elif not one_off %} onwards{% endif %}</td>
    {% if may_change %}<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{% url 'plans:line' plan.pk line.pk %}">Change<span class="govuk-visually-hidden"> {{ line.description }}</span></a><br><form method="post" action="{% url 'plans:remove-line' plan.pk line.pk %}" class="app-inline-form">{% csrf_token %}<input type="hidden" name="edit_version" value="{{ plan.edit_version }}"><button type="submit" class="app-link-button">Remove<span class="govuk-visually-hidden"> {{ line.description }}</span></button></form></td>{% endif %}
  </tr>{% endfor %}"""
NOW = """{% load plans %}  {% plan_line_rows lines one_off may_change %}"""


def _choices(name):
    return st.sampled_from([code for code, _ in PlanLine._meta.get_field(name).flatchoices])


TEXT = st.text(alphabet=st.sampled_from("ab <>&'\"£–é"), max_size=12)


@st.composite
def lines(draw):
    count = draw(st.integers(0, 5))
    made = []
    for n in range(count):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 800)))
        ends = draw(st.booleans())
        unit_cost = draw(st.integers(1, 500_000))
        made.append(
            PlanLine(
                pk=n + 1,
                description=draw(TEXT),
                line_type=draw(_choices("line_type")),
                service_type=draw(_choices("service_type")),
                service=draw(_choices("service")),
                funding_stream=draw(_choices("funding_stream")),
                mode=draw(_choices("mode")),
                provider_kind=draw(_choices("provider_kind")),
                provider=draw(TEXT),
                carer_name=draw(TEXT),
                units=Decimal(draw(st.integers(1, 4_000))) / 100,
                unit_cost_pence=unit_cost,
                reference_rate_pence=draw(st.sampled_from([None, unit_cost, unit_cost + 1])),
                frequency=draw(_choices("frequency")),
                start_date=start,
                end_date=start + dt.timedelta(days=draw(st.integers(0, 400))) if ends else None,
            )
        )
    return made


@settings(max_examples=150, deadline=None)
@given(
    lines=lines(),
    one_off=st.booleans(),
    may_change=st.booleans(),
    staff=st.booleans(),
    version=st.integers(0, 10**6),
)
def test_the_rows_drawn_in_python_are_the_html_the_template_drew(
    lines, one_off, may_change, staff, version
):
    context = {
        "lines": lines,
        "one_off": one_off,
        "may_change": may_change,
        "v": {"staff": staff},
        "plan": types.SimpleNamespace(pk=42, edit_version=version),
        "csrf_token": "a-csrf-token",
    }
    drawn = [engines["django"].from_string(source).render(context) for source in (REFERENCE, NOW)]
    assert drawn[1] == drawn[0]


def test_a_page_that_gives_no_voice_or_token_draws_the_rows_for_the_person():
    line = PlanLine(
        pk=3,
        description="Help at home",
        line_type="care",
        service_type="lts_community",
        service="home_care",
        funding_stream="council",
        mode="direct_payment",
        provider_kind="to_be_arranged",
        units=Decimal("2"),
        unit_cost_pence=2_800,
        frequency="weekly",
        start_date=dt.date(2026, 4, 6),
    )
    html = (
        engines["django"]
        .from_string(NOW)
        .render({"lines": [line], "one_off": False, "may_change": False})
    )
    assert "Help at home" in html and "6 Apr 2026 onwards" in html and "£56.00" in html
    assert "Council" not in html  # the funding stream is for staff only
