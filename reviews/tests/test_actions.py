"""Review scheduling (first within 6 months, then every 12), recording a review, and
reablement's six-week rule, all through reviews.actions."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actions import ActionError, IllegalTransition
from core.models import AuditEvent
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory
from plans.tests.factories import ActivePlanFactory, ApprovedPlanFactory
from reviews import actions, domain
from reviews.models import ReablementEpisode, Review
from reviews.tests.factories import (
    InProgressReviewFactory,
    ReablementFactory,
    ScheduledReviewFactory,
    _practitioner_for,
    ascot_all,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _six_months_on(day: dt.date) -> dt.date:
    """A plain reference: the same day six months later, clipped to the month's end."""
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError


def test_a_plan_becoming_active_schedules_its_first_review_within_six_months():
    plan = ActivePlanFactory()
    review = Review.objects.get(person=plan.person)
    assert review.kind == Review.Kind.FIRST
    assert review.plan == plan
    assert review.due_on == _six_months_on(plan.starts_on)
    assert review.team_id == plan.person.team_id
    assert AuditEvent.objects.filter(
        record_type__icontains="review", record_id=str(review.pk)
    ).exists()


def test_an_approved_plan_starting_later_has_no_review_until_it_becomes_active():
    plan = ApprovedPlanFactory()
    assert not Review.objects.filter(person=plan.person).exists()


def test_a_planned_review_is_not_doubled_but_brought_forward_when_due_sooner():
    review = ScheduledReviewFactory()
    user = _practitioner_for(review.person)
    earlier = review.due_on - dt.timedelta(days=30)
    again = actions.schedule_review(
        review.person, acting_user=user, kind=Review.Kind.ANNUAL, due_on=earlier
    )
    assert again.pk == review.pk
    assert Review.objects.filter(person=review.person).count() == 1
    review.refresh_from_db()
    assert review.due_on == earlier


def test_an_unplanned_review_needs_a_reason_and_sits_beside_the_planned_one():
    review = ScheduledReviewFactory()
    user = _practitioner_for(review.person)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.schedule_review(
            review.person, acting_user=user, kind=Review.Kind.UNPLANNED, due_on=TODAY
        )
    assert refused.value.codes == ["REVIEW-UNPLANNED-REASON"]
    actions.schedule_review(
        review.person,
        acting_user=user,
        kind=Review.Kind.UNPLANNED,
        due_on=TODAY,
        reason="Their daughter rang: a fall at home",
    )
    assert Review.objects.filter(person=review.person).open().count() == 2


def test_completing_a_review_records_outcomes_and_ascot_and_schedules_the_next_in_twelve_months():
    review = InProgressReviewFactory()
    user = _practitioner_for(review.person)
    outcomes = actions.plan_outcomes(review)
    assert outcomes
    ascot = ascot_all(2) | {"social": 1, "control": 3}
    done = actions.complete_review(
        review,
        acting_user=user,
        ratings={str(o.pk): "partly" for o in outcomes},
        ascot=ascot,
        changes="More help on Sundays",
        completed_on=TODAY,
    )
    assert done.status == Review.Status.COMPLETED
    assert done.ascot_score == sum(ascot.values())
    assert [o.rating for o in done.outcomes.all()] == ["partly"] * len(outcomes)
    following = Review.objects.open().get(person=review.person)
    assert following.kind == Review.Kind.ANNUAL
    assert (following.due_on.year, following.due_on.month) == (TODAY.year + 1, TODAY.month)
    assert (following.due_on - TODAY).days in (365, 366)


def test_a_review_is_refused_without_every_outcome_and_every_ascot_domain_and_changes():
    review = InProgressReviewFactory()
    user = _practitioner_for(review.person)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.complete_review(
            review, acting_user=user, ratings={}, ascot={"control": 3, "dignity": 4}, changes=""
        )
    assert set(refused.value.codes) == {"REVIEW-OUTCOMES", "REVIEW-ASCOT", "REVIEW-CHANGES"}
    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS


