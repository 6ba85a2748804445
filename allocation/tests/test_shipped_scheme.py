"""The schemes and reference rates Selfdirect ships with: re-based on the reference rates,
reaching the maximum, lawful in what they count, and labelled as the illustrations they are."""

from decimal import Decimal

import pytest

from allocation.domain import engine, rates
from allocation.domain.definition import outcome_codes, publication_problems
from allocation.models import RasVersion, ReferenceRate

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


def test_the_shipped_rates_are_in_force_from_april_2026():
    in_force = ReferenceRate.objects.in_force(on=rates.SHIPPED_FROM)
    assert in_force == rates.SHIPPED
    assert in_force["home_care"] == 2800 and in_force["waking_night"] == 23000
    assert ReferenceRate.objects.in_force(on=rates.SHIPPED_FROM.replace(day=1, month=3)) == {}
    assert all("illustrative" in r.notes for r in ReferenceRate.objects.all())


def test_the_top_of_the_scale_reaches_the_maximum(live):
    scheme = live.compiled
    top = engine.amount_for_points(scheme, scheme.max_net_points)
    assert top.exact > live.parsed.maximum and top.issued == live.parsed.maximum
    highest = {q.code: q.options[-1].code for q in live.parsed.questions if not q.informal_support}
    lowest_support = {
        q.code: q.options[0].code for q in live.parsed.questions if q.informal_support
    }
    result = engine.explain(scheme, {**highest, **lowest_support})
    assert result.at_maximum and result.amount == live.parsed.maximum


@pytest.mark.parametrize(
    ("question", "option", "support"),
    [
        ("pc_night", "all", {"waking_night": 7}),
        ("safe_supervision", "all", {"supported_living": 112, "waking_night": 7}),
        ("pc_washing", "two", {"home_care": 14}),
        ("pc_toilet", "two", {"home_care": 21}),
        ("pc_moving", "two", {"home_care": 14}),
        ("safe_behaviour", "all", {"specialist_support": 20}),
    ],
)
def test_complex_needs_cost_what_they_cost_at_the_reference_rates(live, question, option, support):
    """Waking nights, 24-hour supervision, two-to-one support and specialist behaviour support
    are worth their weekly cost at the rates in force, to within half a point, and send the
    person to a costed plan."""
    chosen = live.parsed.question(question).option(option)
    assert chosen.complex
    in_force = ReferenceRate.objects.in_force(on=live.effective_from)
    cost = sum(Decimal(in_force[service]) * Decimal(str(n)) for service, n in support.items()) / 100
    price = live.parsed.allocation.price_per_point
    assert abs(chosen.points * price - cost) <= price / 2


def test_every_scoring_question_names_the_outcomes_it_serves(live):
    definition = live.parsed
    assert publication_problems(definition) == []
    for question in definition.questions:
        scores = any(o.points for o in question.options)
        if question.informal_support or not scores:
            assert not question.outcomes
        else:
            assert question.outcomes and set(question.outcomes) <= set(outcome_codes("person"))
    assert definition.question("care_pets") is None  # caring for a pet meets no outcome
    assert not any(o.points for o in definition.question("care_adult").options)
    assert [d.code for d in definition.domains].count("communication") == 1


def test_safety_work_and_childcare_needs_are_never_reduced_for_family_support(live):
    for domain in live.parsed.domains:
        for question in domain.questions:
            scores = any(o.points for o in question.options)
            if scores and domain.code in ("staying_safe", "work_learning", "caring_for_others"):
                assert not question.reducible, question.code


def test_the_shipped_rule_says_it_is_illustrative(live):
    assert "illustration" in live.notes and "not to any real council" in live.notes
    assert "calibrated on the synthetic" not in live.notes
    assert "illustrative" in live.scheme.description
