"""Points with two decimal places (selfdirect-ras/2, issue 10): the engine counts in
hundredths, the plain reference in exact fractions, and money stays exact."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import engine, reference
from allocation.domain.definition import parse
from allocation.tests.test_engine import definitions, loose_answers, unable_sets

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def worked_dict(period: str = "week") -> dict:
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": period,
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
                            {"code": "some", "label": "Some", "points": 2.5},
                        ],
                    },
                    {
                        "code": "meals",
                        "text": "Help with meals?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 1.25},
                        ],
                    },
                    {
                        "code": "family",
                        "text": "Does family help?",
                        "type": "informal_support",
                        "options": [
                            {"code": "no", "label": "No", "reduction_percent": 0},
                            {"code": "yes", "label": "Yes", "reduction_percent": 30},
                        ],
                    },
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 30},
        "money_tables": [
            {
                "code": "everyone",
                "title": "Everyone",
                "method": "price_per_point",
                "fixed_amount": "10.00",
                "price_per_point": "4.00",
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }


WORKED = {"washing": "some", "meals": "some", "family": "yes"}


def test_a_person_scoring_two_and_a_half_and_one_and_a_quarter_points_gets_the_exact_amount():
    definition = parse(worked_dict())
    scheme = engine.compile_scheme(definition)
    assert scheme.points_scale == 100
    result = engine.explain(scheme, WORKED)
    # need 2.5 + 1.25 = 3.75; family 30% of 3.75 = 1.125, rounded down to 1.12; net 2.63;
    # £10.00 + 2.63 × £4.00 = £20.52
    assert result.need_points == Decimal("3.75")
    assert result.reduction_points == Decimal("1.12")
    assert result.total_points == Decimal("2.63")
    assert result.amount == Decimal("20.52")
    texts = " ".join(line.text for line in result.lines)
    assert "which scores 2.5 points" in texts
    assert "1.25 points" in texts
    assert "1.12 points fewer" in texts
    assert sum(line.amount for line in result.lines if line.amount is not None) == Decimal("20.52")
    assert reference.score_one(definition, WORKED) == (
        Fraction(15, 4),
        30,
        Fraction(112, 100),
        Fraction(263, 100),
    )
    choices, _ = engine.encode_many(scheme, [WORKED])
    scores = engine.score(scheme, choices)
    assert scores.net.tolist() == [263]  # hundredths
    assert engine.amounts_pence(scheme, scores.net).tolist() == [2052]


def test_bands_starting_at_two_decimal_points_choose_the_right_band():
    data = worked_dict()
    data["money_tables"][0] = {
        "code": "everyone",
        "title": "Everyone",
        "method": "bands",
        "bands": [
            {"min_points": 0, "amount": "0.00"},
            {"min_points": 2.63, "amount": "50.00"},
            {"min_points": 3.75, "amount": "80.00"},
        ],
    }
    scheme = engine.compile_scheme(parse(data))
    # net 2.63 is exactly the second band's start: £50.00
    result = engine.explain(scheme, WORKED)
    assert result.amount == Decimal("50.00")
    assert "2.63 to 3.74 points" in result.rule_text
    # without family support, 3.75 points: the top band
    assert engine.explain(scheme, {**WORKED, "family": "no"}).amount == Decimal("80.00")
    # one answer less: 2.5 points, below 2.63: £0.00
    assert engine.explain(scheme, {**WORKED, "meals": "none", "family": "no"}).amount == 0


def test_the_score_api_gives_points_with_decimals(score_api):
    response = score_api(worked_dict(), {"answers": WORKED})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["points"] == 2.63
    assert body["need_points"] == 3.75
    assert body["reduction_points"] == 1.12
    assert body["amount"] == "20.52"
    answers = {line["question_code"]: line["points"] for line in body["lines"]}
    assert answers["washing"] == 2.5


@SETTINGS
@given(data=st.data())
def test_the_engine_counting_hundredths_matches_the_reference(data):
    definition = data.draw(definitions(hundredths=True))
    scheme = engine.compile_scheme(definition)
    scale = scheme.points_scale
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    decisions = [data.draw(unable_sets()) for _ in people]
    masks = engine.unable_masks(scheme, [d or () for d in decisions])
    choices, _ = engine.encode_many(scheme, people)
    result = engine.score(scheme, choices, unable_masks=masks)
    pence = engine.amounts_pence(scheme, result.net)
    for i, answers in enumerate(people):
        unable = frozenset(decisions[i] or ())
        need, percent, reduction, net = reference.score_one(definition, answers, unable)
        assert Fraction(int(result.need[i]), scale) == need
        assert Fraction(int(result.reduction[i]), scale) == reduction
        assert Fraction(int(result.net[i]), scale) == net
        assert pence[i] == reference.amount_one(definition, net)
        usable = [q for q in definition.questions if q.option(answers.get(q.code, ""))]
        if reference.contradictions_one(definition, answers) or len(usable) != len(answers):
            continue
        if len(usable) != len(definition.questions):
            continue
        explained = engine.explain(scheme, answers, unable_outcomes=unable)
        assert explained.total_points == net
        assert explained.amount * 100 == int(pence[i])


@pytest.fixture
def score_api(db, client):
    """POST answers to /api/v1/ras/versions/{id}/score for a draft made from a definition,
    as a commissioner (who may read drafts)."""
    from accounts.models import ApiToken
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from allocation.tests.factories import DraftVersionFactory

    _token, raw = ApiToken.issue(UserFactory(role=Role.COMMISSIONER), "Tests")

    def post(data: dict, body: dict):
        version = DraftVersionFactory(definition=data)
        return client.post(
            f"/api/v1/ras/versions/{version.pk}/score",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    return post


def test_a_model_run_total_counts_hundredths_of_a_point_at_their_price():
    import numpy as np

    from allocation.domain import calibration

    scheme = engine.compile_scheme(parse(worked_dict()))
    people = [WORKED, {**WORKED, "family": "no"}, {"washing": "none", "meals": "some"}]
    choices, _ = engine.encode_many(scheme, people)
    net = engine.score(scheme, choices).net
    # 2.63, 3.75 and 1.25 points: £20.52 + £25.00 + £15.00 = £60.52 a week, × 52 = £3,147.04
    exact, issued = calibration.modelled_annual_total(scheme, np.bincount(net))
    assert issued == 314704
    assert exact == Decimal("3147.04")
