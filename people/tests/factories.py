"""People, created through people.actions as a practitioner would."""

import datetime as dt
import itertools

import factory

from accounts.roles import Role
from people import actions
from people.domain import nhs_check_digit
from people.models import Person

_numbers = itertools.count(1)


def valid_nhs_number(seed: int) -> str:
    """A valid NHS number in the range kept for testing (999...), different for each seed."""
    n = seed
    while True:
        nine = f"999{n % 10**6:06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            return f"{nine}{check}"
        n += 1


class PersonFactory(factory.Factory):
    """A person on a team's caseload. Built by people.actions.create_person."""

    class Meta:
        model = dict

    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    date_of_birth = dt.date(1940, 5, 17)
    sex = "female"
    nhs_number = factory.LazyFunction(lambda: valid_nhs_number(next(_numbers) * 7919))
    postcode = "WX1 4DQ"
    primary_support_reason = "physical_personal_care"
    team = None

    @classmethod
    def _create(cls, model_class, *args, acting_user=None, **kwargs):
        return actions.create_person(kwargs, acting_user=acting_user or _recorder(kwargs))


def _recorder(values):
    """Who records a person: a practitioner of their team, or the system."""
    from accounts.models import User

    team = values.get("team")
    if team is None:
        return None
    return User.objects.filter(role=Role.PRACTITIONER, team=team).first()


class CarerFactory(PersonFactory):
    """A carer's own record: client type Carer, no primary support reason."""

    first_name = "Carer"
    client_type = "carer"
    primary_support_reason = ""
    date_of_birth = dt.date(1965, 2, 3)


class CaringRelationshipFactory(factory.Factory):
    """A current caring relationship, recorded by people.actions as a practitioner would."""

    class Meta:
        model = dict

    carer = factory.SubFactory(CarerFactory)
    cared_for = factory.SubFactory(PersonFactory)
    started = dt.date(2024, 3, 1)
    acting_user = None

    @classmethod
    def _create(cls, model_class, *, carer, cared_for, started, acting_user):
        return actions.record_caring_relationship(
            carer,
            cared_for,
            started,
            acting_user=acting_user or _recorder({"team": cared_for.team}),
        )


__all__ = [
    "CarerFactory",
    "CaringRelationshipFactory",
    "Person",
    "PersonFactory",
    "valid_nhs_number",
]
