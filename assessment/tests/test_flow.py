"""Assessments end to end: self-assessment in the portal, the explained budget, supported
assessments, agreeing or changing answers with reasons, eligibility, and who may do what."""

import csv
import io
from decimal import Decimal

import pytest

from accounts.models import AccessEvent
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.models import Allocation, RasVersion
from allocation.tests.factories import DraftVersionFactory
from assessment import actions
from assessment.models import Assessment
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture
def person_user():
    return UserFactory(role=Role.PERSON, first_name="Iris", last_name="Marlow")


@pytest.fixture
def iris(team, person_user):
    return PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=person_user)


def answers_at(version, level: int) -> dict:
    """Every question answered at the same option position (capped at the last option)."""
    return {
        q.code: q.options[min(level, len(q.options) - 1)].code for q in version.parsed.questions
    }


def self_assess(client, person, version, level=1):
    response = client.post("/my-record/assessments/start/", {"person": person.pk})
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=person, status="in_progress")
    for code, option in answers_at(version, level).items():
        response = client.post(
            f"/assessments/{assessment.pk}/questions/{code}/", {"answer": option, "continue": ""}
        )
        assert response.status_code == 302, response.content.decode()[:500]
    return assessment


def test_a_person_self_assesses_and_reads_their_explained_budget(
    client_for, person_user, iris, live
):
    client = client_for(person_user)
    assessment = self_assess(client, iris, live, level=2)
    check = client.get(f"/assessments/{assessment.pk}/check/")
    assert "Check your answers before sending" in check.content.decode()
    bad = client.post(f"/assessments/{assessment.pk}/declaration/", {"full_name": ""})
    assert "Confirm that the answers are right" in bad.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == "in_progress"
    done = client.post(
        f"/assessments/{assessment.pk}/declaration/", {"confirm": "on", "full_name": "Iris Marlow"}
    )
    assert done.headers["Location"] == f"/assessments/{assessment.pk}/submitted/"
    allocation = Allocation.objects.get(assessment=assessment)
    submitted = client.get(done.headers["Location"]).content.decode()
    assert f"£{allocation.amount:,.2f}" in submitted
    page = client.get(f"/assessments/{assessment.pk}/budget/").content.decode()
    assert "Your budget explained" in page and f"£{allocation.amount:,.2f} a week" in page
    # The scheme in plain words, never its internal label.
    assert "Resource Allocation System for people, in force from 1 April 2026" in page
    assert live.label not in page
    # Every line with money adds up to the amount, in the downloaded copy too.
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/assessments/{assessment.pk}/budget/?format=csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    money = [Decimal(row[3]) for row in rows[1:-1] if row[3]]
    assert sum(money) == allocation.amount == Decimal(rows[-1][3])


def test_save_and_come_back_later(client_for, person_user, iris, live):
    client = client_for(person_user)
    client.post("/my-record/assessments/start/", {"person": iris.pk})
    assessment = Assessment.objects.get(person=iris)
    first = live.parsed.questions[0]
    response = client.post(
        f"/assessments/{assessment.pk}/questions/{first.code}/",
        {"answer": first.options[1].code, "later": ""},
    )
    assert response.headers["Location"] == "/my-record/"
    portal = client.get("/my-record/", follow=True).content.decode()
    assert "Continue your self-assessment" in portal
    # Starting again continues the same assessment rather than opening another.
    client.post("/my-record/assessments/start/", {"person": iris.pk})
    assert Assessment.objects.filter(person=iris).count() == 1
    assert Assessment.objects.get(person=iris).answers == {first.code: first.options[1].code}


def test_a_question_needs_an_answer(client_for, person_user, iris, live):
    client = client_for(person_user)
    client.post("/my-record/assessments/start/", {"person": iris.pk})
    assessment = Assessment.objects.get(person=iris)
    code = live.parsed.questions[0].code
    response = client.post(f"/assessments/{assessment.pk}/questions/{code}/", {"continue": ""})
    assert "Select an answer" in response.content.decode()
    bogus = client.post(
        f"/assessments/{assessment.pk}/questions/{code}/", {"answer": "nonsense", "continue": ""}
    )
    assert "Select one of the answers" in bogus.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).answers == {}


