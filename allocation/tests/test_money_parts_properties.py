"""The RAS's promises hold with cost-rate answers, informal support by domain and a carer
allocation: more need never gives less money, more support from family and friends never
gives the person more (nor the carer less), and equal answers give equal money."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from allocation.domain import engine, reference
from allocation.tests.test_engine import (
    SETTINGS,
    SUPPORT_SERVICES,
    definitions,
    full_answers,
    unable_sets,
)

RATES = {service: 1000 + 731 * i for i, service in enumerate(SUPPORT_SERVICES)}
FEATURES = {
    "cost_rate": {"support": True},
    "by_domain": {"informal_method": "by_domain"},
    "carer_allocation": {"informal_method": "carer_allocation"},
}


def _amounts(scheme, answers, unable) -> tuple[int, int]:
    """(the person's issued pence, the carer's issued pence or 0)."""
    choices, _ = engine.encode_many(scheme, [answers])
    masks = None if unable is None else engine.unable_masks(scheme, [unable])
    scores = engine.score(scheme, choices, unable_masks=masks)
    person = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    carer = 0
    if scores.carer_points is not None:
        carer = int(engine.carer_amounts_pence(scheme, scores.carer_points)[0])
    return int(person[0]), carer


@pytest.mark.parametrize("feature", list(FEATURES))
@SETTINGS
@given(data=st.data())
def test_a_later_answer_never_gives_less_for_a_need_nor_more_for_family_support(feature, data):
    definition = data.draw(definitions(**FEATURES[feature]))
    scheme = engine.compile_scheme(definition, rates=RATES)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    question = data.draw(st.sampled_from(definition.questions))
    codes = [o.code for o in question.options]
    now = codes.index(answers[question.code])
    moved = {**answers, question.code: codes[data.draw(st.integers(now, len(codes) - 1))]}
    (person, carer), (person_after, carer_after) = (
        _amounts(scheme, answers, unable),
        _amounts(scheme, moved, unable),
    )
    if question.informal_support:
        assert person_after <= person
        assert carer_after >= carer  # more help given: the carer's amount never falls
    else:
        assert person_after >= person
        assert carer_after == carer
    assume(not reference.contradictions_one(definition, moved))
    explanation = engine.explain(scheme, moved, unable_outcomes=unable)
    assert explanation.amount * 100 == person_after


@pytest.mark.parametrize("feature", list(FEATURES))
@SETTINGS
@given(data=st.data())
def test_equal_answers_give_equal_money(feature, data):
    definition = data.draw(definitions(**FEATURES[feature]))
    scheme = engine.compile_scheme(definition, rates=RATES)
    answers = data.draw(full_answers(definition, consistent=False))
    unable = data.draw(unable_sets())
    shuffled = dict(reversed(list(answers.items())))
    assert _amounts(scheme, answers, unable) == _amounts(scheme, shuffled, unable)
