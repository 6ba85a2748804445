"""Who may see, raise, assign and decide challenges, and issue budget letters.

Seeing follows the person record (`Challenge.objects.visible_to`, `BudgetLetter...`): the
person, their representative, and staff who may see the person (their team). The person or
their representative raises and withdraws a challenge in the portal; practitioners and
approvers assign and decide it (never the one who made the decision: challenges/rules.py) and
issue budget letters.
"""

import rules

from core.permissions import edits_records, is_citizen


@rules.predicate
def is_open(user, challenge) -> bool:
    return challenge is not None and challenge.is_open


@rules.predicate
def is_assigned(user, challenge) -> bool:
    return challenge is not None and challenge.status == "assigned"


rules.add_perm("challenges.add_challenge", is_citizen)
rules.add_perm("challenges.withdraw_challenge", is_citizen & is_open)
rules.add_perm("challenges.view_open_challenges", edits_records)
rules.add_perm("challenges.assign_challenge", edits_records & is_open)
rules.add_perm("challenges.decide_challenge", edits_records & is_assigned)
rules.add_perm("challenges.issue_letter", edits_records)
