"""Business rules for personal budgets: each a code and a message (core.rules).

Statutory guidance ch. 11 (a personal budget must be sufficient to meet the eligible
needs; a final amount different from the indicative one needs reasons: R (KM) v
Cambridgeshire [2012] UKSC 23, R (Savva) v Kensington and Chelsea [2010] EWCA Civ 1209)
and ch. 12 (direct payments, including for people who lack capacity: Care Act s32).
"""

from core.money import WEEKS_PER_YEAR
from core.rules import BusinessRule


class NotNegative(BusinessRule):
    """A budget cannot be less than £0"""

    code = "BUD-NEGATIVE"

    def broken_by(self, budget, **context) -> bool:
        return budget.amount_pence < 0


class EndsAfterItStarts(BusinessRule):
    """A budget cannot end before it starts"""

    code = "BUD-END-BEFORE-START"

    def broken_by(self, budget, *, end_date=None, **context) -> bool:
        return end_date is not None and end_date < budget.start_date


class StreamsAddUp(BusinessRule):
    """The funding streams must add up to the budget"""

    code = "BUD-STREAMS-SUM"

    def broken_by(self, budget, *, streams=None, one_off_streams=None, **context) -> bool:
        return sum((streams or {}).values()) != budget.amount_pence or sum(
            (one_off_streams or {}).values()
        ) != (budget.one_off_pence or 0)


class SharesAddUp(BusinessRule):
    """The ways the money is taken (direct payment, managed by the council, individual
    service fund) must add up to the budget"""

    code = "BUD-SHARES-SUM"

    def broken_by(self, budget, *, shares=None, **context) -> bool:
        shares = shares or []
        ongoing = sum(s["amount_pence"] for s in shares if not s.get("one_off"))
        once = sum(s["amount_pence"] for s in shares if s.get("one_off"))
        return ongoing != budget.amount_pence or once != (budget.one_off_pence or 0)


class AboveIndicativeNeedsReasons(BusinessRule):
    """A budget above the indicative amount needs written reasons"""

    code = "BUD-ABOVE-NEEDS-REASON"

    def broken_by(self, budget, *, reason="", **context) -> bool:
        return budget.above_indicative_pence > 0 and not reason.strip()


class AboveThresholdNeedsPanel(BusinessRule):
    """This budget is more above the indicative amount than the panel threshold: it needs a
    funding panel decision"""

    code = "BUD-NEEDS-PANEL"

    def broken_by(self, budget, *, threshold_pence=None, panel_decision=None, **context) -> bool:
        above = budget.above_indicative_pence
        if budget.period in ("year", "once"):  # the threshold is weekly: a year's week of it
            above = -(-above // WEEKS_PER_YEAR)
        if threshold_pence is None or above <= threshold_pence:
            return False
        return panel_decision is None or panel_decision.agreed_pence < budget.amount_pence


class DirectPaymentWasOffered(BusinessRule):
    """Record that a direct payment was offered and taken up before paying one"""

    code = "BUD-DP-NOT-OFFERED"

    def broken_by(self, budget, *, shares=None, offer=None, **context) -> bool:
        paying = any(s["mode"] == "direct_payment" and s["amount_pence"] for s in shares or [])
        return paying and (offer is None or offer.outcome != "taken_up")


class AuthorisedPersonWhereCapacityLacking(BusinessRule):
    """The person lacks capacity to manage a direct payment: name the authorised person who
    will receive it, and record that they agreed (Care Act 2014 s32)"""

    code = "BUD-DP-AUTHORISED-PERSON"

    def broken_by(self, budget, *, shares=None, lacks_capacity=False, **context) -> bool:
        if not lacks_capacity:
            return False
        return any(
            s["mode"] == "direct_payment"
            and s["amount_pence"]
            and not (s.get("authorised_person") and s.get("authorised_person_agreed_on"))
            for s in shares or []
        )


class IndividualServiceFundNamesItsProvider(BusinessRule):
    """An individual service fund names the provider who holds it"""

    code = "BUD-ISF-PROVIDER"

    def broken_by(self, budget, *, shares=None, **context) -> bool:
        return any(
            s["mode"] == "isf" and s["amount_pence"] and not s.get("provider") for s in shares or []
        )


AGREEMENT_RULES = (
    NotNegative,
    StreamsAddUp,
    SharesAddUp,
    AboveIndicativeNeedsReasons,
    AboveThresholdNeedsPanel,
    DirectPaymentWasOffered,
    AuthorisedPersonWhereCapacityLacking,
    IndividualServiceFundNamesItsProvider,
)


class ReserveStaysAboveZero(BusinessRule):
    """This draw would take the reserve below zero: give the reasons to allow it"""

    code = "RES-BELOW-ZERO"

    def broken_by(self, reserve, *, amount_pence=0, override_reason="", **context) -> bool:
        return reserve.balance_pence - amount_pence < 0 and not override_reason.strip()
