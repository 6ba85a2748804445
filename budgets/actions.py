"""Every write to personal budgets, their funding, the funding panel and the reserve."""

import datetime as dt

from django.utils import timezone

from core.actions import ActionError, action, audit, because
from core.dates import financial_year, weeks_left_in_year
from core.money import WEEKS_PER_YEAR, format_pence, from_pence, period_words, to_pence
from core.rules import check_all

from . import rules
from .models import (
    DirectPaymentOffer,
    FundingStream,
    ManagementShare,
    PanelDecision,
    PanelThreshold,
    PersonalBudget,
    Reserve,
    ReserveDraw,
)
from .signals import proposal_replaced


@action
def set_budget(
    person,
    *,
    acting_user,
    amount_pence: int,
    period: str = PersonalBudget.Period.WEEK,
    start_date: dt.date,
    allocation=None,
    reason: str = "",
    kind: str = PersonalBudget.Kind.PERSON,
) -> PersonalBudget:
    """Give a person a new current budget straight away (support arranged before the RAS, or
    an import), ending the one they had the day before it starts."""
    check_all(
        (rules.NotNegative,), PersonalBudget(amount_pence=amount_pence, start_date=start_date)
    )
    _end_current(person, kind, start_date, acting_user)
    because("Budget agreed")
    budget = PersonalBudget.objects.create(
        person=person,
        kind=kind,
        allocation=allocation,
        amount_pence=amount_pence,
        period=period,
        start_date=start_date,
        reason=reason,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit(
        budget,
        f"Budget of {format_pence(amount_pence)} {period_words(period)} from {start_date:%-d %B %Y}",
        person=person,
    )
    return budget


def _end_current(person, kind, start_date, acting_user) -> None:
    current = (
        PersonalBudget.objects.select_for_update()
        .current()
        .filter(person=person, kind=kind)
        .first()
    )
    if current is not None:
        end_budget(current, end_date=start_date - dt.timedelta(days=1), acting_user=acting_user)


@action
def end_budget(budget: PersonalBudget, *, end_date: dt.date, acting_user) -> PersonalBudget:
    check_all((rules.EndsAfterItStarts,), budget, end_date=end_date)
    budget._end(end_date)
    because("Budget ended")
    budget.save()
    audit(budget, f"Budget ended on {end_date:%-d %B %Y}", person=budget.person)
    return budget


@action
def propose_budget(allocation, *, acting_user, start_date: dt.date | None = None) -> PersonalBudget:
    """A proposed budget from an eligible assessment's indicative amount (its starting point).

    A person's RAS amount is where support planning starts; the final amount is agreed with
    the plan (guidance 11.22-11.28). A costed-plan route (complex needs) is marked, so the
    plan's cost sets the budget.
    """
    person = allocation.assessment.person
    kind = (
        PersonalBudget.Kind.CARER
        if allocation.assessment.kind == "carer"
        else PersonalBudget.Kind.PERSON
    )
    replaced = []
    for old in PersonalBudget.objects.select_for_update().filter(
        person=person, kind=kind, status=PersonalBudget.Status.PROPOSED
    ):
        old._end(timezone.localdate())
        because("Replaced by a newer proposal")
        old.save()
        audit(old, "Proposal replaced by a newer one", person=person)
        replaced.append(old)
    because("Proposed from the assessment")
    budget = PersonalBudget.objects.create(
        person=person,
        kind=kind,
        allocation=allocation,
        # No indicative amount (a band below the threshold, not £0): the plan's cost sets it.
        amount_pence=allocation.amount_pence or 0,
        indicative_pence=allocation.amount_pence,
        period=allocation.period,
        start_date=start_date or timezone.localdate(),
        status=PersonalBudget.Status.PROPOSED,
        costed_plan=bool(allocation.costed_plan_route) or allocation.amount_pence is None,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit(
        budget,
        f"Proposed {format_pence(budget.amount_pence)} {period_words(budget.period)} from the assessment"
        + (" (costed plan)" if budget.costed_plan else ""),
        person=person,
    )
    for old in replaced:
        proposal_replaced.send(sender=PersonalBudget, old=old, new=budget, acting_user=acting_user)
    return budget


def panel_threshold(on: dt.date | None = None) -> PanelThreshold | None:
    on = on or timezone.localdate()
    return (
        PanelThreshold.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def weekly_pence(amount_pence: int, period: str) -> int:
    """A period's amount as a week's, for comparing with weekly thresholds and limits."""
    if period == PersonalBudget.Period.YEAR:
        return -(-amount_pence // WEEKS_PER_YEAR)
    return amount_pence


@action
def set_panel_threshold(
    *, acting_user, weekly_pence_: int, effective_from: dt.date
) -> PanelThreshold:
    if weekly_pence_ < 0:
        raise ActionError("The threshold cannot be less than £0", code="BUD-THRESHOLD-NEGATIVE")
    because("Threshold set")
    threshold = PanelThreshold.objects.create(
        weekly_pence=weekly_pence_, effective_from=effective_from, set_by=acting_user
    )
    audit(
        threshold,
        f"Funding panel threshold {format_pence(weekly_pence_)} a week above the RAS amount from "
        f"{effective_from:%-d %B %Y}",
    )
    return threshold


@action
def record_dp_offer(
    budget: PersonalBudget, *, acting_user, outcome: str, reason: str = "", offered_on=None
) -> DirectPaymentOffer:
    """Record that a direct payment was offered, and whether it was taken up or declined
    (with the reason, in the person's words)."""
    if outcome == DirectPaymentOffer.Outcome.DECLINED and not reason.strip():
        raise ActionError("Enter why the direct payment was declined", code="BUD-DP-DECLINE-REASON")
    because("Direct payment offered")
    offer = DirectPaymentOffer.objects.create(
        budget=budget,
        offered_on=offered_on or timezone.localdate(),
        offered_by=acting_user,
        outcome=outcome,
        reason=reason.strip(),
    )
    audit(
        offer,
        f"Direct payment offered: {offer.get_outcome_display().lower()}",
        person=budget.person,
    )
    return offer


def lacks_capacity_for_direct_payment(person) -> bool:
    from assessment.models import CapacityAssessment

    latest = CapacityAssessment.objects.latest_for(
        person, CapacityAssessment.Decision.DIRECT_PAYMENT
    )
    return latest is not None and latest.outcome == CapacityAssessment.Outcome.LACKS_CAPACITY


@action
def agree_budget(
    budget: PersonalBudget,
    *,
    acting_user,
    amount_pence: int,
    streams: dict[str, int],
    shares: list[dict],
    reason: str = "",
    start_date: dt.date | None = None,
    panel_decision: PanelDecision | None = None,
    one_off_streams: dict[str, int] | None = None,
) -> PersonalBudget:
    """Agree a proposed budget's final amount, where the money comes from and how it is taken.

    A weekly budget's plan may also have one-off costs (equipment, a short break): they are
    agreed beside the weekly amount (`one_off_streams`, and shares marked `one_off`), so every
    pound has a stream and a way of being paid.

    Refused with every broken rule (budgets/rules.py): streams and shares add up to the
    amount; above the indicative amount needs reasons; further above it than the panel
    threshold needs a panel decision; a direct payment needs a recorded offer taken up, and,
    for someone who lacks capacity for it, an authorised person who agreed. A costed plan
    above the RAS amount that no panel decided draws the difference from the reserve.
    """
    locked = PersonalBudget.objects.select_for_update().get(pk=budget.pk)
    locked.amount_pence = amount_pence
    one_off_streams = one_off_streams or {}
    locked.one_off_pence = sum(one_off_streams.values())
    threshold = panel_threshold(start_date)
    offer = locked.dp_offers.order_by("-offered_on", "-id").first()
    check_all(
        rules.AGREEMENT_RULES,
        locked,
        streams=streams,
        one_off_streams=one_off_streams,
        shares=shares,
        reason=reason,
        threshold_pence=threshold.weekly_pence if threshold else None,
        panel_decision=panel_decision,
        offer=offer,
        lacks_capacity=lacks_capacity_for_direct_payment(locked.person),
    )
    start = start_date or timezone.localdate()
    current = (
        PersonalBudget.objects.select_for_update()
        .current()
        .filter(person=locked.person, kind=locked.kind)
        .exclude(pk=locked.pk)
        .first()
    )
    if current is not None:
        end_budget(current, end_date=start - dt.timedelta(days=1), acting_user=acting_user)
    locked.reason = reason.strip()
    locked.start_date = start
    locked.panel_decision = panel_decision
    locked._activate()
    locked.edit_version += 1
    because("Budget agreed")
    locked.save()
    locked.streams.all().delete()
    FundingStream.objects.bulk_create(
        [FundingStream(budget=locked, stream=s, amount_pence=p) for s, p in streams.items() if p]
        + [
            FundingStream(budget=locked, stream=s, amount_pence=p, one_off=True)
            for s, p in one_off_streams.items()
            if p
        ]
    )
    locked.shares.all().delete()
    ManagementShare.objects.bulk_create(
        [
            ManagementShare(
                budget=locked,
                mode=share["mode"],
                amount_pence=share["amount_pence"],
                provider=share.get("provider", ""),
                authorised_person=share.get("authorised_person", ""),
                authorised_person_agreed_on=share.get("authorised_person_agreed_on"),
                one_off=bool(share.get("one_off")),
            )
            for share in shares
            if share["amount_pence"]
        ]
    )
    if locked.costed_plan and panel_decision is None and locked.above_indicative_pence:
        draw_reserve(
            locked,
            kind=ReserveDraw.Kind.COSTED_PLAN,
            reason=f"Costed plan above the RAS amount: {reason.strip()}"[:1000],
            acting_user=acting_user,
        )
    audit(
        locked,
        f"Agreed {format_pence(amount_pence)} {period_words(locked.period)} from {start:%-d %B %Y}"
        + (
            f", and {format_pence(locked.one_off_pence)} of one-off costs"
            if locked.one_off_pence
            else ""
        ),
        person=locked.person,
    )
    budget.refresh_from_db()
    return locked


def year_cost_pence(above_pence: int, period: str, on: dt.date) -> int:
    """What an amount above the RAS costs in the rest of the financial year it starts in."""
    if period == PersonalBudget.Period.WEEK:
        return above_pence * weeks_left_in_year(on)
    return above_pence


@action
def open_reserve(
    *,
    acting_user,
    financial_year_label: str,
    starts_on: dt.date,
    ends_on: dt.date,
    opening_pence: int,
    source: str,
) -> Reserve:
    """Set a financial year's reserve (envelope × reserve %); set once, a new source replaces it."""
    reserve = (
        Reserve.objects.select_for_update().filter(financial_year=financial_year_label).first()
    )
    because("Reserve set")
    if reserve is None:
        reserve = Reserve.objects.create(
            financial_year=financial_year_label,
            starts_on=starts_on,
            ends_on=ends_on,
            opening_pence=opening_pence,
            source=source[:300],
            set_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
    else:
        reserve.opening_pence = opening_pence
        reserve.source = source[:300]
        reserve.save()
    audit(
        reserve,
        f"Reserve for {financial_year_label} set at {format_pence(opening_pence)}: {source}"[:300],
    )
    return reserve


def reserve_for(day: dt.date) -> Reserve:
    found = Reserve.objects.for_date(day)
    if found is None:
        label, _start, _end = financial_year(day)
        raise ActionError(
            f"There is no reserve for {label} yet: a commissioner sets it when the scheme is calibrated",
            code="RES-NONE",
        )
    return found


@action
def draw_reserve(
    budget: PersonalBudget,
    *,
    acting_user,
    kind: str,
    reason: str,
    panel_decision: PanelDecision | None = None,
    above_pence: int | None = None,
    override_reason: str = "",
) -> ReserveDraw:
    """Draw this financial year's cost of a budget's amount above the RAS from the reserve,
    from when it starts (or today, if it started earlier)."""
    on = max(budget.start_date, timezone.localdate())
    reserve = Reserve.objects.select_for_update().get(pk=reserve_for(on).pk)
    above = budget.above_indicative_pence if above_pence is None else above_pence
    amount = year_cost_pence(above, budget.period, on)
    check_all(
        (rules.ReserveStaysAboveZero,),
        reserve,
        amount_pence=amount,
        override_reason=override_reason,
    )
    draw = ReserveDraw.objects.create(
        reserve=reserve,
        kind=kind,
        person=budget.person,
        budget=budget,
        panel_decision=panel_decision,
        amount_pence=amount,
        reason=reason,
        override_reason=override_reason.strip(),
        drawn_by=acting_user,
    )
    audit(
        draw,
        f"Drew {format_pence(amount)} from the {reserve.financial_year} reserve"
        + (" (below zero, with reasons)" if override_reason.strip() else ""),
        person=budget.person,
    )
    return draw


@action
def reverse_draw(draw: ReserveDraw, *, acting_user, reason: str) -> ReserveDraw:
    """Correct a draw with a reversing one: draws are never edited or deleted."""
    if not reason.strip():
        raise ActionError("Enter why the draw is being reversed", code="RES-REVERSAL-REASON")
    reversal = ReserveDraw.objects.create(
        reserve=draw.reserve,
        kind=ReserveDraw.Kind.REVERSAL,
        person=draw.person,
        budget=draw.budget,
        amount_pence=-draw.amount_pence,
        reason=f"Reverses draw {draw.pk}: {reason.strip()}",
        drawn_by=acting_user,
    )
    audit(reversal, f"Reversed a draw of {format_pence(draw.amount_pence)}", person=draw.person)
    return reversal


def _reverse_earlier_draws(budget: PersonalBudget, *, acting_user, reason: str) -> None:
    """Reverse, per reserve, whatever is still drawn for this budget (draws are never edited:
    the correction is a reversing draw)."""
    from django.db.models import Sum

    nets = (
        ReserveDraw.objects.filter(budget=budget)
        .values("reserve")
        .annotate(net=Sum("amount_pence"))
        .order_by("reserve")
    )
    for row in nets:
        if not row["net"]:
            continue
        reserve = Reserve.objects.select_for_update().get(pk=row["reserve"])
        reversal = ReserveDraw.objects.create(
            reserve=reserve,
            kind=ReserveDraw.Kind.REVERSAL,
            person=budget.person,
            budget=budget,
            amount_pence=-row["net"],
            reason=reason,
            drawn_by=acting_user,
        )
        audit(
            reversal,
            f"Reversed {format_pence(row['net'])} drawn earlier for this budget",
            person=budget.person,
        )


@action
def panel_decide(
    budget: PersonalBudget,
    *,
    acting_user,
    requested_pence: int,
    agreed_pence: int,
    outcome: str,
    reasons: str,
    override_reason: str = "",
) -> PanelDecision:
    """A funding panel's decision on a budget above the RAS amount: the agreed difference is
    drawn from the reserve (a draw below zero needs an override with reasons)."""
    if not reasons.strip():
        raise ActionError("Enter the panel’s reasons", code="PANEL-NO-REASONS")
    if outcome == PanelDecision.Outcome.REFUSED:
        agreed_pence = budget.indicative_pence or 0
    because("Funding panel decided")
    decision = PanelDecision.objects.create(
        person=budget.person,
        requested_pence=requested_pence,
        agreed_pence=agreed_pence,
        period=budget.period,
        outcome=outcome,
        reasons=reasons.strip(),
        decided_by=acting_user,
    )
    # A new decision on the same budget replaces the earlier one: what was drawn for it is
    # reversed first, so the reserve pays the difference once.
    _reverse_earlier_draws(
        budget, acting_user=acting_user, reason="Replaced by the funding panel’s new decision"
    )
    above = max(0, agreed_pence - (budget.indicative_pence or 0))
    if above:
        draw_reserve(
            budget,
            kind=ReserveDraw.Kind.PANEL,
            reason=reasons.strip()[:1000],
            panel_decision=decision,
            above_pence=above,
            override_reason=override_reason,
            acting_user=acting_user,
        )
    audit(
        decision,
        f"Funding panel {decision.get_outcome_display().lower()}: {format_pence(agreed_pence)} "
        f"{period_words(budget.period)}",
        person=budget.person,
    )
    return decision


def reserve_from_published_version(version, *, acting_user) -> Reserve | None:
    """When a calibrated version of the people's scheme is published, set the reserve of the
    financial year it takes effect in: the calibration's envelope × its reserve %, to the penny
    (half up). A version that was not calibrated (or a carers' scheme) leaves it alone."""
    from allocation.models import CalibrationRun

    if version.scheme.kind != "person" or version.effective_from is None:
        return None
    run = (
        CalibrationRun.objects.filter(draft=version, status="done")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None:
        return None
    envelope = from_pence(run.envelope_pence)
    opening = to_pence(envelope * run.reserve_percent / 100)
    label, starts_on, ends_on = financial_year(version.effective_from)
    return open_reserve(
        acting_user=acting_user,
        financial_year_label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        opening_pence=opening,
        source=(
            f"Envelope {format_pence(run.envelope_pence)} × {run.reserve_percent.normalize():f}% "
            f"reserve, from the calibration published as version {version.number}"
        ),
    )


@action
def flag_for_review(budget: PersonalBudget, *, reason: str, acting_user) -> PersonalBudget:
    """Mark a budget to be looked at again (for example, after an eligibility decision changed)."""
    budget.review_flagged_at = timezone.now()
    budget.review_reason = reason[:1000]
    because("Flagged for review")
    budget.save()
    audit(budget, f"Flagged for review: {reason}"[:300], person=budget.person)
    return budget


@action
def agree_carers_budget(
    assessment,
    *,
    acting_user,
    amount_pence: int,
    period: str,
    purpose: str,
    mode: str = ManagementShare.Mode.DIRECT_PAYMENT,
    reason: str = "",
    start_date: dt.date | None = None,
) -> PersonalBudget:
    """A carer's budget from an eligible carer's assessment (Care Act 2014 s20; statutory
    guidance 11.38-11.41 on carers' personal budgets): a yearly amount or a one-off payment,
    for example for breaks, paid from carers' funding.

    Proposed from the carer's indicative amount (propose_budget) and agreed through
    agree_budget, so every budget rule applies. A carer's indicative amount is yearly; a
    one-off payment is compared with it as money paid within that year (both are amounts
    for a year at most, never a weekly amount).
    """
    from allocation.models import Allocation
    from assessment.models import Assessment

    if assessment.kind != "carer" or assessment.status != Assessment.Status.COMPLETED:
        raise ActionError(
            "A carer’s budget comes from a completed carer’s assessment",
            code="BUD-CARER-ASSESSMENT",
        )
    decision = getattr(assessment, "eligibility", None)
    if decision is None or not decision.eligible:
        raise ActionError(
            "The carer’s assessment did not find eligible needs, so there is no carer’s budget",
            code="BUD-CARER-NOT-ELIGIBLE",
        )
    if period not in (PersonalBudget.Period.YEAR, PersonalBudget.Period.ONCE):
        raise ActionError(
            "A carer’s budget is a yearly amount or a one-off payment", code="BUD-CARER-PERIOD"
        )
    if not (purpose or "").strip():
        raise ActionError(
            "Enter what the budget is for, for example breaks", code="BUD-CARER-PURPOSE"
        )
    allocation = Allocation.objects.filter(assessment=assessment).first()
    budget = (
        PersonalBudget.objects.filter(
            person=assessment.person,
            kind=PersonalBudget.Kind.CARER,
            status=PersonalBudget.Status.PROPOSED,
        )
        .order_by("-id")
        .first()
    )
    if budget is None and allocation is not None:
        budget = propose_budget(allocation, acting_user=acting_user, start_date=start_date)
    if budget is None:
        raise ActionError(
            "The carer’s assessment has no indicative amount yet", code="BUD-CARER-NO-AMOUNT"
        )
    if budget.period != period:
        if budget.period == PersonalBudget.Period.WEEK and budget.indicative_pence is not None:
            # Explicitly: a weekly indicative amount as a year's (core.money.WEEKS_PER_YEAR).
            budget.indicative_pence = round(budget.indicative_pence * WEEKS_PER_YEAR)
        budget.period = period
        because("Carer’s budget period chosen")
        budget.save()
    if (
        mode == ManagementShare.Mode.DIRECT_PAYMENT
        and not budget.dp_offers.filter(outcome=DirectPaymentOffer.Outcome.TAKEN_UP).exists()
    ):
        record_dp_offer(
            budget, acting_user=acting_user, outcome=DirectPaymentOffer.Outcome.TAKEN_UP
        )
    agreed = agree_budget(
        budget,
        acting_user=acting_user,
        amount_pence=amount_pence,
        streams={FundingStream.Stream.CARERS: amount_pence},
        shares=[{"mode": mode, "amount_pence": amount_pence}],
        reason=reason or (purpose if amount_pence > (budget.indicative_pence or 0) else ""),
        start_date=start_date,
    )
    agreed.reason = agreed.reason or purpose.strip()
    because("Carer’s budget agreed")
    agreed.save()
    audit(agreed, f"Carer’s budget for {purpose.strip()}"[:300], person=agreed.person)
    return agreed


__all__ = [
    "agree_budget",
    "agree_carers_budget",
    "draw_reserve",
    "end_budget",
    "flag_for_review",
    "open_reserve",
    "panel_decide",
    "propose_budget",
    "reserve_from_published_version",
    "record_dp_offer",
    "reverse_draw",
    "set_budget",
    "set_panel_threshold",
]
