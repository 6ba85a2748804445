"""What other apps may react to when budgets change, without budgets knowing about them.

`proposal_replaced` is sent inside the proposing action's transaction when a newer proposal
(from a new eligible assessment) replaces a proposed budget: plans on their way move onto the
new one (plans/receivers.py), so none is left costed against an ended budget.
"""

from django.dispatch import Signal

# sender=PersonalBudget; old=, new= (PersonalBudget), acting_user=
proposal_replaced = Signal()
