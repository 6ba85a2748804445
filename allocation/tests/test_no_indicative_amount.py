"""A band meaning "no indicative amount" (selfdirect-ras/2, issue 10): distinct from £0 in the
engine, the explanation, the score API, the assessment pages and model runs."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import definition as ras
from allocation.domain import engine, rates, reference
from allocation.tests.factories import CompletedModelRunFactory, DraftVersionFactory
from allocation.tests.test_engine import definitions, full_answers, loose_answers
from allocation.tests.test_hundredths import score_api  # noqa: F401 - a fixture
from core.actions import action

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = "Your needs can be met with advice and support in your community. We will talk with you about what happens next."


def banded(data: dict) -> dict:
    """A definition with its money rule replaced by bands whose lowest gives no amount."""
    return ras.with_rule(
        data,
        {
            "method": "bands",
            "bands": [
                {"min_points": 0, "amount": None, "words": WORDS},
                {"min_points": 5, "amount": "60.00"},
                {"min_points": 10, "amount": "120.00"},
            ],
        },
    )


def worked_dict() -> dict:
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "daily",
                "title": "Daily living",
                "questions": [
                    {
                        "code": "washing",
                        "text": "Help with washing?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 3},
                        ],
                    },
                    {
                        "code": "meals",
                        "text": "Help with meals?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 4},
                        ],
                    },
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 0},
        "money_tables": [{"code": "everyone", "title": "Everyone", "method": "bands", "bands": []}],
        # A minimum does not turn "no indicative amount" into money.
        "limits": {"minimum": "20.00", "maximum": None},
    }


LOW = {"washing": "some", "meals": "none"}  # 3 points: below 5, no indicative amount
MIDDLE = {"washing": "some", "meals": "some"}  # 3 + 4 = 7 points: the £60.00 band


def test_points_below_the_first_band_with_money_give_no_amount_not_zero():
    definition = ras.parse(banded(worked_dict()))
    scheme = engine.compile_scheme(definition)
    low = engine.explain(scheme, LOW)
    assert low.amount is None and low.exact_amount is None and low.limit is None
    assert low.no_amount_words == WORDS
    assert low.total_points == 3
    (line,) = [line for line in low.lines if line.kind == "no_amount"]
    assert line.amount is None
    assert line.text == f"Your 3 points give no indicative amount. {WORDS}"
    assert all(line.amount is None for line in low.lines)
    middle = engine.explain(scheme, MIDDLE)
    assert middle.amount == Decimal("60.00") and middle.no_amount_words == ""
    # the engine's table: NO_AMOUNT (-1) for 0-4 points, then the bands' pence
    choices, _ = engine.encode_many(scheme, [LOW, MIDDLE])
    pence = engine.amounts_pence(scheme, engine.score(scheme, choices).net)
    assert pence.tolist() == [engine.NO_AMOUNT, 6000]
    assert reference.amount_one(definition, 3) is None
    assert reference.amount_one(definition, 7) == 6000


def _with_hours() -> dict:
    """The worked scheme, where help with meals is 3.5 hours of home care a week."""
    data = banded(worked_dict())
    meals = data["domains"][0]["questions"][1]
    meals["options"][1]["support"] = [{"service": "home_care", "units": 3.5}]
    return data


def test_a_band_with_no_money_of_its_own_leaves_the_hours_of_support_as_the_amount():
    """Worked by hand at the shipped home care rate of £28.00 an hour: meals alone is 4
    points, below the first band with money, plus 3.5 hours = £98.00, which is above the
    £20.00 minimum; washing alone is 3 points and no hours, so no indicative amount; both
    are 7 points (£60.00) + £98.00 = £158.00."""
    assert rates.SHIPPED["home_care"] == 2800
    definition = ras.parse(_with_hours())  # scored, no longer refused
    scheme = engine.compile_scheme(definition, rates=rates.SHIPPED)
    meals = engine.explain(scheme, {"washing": "none", "meals": "some"})
    assert meals.amount == Decimal("98.00") and meals.no_amount_words == ""
    assert meals.support_amount == Decimal("98.00")
    band = next(line for line in meals.lines if line.kind == "band")
    assert band.amount is None
    assert band.text == (
        "Your 4 points fall in a band that gives no money of its own, so your amount is the "
        "cost of your hours of support."
    )
    assert not [line for line in meals.lines if line.kind == "no_amount"]
    washing = engine.explain(scheme, LOW)
    assert washing.amount is None and washing.no_amount_words == WORDS
    both = engine.explain(scheme, MIDDLE)
    assert both.amount == Decimal("158.00")
    people = [{"washing": "none", "meals": "some"}, LOW, MIDDLE]
    choices, _ = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices)
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    assert pence.tolist() == [9800, engine.NO_AMOUNT, 15800]
    assert reference.amount_one(definition, 4, None, 9800) == 9800
    assert reference.amount_one(definition, 3, None, 0) is None


@SETTINGS
@given(data=st.data())
def test_with_hours_the_engine_and_explanation_give_no_amount_exactly_where_the_reference_does(
    data,
):
    base = data.draw(definitions(method="bands", support=True))
    payload = ras.to_dict(base)
    bands = payload["money_tables"][0]["bands"]
    for band in bands[: data.draw(st.integers(1, len(bands)))]:
        band["amount"], band["words"] = None, WORDS
    definition = ras.parse(payload)
    service_rates = {service: data.draw(st.integers(1, 300_000)) for service in rates.BY_CODE}
    scheme = engine.compile_scheme(definition, rates=service_rates)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    choices, _ = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices)
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    for i, answers in enumerate(people):
        support = reference.support_pence_one(definition, answers, service_rates)
        net = reference.score_one(definition, answers)[3]
        expected = reference.amount_one(definition, net, None, support)
        assert int(pence[i]) == (engine.NO_AMOUNT if expected is None else expected)
    answers = data.draw(full_answers(definition))  # the explanation needs every answer
    support = reference.support_pence_one(definition, answers, service_rates)
    expected = reference.amount_one(
        definition, reference.score_one(definition, answers)[3], None, support
    )
    explained = engine.explain(scheme, answers)
    assert (None if explained.amount is None else int(explained.amount * 100)) == expected
    assert (explained.no_amount_words == WORDS) == (expected is None)


@SETTINGS
@given(data=st.data())
def test_the_engine_gives_no_amount_exactly_where_the_reference_does(data):
    base = data.draw(definitions(method="bands"))
    payload = ras.to_dict(base)
    bands = payload["money_tables"][0]["bands"]
    count = data.draw(st.integers(1, len(bands)))
    for band in bands[:count]:
        band["amount"], band["words"] = None, WORDS
    definition = ras.parse(payload)
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    choices, _ = engine.encode_many(scheme, people)
    net = engine.score(scheme, choices).net
    pence = engine.amounts_pence(scheme, net)
    for i, answers in enumerate(people):
        expected = reference.amount_one(definition, reference.score_one(definition, answers)[3])
        assert int(pence[i]) == (engine.NO_AMOUNT if expected is None else expected)


def test_the_score_api_says_no_amount_with_the_bands_words(score_api):  # noqa: F811
    body = score_api(banded(worked_dict()), {"answers": LOW}).json()
    assert body["amount"] is None and body["weekly_amount"] is None
    assert body["no_amount_words"] == WORDS
    assert body["points"] == 3
    middle = score_api(banded(worked_dict()), {"answers": MIDDLE}).json()
    assert middle["amount"] == "60.00" and middle["no_amount_words"] == ""


@action
def _rescore(assessment, *, acting_user):
    from assessment import actions as assessment_actions

    return assessment_actions._score(assessment)


@pytest.mark.django_db
def test_the_assessment_page_shows_no_indicative_amount_and_the_words(
    team, practitioner, client_for
):
    from assessment.tests.factories import answers_for, eligible_caseload

    draft = DraftVersionFactory(definition=banded(ras.to_dict(DraftVersionFactory().parsed)))
    lowest = answers_for(draft, level="lowest")
    (person,) = eligible_caseload(team, [lowest], user=practitioner)
    assessment = person.assessments.get(is_current=True)
    assessment.version = draft
    allocation = _rescore(assessment, acting_user=practitioner)
    assert allocation.amount_pence is None and allocation.no_amount_words == WORDS
    page = client_for(practitioner).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "No indicative amount" in page
    assert WORDS in page
    assert "£0.00" not in page


@pytest.mark.django_db
def test_a_model_run_counts_people_with_no_amount_apart(team, practitioner):
    from assessment.tests.factories import answers_for, eligible_caseload

    draft = DraftVersionFactory(definition=banded(ras.to_dict(DraftVersionFactory().parsed)))
    answers = [answers_for(draft, level="lowest")] + [answers_for(draft, s) for s in range(5)]
    people = eligible_caseload(team, answers, user=practitioner)
    scheme = draft.compiled
    amounts = []
    for person in people:
        assessment = person.assessments.get(is_current=True)
        unable = frozenset(assessment.eligibility.unable_outcomes)
        amounts.append(engine.explain(scheme, assessment.answers, unable_outcomes=unable).amount)
    assert amounts[0] is None  # the lowest answers give no amount
    run = CompletedModelRunFactory(version=draft)
    assert run.status == "done", run.error
    summary = run.result["summary"]
    no_amount = sum(1 for a in amounts if a is None)
    assert summary["people_no_amount"] == no_amount
    assert run.result["overall"]["people"] == len(people) - no_amount
    priced = sum((a for a in amounts if a is not None), Decimal(0))
    assert Decimal(summary["proposed_issued_annual_total"]) == priced * 52
    assert np.all(np.array([a is None or a > 0 for a in amounts]))
