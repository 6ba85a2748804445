"""Support from family and friends by domain: each domain's own answers reduce its own points,
as a percentage or as points, each capped, with the lawful rules kept (needs never reduced,
nothing taken off when the person helping cannot go on)."""

import dataclasses
from decimal import Decimal

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
from allocation.tests.test_engine import SETTINGS, definitions, loose_answers, unable_sets


def _single(code, text, outcome, points, **extra):
    return {
        "code": code,
        "text": text,
        "hint": "",
        "type": "single",
        "outcomes": [outcome],
        "options": [
            {"code": name, "label": name.capitalize(), "hint": "", "points": value}
            for name, value in points
        ],
        **extra,
    }


def _informal(code, text, options):
    return {"code": code, "text": text, "hint": "", "type": "informal_support", "options": options}


BY_DOMAIN = {
    "format": "selfdirect-ras/2",
    "kind": "person",
    "period": "week",
    "domains": [
        {
            "code": "daily",
            "title": "Daily living",
            "description": "",
            "informal_support": {"cap_percent": 50},
            "questions": [
                _single(
                    "washing",
                    "How much help with washing?",
                    "hygiene",
                    [("none", 0), ("some", 4), ("lots", 10)],
                ),
                _single(
                    "meals", "How much help with meals?", "nutrition", [("none", 0), ("all", 6)]
                ),
                _informal(
                    "family",
                    "Does your family help with daily living?",
                    [
                        {
                            "code": "cannot",
                            "label": "They cannot go on",
                            "hint": "",
                            "reduction_percent": 0,
                            "no_reduction": True,
                        },
                        {"code": "no", "label": "No", "hint": "", "reduction_percent": 0},
                        {"code": "some", "label": "Some", "hint": "", "reduction_percent": 25},
                        {"code": "most", "label": "Most", "hint": "", "reduction_percent": 40},
                    ],
                ),
                _informal(
                    "neighbours",
                    "Do neighbours help?",
                    [
                        {"code": "none", "label": "No", "hint": "", "reduction_percent": 0},
                        {"code": "weekly", "label": "Weekly", "hint": "", "reduction_percent": 20},
                    ],
                ),
            ],
        },
        {
            "code": "safety",
            "title": "Keeping safe",
            "description": "",
            "questions": [
                _single(
                    "risk",
                    "How much risk at home?",
                    "home_safety",
                    [("none", 0), ("high", 8)],
                    reducible=False,
                )
            ],
        },
        {
            "code": "out",
            "title": "Getting out",
            "description": "",
            "informal_support": {"cap_points": 4},
            "questions": [
                _single(
                    "outings",
                    "How much help to get out?",
                    "community",
                    [("none", 0), ("some", 6), ("lots", 12)],
                ),
                _informal(
                    "friends",
                    "Do friends take you out?",
                    [
                        {"code": "none", "label": "No", "hint": "", "reduction_points": 0},
                        {"code": "some", "label": "Sometimes", "hint": "", "reduction_points": 2},
                        {"code": "lots", "label": "Often", "hint": "", "reduction_points": 5},
                    ],
                ),
            ],
        },
    ],
    "informal_support": {"method": "by_domain"},
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
HIGH = {
    "washing": "lots",
    "meals": "all",
    "family": "most",
    "neighbours": "weekly",
    "risk": "high",
    "outings": "lots",
    "friends": "lots",
}


def _scheme():
    return engine.compile_scheme(parse(BY_DOMAIN))


def _score(answers, unable=None):
    scheme = _scheme()
    choices, _ = engine.encode_many(scheme, [answers])
    masks = None if unable is None else engine.unable_masks(scheme, [unable])
    return engine.score(scheme, choices, unable_masks=masks)


def test_the_example_is_valid_and_publishable():
    assert publication_problems(parse(BY_DOMAIN)) == []


def test_each_domain_is_reduced_by_its_own_answers_each_capped():
    # Daily living: 10 + 6 = 16 points; family 40% + neighbours 20% = 60%, capped at 50%:
    # 16 × 50% = 8 points off. Keeping safe: 8 points, never reduced. Getting out: 12 points;
    # friends "often" 5 points, capped at 4: 4 off. Need 16 + 8 + 12 = 36, less 8 + 4 = 24
    # points; at £3.00 a point, £72.00.
    explanation = engine.explain(_scheme(), HIGH)
    assert (explanation.need_points, explanation.reduction_points) == (36, 12)
    assert (explanation.total_points, explanation.amount) == (24, Decimal("72.00"))
    lines = {
        line.domain_title: line for line in explanation.lines if line.kind == "informal_support"
    }
    assert (lines["Daily living"].points, lines["Daily living"].amount) == (-8, Decimal("-24.00"))
    assert (lines["Getting out"].points, lines["Getting out"].amount) == (-4, Decimal("-12.00"))
    assert "adds up to 60%, capped at 50%" in lines["Daily living"].text
    assert "adds up to 5 points, capped at 4 points" in lines["Getting out"].text
    assert "Keeping safe" not in lines
    scores = _score(HIGH)
    assert (scores.need[0], scores.reduction[0], scores.net[0]) == (36, 12, 24)


def test_a_small_percentage_is_rounded_down_and_points_never_take_off_more_than_there_are():
    # Daily living: washing "some" 4 points, family 25%: 4 × 25% = 1 point off. Getting out:
    # no need, friends "often": nothing to take off. Need 4, net 3: £9.00.
    answers = {**HIGH, "washing": "some", "meals": "none", "family": "some"}
    answers.update({"neighbours": "none", "risk": "none", "outings": "none"})
    explanation = engine.explain(_scheme(), answers)
    assert (explanation.need_points, explanation.total_points) == (4, 3)
    assert explanation.amount == Decimal("9.00")
    assert _score(answers).net.tolist() == [3]


def test_nothing_is_taken_off_anywhere_when_the_person_helping_cannot_go_on():
    # Family "cannot go on": no reduction in any domain, so 36 points: £108.00.
    answers = {**HIGH, "family": "cannot"}
    explanation = engine.explain(_scheme(), answers)
    assert (explanation.total_points, explanation.amount) == (36, Decimal("108.00"))
    assert not [line for line in explanation.lines if line.kind == "informal_support"]
    assert [line.kind for line in explanation.lines].count("informal_support_not_counted") == 1
    assert _score(answers).net.tolist() == [36]


def test_a_domain_given_in_points_says_when_nothing_is_taken_off_for_a_carer_who_cannot_go_on():
    data = parse(BY_DOMAIN)
    answers = {**HIGH, "family": "cannot", "neighbours": "none"}
    # Only "Getting out" has points to take off (family answers in percent are 0%).
    for line in engine.explain(engine.compile_scheme(data), answers).lines:
        if line.kind == "informal_support_not_counted":
            assert "They cannot go on" in line.text
            break
    else:
        raise AssertionError("No line says why nothing was taken off")


def test_only_eligible_needs_are_reduced():
    # Only community found unmet: daily living counts nothing, so its reduction is nothing;
    # getting out 12 less 4: 8 points, and keeping safe is not unmet either.
    scores = _score(HIGH, {"community"})
    assert (scores.need[0], scores.reduction[0], scores.net[0]) == (12, 4, 8)
    explanation = engine.explain(_scheme(), HIGH, unable_outcomes=frozenset({"community"}))
    assert explanation.total_points == 8


def test_editing_a_by_domain_version_on_the_pages_keeps_its_method(client_for):
    """The editor saves the whole selfdirect-ras/2 definition: a page that does not show
    this part (here the period and limits page) keeps it when it saves."""
    commissioner = CommissionerFactory()
    definition = parse(BY_DOMAIN)
    draft = saved_on_the_limits_page(
        client_for(commissioner), commissioner, definition, maximum="9999.00"
    )
    assert draft.parsed == dataclasses.replace(definition, maximum=Decimal("9999.00"))


@SETTINGS
@given(data=st.data())
def test_the_engine_matches_the_reference_by_domain(data):
    definition = data.draw(definitions(informal_method="by_domain"))
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    decisions = [data.draw(unable_sets()) for _ in people]
    masks = None
    if data.draw(st.booleans()):
        masks = engine.unable_masks(scheme, [d or () for d in decisions])
        decisions = [frozenset(d or ()) for d in decisions]
    else:
        decisions = [None] * len(people)
    choices, _missing = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices, unable_masks=masks)
    pence = engine.amounts_pence(scheme, scores.net)
    for i, answers in enumerate(people):
        need, _percent, reduction, net = reference.score_one(definition, answers, decisions[i])
        assert (scores.need[i], scores.reduction[i], scores.net[i]) == (need, reduction, net)
        assert pence[i] == reference.amount_one(definition, net)