def test_a_person_cannot_reach_someone_else_s_assessment(
    client_for, person_user, iris, team, practitioner, live
):
    other = PersonFactory(team=team, first_name="Other")
    theirs = actions.start_assessment(
        other, kind="person", mode="supported", acting_user=practitioner
    )
    client = client_for(person_user)
    for url in [
        f"/assessments/{theirs.pk}/",
        f"/assessments/{theirs.pk}/budget/",
        f"/assessments/{theirs.pk}/questions/{live.parsed.questions[0].code}/",
    ]:
        assert client.get(url).status_code == 404
    assert client.post("/my-record/assessments/start/", {"person": other.pk}).status_code == 404
    assert AccessEvent.objects.filter(user=person_user, action="denied").count() >= 3
    assert not Assessment.objects.filter(person=other, mode="self").exists()


def decide(client, assessment, data):
    """Fill in the eligibility form, check it, and save it: the page's three steps."""
    url = f"/assessments/{assessment.pk}/eligibility/"
    check = client.post(url, data)
    assert check.status_code == 200, check.content.decode()[:3000]
    assert "Check the decision before you save it" in check.content.decode()
    return client.post(url, {**data, "confirmed": "yes"})


def test_practitioner_changes_an_answer_with_a_reason_and_decides_eligibility(
    client_for, person_user, iris, practitioner, live
):
    assessment = self_assess(client_for(person_user), iris, live, level=1)
    actions.submit(assessment, acting_user=person_user, declaration_name="Iris Marlow")
    before = Allocation.objects.get(assessment=assessment).amount
    client = client_for(practitioner)
    assert (
        "Agree or change the answers"
        in client.get(f"/assessments/{assessment.pk}/review/").content.decode()
    )
    question = next(q for q in live.parsed.questions if q.code == "pc_washing")
    no_reason = client.post(
        f"/assessments/{assessment.pk}/answers/pc_washing/", {"answer": question.options[3].code}
    )
    assert "Enter why you are changing this answer" in no_reason.content.decode()
    response = client.post(
        f"/assessments/{assessment.pk}/answers/pc_washing/",
        {"answer": question.options[3].code, "reason": "Seen at the home visit: needs full help"},
    )
    assert response.status_code == 302
    after = Allocation.objects.get(assessment=assessment)
    assert after.amount > before
    history = client.get(f"/assessments/{assessment.pk}/history/").content.decode()
    assert "Seen at the home visit: needs full help" in history
    # The person sees the reason too.
    assert (
        "Seen at the home visit"
        in client_for(person_user).get(f"/assessments/{assessment.pk}/history/").content.decode()
    )

    not_eligible = decide(
        client,
        assessment,
        {
            "arises_from_condition": "yes",
            "fluctuates": "no",
            "unable": ["hygiene"],
            "ways_hygiene": ["without_assistance"],
            "note_hygiene": "Needs help to get in and out of the bath",
            "significant_impact": "no",
            "reasons": "Manages most things",
            "advice_topics": ["equipment"],
        },
    )
    assert not_eligible.status_code == 302
    after.refresh_from_db()
    assert after.status == "not_eligible"
    eligible = decide(
        client,
        assessment,
        {
            "arises_from_condition": "yes",
            "fluctuates": "no",
            "unable": ["hygiene", "toilet", "nutrition"],
            **{
                f"ways_{code}": ["without_assistance"]
                for code in ("hygiene", "toilet", "nutrition")
            },
            **{
                f"note_{code}": "Seen at the home visit"
                for code in ("hygiene", "toilet", "nutrition")
            },
            "significant_impact": "yes",
            "wellbeing_areas": ["health", "dignity"],
            "reasons": "Cannot wash, use the toilet or prepare meals without help",
            "change_reason": "The home visit showed more need than the phone call",
        },
    )
    assert eligible.status_code == 302
    assessment.refresh_from_db()
    after.refresh_from_db()
    assert (assessment.status, assessment.is_current, after.status) == (
        "completed",
        True,
        "indicative",
    )


def test_people_cannot_change_submitted_answers(client_for, person_user, iris, live):
    client = client_for(person_user)
    assessment = self_assess(client, iris, live)
    actions.submit(assessment, acting_user=person_user, declaration_name="Iris")
    code = live.parsed.questions[0].code
    response = client.get(f"/assessments/{assessment.pk}/questions/{code}/")
    assert response.headers["Location"] == f"/assessments/{assessment.pk}/"
    assert client.get(f"/assessments/{assessment.pk}/answers/{code}/").status_code == 404
    assert client.get(f"/assessments/{assessment.pk}/eligibility/").status_code == 404


