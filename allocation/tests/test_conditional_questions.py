"""Conditional questions (selfdirect-ras/2 `asked_when`, issue 10): asked only after some
answers to an earlier question; not required otherwise, scoring nothing, and any answer
given to them ignored."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import definition as ras
from allocation.domain import engine, reference
from allocation.tests.test_engine import definitions, loose_answers, unable_sets
from allocation.tests.test_hundredths import score_api  # noqa: F401 - a fixture

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def conditional_dict() -> dict:
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "home",
                "title": "Getting about",
                "questions": [
                    {
                        "code": "falls",
                        "text": "Have you fallen in the last year?",
                        "type": "single",
                        "options": [
                            {"code": "no", "label": "No", "points": 0},
                            {"code": "once", "label": "Once", "points": 2},
                            {"code": "often", "label": "More than once", "points": 4},
                        ],
                    },
                    {
                        "code": "injured",
                        "text": "Were you hurt when you fell?",
                        "type": "single",
                        "asked_when": {"question": "falls", "answers": ["once", "often"]},
                        "options": [
                            {"code": "no", "label": "No", "points": 0},
                            {"code": "yes", "label": "Yes", "points": 5},
                        ],
                    },
                    {
                        "code": "hospital",
                        "text": "Did you go to hospital?",
                        "type": "single",
                        "asked_when": {"question": "injured", "answers": ["yes"]},
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
                "fixed_amount": "0.00",
                "price_per_point": "10.00",
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }


def test_a_question_that_was_asked_scores_and_one_that_was_not_asked_is_ignored():
    definition = ras.parse(conditional_dict())
    scheme = engine.compile_scheme(definition)
    asked = engine.explain(scheme, {"falls": "often", "injured": "yes", "hospital": "yes"})
    # 4 + 5 + 3 = 12 points at £10.00 = £120.00
    assert asked.total_points == 12 and asked.amount == Decimal("120.00")
    # No falls: the other two are not asked, so not required...
    alone = engine.explain(scheme, {"falls": "no"})
    assert alone.total_points == 0 and alone.amount == Decimal("0.00")
    # ...and answers given to them anyway are ignored, and the explanation says so.
    ignored = engine.explain(scheme, {"falls": "no", "injured": "yes", "hospital": "yes"})
    assert ignored.total_points == 0 and ignored.amount == Decimal("0.00")
    not_asked = [line for line in ignored.lines if line.kind == "not_asked"]
    assert [line.question_code for line in not_asked] == ["injured", "hospital"]
    assert "does not count" in not_asked[0].text
    # Fell once, not hurt: hospital is not asked. 2 points = £20.00
    once = engine.explain(scheme, {"falls": "once", "injured": "no", "hospital": "yes"})
    assert once.total_points == 2 and once.amount == Decimal("20.00")
    assert (
        reference.score_one(definition, {"falls": "once", "injured": "no", "hospital": "yes"})[3]
        == 2
    )


def test_a_question_that_was_asked_is_still_required():
    scheme = engine.compile_scheme(ras.parse(conditional_dict()))
    with pytest.raises(engine.AnswerError) as refused:
        engine.explain(scheme, {"falls": "once"})
    assert [(p["type"], p["question"]) for p in refused.value.problems] == [
        ("missing_answer", "injured")
    ]


@SETTINGS
@given(data=st.data())
def test_the_engine_skips_questions_not_asked_as_the_reference_does(data):
    definition = data.draw(definitions(conditional=True))
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    decisions = [data.draw(unable_sets()) for _ in people]
    masks = engine.unable_masks(scheme, [d or () for d in decisions])
    choices, _ = engine.encode_many(scheme, people)
    original = choices.copy()
    result = engine.score(scheme, choices, unable_masks=masks)
    assert (choices == original).all()  # the caller's choices are left as they were
    pence = engine.amounts_pence(scheme, result.net)
    for i, answers in enumerate(people):
        unable = frozenset(decisions[i] or ())
        need, _percent, reduction, net = reference.score_one(definition, answers, unable)
        assert (int(result.need[i]), int(result.reduction[i]), int(result.net[i])) == (
            need,
            reduction,
            net,
        )
        assert int(pence[i]) == reference.amount_one(definition, net)
        route = reference.costed_plan_route_one(definition, answers, unable)
        assert bool(result.costed_plan[i]) == bool(route)
        asked = definition.asked(answers)
        complete = all(q.option(answers.get(q.code, "")) for q in asked)
        known = all(
            definition.question(c) and definition.question(c).option(v) for c, v in answers.items()
        )
        if complete and known and not reference.contradictions_one(definition, answers):
            explained = engine.explain(scheme, answers, unable_outcomes=unable)
            assert explained.total_points == net
            assert explained.costed_plan_route == route


def test_the_score_api_does_not_ask_for_a_question_that_was_not_asked(score_api):  # noqa: F811
    response = score_api(conditional_dict(), {"answers": {"falls": "no"}})
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "0.00"
    ignored = score_api(conditional_dict(), {"answers": {"falls": "no", "injured": "yes"}})
    lines = ignored.json()["lines"]
    assert [line["kind"] for line in lines if line["question_code"] == "injured"] == ["not_asked"]
    missing = score_api(conditional_dict(), {"answers": {"falls": "often"}})
    assert missing.status_code == 422
    assert [p["question"] for p in missing.json()["detail"]] == ["injured"]


@pytest.mark.django_db
def test_the_questionnaire_skips_a_question_that_is_not_asked(client_for, team, practitioner):
    from allocation.tests.factories import DraftVersionFactory
    from assessment.tests.factories import InProgressAssessmentFactory
    from people.tests.factories import PersonFactory

    data = ras.to_dict(DraftVersionFactory().parsed)
    first, second, third = [q for d in data["domains"] for q in d["questions"]][:3]
    top = first["options"][-1]["code"]
    second["asked_when"] = {"question": first["code"], "answers": [top]}
    draft = DraftVersionFactory(definition=data)
    assessment = InProgressAssessmentFactory(person=PersonFactory(team=team))
    assessment.version = draft  # as if this version were in force when it started
    assessment.save(update_fields=["version"])
    client = client_for(practitioner)
    low = first["options"][0]["code"]
    saved = client.post(f"/assessments/{assessment.pk}/questions/{first['code']}/", {"answer": low})
    # the second question is not asked after that answer: straight on to the third
    assert saved.url.endswith(f"/questions/{third['code']}/")
    skipped = client.get(f"/assessments/{assessment.pk}/questions/{second['code']}/")
    assert skipped.status_code == 302 and skipped.url.endswith(f"/questions/{third['code']}/")
    assessment.refresh_from_db()
    assert second["code"] not in assessment.unanswered()
    check = client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert second["text"] not in check
    # the top answer asks it
    client.post(f"/assessments/{assessment.pk}/questions/{first['code']}/", {"answer": top})
    assessment.refresh_from_db()
    assert second["code"] in assessment.unanswered()
    page = client.get(f"/assessments/{assessment.pk}/questions/{second['code']}/")
    assert page.status_code == 200
