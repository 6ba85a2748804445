"""The assessment's business rules, by code."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment import actions
from assessment.tests.factories import InProgressAssessmentFactory, SubmittedAssessmentFactory
from core.actions import IllegalTransition
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_eligibility_is_decided_only_after_submission(team, practitioner):
    assessment = InProgressAssessmentFactory(person=PersonFactory(team=team))
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(
            assessment,
            acting_user=practitioner,
            arises_from_condition=True,
            unable=["hygiene", "toilet"],
            significant_impact=True,
            reasons="Too early",
        )
    assert refused.value.codes == ["ASM-NOT-SUBMITTED"]


def test_after_submission_people_cannot_change_answers_and_staff_need_a_reason(team, practitioner):
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner)
    assessment = SubmittedAssessmentFactory(person=person, acting_user=practitioner)
    question = assessment.version.parsed.questions[0]
    other = next(o.code for o in question.options if o.code != assessment.answers[question.code])
    with pytest.raises(BusinessRuleViolation) as locked:
        actions.record_answer(assessment, question.code, other, acting_user=owner)
    assert locked.value.codes == ["ASM-LOCKED"]
    with pytest.raises(BusinessRuleViolation) as unexplained:
        actions.record_answer(assessment, question.code, other, acting_user=practitioner)
    assert unexplained.value.codes == ["ASM-CHANGE-REASON"]
    actions.record_answer(
        assessment, question.code, other, acting_user=practitioner, reason="Agreed with Iris"
    )
    assessment.refresh_from_db()
    assert assessment.answers[question.code] == other


def test_submitting_twice_is_refused(team, practitioner):
    assessment = SubmittedAssessmentFactory(person=PersonFactory(team=team))
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.submit(assessment, acting_user=practitioner, declaration_name="Again")
    assert refused.value.codes == ["ASM-ALREADY-SUBMITTED"]


def test_the_lifecycle_is_a_state_machine(team):
    assessment = InProgressAssessmentFactory(person=PersonFactory(team=team))
    with pytest.raises(AttributeError):
        assessment.status = "completed"
    from django_fsm import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        assessment._complete(None)
    assert IllegalTransition  # the actions turn this into a clear message (core tests)