@SETTINGS
@given(data=st.data())
def test_the_explanation_matches_the_reference_by_domain(data):
    definition = data.draw(definitions(informal_method="by_domain", max_questions=8))
    scheme = engine.compile_scheme(definition)
    answers = {
        q.code: data.draw(st.sampled_from([o.code for o in q.options]))
        for q in definition.questions
    }
    if engine.contradictions(scheme, answers):
        return
    unable = data.draw(unable_sets())
    explanation = engine.explain(scheme, answers, unable_outcomes=unable)
    need, _percent, reduction, net = reference.score_one(definition, answers, unable)
    assert (explanation.need_points, explanation.reduction_points) == (need, reduction)
    assert int(explanation.amount * 100) == reference.amount_one(definition, net)
    if definition.allocation.method == "price_per_point":
        assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount


@pytest.mark.django_db
def test_the_score_api_names_each_domains_reduction(client):
    _token, raw = ApiToken.issue(CommissionerFactory(), "Tests")
    draft = DraftVersionFactory(definition=BY_DOMAIN)
    response = client.post(
        f"/api/v1/ras/versions/{draft.pk}/score",
        {"answers": HIGH},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    body = response.json()
    # As worked above: 36 points less 8 (daily living) and 4 (getting out): 24, £72.00.
    assert (body["need_points"], body["reduction_points"], body["points"]) == (36, 12, 24)
    assert body["amount"] == "72.00"
    reductions = {
        line["domain"]: (line["points"], line["amount"])
        for line in body["lines"]
        if line["kind"] == "informal_support"
    }
    assert reductions == {"Daily living": (-8, "-24.00"), "Getting out": (-4, "-12.00")}


@pytest.mark.django_db
def test_a_model_run_of_a_by_domain_version_completes():
    run = CompletedModelRunFactory(version=DraftVersionFactory(definition=BY_DOMAIN))
    assert run.status == "done"
