"""A carer allocation: the answers about support from family and friends give the carer an
amount of their own, by the carer's own rule and period, and the person's amount is not
reduced for it."""

import copy
import dataclasses
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import ApiToken
from accounts.tests.factories import CommissionerFactory
from allocation.domain import engine, reference
from allocation.domain.definition import parse, publication_problems
from allocation.tests.factories import (
    CompletedModelRunFactory,
    DraftVersionFactory,
    saved_on_the_limits_page,
)
from allocation.tests.test_engine import SETTINGS, definitions, loose_answers


def _option(code, label, **values):
    return {"code": code, "label": label, "hint": "", **values}


CARER = {
    "format": "selfdirect-ras/2",
    "kind": "person",
    "period": "week",
    "domains": [
        {
            "code": "daily",
            "title": "Daily living",
            "description": "",
            "questions": [
                {
                    "code": "washing",
                    "text": "How much help with washing?",
                    "hint": "",
                    "type": "single",
                    "outcomes": ["hygiene"],
                    "options": [
                        _option("none", "None", points=0),
                        _option("some", "Some", points=4),
                        _option("lots", "Lots", points=10),
                    ],
                },
                {
                    "code": "meals",
                    "text": "How much help with meals?",
                    "hint": "",
                    "type": "single",
                    "outcomes": ["nutrition"],
                    "options": [_option("none", "None", points=0), _option("all", "All", points=6)],
                },
                {
                    "code": "family",
                    "text": "Does your family help?",
                    "hint": "",
                    "type": "informal_support",
                    "options": [
                        _option("cannot", "They cannot go on", carer_points=0, no_reduction=True),
                        _option("none", "No", carer_points=0),
                        _option("some", "Some", carer_points=3),
                        _option("most", "Most", carer_points=6),
                    ],
                },
                {
                    "code": "nights",
                    "text": "Does someone stay at night?",
                    "hint": "",
                    "type": "informal_support",
                    "options": [
                        _option("none", "No", carer_points=0),
                        _option("some", "Some nights", carer_points=2),
                    ],
                },
            ],
        }
    ],
    "informal_support": {
        "method": "carer_allocation",
        "carer_money": {
            "period": "year",
            "title": "The carer’s personal budget",
            "method": "price_per_point",
            "fixed_amount": "100.00",
            "price_per_point": "45.00",
        },
    },
    "money_tables": [
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "0.00",
            "price_per_point": "3.00",
        }
    ],
    "limits": {"minimum": None, "maximum": None},
}
HIGH = {"washing": "lots", "meals": "all", "family": "most", "nights": "some"}


def _banded():
    data = copy.deepcopy(CARER)
    data["informal_support"]["carer_money"] = {
        "period": "year",
        "method": "bands",
        "bands": [
            {"min_points": 0, "amount": None, "words": "Ask for a carer’s assessment."},
            {"min_points": 5, "amount": "300.00"},
            {"min_points": 10, "amount": "600.00"},
        ],
    }
    return data


def test_the_example_is_valid_and_publishable():
    assert publication_problems(parse(CARER)) == []
    assert publication_problems(parse(_banded())) == []


def test_the_carer_gets_their_own_amount_and_the_person_s_is_not_reduced():
    # Person: 10 + 6 = 16 points at £3.00, not reduced: £48.00 a week.
    # Carer: family "most" 6 + nights 2 = 8 carer points: £100.00 + 8 × £45.00 = £460.00 a year.
    scheme = engine.compile_scheme(parse(CARER))
    explanation = engine.explain(scheme, HIGH)
    assert (explanation.total_points, explanation.reduction_points) == (16, 0)
    assert explanation.amount == Decimal("48.00")
    carer = explanation.carer
    assert (carer.points, carer.amount, carer.period) == (8, Decimal("460.00"), "year")
    line = next(line for line in explanation.lines if line.kind == "carer_allocation")
    assert line.amount is None and "£460.00 a year" in line.text
    assert "not reduced" in line.text
    assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount
    choices, _ = engine.encode_many(scheme, [HIGH])
    scores = engine.score(scheme, choices)
    assert (scores.net.tolist(), scores.carer_points.tolist()) == ([16], [8])
    assert engine.carer_amounts_pence(scheme, scores.carer_points).tolist() == [46000]


