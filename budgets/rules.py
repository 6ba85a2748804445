"""Business rules for personal budgets: each a code and a message (core.rules)."""

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
