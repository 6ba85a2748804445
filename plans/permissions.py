"""Who may see, write, send, return and approve support plans.

Seeing follows the person record (`SupportPlan.objects.visible_to`). The person, or their
representative, drafts their own plan in the portal (a carer their own); practitioners and
approvers draft with them. Anyone who may write it sends it for approval. Practitioners and
approvers return a plan with comments; only approvers approve it or record the funding
panel's decision, and never on a plan they wrote or sent (plans/rules.py).
"""

import rules

from core.permissions import (
    edits_records,
    is_administrator,
    is_approver,
    is_citizen,
    is_commissioner,
)


@rules.predicate
def is_editable(user, plan) -> bool:
    return plan is not None and plan.is_editable


@rules.predicate
def is_submitted(user, plan) -> bool:
    return plan is not None and plan.status == "submitted"


@rules.predicate
def at_panel(user, plan) -> bool:
    return plan is not None and plan.status == "panel"


@rules.predicate
def is_returnable(user, plan) -> bool:
    return plan is not None and plan.status in ("submitted", "panel")


writes_plans = edits_records | is_citizen

rules.add_perm("plans.add_supportplan", writes_plans)
rules.add_perm("plans.change_supportplan", writes_plans & is_editable)
rules.add_perm("plans.return_supportplan", edits_records & is_returnable)
rules.add_perm("plans.approve_supportplan", is_approver & is_submitted)
rules.add_perm("plans.decide_panel", is_approver & at_panel)
rules.add_perm("plans.direct_payment_details", edits_records)
rules.add_perm("plans.view_reserve", is_commissioner | is_approver | is_administrator)
rules.add_perm("plans.set_reserve", is_commissioner)
rules.add_perm("plans.set_authority_limit", is_administrator)
