"""Agreeing a budget: the streams and ways of taking the money add up, reasons above the RAS,
the funding panel above a threshold, direct payments offered, and the reserve drawn and shown."""

import datetime as dt

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment import actions as assessment_actions
from assessment.models import CapacityAssessment
from assessment.tests.factories import CompletedAssessmentFactory
from budgets import actions
from budgets.models import PersonalBudget, ReserveDraw
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)


@pytest.fixture
def approver(team):
    return UserFactory(role=Role.APPROVER, team=team)


@pytest.fixture
def proposed(team, practitioner):
    assessment = CompletedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    )
    return PersonalBudget.objects.get(person=assessment.person, status="proposed")


@pytest.fixture
def reserve(approver):
    return actions.open_reserve(
        acting_user=approver,
        financial_year_label="2026/27",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        opening_pence=1_000_000,
        source="Envelope £20,000,000 × 5% (test)",
    )


def council(amount):
    return {
        "streams": {"council": amount},
        "shares": [{"mode": "council_managed", "amount_pence": amount}],
    }


def codes(refused):
    return refused.value.codes


def test_an_eligible_decision_proposes_a_budget_from_the_indicative_amount(proposed):
    allocation = proposed.allocation
    assert (proposed.amount_pence, proposed.indicative_pence, proposed.period) == (
        allocation.amount_pence,
        allocation.amount_pence,
        allocation.period,
    )
    assert proposed.status == "proposed"


def test_streams_and_shares_must_add_up_to_the_budget(proposed, approver):
    amount = proposed.indicative_pence
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.agree_budget(
            proposed,
            acting_user=approver,
            amount_pence=amount,
            streams={"council": amount - 100, "contribution": 50},
            shares=[{"mode": "council_managed", "amount_pence": amount + 1}],
            start_date=DAY,
        )
    assert codes(refused) == ["BUD-STREAMS-SUM", "BUD-SHARES-SUM"]
    agreed = actions.agree_budget(
        proposed,
        acting_user=approver,
        amount_pence=amount,
        streams={"council": amount - 2_000, "contribution": 2_000},
        shares=[{"mode": "council_managed", "amount_pence": amount}],
        start_date=DAY,
    )
    assert agreed.status == "active"
    assert {s.stream: s.amount_pence for s in agreed.streams.all()} == {
        "council": amount - 2_000,
        "contribution": 2_000,
    }


def test_above_the_indicative_amount_needs_reasons_and_above_the_threshold_a_panel(
    proposed, approver, reserve
):
    actions.set_panel_threshold(
        acting_user=approver, weekly_pence_=5_000, effective_from=dt.date(2026, 4, 1)
    )
    more = proposed.indicative_pence + 10_000
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.agree_budget(
            proposed, acting_user=approver, amount_pence=more, start_date=DAY, **council(more)
        )
    assert codes(refused) == ["BUD-ABOVE-NEEDS-REASON", "BUD-NEEDS-PANEL"]
    decision = actions.panel_decide(
        proposed,
        acting_user=approver,
        requested_pence=more,
        agreed_pence=more,
        outcome="agreed",
        reasons="Two carers are needed for every transfer",
    )
    agreed = actions.agree_budget(
        proposed,
        acting_user=approver,
        amount_pence=more,
        reason="Two carers for transfers",
        panel_decision=decision,
        start_date=DAY,
        **council(more),
    )
    assert agreed.panel_decision == decision
    draw = ReserveDraw.objects.get(panel_decision=decision)
    # £100 a week above the RAS, for each week (part weeks counted) left in the financial year.
    weeks = -(-((dt.date(2027, 3, 31) - draw.drawn_at.date()).days + 1) // 7)
    assert draw.amount_pence == 10_000 * weeks
    reserve.refresh_from_db()
    assert reserve.balance_pence == 1_000_000 - 10_000 * weeks


def test_a_draw_that_takes_the_reserve_below_zero_needs_an_override_with_reasons(
    proposed, approver, reserve
):
    huge = proposed.indicative_pence + 100_000
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.panel_decide(
            proposed,
            acting_user=approver,
            requested_pence=huge,
            agreed_pence=huge,
            outcome="agreed",
            reasons="x",
        )
    assert codes(refused) == ["RES-BELOW-ZERO"]
    actions.panel_decide(
        proposed,
        acting_user=approver,
        requested_pence=huge,
        agreed_pence=huge,
        outcome="agreed",
        reasons="Hospital discharge, no safe alternative",
        override_reason="Director agreed: the winter pressures fund will top up the reserve",
    )
    reserve.refresh_from_db()
    assert reserve.balance_pence < 0


def test_a_direct_payment_needs_a_recorded_offer_and_for_someone_without_capacity_an_authorised_person(
    proposed, approver, practitioner
):
    amount = proposed.indicative_pence
    dp = {
        "streams": {"council": amount},
        "shares": [{"mode": "direct_payment", "amount_pence": amount}],
    }
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.agree_budget(
            proposed, acting_user=approver, amount_pence=amount, start_date=DAY, **dp
        )
    assert codes(refused) == ["BUD-DP-NOT-OFFERED"]
    actions.record_dp_offer(proposed, acting_user=practitioner, outcome="taken_up")
    assessment_actions.record_capacity(
        proposed.person,
        acting_user=practitioner,
        decision=CapacityAssessment.Decision.DIRECT_PAYMENT,
        impairment=True,
        understands=False,
        retains=False,
        weighs=False,
        communicates=True,
        notes="Could not follow what a direct payment involves",
    )
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.agree_budget(
            proposed, acting_user=approver, amount_pence=amount, start_date=DAY, **dp
        )
    assert codes(refused) == ["BUD-DP-AUTHORISED-PERSON"]
    dp["shares"][0].update(
        authorised_person="Rhea Marlow (daughter)", authorised_person_agreed_on=DAY
    )
    agreed = actions.agree_budget(
        proposed, acting_user=approver, amount_pence=amount, start_date=DAY, **dp
    )
    assert agreed.shares.get().authorised_person == "Rhea Marlow (daughter)"


def test_a_declined_direct_payment_records_why(proposed, practitioner):
    with pytest.raises(Exception, match="Enter why"):
        actions.record_dp_offer(proposed, acting_user=practitioner, outcome="declined")
    offer = actions.record_dp_offer(
        proposed,
        acting_user=practitioner,
        outcome="declined",
        reason="I don’t want to be an employer",
    )
    assert offer.reason == "I don’t want to be an employer"


def test_an_individual_service_fund_names_its_provider(proposed, approver):
    amount = proposed.indicative_pence
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.agree_budget(
            proposed,
            acting_user=approver,
            amount_pence=amount,
            streams={"council": amount},
            shares=[{"mode": "isf", "amount_pence": amount}],
            start_date=DAY,
        )
    assert codes(refused) == ["BUD-ISF-PROVIDER"]


def test_reserve_draws_are_never_changed_only_reversed(proposed, approver, reserve):
    decision = actions.panel_decide(
        proposed,
        acting_user=approver,
        requested_pence=proposed.indicative_pence + 1_000,
        agreed_pence=proposed.indicative_pence + 1_000,
        outcome="agreed",
        reasons="Night checks",
    )
    draw = ReserveDraw.objects.get(panel_decision=decision)
    with pytest.raises(PermissionError):
        draw.reason = "changed"
        draw.save()
    actions.reverse_draw(draw, acting_user=approver, reason="Entered against the wrong person")
    reserve.refresh_from_db()
    assert reserve.balance_pence == 1_000_000
