"""Assessments by state, each made through assessment.actions as the pages would make it."""

import random

import factory

from accounts.models import User
from accounts.roles import Role
from allocation.models import RasVersion
from assessment import actions
from people.tests.factories import PersonFactory


def answers_for(
    version: RasVersion, seed: int = 0, *, level: str | None = None, complex_answers: bool = True
) -> dict:
    """A complete set of answers that do not contradict each other: each question's first
    option, or random ones."""
    from allocation.tests.factories import random_answers

    if level == "lowest":
        return {q.code: q.options[0].code for q in version.parsed.questions}
    return random_answers(version, random.Random(seed), complex_answers=complex_answers)


def _practitioner_for(person):
    """A practitioner of the person's team (made if the team has none yet)."""
    from accounts.tests.factories import PractitionerFactory

    staff = User.objects.filter(role=Role.PRACTITIONER, team=person.team).first()
    return staff or PractitionerFactory(team=person.team)


class InProgressAssessmentFactory(factory.Factory):
    """An assessment started (a supported one by default) with some or no answers."""

    class Meta:
        model = dict

    person = factory.SubFactory(PersonFactory)
    kind = "person"
    mode = "supported"
    answers = factory.Dict({})
    cared_for = factory.LazyAttribute(
        lambda o: PersonFactory(team=o.person.team) if o.kind == "carer" else None
    )
    acting_user = None

    @classmethod
    def _create(cls, model_class, *, person, kind, mode, answers, cared_for, acting_user):
        user = acting_user or _practitioner_for(person)
        assessment = actions.start_assessment(
            person, kind=kind, mode=mode, acting_user=user, cared_for=cared_for
        )
        if answers:
            actions.record_answers(assessment, answers, acting_user=user)
        return assessment


class SubmittedAssessmentFactory(InProgressAssessmentFactory):
    """Every question answered (randomly by `seed`, unless `answers` says) and submitted."""

    seed = 0

    @classmethod
    def _create(cls, model_class, *, seed, **kwargs):
        person = kwargs["person"]
        user = kwargs.get("acting_user") or _practitioner_for(person)
        version = RasVersion.objects.live_on(kwargs["kind"])
        kwargs["answers"] = kwargs["answers"] or answers_for(version, seed)
        kwargs["acting_user"] = user
        assessment = super()._create(model_class, **kwargs)
        actions.submit(assessment, acting_user=user, declaration_name="Completed with the person")
        return assessment


class CompletedAssessmentFactory(SubmittedAssessmentFactory):
    """Submitted and decided eligible: two outcomes not achieved, significant impact."""

    eligible = True
    unable = factory.LazyAttribute(
        lambda o: ("recreation", "relationships") if o.kind == "carer" else ("hygiene", "toilet")
    )

    @classmethod
    def _create(cls, model_class, *, eligible, unable, **kwargs):
        person = kwargs["person"]
        user = kwargs.get("acting_user") or _practitioner_for(person)
        kwargs["acting_user"] = user
        assessment = super()._create(model_class, **kwargs)
        chosen = list(unable) if eligible else list(unable)[:1]
        actions.decide_eligibility(
            assessment,
            acting_user=user,
            **decision(chosen, eligible=eligible),
        )
        assessment.refresh_from_db()
        return assessment


class NotEligibleAssessmentFactory(CompletedAssessmentFactory):
    eligible = False


def decision(unable, *, eligible=True, **changes) -> dict:
    """The keyword arguments of a complete decision: evidence for each outcome not achieved,
    the well-being areas affected, and (not eligible) the written advice."""
    values = {
        "arises_from_condition": True,
        "unable": list(unable),
        "significant_impact": eligible,
        "health_at_risk": False,
        "reasons": "Decided in a test" if eligible else "Needs do not meet the criteria",
        "evidence": {
            code: {"ways": ["without_assistance"], "note": "Seen at the assessment visit"}
            for code in unable
        },
        "wellbeing_areas": ["health", "dignity"] if eligible else [],
        "advice_topics": [] if eligible else ["community", "equipment"],
    }
    values.update(changes)
    return values


def eligible_caseload(team, answers_list, *, costs=None, kind="person", user=None, **person_fields):
    """People on a team with a current, completed, eligible assessment each, and (where
    `costs` gives one, in pounds) a current weekly budget of that amount."""
    from budgets.tests.factories import ActiveBudgetFactory
    from core.money import to_pence

    people = []
    for index, answers in enumerate(answers_list):
        person = PersonFactory(team=team, **person_fields)
        CompletedAssessmentFactory(person=person, kind=kind, answers=answers, acting_user=user)
        if costs is not None and costs[index] is not None:
            ActiveBudgetFactory(
                person=person, amount_pence=to_pence(costs[index]), acting_user=user
            )
        people.append(person)
    return people
