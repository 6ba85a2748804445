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


class RepresentativeLedNeedsCapacityToRequest(BusinessRule):
    """A representative can lead a supported self-assessment only when the person is able to
    ask for one. Ask their social worker: they will lead the assessment and involve you"""

    code = "ASM-REP-CAPACITY"

    # Care and Support (Assessment) Regulations 2014, reg 2(3)(b); Mental Capacity Act 2005
    # s2-3: capacity is decided for this decision, and recorded (assessment.CapacityAssessment).
    def broken_by(self, person, *, user=None, **context) -> bool:
        from .models import CapacityAssessment

        if user is None or person.user_id == user.pk or person.representative_id != user.pk:
            return False
        latest = CapacityAssessment.objects.latest_for(
            person, CapacityAssessment.Decision.REQUEST_SUPPORTED_SELF
        )
        return latest is None or latest.outcome != CapacityAssessment.Outcome.HAS_CAPACITY


class CarersAssessmentNamesWhomTheyCareFor(BusinessRule):
    """A carer’s assessment records the person they care for"""

    code = "ASM-CARER-NEEDS-CARED-FOR"

    def broken_by(self, person, *, kind="person", cared_for=None, **context) -> bool:
        return kind == "carer" and cared_for is None
