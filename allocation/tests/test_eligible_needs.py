"""Eligible needs only, the costed-plan route, support from family and friends and answers
that contradict each other: hand-worked examples, each citing the rule it checks."""

from decimal import Decimal

import numpy as np
import pytest

from allocation.domain import engine
from allocation.domain.definition import (
    CARER_HEALTH,
    DefinitionError,
    decided_unable,
    parse,
    publication_problems,
    to_dict,
)


def _scheme_dict(**changes) -> dict:
    """Washing (hygiene), meals (nutrition), supervision (home safety, never reduced, with a
    complex top answer), and two questions about support from family and friends."""
    data = {
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
                        "outcomes": ["hygiene"],
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 10},
                            {
                                "code": "two",
                                "label": "Two people",
                                "points": 40,
                                "complex": True,
                            },
                        ],
                    },
                    {
                        "code": "meals",
                        "text": "Help with meals?",
                        "outcomes": ["nutrition"],
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "all", "label": "All", "points": 20},
                        ],
                    },
                ],
            },
            {
                "code": "safe",
                "title": "Staying safe",
                "questions": [
                    {
                        "code": "supervision",
                        "text": "How much supervision?",
                        "outcomes": ["home_safety"],
                        "reducible": False,
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "part", "label": "Part of the day", "points": 30},
                            {
                                "code": "all",
                                "label": "All day and night",
                                "points": 200,
                                "complex": True,
                                "excludes": {"night": ["no"]},
                            },
                        ],
                    },
                    {
                        "code": "night",
                        "text": "Help at night?",
                        "outcomes": ["toilet", "home_safety"],
                        "options": [
                            {"code": "no", "label": "No", "points": 0},
                            {"code": "yes", "label": "Yes", "points": 10},
                        ],
                    },
                ],
            },
            {
                "code": "family",
                "title": "Family and friends",
                "questions": [
                    {
                        "code": "ff_help",
                        "text": "How much do family help?",
                        "informal_support": True,
                        "options": [
                            {"code": "none", "label": "None", "reduction_percent": 0},
                            {"code": "lot", "label": "A lot", "reduction_percent": 20},
                        ],
                    },
                    {
                        "code": "ff_go_on",
                        "text": "Can they keep going?",
                        "informal_support": True,
                        "options": [
                            {
                                "code": "no",
                                "label": "No, they cannot go on",
                                "reduction_percent": 0,
                                "no_reduction": True,
                            },
                            {
                                "code": "breaks",
                                "label": "Yes, with breaks",
                                "reduction_percent": 0,
                                "not_more_than": "yes",
                            },
                            {"code": "yes", "label": "Yes", "reduction_percent": 10},
                        ],
                    },
                ],
            },
        ],
        "informal_support": {"cap_percent": 40},
        "allocation": {"method": "price_per_point", "fixed_amount": "0", "price_per_point": "2"},
        "limits": {"minimum": "0.00", "maximum": "400.00"},
    }
    data.update(changes)
    return data


@pytest.fixture
def scheme():
    return engine.compile_scheme(parse(_scheme_dict()))


ANSWERS = {
    "washing": "some",
    "meals": "all",
    "supervision": "part",
    "night": "yes",
    "ff_help": "lot",
    "ff_go_on": "yes",
}


def test_a_provisional_amount_counts_every_need(scheme):
    result = engine.explain(scheme, ANSWERS)
    # need 10 + 20 + 30 + 10 = 70; reducible 40 (supervision is not); 30% of 40 = 12.
    assert result.provisional is True
    assert (result.need_points, result.reduction_percent, result.reduction_points) == (70, 30, 12)
    assert result.total_points == 58 and result.amount == Decimal("116.00")


