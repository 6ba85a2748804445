"""Every write to a personal budget."""

import datetime as dt

from django.utils import timezone

from core.actions import action, audit, because
from core.money import format_pence, period_words
from core.rules import check_all

from . import rules
from .models import PersonalBudget


@action
def set_budget(
    person,
    *,
    acting_user,
    amount_pence: int,
    period: str = PersonalBudget.Period.WEEK,
    start_date: dt.date,
    allocation=None,
    reason: str = "",
) -> PersonalBudget:
    """Give a person a new current budget, ending the one they had the day before it starts."""
    check_all(
        (rules.NotNegative,), PersonalBudget(amount_pence=amount_pence, start_date=start_date)
    )
    current = PersonalBudget.objects.select_for_update().current().filter(person=person).first()
    if current is not None:
        end_budget(current, end_date=start_date - dt.timedelta(days=1), acting_user=acting_user)
    because("Budget agreed")
    budget = PersonalBudget.objects.create(
        person=person,
        allocation=allocation,
        amount_pence=amount_pence,
        period=period,
        start_date=start_date,
        reason=reason,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit(
        budget,
        f"Budget of {format_pence(amount_pence)} {period_words(period)} from {start_date:%-d %B %Y}",
        person=person,
    )
    return budget


@action
def end_budget(budget: PersonalBudget, *, end_date: dt.date, acting_user) -> PersonalBudget:
    check_all((rules.EndsAfterItStarts,), budget, end_date=end_date)
    budget._end(end_date)
    because("Budget ended")
    budget.save()
    audit(budget, f"Budget ended on {end_date:%-d %B %Y}", person=budget.person)
    return budget


@action
def flag_for_review(budget: PersonalBudget, *, reason: str, acting_user) -> PersonalBudget:
    """Mark a budget to be looked at again (for example, after an eligibility decision changed)."""
    budget.review_flagged_at = timezone.now()
    budget.review_reason = reason[:1000]
    because("Flagged for review")
    budget.save()
    audit(budget, f"Flagged for review: {reason}"[:300], person=budget.person)
    return budget
