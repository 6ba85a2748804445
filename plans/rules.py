"""Business rules for support plans: each a code, a message and (for a line) the field it is
about, so a page can put the message by the field and the API can name it.

Where a rule comes from:
- Care Act 2014 s24-25: the plan says which needs will be met and how (s25(1)(c)), includes
  the personal budget (s25(1)(e)) and, where needs are met by direct payments, their amount
  and frequency (s25(2)); the person, their carer and anyone they ask are involved (s25(3)).
  Needs met by a carer are still eligible, but the council need not meet them while the
  carer does (s18(7)).
- Statutory guidance 11.24: the final budget must be sufficient, and set transparently: a
  plan that costs more than the budget says why.
- Direct payments (s31-32, guidance ch. 12) and the budget's own rules: budgets/rules.py.
- Reablement is free for up to six weeks: Care and Support (Preventing Needs for Care and
  Support) Regulations 2014, reg 4.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from core.rules import BusinessRule

from . import domain, rates

# The largest amounts a line may hold: far above any real package, and safe in the database.
MAX_UNITS = Decimal("9999999")
MAX_UNIT_COST_PENCE = 100_000_000  # £1,000,000 for one unit


class LineRule(BusinessRule):
    """A rule about one plan line (an unsaved PlanLine or one being changed)."""

    field: str = ""


def _units(line):
    try:
        return Decimal(str(line.units))
    except (InvalidOperation, ValueError, TypeError):
        return None


class DescriptionGiven(LineRule):
    """Enter what the support is"""

    code = "PLAN-LINE-DESCRIPTION"
    field = "description"

    def broken_by(self, line, **context) -> bool:
        return not (line.description or "").strip()


class KnownServiceType(LineRule):
    """Select a service type from the list"""

    code = "PLAN-LINE-SERVICE-TYPE"
    field = "service_type"

    def broken_by(self, line, **context) -> bool:
        return line.service_type not in domain.SERVICE_TYPE


class KnownLineType(LineRule):
    """Select what kind of line this is from the list"""

    code = "PLAN-LINE-TYPE"
    field = "line_type"

    def broken_by(self, line, **context) -> bool:
        return line.line_type not in domain.LINE_TYPE


class KnownService(LineRule):
    """Select what the line buys from the list"""

    code = "PLAN-LINE-SERVICE"
    field = "service"

    def broken_by(self, line, **context) -> bool:
        return line.service not in rates.SERVICE


class KnownFrequency(LineRule):
    """Select how often from the list"""

    code = "PLAN-LINE-FREQUENCY"
    field = "frequency"

    def broken_by(self, line, **context) -> bool:
        return line.frequency not in domain.FREQUENCY


class KnownFundingStream(LineRule):
    """Select where the money comes from"""

    code = "PLAN-LINE-STREAM"
    field = "funding_stream"

    def broken_by(self, line, **context) -> bool:
        return line.funding_stream not in domain.FUNDING_STREAM


class KnownMode(LineRule):
    """Select how the money is taken: a direct payment, managed by the council, or an
    individual service fund"""

    code = "PLAN-LINE-MODE"
    field = "mode"

    def broken_by(self, line, **context) -> bool:
        return line.mode not in domain.MODE


class KnownProviderKind(LineRule):
    """Select who provides the support: a care provider, a personal assistant, or to be
    arranged"""

    code = "PLAN-LINE-PROVIDER-KIND"
    field = "provider_kind"

    def broken_by(self, line, **context) -> bool:
        return line.provider_kind not in domain.PROVIDER_KIND


class UnitsMoreThanZero(LineRule):
    """The number of units must be more than 0"""

    code = "PLAN-LINE-UNITS"
    field = "units"

    def broken_by(self, line, **context) -> bool:
        units = _units(line)
        return units is None or not units.is_finite() or units <= 0


class UnitsInPennies(LineRule):
    """The number of units must have no more than 2 decimal places, and be less than
    10 million"""

    code = "PLAN-LINE-UNITS-SIZE"
    field = "units"

    def broken_by(self, line, **context) -> bool:
        units = _units(line)
        if units is None or not units.is_finite() or units <= 0:
            return False
        return units > MAX_UNITS or units != units.quantize(Decimal("0.01"))


class UnitCostMoreThanZero(LineRule):
    """The unit cost must be more than £0"""

    code = "PLAN-LINE-COST"
    field = "unit_cost"

    def broken_by(self, line, **context) -> bool:
        return line.unit_cost_pence is not None and line.unit_cost_pence <= 0


class UnitCostNeeded(LineRule):
    """Enter the unit cost: the council has no rate for this service"""

    code = "PLAN-LINE-COST-NEEDED"
    field = "unit_cost"

    def broken_by(self, line, **context) -> bool:
        return line.unit_cost_pence is None


class UnitCostNotTooHigh(LineRule):
    """The unit cost must be £1,000,000 or less"""

    code = "PLAN-LINE-COST-TOO-HIGH"
    field = "unit_cost"

    def broken_by(self, line, **context) -> bool:
        return line.unit_cost_pence is not None and line.unit_cost_pence > MAX_UNIT_COST_PENCE


class EndsAfterItStarts(LineRule):
    """The end date must be the same as or after the start date"""

    code = "PLAN-LINE-END-BEFORE-START"
    field = "end_date"

    def broken_by(self, line, **context) -> bool:
        return bool(line.start_date and line.end_date and line.end_date < line.start_date)


class StartDateGiven(LineRule):
    """Enter the date the support starts"""

    code = "PLAN-LINE-START"
    field = "start_date"

    def broken_by(self, line, **context) -> bool:
        return line.start_date is None


class LineTypeMatchesServiceType(LineRule):
    """Reablement is reported as ‘Short Term Support: ST-Max’, and replacement care for a
    carer as ‘Unpaid Carer Support: Support involving the person cared-for’: choose that
    service type"""

    code = "PLAN-LINE-TYPE-SERVICE-TYPE"
    field = "service_type"

    def broken_by(self, line, **context) -> bool:
        wanted = domain.SERVICE_TYPE_FOR_LINE_TYPE.get(line.line_type)
        return wanted is not None and line.service_type != wanted


class ReablementAtMostSixWeeks(LineRule):
    """Reablement is free for up to six weeks: give an end date no more than 6 weeks after
    it starts"""

    code = "PLAN-LINE-REABLEMENT-SIX-WEEKS"
    field = "end_date"

    def broken_by(self, line, **context) -> bool:
        if line.line_type != "reablement" or line.start_date is None:
            return False
        limit = line.start_date + dt.timedelta(days=domain.REABLEMENT_DAYS)
        return line.end_date is None or line.end_date > limit


class ReplacementCareNamesTheCarer(LineRule):
    """Replacement care gives a carer a break: say which carer"""

    code = "PLAN-LINE-CARER"
    field = "carer"

    def broken_by(self, line, **context) -> bool:
        if line.line_type != "replacement_care":
            return False
        return not (line.carer_id or (line.carer_name or "").strip())


class IndividualServiceFundNamesItsProvider(LineRule):
    """An individual service fund is held by a provider: enter the provider’s name"""

    code = "PLAN-LINE-ISF-PROVIDER"
    field = "provider"

    def broken_by(self, line, **context) -> bool:
        return line.mode == "isf" and not (
            line.provider_kind == "provider" and (line.provider or "").strip()
        )


class HoursFitInAWeek(LineRule):
    """There are only 168 hours in a week: check the number of hours"""

    code = "PLAN-LINE-HOURS"
    field = "units"

    def broken_by(self, line, **context) -> bool:
        if rates.unit_of(line.service) != "hour" or line.frequency not in domain.FREQUENCY:
            return False
        units = _units(line)
        if units is None or not units.is_finite() or units <= 0:
            return False
        a_week = domain.units_a_week(units, line.frequency)
        return a_week is not None and a_week > domain.HOURS_IN_A_WEEK


LINE_RULES = (
    KnownLineType,
    KnownServiceType,
    LineTypeMatchesServiceType,
    KnownService,
    DescriptionGiven,
    KnownProviderKind,
    IndividualServiceFundNamesItsProvider,
    ReplacementCareNamesTheCarer,
    UnitsMoreThanZero,
    UnitsInPennies,
    HoursFitInAWeek,
    UnitCostNeeded,
    UnitCostMoreThanZero,
    UnitCostNotTooHigh,
    KnownFrequency,
    KnownFundingStream,
    KnownMode,
    StartDateGiven,
    EndsAfterItStarts,
    ReablementAtMostSixWeeks,
)
FIELD_OF = {rule.code: rule.field for rule in LINE_RULES}


# --- The plan as a whole -------------------------------------------------------------------


class HasOutcomes(BusinessRule):
    """Add at least one thing that matters to the person"""

    code = "PLAN-NO-OUTCOMES"

    def broken_by(self, plan, *, outcomes=(), **context) -> bool:
        return not outcomes


class HasLines(BusinessRule):
    """Add at least one line of support"""

    code = "PLAN-NO-LINES"

    def broken_by(self, plan, *, lines=(), **context) -> bool:
        return not lines


class EligibleNeedsCovered(BusinessRule):
    """Every eligible need the council is to meet must be linked to something that matters to
    the person (Care Act 2014 s25(1)(c))"""

    code = "PLAN-NEEDS-NOT-COVERED"

    def broken_by(self, plan, *, outcomes=(), to_meet=(), **context) -> bool:
        linked = {code for outcome in outcomes for code in outcome.eligible_outcomes}
        return bool(set(to_meet) - linked)

    def message(self, plan, *, outcomes=(), to_meet=(), labels=None, **context) -> str:
        linked = {code for outcome in outcomes for code in outcome.eligible_outcomes}
        missing = [(labels or {}).get(code, code) for code in to_meet if code not in linked]
        return (
            "Link every eligible need to something that matters to the person. Not linked yet: "
            + "; ".join(missing)
        )


class StayingSafeThoughtAbout(BusinessRule):
    """Add how the person will stay safe, or say there are no particular risks"""

    code = "PLAN-RISKS-NOT-CONSIDERED"

    def broken_by(self, plan, *, risks=(), **context) -> bool:
        return not risks and not plan.no_risks


class OverBudgetNeedsReason(BusinessRule):
    """The plan costs more than the budget: say why (statutory guidance 11.24)"""

    code = "PLAN-OVER-BUDGET-NEEDS-REASON"

    def broken_by(self, plan, *, cost_pence=0, budget_pence=0, reason="", **context) -> bool:
        return cost_pence > budget_pence and not (reason or "").strip()


SUBMISSION_RULES = (
    HasOutcomes,
    EligibleNeedsCovered,
    HasLines,
    StayingSafeThoughtAbout,
    OverBudgetNeedsReason,
)


class ApproverIsNotTheAuthor(BusinessRule):
    """You wrote, costed or sent this plan: another approver must decide on it"""

    code = "PLAN-APPROVER-IS-AUTHOR"

    def broken_by(self, plan, *, user=None, **context) -> bool:
        """Separation of duties: whoever started the plan, sent it at any time (not only the
        last time) or added or changed any of its lines may not approve it or decide on it at
        the panel."""
        if user is None or getattr(user, "pk", None) is None:
            return False
        if user.pk in (plan.author_id, plan.submitted_by_id):
            return True
        from .models import PlanEvent, PlanLine

        if plan.events.filter(kind=PlanEvent.Kind.SUBMITTED, actor_id=user.pk).exists():
            return True
        return PlanLine.history.filter(plan_id=plan.pk, history_user_id=user.pk).exists()


class ApproverHasALimit(BusinessRule):
    """You have no authority limit yet: the administrator sets one before you approve plans"""

    code = "PLAN-NO-AUTHORITY-LIMIT"

    def broken_by(self, plan, *, limit=None, **context) -> bool:
        return limit is None


class ReturnNeedsAComment(BusinessRule):
    """Enter what needs to change, for the person and whoever wrote the plan"""

    code = "PLAN-RETURN-NEEDS-COMMENT"

    def broken_by(self, plan, *, comment="", **context) -> bool:
        return not (comment or "").strip()


class PanelNeedsReasons(BusinessRule):
    """Enter the panel’s reasons"""

    code = "PLAN-PANEL-NEEDS-REASONS"

    def broken_by(self, plan, *, reasons="", **context) -> bool:
        return not (reasons or "").strip()


class PanelAgreesNoMoreThanAsked(BusinessRule):
    """The panel cannot agree more than the plan costs"""

    code = "PLAN-PANEL-MORE-THAN-ASKED"

    def broken_by(self, plan, *, agreed_pence=0, cost_pence=0, outcome="", **context) -> bool:
        return outcome != "refused" and agreed_pence > cost_pence


class PanelPartAgreementIsLess(BusinessRule):
    """Agreed in part means less than the plan costs: enter the amount the panel agreed"""

    code = "PLAN-PANEL-PART"

    def broken_by(self, plan, *, agreed_pence=0, cost_pence=0, outcome="", **context) -> bool:
        return outcome == "partly" and not (0 < agreed_pence < cost_pence)


class AuthorityLimitNotNegative(BusinessRule):
    """An authority limit cannot be less than £0"""

    code = "PLAN-LIMIT-NEGATIVE"

    def broken_by(self, user, *, weekly_pence=0, **context) -> bool:
        return weekly_pence < 0


class AuthorityLimitForApprovers(BusinessRule):
    """Only approvers have authority limits"""

    code = "PLAN-LIMIT-NOT-APPROVER"

    def broken_by(self, user, **context) -> bool:
        return user.role != "approver"
