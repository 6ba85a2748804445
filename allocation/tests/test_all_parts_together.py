"""Every part of selfdirect-ras/2 at once: two-decimal points, multi-select and conditional
questions, domain caps, cost-rate answers, and support from family and friends by domain or
as a carer's allocation. The engine (numpy, packed tables) and the explanation must give what
the plain reference gives, person by person, whichever parts a scheme combines."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from allocation.domain import engine, reference
from allocation.tests.test_engine import (
    SETTINGS,
    SUPPORT_SERVICES,
    definitions,
    full_answers,
    loose_answers,
    unable_sets,
)

RATES = {service: 1250 + 977 * i for i, service in enumerate(SUPPORT_SERVICES)}


@st.composite
def everything(draw, **kwargs):
    return draw(
        definitions(
            support=draw(st.booleans()),
            informal_method=draw(st.sampled_from(["", "by_domain", "carer_allocation"])),
            hundredths=True,
            multiple=True,
            conditional=True,
            **kwargs,
        )
    )


@SETTINGS
@given(data=st.data())
def test_the_engine_matches_the_reference_whichever_parts_a_scheme_combines(data):
    definition = data.draw(everything())
    scheme = engine.compile_scheme(definition, rates=RATES)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=12))
    decided = data.draw(st.booleans())
    decisions = [frozenset(data.draw(unable_sets()) or ()) if decided else None for _ in people]
    masks = engine.unable_masks(scheme, [d or () for d in decisions]) if decided else None
    choices, _missing = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices, unable_masks=masks)
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    carers = (
        engine.carer_amounts_pence(scheme, scores.carer_points)
        if scores.carer_points is not None
        else None
    )
    for i, answers in enumerate(people):
        need, _percent, _reduction, net = reference.score_one(definition, answers, decisions[i])
        support = reference.support_pence_one(definition, answers, RATES, decisions[i])
        steps = scheme.points_scale
        assert Fraction(int(scores.need[i]), steps) == need
        assert Fraction(int(scores.net[i]), steps) == net
        expected = reference.amount_one(definition, net, None, support)
        assert int(pence[i]) == (engine.NO_AMOUNT if expected is None else expected)
        if carers is not None:
            _points, carer = reference.carer_one(definition, answers)
            assert int(carers[i]) == (carer or 0)


@SETTINGS
@given(data=st.data())
def test_the_explanation_adds_up_to_the_reference_amount_whichever_parts_a_scheme_combines(data):
    definition = data.draw(everything(max_questions=8))
    scheme = engine.compile_scheme(definition, rates=RATES)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    explanation = engine.explain(scheme, answers, unable_outcomes=unable)
    _need, _percent, _reduction, net = reference.score_one(definition, answers, unable)
    support = reference.support_pence_one(definition, answers, RATES, unable)
    expected = reference.amount_one(definition, net, None, support)
    assert Fraction(explanation.total_points) == net
    if expected is None:
        assert explanation.amount is None and explanation.no_amount_words is not None
    else:
        assert int(explanation.amount * 100) == expected
        assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount
    if definition.carer_money is not None:
        _points, carer = reference.carer_one(definition, answers)
        got = explanation.carer.amount if explanation.carer is not None else None
        assert (None if got is None else int(got * 100)) == carer