def test_supported_assessment_by_a_practitioner(client_for, practitioner, team, live):
    person = PersonFactory(team=team)
    client = client_for(practitioner)
    response = client.post(f"/people/{person.pk}/assessments/", {"kind": "person"})
    assessment = Assessment.objects.get(person=person)
    assert response.headers["Location"] == f"/assessments/{assessment.pk}/"
    assert assessment.mode == "supported"
    for code, option in answers_at(live, 2).items():
        client.post(
            f"/assessments/{assessment.pk}/questions/{code}/", {"answer": option, "continue": ""}
        )
    client.post(
        f"/assessments/{assessment.pk}/declaration/", {"confirm": "on", "full_name": "Pat Okoro"}
    )
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.allocation.total_points > 0


def test_staff_outside_the_caseload_cannot_start_or_open_assessments(
    client_for, other_team, practitioner, live
):
    person = PersonFactory(team=other_team)
    client = client_for(practitioner)
    assert client.post(f"/people/{person.pk}/assessments/", {"kind": "person"}).status_code == 404
    assessment = actions.start_assessment(
        person,
        kind="person",
        mode="supported",
        acting_user=UserFactory(role=Role.PRACTITIONER, team=other_team),
    )
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 404
    finance = client_for(UserFactory(role=Role.FINANCE))
    assert finance.post(f"/people/{person.pk}/assessments/", {"kind": "person"}).status_code == 404


def test_carer_self_assesses_with_the_carers_scheme(client_for, team):
    carer_user = UserFactory(role=Role.CARER)
    carer = PersonFactory(
        team=team,
        first_name="Cara",
        user=carer_user,
        primary_support_reason="social_support_to_carer",
    )
    client = client_for(carer_user)
    assert (
        "Start a carer’s self-assessment" in client.get("/my-record/", follow=True).content.decode()
    )
    client.post("/my-record/assessments/start/", {"person": carer.pk})
    assessment = Assessment.objects.get(person=carer)
    assert assessment.kind == "carer" and assessment.version.scheme.kind == "carer"
    version = assessment.version
    for code, option in answers_at(version, 3).items():
        client.post(
            f"/assessments/{assessment.pk}/questions/{code}/", {"answer": option, "continue": ""}
        )
    client.post(
        f"/assessments/{assessment.pk}/declaration/", {"confirm": "on", "full_name": "Cara"}
    )
    allocation = Allocation.objects.get(assessment=assessment)
    assert allocation.period == "year" and allocation.amount > 0
    page = client.get(f"/assessments/{assessment.pk}/budget/").content.decode()
    assert f"£{allocation.amount:,.2f} a year" in page


def test_viewing_an_assessment_is_logged_on_the_person(client_for, practitioner, team, live):
    person = PersonFactory(team=team)
    assessment = actions.start_assessment(
        person, kind="person", mode="supported", acting_user=practitioner
    )
    client_for(practitioner).get(f"/assessments/{assessment.pk}/")
    assert AccessEvent.objects.filter(user=practitioner, person=person, action="view").exists()


def test_the_scheme_changing_mid_assessment_asks_the_new_questions(
    client_for, person_user, iris, live
):
    from allocation.domain.definition import to_v1_dict

    client = client_for(person_user)
    assessment = self_assess(client, iris, live)
    data = to_v1_dict(live.parsed)
    data["domains"][0]["questions"].append(
        {
            "code": "home_garden",
            "text": "How much help do you need with the garden?",
            "hint": "",
            "informal_support": False,
            "options": [
                {"code": "none", "label": "None", "points": 0},
                {"code": "lot", "label": "A lot", "points": 3},
            ],
        }
    )
    newer = DraftVersionFactory(definition=data)
    # In force from the day after the old one (done directly: publishing is tested elsewhere).
    RasVersion.objects.filter(pk=live.pk).update(status="retired", effective_to=live.effective_from)
    RasVersion.objects.filter(pk=newer.pk).update(
        status="live", effective_from=live.effective_from.replace(day=2)
    )
    response = client.post(
        f"/assessments/{assessment.pk}/declaration/", {"confirm": "on", "full_name": "Iris"}
    )
    assert response.headers["Location"] == f"/assessments/{assessment.pk}/questions/home_garden/"
    assessment.refresh_from_db()
    assert assessment.version == newer and assessment.is_open
    assert set(assessment.answers) == {q.code for q in live.parsed.questions}