def test_after_the_decision_only_needs_linked_to_unmet_outcomes_count(scheme):
    """Care Act 2014 s26; statutory guidance 11.7-11.10."""
    result = engine.explain(scheme, ANSWERS, unable_outcomes=frozenset({"hygiene", "toilet"}))
    # washing (hygiene) and night (toilet) count; meals (nutrition) and supervision
    # (home safety) were found achievable. need 20, reducible 20, 30% -> 6.
    assert result.provisional is False
    assert (result.need_points, result.reduction_points, result.total_points) == (20, 6, 14)
    assert result.not_eligible_points == 50
    kinds = [(line.kind, line.question_code, line.points, line.amount) for line in result.lines]
    assert kinds[:4] == [
        ("answer", "washing", 10, Decimal("20.00")),
        ("not_eligible_need", "meals", 0, Decimal("0.00")),
        ("not_eligible_need", "supervision", 0, Decimal("0.00")),
        ("answer", "night", 10, Decimal("20.00")),
    ]
    meals = result.lines[1].text
    assert "would score 20 points" in meals and "managing and maintaining nutrition" in meals
    assert sum(line.amount for line in result.lines if line.amount is not None) == result.amount


def test_the_batch_engine_counts_the_same_eligible_needs(scheme):
    choices, _ = engine.encode_many(scheme, [ANSWERS, ANSWERS])
    masks = np.array(
        [
            engine.unable_mask(scheme, ["hygiene", "toilet"]),
            engine.unable_mask(scheme, ["nutrition", "home_safety"]),
        ]
    )
    scores = engine.score(scheme, choices, unable_masks=masks)
    # Second person: meals 20, supervision 30 (not reducible), night 10 (home safety): 60;
    # reducible 30, 30% -> 9.
    assert scores.need.tolist() == [20, 60]
    assert scores.reduction.tolist() == [6, 9]
    assert scores.net.tolist() == [14, 51]


def test_scheme_outcome_codes_follow_the_regulations_order(scheme):
    assert scheme.outcome_codes[:3] == ("nutrition", "hygiene", "toilet")
    assert engine.unable_mask(scheme, ["hygiene", "nutrition", "not_an_outcome"]) == 0b11


def test_unknown_outcomes_are_refused_when_explaining(scheme):
    with pytest.raises(ValueError, match="garden"):
        engine.explain(scheme, ANSWERS, unable_outcomes=frozenset({"garden"}))


def test_masks_out_of_range_are_refused(scheme):
    choices, _ = engine.encode_many(scheme, [ANSWERS])
    with pytest.raises(ValueError, match="between 0 and"):
        engine.score(scheme, choices, unable_masks=np.array([1 << 20]))
    with pytest.raises(ValueError, match="shape"):
        engine.score(scheme, choices, unable_masks=np.array([1, 2]))
    packed = engine.pack(scheme, choices)  # packed once, scored under any decision
    assert engine.score(scheme, packed, unable_masks=np.array([0])).need.tolist() == [0]


def test_a_complex_answer_sends_the_person_to_a_costed_plan(scheme):
    answers = {**ANSWERS, "washing": "two", "supervision": "all"}
    result = engine.explain(scheme, answers)
    assert result.costed_plan_route == ("washing", "supervision")
    assert result.at_maximum is True and result.amount == Decimal("400.00")
    costed = [line for line in result.lines if line.kind == "costed_plan"]
    assert len(costed) == 1 and costed[0].amount is None
    assert "cost of the support plan" in costed[0].text
    # A complex answer to a need found achievable is not an eligible need either.
    after = engine.explain(scheme, answers, unable_outcomes=frozenset({"hygiene", "toilet"}))
    assert after.costed_plan_route == ("washing",)


def test_no_reduction_when_the_carer_cannot_go_on(scheme):
    """Statutory guidance 6.18 and 10.26: support counts only if the carer is willing and able."""
    result = engine.explain(scheme, {**ANSWERS, "ff_go_on": "no"})
    assert result.reduction_points == 0 and result.reduction_percent == 0
    assert result.total_points == 70
    line = next(line for line in result.lines if line.kind == "informal_support_not_counted")
    assert "carer’s assessment" in line.text and line.amount == Decimal("0.00")


def test_a_reduction_names_the_needs_met_and_offers_a_carers_assessment(scheme):
    """Care Act 2014 s18(7) (needs a carer meets are still eligible needs) and s10."""
    line = next(
        line for line in engine.explain(scheme, ANSWERS).lines if line.kind == "informal_support"
    )
    assert "daily living" in line.text  # the needs family and friends help with
    assert "staying safe are not reduced" in line.text  # supervision is never reduced
    assert "section 18(7)" in line.text and "carer’s assessment" in line.text


