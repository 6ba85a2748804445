"""Multi-select questions (selfdirect-ras/2 type `multiple`, issue 10): the points of every
chosen answer added up, capped at the question's cap; none chosen is an answer too."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import definition as ras
from allocation.domain import engine, reference
from allocation.tests.test_engine import definitions, full_answers, loose_answers, unable_sets
from allocation.tests.test_hundredths import score_api  # noqa: F401 - a fixture

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def multiple_dict() -> dict:
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "health",
                "title": "Health",
                "questions": [
                    {
                        "code": "conditions",
                        "text": "Which of these affect your daily life?",
                        "type": "multiple",
                        "cap": 6,
                        "none_label": "None of these",
                        "options": [
                            {"code": "sight", "label": "Sight loss", "points": 2},
                            {"code": "hearing", "label": "Hearing loss", "points": 1.5},
                            {"code": "memory", "label": "Memory problems", "points": 4},
                        ],
                    },
                    {
                        "code": "night",
                        "text": "Do you need help at night?",
                        "type": "single",
                        "asked_when": {"question": "conditions", "answers": ["memory"]},
                        "options": [
                            {"code": "no", "label": "No", "points": 0},
                            {"code": "yes", "label": "Yes", "points": 3},
                        ],
                    },
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 0},
        "money_tables": [
            {
                "code": "everyone",
                "title": "Everyone",
                "method": "price_per_point",
                "fixed_amount": "5.00",
                "price_per_point": "10.00",
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }


def test_the_points_of_every_answer_chosen_are_added_up_and_capped():
    definition = ras.parse(multiple_dict())
    scheme = engine.compile_scheme(definition)
    two = engine.explain(scheme, {"conditions": ["hearing", "sight"]})
    # 2 + 1.5 = 3.5 points: £5.00 + 3.5 × £10.00 = £40.00
    assert two.total_points == Decimal("3.5") and two.amount == Decimal("40.00")
    (line,) = [line for line in two.lines if line.kind == "answer"]
    assert line.answer_label == "Sight loss and Hearing loss" and line.points == Decimal("3.5")
    every = engine.explain(scheme, {"conditions": ["sight", "hearing", "memory"], "night": "yes"})
    # 2 + 1.5 + 4 = 7.5, capped at 6; night help 3: 9 points, £5.00 + £90.00 = £95.00
    assert every.total_points == 9 and every.amount == Decimal("95.00")
    none = engine.explain(scheme, {"conditions": []})
    # none of them: 0 points, and the night question is not asked: £5.00
    assert none.total_points == 0 and none.amount == Decimal("5.00")
    assert reference.score_one(definition, {"conditions": ["hearing", "sight"]})[3] == Fraction(
        7, 2
    )
    choices, _ = engine.encode_many(
        scheme, [{"conditions": ["sight", "hearing", "memory"], "night": "yes"}]
    )
    assert engine.score(scheme, choices).net.tolist() == [900]  # hundredths


def test_hours_of_several_answers_are_added_up_by_service_and_priced_once():
    data = multiple_dict()
    options = data["domains"][0]["questions"][0]["options"]
    options[0]["support"] = [{"service": "home_care", "units": Decimal("2.5")}]
    options[1]["support"] = [{"service": "personal_assistant", "units": 1}]
    options[2]["support"] = [
        {"service": "home_care", "units": Decimal("3.25")},
        {"service": "personal_assistant", "units": 2},
    ]
    definition = ras.parse(data)
    rates = {"home_care": 2803, "personal_assistant": 1650}
    scheme = engine.compile_scheme(definition, rates=rates)
    answers = {"conditions": ["sight", "memory"], "night": "no"}
    result = engine.explain(scheme, answers)
    support = [line for line in result.lines if line.kind == "support"]
    # Home care 2.5 + 3.25 = 5.75 hours at £28.03 = £161.1725, £161.17 (priced apart it would
    # be £70.08 + £91.10 = £161.18); a personal assistant 2 hours at £16.50 = £33.00.
    assert [(line.service, line.units, line.amount) for line in support] == [
        ("home_care", Decimal("5.75"), Decimal("161.17")),
        ("personal_assistant", Decimal("2"), Decimal("33.00")),
    ]
    # Points: 2 + 4 = 6 (at the cap): £5.00 + 6 × £10.00 = £65.00; with the support £259.17.
    assert result.amount == Decimal("259.17")
    choices, _ = engine.encode_many(scheme, [answers])
    scores = engine.score(scheme, choices)
    assert scores.support_pence.tolist() == [16117 + 3300]
    assert engine.amounts_pence(
        scheme, scores.net, support_pence=scores.support_pence
    ).tolist() == [25917]
    assert reference.support_pence_one(definition, answers, rates) == 16117 + 3300
    # The cap limits points, not hours: all three add every hour (2.5 + 3.25 home care,
    # 1 + 2 personal assistant): £161.17 + £49.50 = £210.67, plus £65.00 (capped at 6 points).
    every = engine.explain(scheme, {"conditions": ["sight", "hearing", "memory"], "night": "no"})
    assert every.amount == Decimal("275.67")


def test_an_answer_among_several_that_excludes_another_answer_is_a_contradiction():
    data = multiple_dict()
    data["domains"][0]["questions"][0]["options"][2]["excludes"] = {"night": ["no"]}
    definition = ras.parse(data)
    clash = {"conditions": ["sight", "memory"], "night": "no"}
    (found,) = engine.contradictions(definition, clash)
    assert (found["question"], found["code"], found["other_question"], found["other_code"]) == (
        "conditions",
        "memory",
        "night",
        "no",
    )
    assert "“Memory problems”" in found["message"] and "“No”" in found["message"]
    assert reference.contradictions_one(definition, clash) == {
        frozenset([("conditions", "memory"), ("night", "no")])
    }
    with pytest.raises(engine.AnswerError):
        engine.explain(engine.compile_scheme(definition), clash)
    assert engine.contradictions(definition, {"conditions": ["memory"], "night": "yes"}) == []
    # Without "memory" the night question is not asked, so its answer contradicts nothing.
    assert engine.contradictions(definition, {"conditions": ["sight"], "night": "no"}) == []


def test_a_multiple_choice_answer_must_be_a_list_of_its_answers():
    scheme = engine.compile_scheme(ras.parse(multiple_dict()))
    for wrong in ("sight", ["sight", "sight"], ["taste"]):
        with pytest.raises(engine.AnswerError) as refused:
            engine.explain(scheme, {"conditions": wrong})
        assert refused.value.problems[0]["type"] == "unknown_option"


@SETTINGS
@given(data=st.data())
def test_the_engine_adds_up_multiple_answers_as_the_reference_does(data):
    definition = data.draw(definitions(multiple=True, conditional=True, hundredths=True))
    scheme = engine.compile_scheme(definition)
    scale = scheme.points_scale
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=15))
    decisions = [data.draw(unable_sets()) for _ in people]
    masks = engine.unable_masks(scheme, [d or () for d in decisions])
    choices, _ = engine.encode_many(scheme, people)
    result = engine.score(scheme, choices, unable_masks=masks)
    pence = engine.amounts_pence(scheme, result.net)
    for i, answers in enumerate(people):
        unable = frozenset(decisions[i] or ())
        need, _percent, reduction, net = reference.score_one(definition, answers, unable)
        assert Fraction(int(result.need[i]), scale) == need
        assert Fraction(int(result.net[i]), scale) == net
        assert int(pence[i]) == reference.amount_one(definition, net)
        route = reference.costed_plan_route_one(definition, answers, unable)
        assert bool(result.costed_plan[i]) == bool(route)


@SETTINGS
@given(data=st.data())
def test_the_explanation_of_multiple_answers_matches_the_reference(data):
    definition = data.draw(definitions(multiple=True))
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    result = engine.explain(scheme, answers, unable_outcomes=unable)
    _need, _percent, _reduction, net = reference.score_one(definition, answers, unable)
    assert result.total_points == net
    assert result.amount * 100 == reference.amount_one(definition, net)
    money = [line.amount for line in result.lines if line.amount is not None]
    assert sum(money, Decimal(0)) == result.amount


def test_the_score_api_takes_a_list_of_answers(score_api):  # noqa: F811
    response = score_api(multiple_dict(), {"answers": {"conditions": ["sight", "hearing"]}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["points"] == 3.5 and body["amount"] == "40.00"
    refused = score_api(multiple_dict(), {"answers": {"conditions": "sight"}})
    assert refused.status_code == 422


@pytest.mark.django_db
def test_the_question_page_offers_checkboxes_with_an_exclusive_none(client_for, team, practitioner):
    from allocation.tests.factories import DraftVersionFactory
    from assessment.tests.factories import InProgressAssessmentFactory
    from people.tests.factories import PersonFactory

    data = ras.to_dict(DraftVersionFactory().parsed)
    question = data["domains"][0]["questions"][0]
    question["options"] = question["options"][:4]
    question["type"] = "multiple"
    question["none_label"] = "None of these"
    codes = [o["code"] for o in question["options"]]
    draft = DraftVersionFactory(definition=data)
    assessment = InProgressAssessmentFactory(person=PersonFactory(team=team))
    assessment.version = draft  # as if this version were in force when it started
    assessment.save(update_fields=["version"])
    client = client_for(practitioner)
    url = f"/assessments/{assessment.pk}/questions/{question['code']}/"
    page = client.get(url).content.decode()
    assert page.count('type="checkbox"') == len(codes) + 1
    assert 'data-behaviour="exclusive"' in page and "govuk-checkboxes__divider" in page
    both = client.post(url, {"answer": ["_none", codes[1]]})
    assert both.status_code == 200 and "not both" in both.content.decode()
    client.post(url, {"answer": [codes[2], codes[1]]})
    assessment.refresh_from_db()
    assert assessment.answers[question["code"]] == [codes[1], codes[2]]
    client.post(url, {"answer": ["_none"]})
    assessment.refresh_from_db()
    assert assessment.answers[question["code"]] == []
    nothing = client.post(url, {"continue": ""})
    assert "Select the answers that apply" in nothing.content.decode()


@pytest.mark.django_db
def test_editing_a_draft_in_the_editor_pages_keeps_its_question_level_parts(client_for):
    """The editor pages save the whole selfdirect-ras/2 definition: changing the money rule
    keeps the conditions, multiple choices and two-decimal points."""
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from allocation.tests.factories import DraftVersionFactory

    draft = DraftVersionFactory(definition=multiple_dict())
    pages = client_for(UserFactory(role=Role.COMMISSIONER))
    saved = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "5",
            "price_per_point": "20",
        },
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    conditions, night = draft.parsed.questions
    assert conditions.multiple and conditions.cap == 6 and conditions.none_label
    assert conditions.option("hearing").points == Decimal("1.5")
    assert night.asked_when is not None and night.asked_when.question == "conditions"
    # £5.00 + (2 + 1.5) × £20.00 = £75.00
    result = engine.explain(draft.compiled, {"conditions": ["sight", "hearing"]})
    assert result.amount == Decimal("75.00")
