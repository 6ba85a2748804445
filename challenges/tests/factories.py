"""Agreed plans with a letter's worth of detail, and challenges by state, each built through
the actions as the pages build them.

    plan = LetterPlanFactory(person=someone)   # active: home care, plus an ISF line paid
                                               # partly by the person's contribution
    challenge = ChallengeFactory(plan=plan)    # received from the person, about the budget
    challenge = AssignedChallengeFactory()     # ... given to a practitioner of the team
    challenge = DecidedChallengeFactory()      # ... and decided by them, with reasons
"""

from decimal import Decimal

import factory
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import TeamFactory, UserFactory
from assessment.tests.factories import CompletedAssessmentFactory
from challenges import actions
from people.tests.factories import PersonFactory
from plans.tests.factories import ActivePlanFactory, line_values


def letter_lines() -> list[dict]:
    """Ten hours of home care at £28.00 an hour (council-managed, the council paying), and a
    weekly afternoon out through Brightside Support's individual service fund, paid from the
    person's contribution."""
    return [
        line_values(),
        line_values(
            service="other",
            description="An afternoon out each week",
            provider="Brightside Support",
            units=Decimal("1"),
            unit_cost_pence=4550,
            mode="isf",
            funding_stream="contribution",
        ),
    ]


class LetterPlanFactory(factory.Factory):
    class Meta:
        model = dict

    person = factory.LazyFunction(
        lambda: CompletedAssessmentFactory(person=PersonFactory(team=TeamFactory())).person
    )
    lines = factory.LazyFunction(letter_lines)

    @classmethod
    def _create(cls, model_class, *, person, lines):
        return ActivePlanFactory(person=person, lines=lines)


def _decision(plan, about="budget"):
    return next(d for d in actions.decisions_for(plan.person) if d.about == about)


def _citizen_for(person):
    if person.user_id:
        return person.user
    user = UserFactory(role=Role.PERSON)
    person.user = user
    person.save(update_fields=["user"])
    return user


class ChallengeFactory(factory.Factory):
    class Meta:
        model = dict

    plan = factory.LazyFunction(LetterPlanFactory)
    about = "budget"
    words = "Ten hours is not enough: I need help in the evenings too"
    raised_by = None
    received_on = None

    @classmethod
    def _create(cls, model_class, *, plan, about, words, raised_by, received_on):
        return actions.raise_challenge(
            _decision(plan, about),
            acting_user=raised_by or _citizen_for(plan.person),
            words=words,
            received_on=received_on or timezone.localdate(),
        )


def colleague_of(person, role=Role.PRACTITIONER):
    """A member of staff in the person's team (who made no decision yet)."""
    return UserFactory(role=role, team=person.team)


class AssignedChallengeFactory(ChallengeFactory):
    assignee = None

    @classmethod
    def _create(cls, model_class, *, assignee, **kwargs):
        challenge = super()._create(model_class, **kwargs)
        assignee = assignee or colleague_of(challenge.person)
        return actions.assign_challenge(challenge, acting_user=assignee, assignee=assignee)


class DecidedChallengeFactory(AssignedChallengeFactory):
    outcome = "partly"
    reasons = "We agree you need help in the evenings; the plan will add five hours"

    @classmethod
    def _create(cls, model_class, *, outcome, reasons, **kwargs):
        challenge = super()._create(model_class, **kwargs)
        return actions.decide_challenge(
            challenge, acting_user=challenge.assigned_to, outcome=outcome, reasons=reasons
        )
