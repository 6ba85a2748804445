"""Business rules for the person record: each a code, a message and a check."""

from core.rules import BusinessRule, check_all


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


PERSON_RULES = (DeathNotBeforeBirth, RelationshipNeedsRepresentative)


def check_person(person) -> None:
    check_all(PERSON_RULES, person)
