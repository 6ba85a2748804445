"""A plan's way from a draft to agreed support: sending, returning, approving within an
authority limit, the funding panel and the reserve, the costed-plan route, direct payments,
becoming active, and every step written down."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.models import CapacityAssessment
from assessment.tests.factories import CompletedAssessmentFactory
from budgets import actions as budget_actions
from budgets.models import PersonalBudget, ReserveDraw
from core.actions import ActionError, IllegalTransition
from core.concurrency import EditConflict
from core.models import AuditEvent
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory
from plans import actions
from plans.models import PlanEvent, SupportPlan
from plans.tests.factories import (
    ActivePlanFactory,
    ApprovedPlanFactory,
    DraftPlanFactory,
    PanelPlanFactory,
    ReturnedPlanFactory,
    SubmittedPlanFactory,
    approver_with_limit,
    line_values,
    open_reserve,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def person(team, practitioner):
    return CompletedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    ).person


@pytest.fixture
def approver(team):
    return approver_with_limit(team=team, weekly_pence=200_000)


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


def codes(refused):
    return refused.value.codes


def budget_of(person) -> PersonalBudget:
    return actions.proposed_budget(person)


def costing(pence: int, **changes) -> dict:
    """One weekly line costing exactly `pence` a week."""
    return line_values(service="other", units=Decimal("1"), unit_cost_pence=pence, **changes)


def test_a_plan_starts_from_the_proposed_budget_and_one_at_a_time(person, practitioner):
    plan = actions.start_plan(person, acting_user=practitioner)
    assert (plan.status, plan.budget, plan.author) == ("draft", budget_of(person), practitioner)
    with pytest.raises(ActionError) as refused:
        actions.start_plan(person, acting_user=practitioner)
    assert refused.value.code == "PLAN-ALREADY-OPEN"


def test_without_an_eligible_assessment_there_is_no_plan(team, practitioner):
    with pytest.raises(ActionError) as refused:
        actions.start_plan(PersonFactory(team=team), acting_user=practitioner)
    assert refused.value.code == "PLAN-NO-BUDGET"


def test_a_plan_cannot_be_sent_until_it_says_what_matters_how_and_how_to_stay_safe(
    person, practitioner
):
    plan = actions.start_plan(person, acting_user=practitioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.submit_plan(plan, acting_user=practitioner)
    assert codes(refused) == [
        "PLAN-NO-OUTCOMES",
        "PLAN-NEEDS-NOT-COVERED",
        "PLAN-NO-LINES",
        "PLAN-RISKS-NOT-CONSIDERED",
    ]
    assert SupportPlan.objects.get(pk=plan.pk).status == "draft"


def test_every_eligible_need_is_linked_to_something_that_matters(person, practitioner):
    plan = DraftPlanFactory(person=person, author=practitioner, complete=False)
    actions.add_outcome(plan, text="Be clean", links=["hygiene"], acting_user=practitioner)
    actions.set_no_risks(plan, no_risks=True, acting_user=practitioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.submit_plan(plan, acting_user=practitioner)
    assert codes(refused) == ["PLAN-NEEDS-NOT-COVERED"]
    assert "Managing toilet needs" in refused.value.problems[0].message
    with pytest.raises(BusinessRuleViolation) as unknown:
        actions.add_outcome(plan, text="Work", links=["work"], acting_user=practitioner)
    assert codes(unknown) == ["PLAN-OUTCOME-UNKNOWN-NEED"]
    actions.add_outcome(plan, text="Use the toilet", links=["toilet"], acting_user=practitioner)
    assert actions.submit_plan(plan, acting_user=practitioner).status == "submitted"


def test_a_plan_over_its_budget_is_sent_only_with_a_reason(person, practitioner):
    over = budget_of(person).amount_pence + 1
    plan = DraftPlanFactory(person=person, author=practitioner, lines=[costing(over)])
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.submit_plan(plan, acting_user=practitioner, reason="  ")
    assert codes(refused) == ["PLAN-OVER-BUDGET-NEEDS-REASON"]
    sent = actions.submit_plan(plan, acting_user=practitioner, reason="Two carers at night")
    assert (sent.status, sent.over_budget_reason) == ("submitted", "Two carers at night")


def test_a_returned_plan_carries_the_comment_and_can_be_changed_and_sent_again(
    person, practitioner
):
    plan = SubmittedPlanFactory(person=person, author=practitioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.return_plan(plan, acting_user=practitioner, comment=" ")
    assert codes(refused) == ["PLAN-RETURN-NEEDS-COMMENT"]
    returned = actions.return_plan(plan, acting_user=practitioner, comment="Add the weekends")
    assert returned.status == "returned"
    assert returned.events.last().comment == "Add the weekends"
    actions.add_line(returned, costing(100), acting_user=practitioner)
    assert actions.submit_plan(returned, acting_user=practitioner).status == "submitted"


def test_a_sent_plan_cannot_be_changed(person, practitioner):
    plan = SubmittedPlanFactory(person=person, author=practitioner)
    with pytest.raises(ActionError) as refused:
        actions.add_line(plan, costing(100), acting_user=practitioner)
    assert refused.value.code == "PLAN-NOT-EDITABLE"
    with pytest.raises(IllegalTransition):
        actions.submit_plan(plan, acting_user=practitioner)


def test_the_author_may_not_approve_their_own_plan(team):
    approver = approver_with_limit(team=team)
    person = CompletedAssessmentFactory(person=PersonFactory(team=team)).person
    plan = SubmittedPlanFactory(person=person, author=approver)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.approve_plan(plan, acting_user=approver)
    assert codes(refused) == ["PLAN-APPROVER-IS-AUTHOR"]
    assert SupportPlan.objects.get(pk=plan.pk).status == "submitted"


def test_an_approver_without_a_limit_may_not_approve(person, team):
    plan = SubmittedPlanFactory(person=person)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.approve_plan(plan, acting_user=UserFactory(role=Role.APPROVER, team=team))
    assert codes(refused) == ["PLAN-NO-AUTHORITY-LIMIT"]


def test_approval_within_the_limit_agrees_the_budget_from_the_lines(person, practitioner, approver):
    budget = budget_of(person)
    lines = [
        costing(10_000, funding_stream="council", mode="council_managed"),
        costing(2_000, funding_stream="contribution", mode="council_managed"),
        costing(5_000, mode="isf", provider="Kind Hands Ltd", provider_kind="provider"),
        line_values(
            service="equipment",
            units=Decimal("1"),
            unit_cost_pence=30_000,
            frequency="one_off",
            line_type="equipment",
            service_type="sts_ongoing_low_level",
        ),
    ]
    plan = SubmittedPlanFactory(person=person, author=practitioner, lines=lines)
    start = TODAY + dt.timedelta(days=14)
    approved = actions.approve_plan(plan, acting_user=approver, start_date=start)
    assert (approved.status, approved.starts_on, approved.approved_by) == (
        "approved",
        start,
        approver,
    )
    budget.refresh_from_db()
    assert (budget.status, budget.amount_pence, budget.start_date) == ("active", 17_000, start)
    # The one-off equipment is agreed beside the weekly amount, with its own stream and share.
    assert budget.one_off_pence == 30_000
    assert {(s.stream, s.one_off): s.amount_pence for s in budget.streams.all()} == {
        ("council", False): 15_000,
        ("contribution", False): 2_000,
        ("council", True): 30_000,
    }
    assert {(s.mode, s.one_off): (s.amount_pence, s.provider) for s in budget.shares.all()} == {
        ("council_managed", False): (12_000, ""),
        ("isf", False): (5_000, "Kind Hands Ltd"),
        ("council_managed", True): (30_000, ""),
    }
    from budgets import explained

    assert explained.for_budget(budget, user=approver).one_off_pence == 30_000


def test_an_approved_plan_becomes_active_when_its_budget_starts(person):
    plan = ApprovedPlanFactory(person=person, start=TODAY + dt.timedelta(days=3))
    system = UserFactory(role=Role.ADMIN)
    assert actions.activate_due_plans(acting_user=system, on=TODAY) == 0
    assert actions.activate_due_plans(acting_user=system, on=TODAY + dt.timedelta(days=3)) == 1
    plan.refresh_from_db()
    assert plan.status == "active"


def test_a_plan_starting_today_is_active_at_once_and_ends_the_one_before(person, practitioner):
    first = ActivePlanFactory(person=person, start=TODAY - dt.timedelta(days=10))
    assert first.status == "active"
    CompletedAssessmentFactory(person=person, acting_user=practitioner)  # a reassessment
    second = ActivePlanFactory(person=person)
    first.refresh_from_db()
    assert (second.status, first.status, first.ended_on) == (
        "active",
        "ended",
        TODAY - dt.timedelta(days=1),
    )


def test_above_the_approvers_limit_the_plan_goes_to_the_panel(person, team):
    small = approver_with_limit(team=team, weekly_pence=100)
    plan = SubmittedPlanFactory(person=person)
    result = actions.approve_plan(plan, acting_user=small)
    assert result.status == "panel"
    assert "above the approver’s limit of £1.00" in result.events.last().comment
    assert budget_of(person).status == "proposed"


def test_the_panel_agrees_and_draws_the_reserve_for_the_amount_above_the_ras(
    person, practitioner, approver, commissioner
):
    reserve = open_reserve(commissioner, opening_pence=10_000_000)
    indicative = budget_of(person).indicative_pence
    plan = PanelPlanFactory(
        person=person, author=practitioner, lines=[costing(indicative + 5_000)], reason="Nights"
    )
    decided = actions.record_panel_decision(
        plan, acting_user=approver, outcome="agreed", reasons="Waking nights are needed"
    )
    assert decided.status in ("approved", "active")
    draw = ReserveDraw.objects.get(reserve=reserve)
    assert draw.kind == "panel" and draw.person == person
    assert draw.amount_pence == 5_000 * budget_actions.weeks_left_in_year(
        max(decided.starts_on, TODAY)
    )
    budget = PersonalBudget.objects.get(pk=plan.budget_id)
    assert (budget.status, budget.amount_pence, budget.panel_decision_id) == (
        "active",
        indicative + 5_000,
        decided.panel_decision_id,
    )


def test_a_panel_agreeing_part_returns_the_plan_and_a_plan_within_it_needs_no_panel_again(
    person, practitioner, team, commissioner
):
    open_reserve(commissioner)
    indicative = budget_of(person).indicative_pence
    small = approver_with_limit(team=team, weekly_pence=1)
    plan = PanelPlanFactory(
        person=person,
        author=practitioner,
        approver=small,
        lines=[costing(indicative + 5_000)],
        reason="Nights",
    )
    other = approver_with_limit(team=team)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_panel_decision(
            plan, acting_user=other, outcome="partly", agreed_pence=indicative + 9_000, reasons="x"
        )
    assert codes(refused) == ["PLAN-PANEL-MORE-THAN-ASKED", "PLAN-PANEL-PART"]
    returned = actions.record_panel_decision(
        plan, acting_user=other, outcome="partly", agreed_pence=indicative + 2_000, reasons="Less"
    )
    assert returned.status == "returned"
    line = returned.lines.get()
    actions.change_line(line, costing(indicative + 2_000), acting_user=practitioner)
    actions.submit_plan(returned, acting_user=practitioner, reason="As the panel agreed")
    approved = actions.approve_plan(returned, acting_user=small)
    assert approved.status in ("approved", "active")
    assert PersonalBudget.objects.get(pk=plan.budget_id).amount_pence == indicative + 2_000


def test_a_second_panel_decision_on_the_same_budget_replaces_the_first_draw(
    person, practitioner, team, commissioner
):
    """The reserve pays the difference once: the earlier draw is reversed, not left standing."""
    reserve = open_reserve(commissioner, opening_pence=10_000_000)
    indicative = budget_of(person).indicative_pence
    small = approver_with_limit(team=team, weekly_pence=1)
    panel = approver_with_limit(team=team)
    plan = PanelPlanFactory(
        person=person,
        author=practitioner,
        approver=small,
        lines=[costing(indicative + 5_000)],
        reason="Nights",
    )
    returned = actions.record_panel_decision(
        plan, acting_user=panel, outcome="partly", agreed_pence=indicative + 2_000, reasons="Less"
    )
    actions.change_line(returned.lines.get(), costing(indicative + 4_000), acting_user=practitioner)
    actions.submit_plan(returned, acting_user=practitioner, reason="Nights cost more than that")
    assert actions.approve_plan(returned, acting_user=small).status == "panel"
    decided = actions.record_panel_decision(
        returned, acting_user=panel, outcome="agreed", reasons="Waking nights are needed"
    )
    weeks = budget_actions.weeks_left_in_year(max(decided.starts_on, TODAY))
    draws = list(ReserveDraw.objects.filter(reserve=reserve).order_by("id"))
    assert [d.kind for d in draws] == ["panel", "reversal", "panel"]
    assert sum(d.amount_pence for d in draws) == 4_000 * weeks  # drawn once, for the final amount
    assert draws[1].amount_pence == -draws[0].amount_pence


def test_whoever_sent_or_costed_a_plan_may_not_approve_it_after_someone_else_resends_it(
    person, practitioner, team
):
    """Separation of duties holds across returns: the last sender is not the only one."""
    costing_approver = approver_with_limit(team=team)
    plan = ReturnedPlanFactory(person=person, author=practitioner)
    actions.change_line(plan.lines.get(), costing(1_234), acting_user=costing_approver)
    actions.submit_plan(plan, acting_user=practitioner, reason="Changed")
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.approve_plan(plan, acting_user=costing_approver)
    assert codes(refused) == ["PLAN-APPROVER-IS-AUTHOR"]
    assert actions.approve_plan(plan, acting_user=approver_with_limit(team=team)).status in (
        "approved",
        "active",
    )


def test_a_plan_on_its_way_follows_a_newer_proposal_from_a_reassessment(
    person, practitioner, approver
):
    plan = SubmittedPlanFactory(person=person, author=practitioner, lines=[costing(1_000)])
    first = plan.budget
    CompletedAssessmentFactory(person=person, acting_user=practitioner, seed=5)
    newer = budget_of(person)
    first.refresh_from_db()
    plan.refresh_from_db()
    assert newer != first and first.status == "ended"
    assert plan.budget == newer and plan.status == "submitted"
    with pytest.raises(ActionError) as refused:  # still one plan on its way at a time
        DraftPlanFactory(person=person, author=practitioner)
    assert refused.value.code == "PLAN-ALREADY-OPEN"
    approved = actions.approve_plan(plan, acting_user=approver)
    assert approved.status in ("approved", "active")
    newer.refresh_from_db()
    assert (newer.status, newer.amount_pence) == ("active", 1_000)


def test_a_draw_that_would_take_the_reserve_below_zero_needs_an_override(
    person, practitioner, approver, commissioner
):
    open_reserve(commissioner, opening_pence=100)
    indicative = budget_of(person).indicative_pence
    plan = PanelPlanFactory(
        person=person, author=practitioner, lines=[costing(indicative + 5_000)], reason="Nights"
    )
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_panel_decision(plan, acting_user=approver, outcome="agreed", reasons="Yes")
    assert codes(refused) == ["RES-BELOW-ZERO"]
    assert SupportPlan.objects.get(pk=plan.pk).status == "panel"
    decided = actions.record_panel_decision(
        plan,
        acting_user=approver,
        outcome="agreed",
        reasons="Yes",
        override_reason="Safeguarding: cannot wait for next year",
    )
    assert decided.status in ("approved", "active")


def test_further_above_the_ras_than_the_panel_threshold_needs_the_panel(
    person, practitioner, approver
):
    admin = UserFactory(role=Role.ADMIN)
    budget_actions.set_panel_threshold(
        acting_user=admin, weekly_pence_=1_000, effective_from=TODAY - dt.timedelta(days=1)
    )
    indicative = budget_of(person).indicative_pence
    plan = SubmittedPlanFactory(
        person=person, author=practitioner, lines=[costing(indicative + 1_001)], reason="More"
    )
    assert actions.approve_plan(plan, acting_user=approver).status == "panel"
    assert "panel threshold of £10.00" in plan.events.last().comment


def test_a_costed_plan_sets_the_budget_and_draws_the_reserve_above_the_ras(
    team, practitioner, approver, commissioner
):
    reserve = open_reserve(commissioner)
    person = CompletedAssessmentFactory(person=PersonFactory(team=team)).person
    budget = budget_of(person)
    PersonalBudget.objects.filter(pk=budget.pk).update(costed_plan=True)  # as the RAS routes
    plan = SubmittedPlanFactory(
        person=person,
        author=practitioner,
        lines=[costing(budget.indicative_pence + 3_000)],
        reason="Complex needs",
    )
    approved = actions.approve_plan(plan, acting_user=approver)
    budget.refresh_from_db()
    assert approved.status in ("approved", "active")
    assert budget.amount_pence == budget.indicative_pence + 3_000
    assert ReserveDraw.objects.get(reserve=reserve).kind == "costed_plan"


def test_a_direct_payment_needs_the_offer_recorded(person, practitioner, approver):
    plan = SubmittedPlanFactory(
        person=person, author=practitioner, lines=[costing(100, mode="direct_payment")]
    )
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.approve_plan(plan, acting_user=approver)
    assert codes(refused) == ["BUD-DP-NOT-OFFERED"]
    assert SupportPlan.objects.get(pk=plan.pk).status == "submitted"  # nothing half done
    budget_actions.record_dp_offer(plan.budget, acting_user=practitioner, outcome="taken_up")
    approved = actions.approve_plan(plan, acting_user=approver)
    assert approved.status in ("approved", "active")


def test_someone_who_lacks_capacity_for_a_direct_payment_needs_an_authorised_person(
    person, practitioner, approver
):
    CapacityAssessment.objects.create(
        person=person,
        decision="direct_payment",
        outcome="lacks_capacity",
        impairment=True,
        understands=False,
        retains=False,
        weighs=False,
        communicates=True,
        notes="Test",
        assessed_by=practitioner,
    )
    plan = SubmittedPlanFactory(
        person=person, author=practitioner, lines=[costing(100, mode="direct_payment")]
    )
    budget_actions.record_dp_offer(plan.budget, acting_user=practitioner, outcome="taken_up")
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.approve_plan(plan, acting_user=approver)
    assert codes(refused) == ["BUD-DP-AUTHORISED-PERSON"]
    with pytest.raises(BusinessRuleViolation) as half:
        actions.set_direct_payment_details(
            plan, authorised_person="Sam Daughter", agreed_on=None, acting_user=practitioner
        )
    assert codes(half) == ["PLAN-AUTHORISED-PERSON"]
    actions.set_direct_payment_details(
        plan, authorised_person="Sam Daughter", agreed_on=TODAY, acting_user=practitioner
    )
    actions.approve_plan(plan, acting_user=approver)
    share = PersonalBudget.objects.get(pk=plan.budget_id).shares.get()
    assert (share.mode, share.authorised_person) == ("direct_payment", "Sam Daughter")


def test_every_step_is_written_down_with_who_and_why(person, practitioner):
    plan = ReturnedPlanFactory(person=person, author=practitioner, comment="Weekends?")
    events = [(e.kind, e.from_status, e.to_status) for e in plan.events.all()]
    assert events == [
        ("started", "", "draft"),
        ("submitted", "draft", "submitted"),
        ("returned", "submitted", "returned"),
    ]
    assert all(e.actor for e in plan.events.all())
    assert AuditEvent.objects.filter(action="plans.return_plan", person=person).exists()


def test_plan_events_are_never_changed_or_deleted(person):
    event = DraftPlanFactory(person=person).events.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        PlanEvent.objects.filter(pk=event.pk).delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE plans_planevent SET comment = 'x' WHERE id = %s", [event.pk])


def test_two_approvers_at_once_the_second_is_told_it_moved_on(person, team):
    plan = SubmittedPlanFactory(person=person)
    stale = SupportPlan.objects.get(pk=plan.pk)
    actions.approve_plan(
        plan, acting_user=approver_with_limit(team=team), start_date=TODAY + dt.timedelta(days=9)
    )
    with pytest.raises(IllegalTransition) as refused:
        actions.approve_plan(stale, acting_user=approver_with_limit(team=team))
    assert "approved" in refused.value.message
    stale._return()
    with pytest.raises(ConcurrentTransition):
        stale.save()


def test_a_concurrent_edit_is_detected_not_overwritten(person, practitioner):
    plan = DraftPlanFactory(person=person, author=practitioner)
    seen = plan.edit_version
    actions.add_line(plan, costing(100), acting_user=practitioner, expected_version=seen)
    with pytest.raises(EditConflict):
        actions.add_line(plan, costing(200), acting_user=practitioner, expected_version=seen)
    assert plan.lines.count() == 2


def test_authority_limits_are_for_approvers_and_not_negative(team):
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.set_authority_limit(
            UserFactory(role=Role.PRACTITIONER), acting_user=admin, weekly_pence=-1
        )
    assert codes(refused) == ["PLAN-LIMIT-NOT-APPROVER", "PLAN-LIMIT-NEGATIVE"]
    approver = UserFactory(role=Role.APPROVER, team=team)
    actions.set_authority_limit(approver, acting_user=admin, weekly_pence=50_000)
    limit = actions.set_authority_limit(approver, acting_user=admin, weekly_pence=60_000)
    assert (limit.weekly_pence, limit.set_by) == (60_000, admin)
    assert AuditEvent.objects.filter(action="plans.set_authority_limit").count() == 2


def test_ending_a_plan_needs_a_reason(person):
    plan = DraftPlanFactory(person=person)
    with pytest.raises(ActionError) as refused:
        actions.end_plan(plan, acting_user=plan.author, reason="")
    assert refused.value.code == "PLAN-END-NEEDS-REASON"
    ended = actions.end_plan(plan, acting_user=plan.author, reason="Moved away")
    assert (ended.status, ended.ended_on) == ("ended", TODAY)


def test_the_daily_command_activates_plans_whose_start_has_come(person):
    from io import StringIO

    from django.core.management import call_command

    plan = ApprovedPlanFactory(person=person, start=TODAY + dt.timedelta(days=2))
    out = StringIO()
    call_command("activate_plans", f"--on={TODAY + dt.timedelta(days=2):%Y-%m-%d}", stdout=out)
    plan.refresh_from_db()
    assert plan.status == "active" and "1 plan(s) became active" in out.getvalue()
    event = AuditEvent.objects.filter(action="plans.activate_plan").get()
    assert (event.via, event.actor) == ("command", None)


def test_the_needs_a_plan_meets_are_the_eligibility_decisions_unmet_outcomes():
    """eligible_needs reads budget → allocation → assessment → decision in one statement: it
    gives every outcome the decision found the person cannot achieve, labelled, in order."""
    from assessment import domain as care_act

    plan = DraftPlanFactory()
    decision = plan.budget.allocation.assessment.eligibility  # the plain way, one step at a time
    labels = dict(care_act.outcomes_for(decision.assessment.kind))
    needs = actions.eligible_needs(plan)
    assert decision.eligible and decision.unable_outcomes
    assert [need["code"] for need in needs] == list(decision.unable_outcomes)
    assert [need["label"] for need in needs] == [labels[c] for c in decision.unable_outcomes]
    assert actions.needs_to_meet(plan) == [
        c for c in decision.unable_outcomes if not decision.evidence_for(c).get("met_by_carer")
    ]
