"""Who may see and record reviews and reablement.

Seeing follows the person record (`visible_to`). Staff who write records (practitioners and
approvers) schedule, carry out and cancel reviews and record reablement; the due list is for
those who hold a team's caseload.
"""

import rules

from core.permissions import edits_records, holds_caseload


@rules.predicate
def is_open(user, review) -> bool:
    return review is not None and review.status in ("scheduled", "in_progress")


@rules.predicate
def episode_open(user, episode) -> bool:
    return episode is not None and episode.status == "open"


rules.add_perm("reviews.view_due", holds_caseload)
rules.add_perm("reviews.add_review", edits_records)
rules.add_perm("reviews.change_review", edits_records & is_open)
rules.add_perm("reviews.add_reablementepisode", edits_records)
rules.add_perm("reviews.change_reablementepisode", edits_records & episode_open)
rules.add_perm("reviews.record_at_home", edits_records)
