"""Who may see, answer and decide assessments.

Seeing follows the person record (`Assessment.objects.visible_to`). The person (or their
representative, or a carer for their own) answers a self-assessment while it is open;
practitioners and approvers answer supported ones, agree or change submitted answers
with a reason, and decide eligibility.
"""

import rules

from core.permissions import edits_records, is_citizen


@rules.predicate
def is_open(user, assessment) -> bool:
    return assessment is not None and assessment.is_open


@rules.predicate
def is_self_assessment(user, assessment) -> bool:
    return assessment is not None and assessment.mode == "self"


@rules.predicate
def is_submitted(user, assessment) -> bool:
    return assessment is not None and not assessment.is_open


rules.add_perm(
    "assessment.answer_assessment", is_open & (edits_records | (is_citizen & is_self_assessment))
)
rules.add_perm("assessment.review_assessment", edits_records & is_submitted)
rules.add_perm("assessment.decide_eligibility", edits_records & is_submitted)
rules.add_perm("assessment.add_assessment", edits_records)
