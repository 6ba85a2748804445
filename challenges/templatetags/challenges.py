"""What the portal and the plan page show of budget letters and challenges."""

from django import template

from plans.models import SupportPlan

from .. import actions, letter
from ..models import Challenge

register = template.Library()


@register.simple_tag
def challenges_for_portal(person) -> dict:
    """The person's agreed plans (their letters), challenges, and whether there is a decision
    they can challenge."""
    agreed = list(
        SupportPlan.objects.filter(person=person, status__in=actions.AGREED)
        .exclude(budget__status="proposed")
        .select_related("budget")
        .order_by("-approved_at", "-id")[:3]
    )
    return {
        "letters": agreed,
        "challenges": list(Challenge.objects.filter(person=person).order_by("-created_at")[:10]),
        "can_challenge": bool(actions.decisions_for(person)),
        "history": letter.history(person=person),
    }


@register.simple_tag
def letter_history_for_plan(plan, staff: bool = True) -> list:
    return letter.history(plan=plan, staff=staff)
