"""Business rules for the person record: each a code, a message and a check."""

from core.rules import BusinessRule, check_all

from . import codes


class DeathNotBeforeBirth(BusinessRule):
    """Date of death must be the same as or after date of birth"""

    code = "PPL-DEATH-AFTER-BIRTH"

    def broken_by(self, person, **context) -> bool:
        return bool(
            person.date_of_death
            and person.date_of_birth
            and person.date_of_death < person.date_of_birth
        )


class RelationshipNeedsRepresentative(BusinessRule):
    """Choose the representative, or remove their relationship"""

    code = "PPL-RELATIONSHIP-WITHOUT-REPRESENTATIVE"

    def broken_by(self, person, **context) -> bool:
        return bool(person.representative_relationship and not person.representative_id)


class ServiceUserHasSupportReason(BusinessRule):
    """Choose a primary support reason for a service user (choose Unknown if it is not known yet)"""

    # Client Level Data: every service user's events carry a primary support reason.
    code = "PPL-SUPPORT-REASON-NEEDED"

    def broken_by(self, person, **context) -> bool:
        return person.client_type not in codes.CARER_TYPES and not person.primary_support_reason


class CarerHasNoSupportReason(BusinessRule):
    """A carer’s own record has no primary support reason: choose ‘Not applicable’, or make
    them a service user if they have care and support needs of their own"""

    # Client Level Data: carers are a client type, not a support reason; a carer with needs of
    # their own is recorded as a service user for those needs.
    code = "PPL-CARER-SUPPORT-REASON"

    def broken_by(self, person, **context) -> bool:
        return person.client_type in codes.CARER_TYPES and bool(person.primary_support_reason)


PERSON_RULES = (
    DeathNotBeforeBirth,
    RelationshipNeedsRepresentative,
    ServiceUserHasSupportReason,
    CarerHasNoSupportReason,
)


def check_person(person) -> None:
    check_all(PERSON_RULES, person)


# --- Caring relationships ----------------------------------------------------------------


class NotCaringForOneself(BusinessRule):
    """A person cannot be recorded as caring for themself"""

    code = "PPL-CARE-SELF"

    def broken_by(self, link, **context) -> bool:
        return link.carer_id == link.cared_for_id


class CaredForIsServiceUser(BusinessRule):
    """The person cared for must be a service user: a carer’s own record cannot be cared for"""

    # Client Level Data links a carer to the service users they care for.
    code = "PPL-CARED-FOR-NOT-SERVICE-USER"

    def broken_by(self, link, **context) -> bool:
        return link.cared_for.client_type in codes.CARER_TYPES


class NotAlreadyLinked(BusinessRule):
    """This caring relationship is already recorded and has not ended"""

    code = "PPL-CARE-ALREADY-RECORDED"

    def broken_by(self, link, **context) -> bool:
        from .models import CaringRelationship

        return (
            link.ended is None
            and CaringRelationship.objects.filter(
                carer_id=link.carer_id, cared_for_id=link.cared_for_id, ended__isnull=True
            )
            .exclude(pk=link.pk)
            .exists()
        )


class EndsAfterItStarts(BusinessRule):
    """The date they stopped caring must be the same as or after the date they started"""

    code = "PPL-CARE-ENDS-BEFORE-START"

    def broken_by(self, link, **context) -> bool:
        return bool(link.ended and link.started and link.ended < link.started)


CARING_RULES = (NotCaringForOneself, CaredForIsServiceUser, NotAlreadyLinked, EndsAfterItStarts)


def check_caring(link) -> None:
    check_all(CARING_RULES, link)
