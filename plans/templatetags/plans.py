"""What the portal shows of a person's support plan (people/portal_person.html)."""

from django import template

from budgets.models import PersonalBudget

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