def test_a_completed_review_cannot_be_cancelled():
    review = InProgressReviewFactory()
    user = _practitioner_for(review.person)
    actions.complete_review(
        review,
        acting_user=user,
        ratings={str(o.pk): "achieved" for o in actions.plan_outcomes(review)},
        ascot=ascot_all(3),
        changes="Nothing changes: it is working",
    )
    with pytest.raises(IllegalTransition):
        actions.cancel_review(review, acting_user=user, reason="Made in error")


def test_a_review_can_start_a_reassessment():
    review = InProgressReviewFactory()
    user = _practitioner_for(review.person)
    assessment = actions.start_reassessment_from(review, acting_user=user)
    review.refresh_from_db()
    assert review.reassessment == assessment
    assert assessment.person == review.person
    assert assessment.status == "in_progress"


def test_a_plan_change_needs_a_proposed_budget_and_says_so():
    review = InProgressReviewFactory()
    user = _practitioner_for(review.person)
    with pytest.raises(ActionError) as refused:
        actions.start_plan_change_from(review, acting_user=user)
    assert refused.value.code == "PLAN-NO-BUDGET"


def test_reablement_defaults_to_six_weeks():
    episode = ReablementFactory()
    assert episode.days == domain.REABLEMENT_FREE_DAYS
    assert episode.planned_end_on == episode.starts_on + dt.timedelta(days=41)


def test_reablement_longer_than_six_weeks_is_refused_without_a_reason():
    person = PersonFactory()
    user = _practitioner_for(person)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.start_reablement(
            person,
            acting_user=user,
            starts_on=TODAY,
            planned_end_on=TODAY + dt.timedelta(days=42),
        )
    assert refused.value.codes == ["REABLEMENT-SIX-WEEKS"]
    episode = actions.start_reablement(
        person,
        acting_user=user,
        starts_on=TODAY,
        planned_end_on=TODAY + dt.timedelta(days=56),
        longer_reason="Recovering from a second operation",
    )
    assert episode.days == 57


def test_ending_reablement_late_needs_a_reason_and_an_outcome():
    episode = ReablementFactory(starts_on=TODAY - dt.timedelta(days=60))
    user = _practitioner_for(episode.person)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.end_reablement(episode, acting_user=user, ended_on=TODAY, outcome="")
    assert set(refused.value.codes) == {"REABLEMENT-SIX-WEEKS", "REABLEMENT-OUTCOME"}
    ended = actions.end_reablement(
        episode,
        acting_user=user,
        ended_on=TODAY,
        outcome="long_term",
        longer_reason="Waiting for a home care provider",
    )
    assert ended.status == ReablementEpisode.Status.ENDED
    assert ended.outcome == "long_term"


def test_still_at_home_is_recorded_only_after_hospital_and_91_days():
    left = TODAY - dt.timedelta(days=95)
    episode = ReablementFactory(starts_on=left, after_hospital=True, discharged_on=left)
    user = _practitioner_for(episode.person)
    actions.end_reablement(
        episode, acting_user=user, ended_on=left + dt.timedelta(days=30), outcome="no_further"
    )
    recorded = actions.record_at_home(episode, acting_user=user, at_home=True)
    assert recorded.at_home_after_91_days is True
    not_hospital = ReablementFactory()
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_at_home(not_hospital, acting_user=user, at_home=True)
    assert refused.value.codes == ["REABLEMENT-AT-HOME"]
    recent = ReablementFactory(after_hospital=True)
    with pytest.raises(BusinessRuleViolation):
        actions.record_at_home(recent, acting_user=user, at_home=True)


def test_the_sct4_score_is_the_sum_of_the_eight_domains():
    ratings = {code: i % 4 for i, (code, _label) in enumerate(domain.ASCOT_DOMAINS)}
    assert domain.ascot_score(ratings) == sum(i % 4 for i in range(8))
    assert domain.ascot_score({"control": 3}) is None
