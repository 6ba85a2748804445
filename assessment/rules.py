"""Business rules for assessments: each a code and a message (core.rules)."""

from core.rules import BusinessRule


class SubmittedBeforeDecision(BusinessRule):
    """Submit the assessment before deciding eligibility"""

    code = "ASM-NOT-SUBMITTED"

    def broken_by(self, assessment, **context) -> bool:
        return assessment.is_open


class AnswersLockedForPeopleAfterSubmission(BusinessRule):
    """This assessment has been submitted, so its answers cannot be changed here"""

    code = "ASM-LOCKED"

    def broken_by(self, assessment, *, user=None, **context) -> bool:
        return not assessment.is_open and not (user and user.is_council_staff)


class ChangeAfterSubmissionNeedsReason(BusinessRule):
    """Enter why you are changing this answer"""

    code = "ASM-CHANGE-REASON"

    def broken_by(self, assessment, *, user=None, reason: str = "", **context) -> bool:
        staff = bool(user and user.is_council_staff)
        return not assessment.is_open and staff and not reason.strip()


class NotAlreadySubmitted(BusinessRule):
    """This assessment has already been submitted"""

    code = "ASM-ALREADY-SUBMITTED"

    def broken_by(self, assessment, **context) -> bool:
        return not assessment.is_open


ANSWER_RULES = (AnswersLockedForPeopleAfterSubmission, ChangeAfterSubmissionNeedsReason)
