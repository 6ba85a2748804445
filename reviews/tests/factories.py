"""Reviews and reablement by state, each made through reviews.actions.

review = ScheduledReviewFactory()        # an active plan's first review, scheduled
review = InProgressReviewFactory()       # ... started
episode = ReablementFactory(person=p)    # six weeks from today
"""

import datetime as dt

import factory
from django.utils import timezone

from people.tests.factories import PersonFactory
from plans.tests.factories import ActivePlanFactory
from reviews import actions
from reviews.models import Review


def _practitioner_for(person):
    from assessment.tests.factories import _practitioner_for as practitioner

    return practitioner(person)


def ascot_all(level: int = 2) -> dict:
    from reviews.domain import ASCOT_DOMAINS

    return {code: level for code, _label in ASCOT_DOMAINS}


class ScheduledReviewFactory(factory.Factory):
    """The first review of an active plan (scheduled when the plan became active)."""

    class Meta:
        model = dict

    plan = None
    team = None  # the person's team (people made by the factories have none by default)

    @classmethod
    def _create(cls, model_class, *, plan, team, **extra):
        if plan is None:
            from assessment.tests.factories import CompletedAssessmentFactory

            person = CompletedAssessmentFactory(person=PersonFactory(team=team)).person
            plan = ActivePlanFactory(person=person)
        return Review.objects.get(plan=plan, kind=Review.Kind.FIRST)


class InProgressReviewFactory(ScheduledReviewFactory):
    @classmethod
    def _create(cls, model_class, **kwargs):
        review = super()._create(model_class, **kwargs)
        return actions.start_review(review, acting_user=_practitioner_for(review.person))


class ReablementFactory(factory.Factory):
    class Meta:
        model = dict

    person = None
    starts_on = factory.LazyFunction(timezone.localdate)
    after_hospital = False
    discharged_on = None

    @classmethod
    def _create(cls, model_class, *, person, starts_on, after_hospital, discharged_on):
        if person is None:
            person = PersonFactory()
        return actions.start_reablement(
            person,
            acting_user=_practitioner_for(person),
            starts_on=starts_on,
            after_hospital=after_hospital,
            discharged_on=discharged_on
            if discharged_on or not after_hospital
            else starts_on - dt.timedelta(days=1),
        )
