"""Support plans by state, each built through plans.actions as the pages would build it.

    plan = DraftPlanFactory()                      # a person eligible, a proposed budget, a draft
    plan = SubmittedPlanFactory(person=someone)    # ... sent for approval
    plan = ApprovedPlanFactory(start=next_month)   # approved, starting later
    plan = ActivePlanFactory()                     # approved and started today
    plan = PanelPlanFactory()                      # above the approver's limit: with the panel

By default the author is a practitioner of the person's team, the plan has one outcome
linked to every eligible need, one weekly line costing half the budget, no particular risks,
and the person and their social worker as its helpers.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.tests.factories import CompletedAssessmentFactory
from budgets import actions as budget_actions
from people.tests.factories import PersonFactory
from plans import actions
from plans.models import SupportPlan


def line_values(**changes) -> dict:
    """A valid weekly line (10 hours of home care at £28.00 from today), with changes."""
    values = {
        "service_type": "lts_community",
        "line_type": "care",
        "service": "home_care",
        "description": "Help getting up and washed each morning",
        "provider_kind": "provider",
        "provider": "Northtown Home Care",
        "units": Decimal("10"),
        "unit_cost_pence": 2800,
        "frequency": "weekly",
        "funding_stream": "council",
        "mode": "council_managed",
        "start_date": timezone.localdate(),
        "end_date": None,
    }
    values.update(changes)
    return values


def approver_with_limit(team=None, weekly_pence: int = 100_000, **fields) -> User:
    """An approver with an authority limit (set by an administrator, through the action)."""
    approver = UserFactory(role=Role.APPROVER, team=team, **fields)
    admin = UserFactory(role=Role.ADMIN)
    actions.set_authority_limit(approver, acting_user=admin, weekly_pence=weekly_pence)
    return approver


def _author_for(person):
    from assessment.tests.factories import _practitioner_for

    return _practitioner_for(person)


class DraftPlanFactory(factory.Factory):
    """A draft plan for an eligible person, with what a plan needs to be sent."""

    class Meta:
        model = dict

    person = factory.LazyFunction(lambda: CompletedAssessmentFactory().person)
    author = None
    lines = None  # a list of line values; by default one line costing half the budget
    complete = True  # outcomes, staying safe and helpers filled in

    @classmethod
    def _create(cls, model_class, *, person, author, lines, complete, **extra):
        author = author or _author_for(person)
        plan = actions.start_plan(person, acting_user=author)
        if complete:
            needs = actions.needs_to_meet(plan)
            actions.add_outcome(
                plan,
                text="I want to get up and dressed at a time I choose",
                links=needs,
                acting_user=author,
            )
            actions.set_no_risks(plan, no_risks=True, acting_user=author)
            actions.set_helpers(
                plan,
                helpers=["self", "practitioner"],
                detail="Planned together at home",
                acting_user=author,
            )
        if lines is None:
            half = max(100, plan.budget.amount_pence // 2)
            lines = [
                line_values(
                    service="other",
                    units=Decimal("1"),
                    unit_cost_pence=half,
                    description="Support to get out and about",
                )
            ]
        if lines:
            actions.add_lines(plan, lines, acting_user=author)
        plan.refresh_from_db()
        return plan


class SubmittedPlanFactory(DraftPlanFactory):
    reason = ""

    @classmethod
    def _create(cls, model_class, *, reason, **kwargs):
        plan = super()._create(model_class, **kwargs)
        actions.submit_plan(plan, acting_user=plan.author, reason=reason)
        plan.refresh_from_db()
        return plan


class ReturnedPlanFactory(SubmittedPlanFactory):
    comment = "Please say who will help at weekends"

    @classmethod
    def _create(cls, model_class, *, comment, **kwargs):
        plan = super()._create(model_class, **kwargs)
        returner = _author_for(plan.person)
        actions.return_plan(plan, acting_user=returner, comment=comment)
        plan.refresh_from_db()
        return plan


class ApprovedPlanFactory(SubmittedPlanFactory):
    """Approved by an approver of the person's team, starting on `start` (a week from today by
    default, so it is approved and not yet active)."""

    approver = None
    start = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *, approver, start, **kwargs):
        plan = super()._create(model_class, **kwargs)
        approver = approver or approver_with_limit(team=plan.person.team)
        actions.approve_plan(plan, acting_user=approver, start_date=start)
        plan.refresh_from_db()
        return plan


class ActivePlanFactory(ApprovedPlanFactory):
    start = factory.LazyFunction(timezone.localdate)


class PanelPlanFactory(SubmittedPlanFactory):
    """Sent to the funding panel: its approver's limit is below what the plan costs."""

    approver = None

    @classmethod
    def _create(cls, model_class, *, approver, **kwargs):
        plan = super()._create(model_class, **kwargs)
        approver = approver or approver_with_limit(team=plan.person.team, weekly_pence=1)
        actions.approve_plan(plan, acting_user=approver)
        plan.refresh_from_db()
        assert plan.status == SupportPlan.Status.PANEL
        return plan


def open_reserve(user, opening_pence: int = 5_000_000, on: dt.date | None = None):
    """This financial year's reserve (a commissioner sets it)."""
    from core.dates import financial_year

    label, start, end = financial_year(on or timezone.localdate())
    return budget_actions.open_reserve(
        acting_user=user,
        financial_year_label=label,
        starts_on=start,
        ends_on=end,
        opening_pence=opening_pence,
        source="Envelope × reserve % (test)",
    )


__all__ = [
    "ActivePlanFactory",
    "ApprovedPlanFactory",
    "DraftPlanFactory",
    "PanelPlanFactory",
    "PersonFactory",
    "ReturnedPlanFactory",
    "SubmittedPlanFactory",
    "approver_with_limit",
    "line_values",
    "open_reserve",
]
