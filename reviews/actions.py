"""Every write to reviews and reablement episodes.

Each is an action (core.actions): the acting user as a keyword, one transaction, history
stamped, an AuditEvent written. Transitions lock the row first, so two people acting at once
are told the record has moved on (409 in an API), never overwritten.
"""

import datetime as dt

from django.utils import timezone

from core.actions import ActionError, action, audit, because
from core.concurrency import lock_at_version
from core.rules import check_all

from . import domain, rules
from .models import ReablementEpisode, Review, ReviewOutcome


def _user(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


def _touch(record) -> None:
    record.edit_version += 1
    record.save()


# --- Scheduling ------------------------------------------------------------------------------


@action
def schedule_review(
    person, *, acting_user, kind: str, due_on: dt.date, plan=None, reason: str = ""
) -> Review:
    """Schedule a review. A planned one (first or yearly) never doubles up: if the person
    already has a planned review open, it is brought forward to the earlier date."""
    review = Review(person=person, kind=kind, due_on=due_on, plan=plan, reason=reason)
    check_all((rules.DueDateNeeded, rules.UnplannedNeedsReason), review)
    if kind in Review.PLANNED:
        existing = (
            Review.objects.select_for_update()
            .filter(person=person, kind__in=Review.PLANNED, status__in=Review.OPEN)
            .order_by("due_on", "id")
            .first()
        )
        if existing is not None:
            if due_on < existing.due_on:
                existing.due_on = due_on
                existing.plan = plan or existing.plan
                because("Brought forward")
                _touch(existing)
                audit(
                    existing,
                    f"Review brought forward to {due_on:%-d %B %Y}",
                    person=person,
                )
            else:
                audit(existing, "A review was already scheduled", person=person)
            return existing
    because("Scheduled")
    review.team_id = person.team_id
    review.scheduled_by = _user(acting_user)
    review.save()
    audit(review, f"{review.get_kind_display()} due {due_on:%-d %B %Y}", person=person)
    return review


def schedule_first_review(plan, *, acting_user, started: dt.date) -> Review:
    """A plan became active (or a direct payment started): the first review within 6 months.
    Called from plans.actions when a plan becomes active, inside that action."""
    return schedule_review(
        plan.person,
        acting_user=acting_user,
        kind=Review.Kind.FIRST,
        due_on=domain.first_review_due(started),
        plan=plan,
        reason="The support plan became active"
        + (" with a direct payment" if plan.lines.filter(mode="direct_payment").exists() else ""),
    )


# --- Carrying out a review -------------------------------------------------------------------


def plan_outcomes(review: Review) -> list:
    """The outcomes the review rates: those of the plan reviewed (or the person's active one)."""
    plan = review.plan or review.person.plans.filter(status="active").first()
    return list(plan.outcomes.all()) if plan is not None else []


@action
def start_review(review: Review, *, acting_user) -> Review:
    locked = lock_at_version(review, None)
    locked._start(_user(acting_user))
    because("Started")
    _touch(locked)
    audit(locked, "Review started", person=locked.person)
    return locked


@action
def complete_review(
    review: Review,
    *,
    acting_user,
    ratings: dict,
    ascot: dict,
    changes: str,
    comments: dict | None = None,
    completed_on: dt.date | None = None,
) -> Review:
    """Record the review: each plan outcome achieved, partly or not (`ratings` by outcome
    id), the eight ASCOT domains (0-3), what changes; then schedule the next review within
    12 months (guidance 13.32)."""
    locked = lock_at_version(review, None)
    if locked.status == Review.Status.SCHEDULED:
        locked._start(_user(acting_user))
    outcomes = plan_outcomes(locked)
    ascot = {code: _level(ascot.get(code)) for code, _label in domain.ASCOT_DOMAINS}
    check_all(
        (rules.EveryOutcomeRated, rules.AscotComplete, rules.ChangesRecorded),
        locked,
        ratings={str(k): v for k, v in ratings.items()},
        outcome_keys=[str(o.pk) for o in outcomes],
        ascot=ascot,
        changes=changes,
    )
    comments = comments or {}
    for outcome in outcomes:
        ReviewOutcome.objects.create(
            review=locked,
            plan_outcome=outcome,
            text=outcome.text,
            rating=ratings.get(str(outcome.pk), ratings.get(outcome.pk)),
            comment=comments.get(str(outcome.pk), ""),
        )
    on = completed_on or timezone.localdate()
    locked.ascot = ascot
    locked.changes = changes.strip()
    locked._complete(_user(acting_user), on)
    because("Completed")
    _touch(locked)
    audit(
        locked,
        f"Review completed: ASCOT score {domain.ascot_score(ascot)} of 24",
        person=locked.person,
    )
    schedule_review(
        locked.person,
        acting_user=acting_user,
        kind=Review.Kind.ANNUAL,
        due_on=domain.next_review_due(on),
        plan=locked.plan,
        reason="Yearly review after the last one",
    )
    return locked


def _level(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@action
def cancel_review(review: Review, *, acting_user, reason: str) -> Review:
    check_all((rules.CancelNeedsReason,), review, reason=reason)
    locked = lock_at_version(review, None)
    locked._cancel(reason.strip())
    because("Cancelled")
    _touch(locked)
    audit(locked, f"Review cancelled: {reason.strip()}"[:300], person=locked.person)
    return locked


@action
def start_reassessment_from(review: Review, *, acting_user):
    """The review found needs have changed: start a reassessment (assessment.actions)."""
    from assessment import actions as assessment_actions

    assessment = assessment_actions.start_assessment(
        review.person, kind="person", mode="supported", acting_user=acting_user
    )
    locked = lock_at_version(review, None)
    locked.reassessment = assessment
    because("Reassessment started")
    _touch(locked)
    audit(locked, "Started a reassessment from the review", person=locked.person)
    return assessment


@action
def start_plan_change_from(review: Review, *, acting_user):
    """The review found the plan should change: start a new plan (plans.actions), costed
    against the person's proposed budget."""
    from plans import actions as plan_actions

    plan = plan_actions.start_plan(review.person, acting_user=acting_user)
    locked = lock_at_version(review, None)
    locked.plan_change = plan
    because("Plan change started")
    _touch(locked)
    audit(locked, "Started a change to the plan from the review", person=locked.person)
    return plan


# --- Reablement ------------------------------------------------------------------------------


@action
def start_reablement(
    person,
    *,
    acting_user,
    starts_on: dt.date,
    planned_end_on: dt.date | None = None,
    longer_reason: str = "",
    after_hospital: bool = False,
    discharged_on: dt.date | None = None,
) -> ReablementEpisode:
    """Start a reablement episode: six weeks unless a reason is given for longer."""
    if planned_end_on is None:
        planned_end_on = starts_on + dt.timedelta(days=domain.REABLEMENT_FREE_DAYS - 1)
    episode = ReablementEpisode(
        person=person,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        longer_reason=longer_reason.strip(),
        after_hospital=after_hospital,
        discharged_on=discharged_on if after_hospital else None,
        started_by=_user(acting_user),
    )
    check_all(rules.REABLEMENT_START_RULES, episode)
    if ReablementEpisode.objects.filter(person=person, status="open").exists():
        raise ActionError(
            f"{person.full_name} already has a reablement episode under way: end it first",
            code="REABLEMENT-ALREADY-OPEN",
        )
    because("Started")
    episode.save()
    audit(
        episode,
        f"Reablement from {starts_on:%-d %B %Y} to {planned_end_on:%-d %B %Y}",
        person=person,
    )
    return episode


@action
def end_reablement(
    episode: ReablementEpisode,
    *,
    acting_user,
    ended_on: dt.date,
    outcome: str,
    detail: str = "",
    longer_reason: str = "",
) -> ReablementEpisode:
    """End the episode with its outcome. Ending more than six weeks after it began needs the
    reason (the free period: reviews/domain.py)."""
    locked = lock_at_version(episode, None)
    if longer_reason.strip():
        locked.longer_reason = longer_reason.strip()
    check_all(
        (
            rules.ReablementEndsAfterStart,
            rules.ReablementNoLongerThanSixWeeks,
            rules.ReablementOutcomeNeeded,
        ),
        locked,
        end=ended_on,
        outcome=outcome,
        detail=detail,
    )
    locked._end(ended_on, outcome, detail.strip())
    because("Ended")
    _touch(locked)
    audit(
        locked,
        f"Reablement ended {ended_on:%-d %B %Y}: {locked.get_outcome_display().lower()}",
        person=locked.person,
    )
    return locked


@action
def record_at_home(
    episode: ReablementEpisode, *, acting_user, at_home: bool, today: dt.date | None = None
) -> ReablementEpisode:
    """ASCOF 2B: whether they were still at home 91 days after leaving hospital."""
    today = today or timezone.localdate()
    locked = lock_at_version(episode, None)
    check_all((rules.AtHomeOnlyAfterHospitalAndDays,), locked, today=today)
    locked.at_home_after_91_days = at_home
    because("At home after 91 days recorded")
    _touch(locked)
    audit(
        locked,
        "Still at home 91 days after leaving hospital"
        if at_home
        else "Not at home 91 days after leaving hospital",
        person=locked.person,
    )
    return locked