def test_there_is_no_carer_amount_when_the_person_helping_cannot_go_on_or_nobody_helps():
    scheme = engine.compile_scheme(parse(CARER))
    stopped = engine.explain(scheme, {**HIGH, "family": "cannot"})
    assert stopped.amount == Decimal("48.00")
    assert stopped.carer.stopped and stopped.carer.amount is None
    nobody = engine.explain(scheme, {**HIGH, "family": "none", "nights": "none"})
    assert nobody.carer is None
    choices, _ = engine.encode_many(
        scheme, [{**HIGH, "family": "cannot"}, {**HIGH, "family": "none", "nights": "none"}]
    )
    points = engine.score(scheme, choices).carer_points
    assert engine.carer_amounts_pence(scheme, points).tolist() == [0, 0]


def test_a_carer_band_can_give_no_amount_with_words():
    # Family "some" 3 points: below the first band with money (5), so no amount, with words;
    # 8 points: the £300.00 band.
    scheme = engine.compile_scheme(parse(_banded()))
    low = engine.explain(scheme, {**HIGH, "family": "some", "nights": "none"}).carer
    assert (low.points, low.amount, low.words) == (3, None, "Ask for a carer’s assessment.")
    assert engine.explain(scheme, HIGH).carer.amount == Decimal("300.00")


def test_editing_a_carer_allocation_version_on_the_pages_keeps_its_rule(client_for):
    """The editor saves the whole selfdirect-ras/2 definition: a page that does not show
    this part (here the period and limits page) keeps it when it saves."""
    commissioner = CommissionerFactory()
    definition = parse(CARER)
    draft = saved_on_the_limits_page(
        client_for(commissioner), commissioner, definition, maximum="9999.00"
    )
    assert draft.parsed == dataclasses.replace(definition, maximum=Decimal("9999.00"))


@SETTINGS
@given(data=st.data())
def test_the_engine_matches_the_reference_for_the_carer_and_the_person(data):
    definition = data.draw(definitions(informal_method="carer_allocation"))
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    choices, _missing = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices)
    carer_pence = engine.carer_amounts_pence(scheme, scores.carer_points)
    assert not np.any(scores.reduction)
    for i, answers in enumerate(people):
        points, pence = reference.carer_one(definition, answers)
        assert (scores.carer_points[i], carer_pence[i]) == (points, pence or 0)
        net = reference.score_one(definition, answers)[3]
        assert scores.net[i] == net == scores.need[i]


@SETTINGS
@given(data=st.data())
def test_the_explanation_gives_the_reference_carer_amount(data):
    definition = data.draw(definitions(informal_method="carer_allocation", max_questions=8))
    scheme = engine.compile_scheme(definition)
    answers = {
        q.code: data.draw(st.sampled_from([o.code for o in q.options]))
        for q in definition.questions
    }
    if engine.contradictions(scheme, answers):
        return
    explanation = engine.explain(scheme, answers)
    points, pence = reference.carer_one(definition, answers)
    if explanation.carer is None or explanation.carer.stopped:
        assert pence is None
    else:
        assert explanation.carer.points == points
        amount = explanation.carer.amount
        assert (None if amount is None else int(amount * 100)) == pence


@pytest.mark.django_db
def test_the_score_api_returns_the_carer_amount(client):
    _token, raw = ApiToken.issue(CommissionerFactory(), "Tests")
    draft = DraftVersionFactory(definition=CARER)
    response = client.post(
        f"/api/v1/ras/versions/{draft.pk}/score",
        {"answers": HIGH},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    body = response.json()
    # As worked above: the person £48.00 a week; the carer £460.00 a year.
    assert (body["amount"], body["reduction_points"]) == ("48.00", 0)
    assert body["carer_amount"] == {
        "points": 8,
        "amount": "460.00",
        "period": "year",
        "rule": "Each carer point is worth £45.0000, plus a fixed £100.00",
        "title": "The carer’s personal budget",
        "words": "",
        "stopped": False,
    }
    nobody = client.post(
        f"/api/v1/ras/versions/{draft.pk}/score",
        {"answers": {**HIGH, "family": "none", "nights": "none"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    assert nobody["carer_amount"] is None


@pytest.mark.django_db
def test_a_model_run_of_a_carer_allocation_version_completes():
    run = CompletedModelRunFactory(version=DraftVersionFactory(definition=CARER))
    assert run.status == "done"
