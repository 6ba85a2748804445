"""The rules reviews and reablement episodes must keep (each a code and a message)."""

from core.rules import BusinessRule

from . import domain


class DueDateNeeded(BusinessRule):
    """Enter when the review is due"""

    code = "REVIEW-DUE-DATE"

    def broken_by(self, review, **context) -> bool:
        return review.due_on is None


class UnplannedNeedsReason(BusinessRule):
    """Enter why an unplanned review is needed, and who asked for it"""

    code = "REVIEW-UNPLANNED-REASON"

    def broken_by(self, review, **context) -> bool:
        return review.kind == "unplanned" and not (review.reason or "").strip()


class EveryOutcomeRated(BusinessRule):
    """Say for every outcome in the plan whether it was achieved, partly achieved or not"""

    code = "REVIEW-OUTCOMES"

    def broken_by(self, review, *, ratings: dict, outcome_keys=(), **context) -> bool:
        valid = {"achieved", "partly", "not_achieved"}
        return any(ratings.get(key) not in valid for key in outcome_keys)


class AscotComplete(BusinessRule):
    """Choose a level for each of ASCOT's eight quality-of-life domains (ASCOT SCT4)"""

    code = "REVIEW-ASCOT"

    def broken_by(self, review, *, ascot: dict, **context) -> bool:
        return any(ascot.get(code) not in (0, 1, 2, 3) for code, _label in domain.ASCOT_DOMAINS)


class ChangesRecorded(BusinessRule):
    """Enter what changes as a result of the review (or that nothing changes)"""

    code = "REVIEW-CHANGES"

    def broken_by(self, review, *, changes: str, **context) -> bool:
        return not (changes or "").strip()


class CancelNeedsReason(BusinessRule):
    """Enter why the review is cancelled"""

    code = "REVIEW-CANCEL-REASON"

    def broken_by(self, review, *, reason: str, **context) -> bool:
        return not (reason or "").strip()


class ReablementNoLongerThanSixWeeks(BusinessRule):
    """Reablement is free for up to six weeks (Care and Support (Charging and Assessment of
    Resources) Regulations 2014, reg 3(3)(b)): give the reason for a longer episode"""

    code = "REABLEMENT-SIX-WEEKS"

    def broken_by(self, episode, *, end=None, **context) -> bool:
        end = end or episode.planned_end_on
        if episode.starts_on is None or end is None:
            return False
        too_long = domain.reablement_days(episode.starts_on, end) > domain.REABLEMENT_FREE_DAYS
        return too_long and not (episode.longer_reason or "").strip()


class ReablementEndsAfterStart(BusinessRule):
    """The episode must end on or after the day it starts"""

    code = "REABLEMENT-END-BEFORE-START"

    def broken_by(self, episode, *, end=None, **context) -> bool:
        end = end or episode.planned_end_on
        return episode.starts_on is not None and end is not None and end < episode.starts_on


class DischargeDateAfterHospital(BusinessRule):
    """Enter when they left hospital, on or before the episode starts"""

    code = "REABLEMENT-DISCHARGE"

    def broken_by(self, episode, **context) -> bool:
        if not episode.after_hospital:
            return False
        return episode.discharged_on is None or episode.discharged_on > episode.starts_on


class ReablementOutcomeNeeded(BusinessRule):
    """Select what happened at the end of reablement"""

    code = "REABLEMENT-OUTCOME"

    def broken_by(self, episode, *, outcome: str, detail: str = "", **context) -> bool:
        if outcome not in ("no_further", "long_term", "other"):
            return True
        return outcome == "other" and not (detail or "").strip()


class AtHomeOnlyAfterHospitalAndDays(BusinessRule):
    """Whether they are still at home is recorded only for someone who left hospital into
    reablement, and only once 91 days have passed (ASCOF 2B)"""

    code = "REABLEMENT-AT-HOME"

    def broken_by(self, episode, *, today, **context) -> bool:
        due = episode.at_home_check_due
        return due is None or today < due


REABLEMENT_START_RULES = (
    ReablementEndsAfterStart,
    ReablementNoLongerThanSixWeeks,
    DischargeDateAfterHospital,
)
