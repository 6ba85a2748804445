"""The Care Act eligibility rules (regulations 2 and 3 of the 2015 Eligibility Criteria Regulations)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import domain

ADULT = [code for code, _ in domain.ADULT_OUTCOMES]
CARER = [code for code, _ in domain.CARER_OUTCOMES]


def test_the_ten_adult_outcomes_are_listed():
    assert len(domain.ADULT_OUTCOMES) == 10


@given(st.sets(st.sampled_from(ADULT)), st.booleans(), st.booleans())
def test_adults_need_two_outcomes_a_condition_and_significant_impact(unable, arises, impact):
    result = domain.decide(
        "person", arises_from_condition=arises, unable=unable, significant_impact=impact
    )
    assert result.eligible == (arises and len(unable) >= 2 and impact)
    assert result.reasons  # a decision always says why


@given(st.sets(st.sampled_from(CARER)), st.booleans(), st.booleans(), st.booleans())
def test_carers_need_one_outcome_or_health_at_risk(unable, arises, impact, at_risk):
    result = domain.decide(
        "carer",
        arises_from_condition=arises,
        unable=unable,
        significant_impact=impact,
        health_at_risk=at_risk,
    )
    assert result.eligible == (arises and (at_risk or len(unable) >= 1) and impact)


def test_reasons_say_what_is_missing():
    result = domain.decide(
        "person", arises_from_condition=True, unable={"hygiene"}, significant_impact=False
    )
    assert not result.eligible
    assert any("two or more" in r for r in result.reasons)
    assert any("significant impact" in r for r in result.reasons)


def test_unknown_outcomes_are_refused():
    with pytest.raises(ValueError):
        domain.decide(
            "person", arises_from_condition=True, unable={"flying"}, significant_impact=True
        )