def test_yes_with_breaks_never_reduces_more_than_yes():
    data = _scheme_dict()
    options = data["domains"][2]["questions"][1]["options"]
    options[1]["reduction_percent"] = 15  # "with breaks" now reduces more than "yes"...
    options[1], options[2] = options[2], options[1]  # ...though listed in order of support
    codes = [code for code, _m in publication_problems(parse(data))]
    assert codes == ["RAS-CONDITIONAL-SUPPORT-REDUCES-MORE"]
    assert publication_problems(parse(_scheme_dict())) == []


def test_answers_that_mean_no_reduction_come_first():
    data = _scheme_dict()
    options = data["domains"][2]["questions"][1]["options"]
    options[0], options[1] = options[1], options[0]
    assert "RAS-NO-REDUCTION-ORDER" in [code for code, _m in publication_problems(parse(data))]


def test_a_scoring_question_must_name_its_outcomes_to_be_published():
    data = _scheme_dict()
    del data["domains"][0]["questions"][1]["outcomes"]
    assert [code for code, _m in publication_problems(parse(data))] == ["RAS-NEED-NO-OUTCOME"]


def test_contradictory_answers_are_refused_with_a_message(scheme):
    answers = {**ANSWERS, "supervision": "all", "night": "no"}
    found = engine.contradictions(scheme, answers)
    assert [(c["question"], c["code"], c["other_question"], c["other_code"]) for c in found] == [
        ("supervision", "all", "night", "no")
    ]
    assert "does not fit" in found[0]["message"]
    with pytest.raises(engine.AnswerError) as refused:
        engine.encode(scheme, answers)
    assert refused.value.problems[0]["type"] == "contradictory_answers"
    # Partial answers: only what has been answered is compared.
    assert engine.contradictions(scheme, {"supervision": "all"}) == []


def test_the_new_keys_survive_export_and_import():
    data = _scheme_dict()
    again = to_dict(parse(data))
    assert parse(again) == parse(data)
    supervision = again["domains"][1]["questions"][0]
    assert supervision["reducible"] is False and supervision["outcomes"] == ["home_safety"]
    assert supervision["options"][2]["complex"] is True
    assert supervision["options"][2]["excludes"] == {"night": ["no"]}
    go_on = again["domains"][2]["questions"][1]["options"]
    assert go_on[0]["no_reduction"] is True and go_on[1]["not_more_than"] == "yes"
    # Keys that say nothing are left out, so older files export as they were.
    assert "complex" not in again["domains"][0]["questions"][1]["options"][0]
    assert "reducible" not in again["domains"][0]["questions"][0]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["domains"][0]["questions"][0].update(outcomes=["garden"]), "garden"),
        (
            lambda d: d["domains"][2]["questions"][0].update(outcomes=["hygiene"]),
            "meets no outcome",
        ),
        (
            lambda d: d["domains"][2]["questions"][0]["options"][1].update(complex=True),
            "costed plan",
        ),
        (
            lambda d: d["domains"][0]["questions"][0]["options"][1].update(no_reduction=True),
            "no reduction",
        ),
        (
            lambda d: d["domains"][1]["questions"][0]["options"][2].update(
                excludes={"night": ["maybe"]}
            ),
            "not an answer",
        ),
        (
            lambda d: d["domains"][1]["questions"][0]["options"][2].update(
                excludes={"supervision": ["none"]}
            ),
            "its own question",
        ),
        (
            lambda d: d["domains"][2]["questions"][1]["options"][1].update(not_more_than="sure"),
            "does not have",
        ),
    ],
)
def test_the_new_keys_are_checked(change, fragment):
    data = _scheme_dict()
    change(data)
    with pytest.raises(DefinitionError) as caught:
        parse(data)
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems


def test_a_carers_health_at_risk_counts_as_an_unmet_outcome():
    """Eligibility Regulations 2015 reg 3(1)(b)(i): a carer's health at risk is a route in itself."""
    assert decided_unable("carer", ["recreation"], health_at_risk=True) == {
        "recreation",
        CARER_HEALTH,
    }
    assert decided_unable("person", ["hygiene"], health_at_risk=True) == {"hygiene"}
