"""Demo data for budget letters and challenges: letters sent for agreed plans, and a few open
challenges, some overdue, one decided. Called once from demo/management/commands/seed_demo.py.

It uses the plans the demo already has (approved or active); if there are none, it first
agrees a few itself, the way a practitioner and an approver would (budgets.actions and
plans.actions), so the challenge pages have something to show.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from budgets.models import PersonalBudget
from core.actions import ActionError, action, audit
from plans import actions as plan_actions
from plans.models import AuthorityLimit, SupportPlan

from . import actions
from .models import Challenge

WORDS = [
    "The budget does not cover help in the evenings, and that is when I struggle most.",
    "Nobody asked me what matters to me before the plan was decided.",
    "My mum's needs have gone up since the assessment: the hours are not enough.",
    "I want a direct payment so I can employ my own personal assistant.",
    "The amount was worked out as if my husband can help, but he is not well himself.",
    "The day centre in the plan is too far away for me to get to.",
]
REASONS = {
    "upheld": "We agree: the assessment missed the help you need in the evenings. Your plan "
    "will add five hours a week and your budget goes up to match.",
    "partly": "We agree in part: we will add two hours a week for evenings; the rest of the "
    "plan meets your needs as they are now.",
    "not_upheld": "We looked again with your social worker. The plan meets every eligible "
    "need recorded; if things have changed, ask for a review.",
}


def _staff(team_id, role):
    return User.objects.filter(team_id=team_id, role=role, is_active=True).order_by("pk")


def _approver_for(team_id, admin):
    approver = (
        _staff(team_id, Role.APPROVER).first()
        or User.objects.filter(role=Role.APPROVER, is_active=True).order_by("pk").first()
    )
    if approver is not None and not AuthorityLimit.objects.filter(user=approver).exists():
        plan_actions.set_authority_limit(approver, acting_user=admin, weekly_pence=150_000)
    return approver


@action
def propose_demo_budget(current: PersonalBudget, *, acting_user) -> PersonalBudget:
    """A proposed budget for a demo person whose budget was loaded without an assessment's
    indicative amount: the loaded amount stands in for it, so a plan can be agreed."""
    budget = PersonalBudget.objects.create(
        person=current.person,
        kind=current.kind,
        amount_pence=current.amount_pence,
        indicative_pence=current.amount_pence,
        period=current.period,
        start_date=timezone.localdate(),
        status=PersonalBudget.Status.PROPOSED,
        created_by=acting_user,
    )
    audit(budget, "Proposed from the demo budget (synthetic data)", person=current.person)
    return budget


def _agree_a_plan(current, practitioner, approver, as_of) -> SupportPlan | None:
    """Propose a budget, plan it (90% of it, council-managed), send it and approve it."""
    budget = propose_demo_budget(current, acting_user=practitioner)
    person = budget.person
    plan = plan_actions.start_plan(person, acting_user=practitioner)
    plan_actions.add_outcome(
        plan,
        text="I want to stay living in my own home",
        links=plan_actions.needs_to_meet(plan),
        acting_user=practitioner,
    )
    plan_actions.set_no_risks(plan, no_risks=True, acting_user=practitioner)
    plan_actions.set_helpers(
        plan, helpers=["self", "practitioner"], detail="Planned at home", acting_user=practitioner
    )
    plan_actions.add_lines(
        plan,
        [
            {
                "service_type": "lts_community",
                "line_type": "care",
                "service": "other",
                "description": "Help at home each week",
                "provider_kind": "provider",
                "provider": "Wexcombe Home Support",
                "units": Decimal("1"),
                "unit_cost_pence": max(100, budget.amount_pence * 9 // 10),
                "frequency": "weekly",
                "funding_stream": "council",
                "mode": "council_managed",
                "start_date": as_of,
                "end_date": None,
            }
        ],
        acting_user=practitioner,
    )
    plan_actions.submit_plan(plan, acting_user=practitioner, reason="")
    plan.refresh_from_db()
    plan = plan_actions.approve_plan(plan, acting_user=approver, start_date=as_of)
    return plan if plan.status in actions.AGREED else None


def _agree_some_plans(rng, count, as_of) -> list[SupportPlan]:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    candidates = list(
        PersonalBudget.objects.current()
        .filter(kind="person", period="week", amount_pence__gt=0, person__team__isnull=False)
        .exclude(person__plans__isnull=False)
        .select_related("person")
        .order_by("pk")[:200]
    )
    rng.shuffle(candidates)
    made = []
    for current in candidates:
        if len(made) >= count:
            break
        team_id = current.person.team_id
        practitioner = _staff(team_id, Role.PRACTITIONER).first()
        approver = _approver_for(team_id, admin) if admin else None
        if practitioner is None or approver is None or approver == practitioner:
            continue
        try:
            with transaction.atomic():
                plan = _agree_a_plan(current, practitioner, approver, as_of)
        except ActionError:
            plan = None  # a demo person whose plan a rule refuses is left without one
        if plan is not None:
            made.append(plan)
    return made


def seed_challenges(rng: random.Random, *, count: int = 6, as_of: dt.date | None = None) -> dict:
    """Letters sent for a sample of agreed plans, and `count` challenges: a third overdue, some
    assigned, one decided. Returns how many of each were made."""
    as_of = as_of or timezone.localdate()
    plans = list(
        SupportPlan.objects.filter(status__in=actions.AGREED)
        .exclude(budget__status="proposed")
        .filter(person__team__isnull=False)
        .select_related("person", "budget")
        .order_by("pk")[:500]
    )
    if len(plans) < count:
        plans += _agree_some_plans(rng, count - len(plans), as_of)
    chosen = rng.sample(plans, min(count, len(plans)))
    letters = challenges = 0
    for n, plan in enumerate(chosen):
        team_id = plan.person.team_id
        staff = list(_staff(team_id, Role.PRACTITIONER)) + list(_staff(team_id, Role.APPROVER))
        others = [u for u in staff if u.pk != plan.approved_by_id]
        if not others:
            continue
        handler = rng.choice(others)
        actions.issue_letter(plan, acting_user=handler)
        letters += 1
        decision = next(
            (d for d in actions.decisions_for(plan.person) if d.plan.pk == plan.pk), None
        )
        if decision is None:
            continue
        overdue = n % 3 == 0
        received = as_of - dt.timedelta(days=rng.randint(35, 60) if overdue else rng.randint(0, 12))
        raiser = plan.person.user or plan.person.representative or handler
        challenge = actions.raise_challenge(
            decision,
            acting_user=raiser,
            words=rng.choice(WORDS),
            received_on=received,
        )
        challenges += 1
        if n % 2 == 1 or n == len(chosen) - 1:
            challenge = actions.assign_challenge(challenge, acting_user=handler, assignee=handler)
        if n == len(chosen) - 1 and challenge.status == Challenge.Status.ASSIGNED:
            outcome = rng.choice(sorted(REASONS))
            actions.decide_challenge(
                challenge, acting_user=handler, outcome=outcome, reasons=REASONS[outcome]
            )
    return {"letters": letters, "challenges": challenges}
