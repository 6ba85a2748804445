"""The person record's business rules, by code."""

import datetime as dt

import pytest

from core.rules import BusinessRuleViolation
from people import actions
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_death_before_birth_and_a_relationship_without_a_representative_are_refused(team):
    person = PersonFactory(team=team)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.update_person(
            person,
            {"date_of_death": dt.date(1900, 1, 1), "representative_relationship": "Daughter"},
            acting_user=None,
        )
    assert refused.value.codes == [
        "PPL-DEATH-AFTER-BIRTH",
        "PPL-RELATIONSHIP-WITHOUT-REPRESENTATIVE",
    ]
    person.refresh_from_db()
    assert person.date_of_death is None
