"""What a new user tripped over: a way in from the overview, the way back, and page titles."""

import re

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.tests.factories import InProgressAssessmentFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_the_overview_offers_start_then_continue(client_for, team, practitioner):
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner)
    assessment = InProgressAssessmentFactory(person=person, mode="self", acting_user=owner)
    client = client_for(owner)
    first = assessment.version.parsed.questions[0]
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Start now" in page and f"/questions/{first.code}/" in page
    client.post(
        f"/assessments/{assessment.pk}/questions/{first.code}/", {"answer": first.options[0].code}
    )
    second = assessment.version.parsed.questions[1]
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Continue" in page and f"/questions/{second.code}/" in page


def test_back_from_a_question_opened_to_change_it_returns_to_check_your_answers(
    client_for, team, practitioner
):
    assessment = InProgressAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    )
    code = assessment.version.parsed.questions[5].code
    page = client_for(practitioner).get(
        f"/assessments/{assessment.pk}/questions/{code}/?return=check"
    )
    assert (
        f'href="/assessments/{assessment.pk}/check/" class="govuk-back-link"'
        in page.content.decode()
    )


def test_page_titles_name_the_step_and_whose_assessment_it_is(client_for, team, practitioner):
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner, first_name="Iris", last_name="Marlow")
    assessment = InProgressAssessmentFactory(person=person, mode="self", acting_user=owner)
    question = assessment.version.parsed.questions[2]
    mine = title(client_for(owner).get(f"/assessments/{assessment.pk}/questions/{question.code}/"))
    assert mine.startswith(
        f"Question 3 of {len(assessment.version.parsed.questions)}: {question.text} – Your assessment"
    )
    theirs = title(client_for(practitioner).get(f"/assessments/{assessment.pk}/"))
    assert theirs.startswith("Iris Marlow’s assessment")
