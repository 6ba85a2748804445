"""What the portal shows of a person's support plan (people/portal_person.html), and the rows
of a plan's table of support (plans/_lines_table.html)."""

import html

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

from budgets.models import PersonalBudget
from core.money import format_pence
from ui.templatetags.ui import record_url_parts

from ..models import SupportPlan

register = template.Library()


@register.simple_tag
def plan_for_portal(person, kind: str = "person") -> dict:
    """The person's plan in progress (or the active one), and the proposed budget a new plan
    would start from."""
    plans = list(
        SupportPlan.objects.filter(person=person, budget__kind=kind)
        .exclude(status=SupportPlan.Status.ENDED)
        .select_related("budget")
        .order_by("-created_at", "-id")[:3]
    )
    current = next((p for p in plans if p.status in SupportPlan.OPEN), None)
    active = next((p for p in plans if p.status == SupportPlan.Status.ACTIVE), None)
    proposed = (
        PersonalBudget.objects.filter(
            person=person, kind=kind, status=PersonalBudget.Status.PROPOSED
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return {
        "current": current,
        "active": active,
        "proposed": proposed,
        "can_start": proposed is not None
        and not any(p.budget_id == proposed.pk and p.status in SupportPlan.OPEN for p in plans),
    }


LINE_ROW = """<tr class="govuk-table__row">
    <td class="govuk-table__cell">{description}<br><span class="govuk-body-s">{kinds}</span></td>
    <td class="govuk-table__cell">{who}</td>
    <td class="govuk-table__cell">{conversion}{rate}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric app-nowrap">{cost}</td>
    <td class="govuk-table__cell">{mode}</td>
    <td class="govuk-table__cell app-nowrap">{dates}</td>
    {actions}
  </tr>"""
LINE_ACTIONS = (
    '<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{change}">Change'
    '<span class="govuk-visually-hidden"> {description}</span></a><br><form method="post" '
    'action="{remove}" class="app-inline-form">{csrf}<input type="hidden" name="edit_version" '
    'value="{version}"><button type="submit" class="app-link-button">Remove'
    '<span class="govuk-visually-hidden"> {description}</span></button></form></td>'
)


def _day(value) -> str:
    """The date filter's "j M Y" (dates only: no time zone to convert)."""
    return f"{value.day} {str(MONTHS_3[value.month]).title()} {value.year}"


def _around_the_line(parts: tuple[str, ...], plan_pk: int) -> tuple[str, str]:
    """A plan line's address (/plans/<plan>/support/<line>/…) for this plan, escaped, as the
    text before and after the line's id: worked out once for a table."""
    before, between, after = (html.escape(part) for part in parts)
    return f"{before}{plan_pk}{between}", after


@register.simple_tag(takes_context=True)
def plan_line_rows(context, lines, one_off: bool, may_change: bool):
    """The table's rows, one str.format each, every value escaped (html.escape, as Django's
    autoescaping does): drawn by the template language, a 30-line plan's rows cost about a
    third of its page. plans/tests/test_plan_line_rows.py draws the template these rows replaced
    beside them and compares."""
    escape = html.escape
    staff = (context.get("v") or {}).get("staff")
    if may_change:
        plan = context["plan"]
        change = _around_the_line(record_url_parts("plans:line", 2), plan.pk)
        remove = _around_the_line(record_url_parts("plans:remove-line", 2), plan.pk)
        csrf = CsrfTokenNode().render(context)
        version = escape(str(plan.edit_version))
    rows = []
    for line in lines:
        description = escape(line.description)
        kinds = escape(line.get_line_type_display())
        if line.line_type == "replacement_care":
            kinds += ", for " + escape(line.carer_shown)
        kinds += " · " + escape(line.get_service_type_display())
        if staff:
            kinds += " · " + escape(line.get_funding_stream_display())
        rate = ""
        if line.reference_rate_pence and line.reference_rate_pence != line.unit_cost_pence:
            rate = (
                '<br><span class="govuk-body-s">The council’s rate is '
                f"{escape(format_pence(line.reference_rate_pence))}</span>"
            )
        cost = line.cost.occurrence_pence if one_off else line.cost.weekly_pence
        dates = _day(line.start_date)
        if line.end_date:
            dates += " to " + _day(line.end_date)
        elif not one_off:
            dates += " onwards"
        actions = (
            LINE_ACTIONS.format(
                change=f"{change[0]}{line.pk}{change[1]}",
                remove=f"{remove[0]}{line.pk}{remove[1]}",
                description=description,
                csrf=csrf,
                version=version,
            )
            if may_change
            else ""
        )
        rows.append(
            LINE_ROW.format(
                description=description,
                kinds=kinds,
                who=escape(line.who),
                conversion=escape(line.conversion),
                rate=rate,
                cost=escape(format_pence(cost)),
                mode=escape(line.get_mode_display()),
                dates=dates,
                actions=actions,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
