"""A model run of a version paying one-off (or yearly) amounts compares like with like
(issue 10's loose ends): its amounts are set against current budgets for the same period
only, never against weekly budgets or what a weekly live version gives, and the model page
starts the envelope from the same period's budgets."""

import random
from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import engine
from allocation.domain.definition import to_dict
from allocation.models import RasVersion
from allocation.tests.factories import CompletedModelRunFactory, DraftVersionFactory, random_answers
from assessment.tests.factories import eligible_caseload
from budgets.tests.factories import ActiveBudgetFactory
from core.money import pounds_text, to_pence

pytestmark = pytest.mark.django_db

UNABLE = frozenset({"hygiene", "toilet"})  # what CompletedAssessmentFactory decides
WORDS = {"once": "one-off", "year": "yearly"}


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture
def caseload(team, practitioner, live):
    """Six people: four with a weekly budget, one with a budget of the period under test
    (set per test), one with none."""
    rng = random.Random(10)
    answers = [random_answers(live, rng, complex_answers=False) for _ in range(6)]
    weekly = [Decimal("150.00"), Decimal("220.50"), Decimal("90.00"), Decimal("310.00")]
    people = eligible_caseload(team, answers, costs=[*weekly, None, None], user=practitioner)
    return people, answers


def _copy_for(live, period: str) -> RasVersion:
    data = to_dict(live.parsed)
    data["period"] = period
    return DraftVersionFactory(definition=data)


@pytest.mark.parametrize("period", ["once", "year"])
def test_a_model_run_of_another_period_compares_only_with_that_periods_budgets(
    live, caseload, period
):
    people, answers = caseload
    ActiveBudgetFactory(person=people[4], amount_pence=30_000, period=period)
    draft = _copy_for(live, period)
    run = CompletedModelRunFactory(version=draft)
    assert run.status == "done", run.error
    summary = run.result["summary"]
    assert summary["period"] == period
    assert summary["baseline"] == (
        f"Current {WORDS[period]} personal budgets (people without one count as £0)"
    )
    # Only the £300.00 budget for this period counts now: not the weekly budgets, and not
    # what the weekly live version gives the people without one.
    assert summary["current_annual_total"] == "300.00"
    assert run.result["overall"]["current_total"] == "300.00"
    proposed = [
        to_pence(engine.explain(draft.compiled, a, unable_outcomes=UNABLE).amount) for a in answers
    ]
    assert summary["proposed_issued_annual_total"] == pounds_text(sum(proposed))
    assert run.result["overall"]["proposed_total"] == pounds_text(sum(proposed))


def test_a_weekly_model_run_still_fills_a_missing_budget_from_the_live_version(live, caseload):
    people, answers = caseload
    run = CompletedModelRunFactory(version=_copy_for(live, "week"))
    assert run.status == "done", run.error
    summary = run.result["summary"]
    assert (
        summary["baseline"]
        == f"Current personal budgets; for people without one, what {live} gives"
    )
    live_amounts = [
        to_pence(engine.explain(live.compiled, a, unable_outcomes=UNABLE).amount)
        for a in answers[4:]
    ]
    weekly = to_pence("150.00") + to_pence("220.50") + to_pence("90.00") + to_pence("310.00")
    assert summary["current_annual_total"] == pounds_text((weekly + sum(live_amounts)) * 52)


def test_the_model_page_starts_a_one_off_version_from_one_off_budgets(live, caseload, client_for):
    people, _answers = caseload
    ActiveBudgetFactory(person=people[4], amount_pence=30_000, period="once")
    draft = _copy_for(live, "once")
    client = client_for(UserFactory(role=Role.COMMISSIONER))
    one_off = client.get(f"/ras/versions/{draft.pk}/model/").content.decode()
    weekly = client.get(f"/ras/versions/{live.pk}/model/").content.decode()
    assert 'name="envelope" value="300"' in one_off
    expected_weekly = (150 + Decimal("220.50") + 90 + 310) * 52
    assert f'name="envelope" value="{expected_weekly:.0f}"' in weekly


def test_the_run_page_of_a_one_off_version_says_what_it_is_compared_with(
    live, caseload, client_for
):
    people, _answers = caseload
    ActiveBudgetFactory(person=people[4], amount_pence=30_000, period="once")
    run = CompletedModelRunFactory(version=_copy_for(live, "once"))
    page = client_for(UserFactory(role=Role.COMMISSIONER)).get(f"/ras/model-runs/{run.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "£300.00 a year now (current one-off personal budgets" in text
    assert "in one-off amounts, each counted once" in text
