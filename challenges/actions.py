"""Every write of a budget letter or a challenge (DESIGN.md §7): one transaction, an audit
event, and the challenge's lifecycle changed only here.

The law behind them is in challenges/models.py and challenges/rules.py.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django_fsm import TransitionNotAllowed

from core.actions import ActionError, action, audit, because
from core.concurrency import lock_at_version
from core.dates import add_working_days
from core.money import format_pence, period_words
from core.rules import check_all
from plans.models import PlanEvent, SupportPlan

from . import rules
from .models import RESPONSE_WORKING_DAYS, BudgetLetter, Challenge

# Plans whose budget has been agreed: the letter can be printed and the amount challenged.
AGREED = (SupportPlan.Status.APPROVED, SupportPlan.Status.ACTIVE, SupportPlan.Status.ENDED)
DECISION_KINDS = (PlanEvent.Kind.APPROVED, PlanEvent.Kind.RETURNED, PlanEvent.Kind.PANEL)


@dataclass(frozen=True)
class Decision:
    """A decision the person can challenge: the budget agreed with a plan, or the latest
    decision on the plan (approved, returned for changes, or the funding panel's)."""

    plan: SupportPlan
    about: str  # Challenge.About
    text: str
    maker_id: int | None
    on: dt.date

    @property
    def key(self) -> str:
        return f"{self.about}-{self.plan.pk}"


def decisions_for(person) -> list[Decision]:
    """The decisions the person can challenge, newest plan first."""
    found = []
    plans = (
        SupportPlan.objects.filter(person=person)
        .exclude(status=SupportPlan.Status.DRAFT)
        .select_related("budget", "panel_decision")
    )
    for plan in plans:
        budget = plan.budget
        if plan.status in AGREED and budget.status != "proposed":
            maker = (
                plan.panel_decision.decided_by_id if plan.panel_decision_id else plan.approved_by_id
            )
            on = plan.approved_at.date() if plan.approved_at else budget.start_date
            found.append(
                Decision(
                    plan,
                    Challenge.About.BUDGET,
                    f"The personal budget of {format_pence(budget.amount_pence)} "
                    f"{period_words(budget.period)} agreed on {on:%-d %B %Y}",
                    maker,
                    on,
                )
            )
        event = plan.events.filter(kind__in=DECISION_KINDS).order_by("-occurred_at", "-id").first()
        if event is not None:
            on = timezone.localtime(event.occurred_at).date()
            found.append(
                Decision(
                    plan,
                    Challenge.About.PLAN,
                    f"The support plan decision: {event.get_kind_display().lower()} "
                    f"on {on:%-d %B %Y}",
                    event.actor_id,
                    on,
                )
            )
    return found


def respond_by(received: dt.date) -> dt.date:
    return add_working_days(received, RESPONSE_WORKING_DAYS)


def _refuse(challenge: Challenge, method) -> None:
    raise TransitionNotAllowed(
        f"Cannot {method.__name__} from {challenge.status}", object=challenge, method=method
    )


def _finish(challenge: Challenge, summary: str) -> Challenge:
    challenge.edit_version += 1
    challenge.save()
    audit(challenge, summary, person=challenge.person)
    return challenge


# --- Budget letters ------------------------------------------------------------------------


@action
def issue_letter(plan: SupportPlan, *, acting_user, note: str = "") -> BudgetLetter:
    """Record that a budget letter was issued for a plan whose budget is agreed (Care Act 2014
    s25(1)(e): the plan includes the personal budget, and the person has it in writing)."""
    if plan.status not in AGREED or plan.budget.status == "proposed":
        raise ActionError(
            "A budget letter can only be issued once the plan is approved and its budget agreed",
            code="LETTER-NOT-AGREED",
        )
    budget = plan.budget
    letter = BudgetLetter.objects.create(
        plan=plan,
        person=plan.person,
        budget=budget,
        amount_pence=budget.amount_pence,
        period=budget.period,
        issued_by=acting_user,
        note=note.strip()[:300],
    )
    audit(
        letter,
        f"Budget letter issued: {letter.amount_text}",
        person=plan.person,
    )
    return letter


# --- Challenges ----------------------------------------------------------------------------


@action
def raise_challenge(
    decision: Decision, *, acting_user, words: str, wanted: str = "", received_on=None
) -> Challenge:
    """The person (or their representative) challenges a decision, in their own words. It is
    to be answered within 20 working days of receipt (core.dates counts them)."""
    received = received_on or timezone.localdate()
    plan = decision.plan
    challenge = Challenge(
        person=plan.person,
        plan=plan,
        budget=plan.budget,
        about=decision.about,
        decision_text=decision.text[:300],
        decision_maker_id=decision.maker_id,
        words=(words or "").strip(),
        wanted=(wanted or "").strip(),
        raised_by=acting_user,
        received_on=received,
        respond_by=respond_by(received),
    )
    check_all((rules.ChallengeHasWords, rules.DecisionToChallenge), challenge)
    because("Challenge received")
    challenge.save()
    audit(
        challenge,
        f"Challenge received about {challenge.get_about_display().lower()}; "
        f"answer due by {challenge.respond_by:%-d %B %Y}",
        person=challenge.person,
    )
    return challenge


@action
def assign_challenge(
    challenge: Challenge, *, acting_user, assignee, expected_version=None
) -> Challenge:
    """Give the challenge to a member of staff to look into: not whoever made the decision."""
    locked = lock_at_version(challenge, expected_version)
    if not locked.is_open:
        _refuse(locked, locked._assign)
    check_all(
        (rules.AssigneeIsStaff, rules.AssigneeIsNotTheDecisionMaker), locked, assignee=assignee
    )
    locked._assign(assignee)
    because("Assigned")
    return _finish(locked, f"Challenge assigned to {assignee.display_name}")


@action
def decide_challenge(
    challenge: Challenge, *, acting_user, outcome: str, reasons: str, expected_version=None
) -> Challenge:
    """Decide the challenge with reasons the person will read (2009 Regulations, reg. 14).
    Whoever made the decision challenged may not decide it."""
    locked = lock_at_version(challenge, expected_version)
    if locked.status != Challenge.Status.ASSIGNED:
        _refuse(locked, locked._uphold)
    check_all(
        (rules.KnownOutcome, rules.OutcomeHasReasons, rules.DeciderIsNotTheDecisionMaker),
        locked,
        user=acting_user,
        outcome=outcome,
        reasons=reasons,
    )
    {
        Challenge.Status.UPHELD: locked._uphold,
        Challenge.Status.PARTLY_UPHELD: locked._partly_uphold,
        Challenge.Status.NOT_UPHELD: locked._not_uphold,
    }[outcome]()
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.reasons = reasons.strip()
    because("Decided")
    return _finish(locked, f"Challenge decided: {locked.get_status_display().lower()}")


@action
def withdraw_challenge(challenge: Challenge, *, acting_user, expected_version=None) -> Challenge:
    """The person withdraws their challenge while it is still open."""
    locked = lock_at_version(challenge, expected_version)
    if not locked.is_open:
        _refuse(locked, locked._withdraw)
    locked._withdraw()
    because("Withdrawn")
    return _finish(locked, "Challenge withdrawn")
