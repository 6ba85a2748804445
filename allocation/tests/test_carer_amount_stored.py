"""The carer's own amount (informal support method carer_allocation) is kept on the
indicative budget beside the person's amount, never in it, and shown on the assessment and
person pages and in the budget API (issue 10's loose ends)."""

import copy

import pytest

from accounts.models import ApiToken
from allocation.domain import reference
from allocation.domain.definition import parse
from allocation.tests.factories import LiveVersionFactory
from allocation.tests.test_carer_allocation import CARER, HIGH
from assessment.tests.factories import CompletedAssessmentFactory
from core.money import format_pence, pounds_text
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNABLE = ("hygiene", "toilet")  # what CompletedAssessmentFactory decides


@pytest.fixture
def carer_live():
    """The carer-allocation scheme, live for people's assessments from today."""
    return LiveVersionFactory(definition=copy.deepcopy(CARER))


def _assessed(team, practitioner, answers):
    person = PersonFactory(team=team)
    assessment = CompletedAssessmentFactory(
        person=person, answers=answers, acting_user=practitioner, unable=UNABLE
    )
    return person, assessment, assessment.allocation


def test_the_carer_s_own_amount_is_kept_beside_the_person_s(carer_live, team, practitioner):
    person, assessment, allocation = _assessed(team, practitioner, HIGH)
    assert allocation.version == carer_live
    _points, pence = reference.carer_one(parse(CARER), HIGH)
    assert pence is not None and pence > 0
    assert (allocation.carer_amount_pence, allocation.carer_period) == (pence, "year")
    assert allocation.has_carer_part
    # The person's own amount is not reduced by the carer's.
    assert allocation.reduction_points == 0


def test_no_carer_amount_is_kept_when_the_person_helping_cannot_go_on(
    carer_live, team, practitioner
):
    _person, _assessment, allocation = _assessed(team, practitioner, {**HIGH, "family": "cannot"})
    assert reference.carer_one(parse(CARER), {**HIGH, "family": "cannot"})[1] is None
    assert allocation.carer_amount_pence is None and allocation.carer_period == "year"


def test_a_version_without_a_carer_part_keeps_none(team, practitioner):
    _person, _assessment, allocation = _assessed(team, practitioner, {})
    assert (allocation.carer_amount_pence, allocation.carer_period) == (None, "")
    assert not allocation.has_carer_part


def test_the_assessment_and_person_pages_show_the_carer_s_amount(
    carer_live, team, practitioner, client_for
):
    person, assessment, allocation = _assessed(team, practitioner, HIGH)
    client = client_for(practitioner)
    amount = format_pence(allocation.carer_amount_pence)
    overview = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert 'id="carer-amount"' in overview and f"{amount}</strong> a year" in overview
    detail = client.get(f"/people/{person.pk}/").content.decode()
    assert f"carer’s own amount {amount} a year" in detail


def test_the_pages_say_nothing_of_a_carer_for_a_version_without_one(team, practitioner, client_for):
    person, assessment, _allocation = _assessed(team, practitioner, {})
    client = client_for(practitioner)
    assert 'id="carer-amount"' not in client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "carer’s own amount" not in client.get(f"/people/{person.pk}/").content.decode()


def test_the_budget_api_gives_the_carer_s_amount_apart_from_the_budget(
    carer_live, team, practitioner, client
):
    person, _assessment, allocation = _assessed(team, practitioner, HIGH)
    _token, raw = ApiToken.issue(practitioner, "Test")
    body = client.get(
        f"/api/v1/people/{person.pk}/budget", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert body["carer_amount"] == {
        "amount": pounds_text(allocation.carer_amount_pence),
        "period": "year",
    }
    assert body["amount"] == pounds_text(allocation.amount_pence)


def test_the_budget_api_has_no_carer_amount_for_a_version_without_one(team, practitioner, client):
    person, _assessment, _allocation = _assessed(team, practitioner, {})
    _token, raw = ApiToken.issue(practitioner, "Test")
    body = client.get(
        f"/api/v1/people/{person.pk}/budget", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert body["carer_amount"] is None


def test_a_model_run_counts_the_carers_own_amounts_apart_from_the_people_s(
    carer_live, team, practitioner, client_for
):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from allocation.tests.factories import CompletedModelRunFactory
    from core.money import annual_multiplier

    answer_sets = [
        HIGH,
        {**HIGH, "family": "cannot"},
        {**HIGH, "family": "some", "nights": "none"},
        {**HIGH, "family": "none", "nights": "none"},
    ]
    for answers in answer_sets:
        _assessed(team, practitioner, answers)
    run = CompletedModelRunFactory(version=carer_live)
    assert run.status == "done", run.error
    summary = run.result["summary"]
    carers = [reference.carer_one(parse(CARER), a)[1] for a in answer_sets]
    paid = [pence for pence in carers if pence]
    assert summary["carer_period"] == "year"
    assert summary["carers_with_amount"] == len(paid) == 2
    assert summary["carer_annual_total"] == pounds_text(sum(paid) * annual_multiplier("year"))
    # The people's own total leaves the carers' amounts out.
    people = sum(a.amount_pence for a in carer_live.allocations.all() if a.amount_pence is not None)
    assert summary["proposed_issued_annual_total"] == pounds_text(people * 52)
    page = client_for(UserFactory(role=Role.COMMISSIONER)).get(f"/ras/model-runs/{run.pk}/")
    text = page.content.decode()
    assert 'id="carer-total"' in text
    assert f"{format_pence(sum(paid))} a year for 2 carers" in text


def test_a_model_run_of_a_version_without_a_carer_part_says_nothing_of_carers():
    from allocation.tests.factories import CompletedModelRunFactory

    run = CompletedModelRunFactory()
    assert "carer_annual_total" not in run.result["summary"]
