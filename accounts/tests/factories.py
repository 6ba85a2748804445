"""Teams and users of every role (factory_boy)."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Team, User
from accounts.roles import Role

PASSWORD = "a-long-test-password"  # noqa: S105 - test users only


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Team {n}")
    code = factory.Sequence(lambda n: f"team-{n}")
    area = "Northtown"


class UserFactory(DjangoModelFactory):
    """A user with a role; `UserFactory(role=Role.COMMISSIONER)`, or one of the named ones."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    role = Role.PRACTITIONER
    username = factory.LazyAttributeSequence(lambda o, n: f"{o.role}-{n}")
    first_name = factory.LazyAttribute(lambda o: str(o.role).capitalize())
    last_name = factory.Sequence(lambda n: f"User{n}")
    team = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class PractitionerFactory(UserFactory):
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)


class ApproverFactory(UserFactory):
    role = Role.APPROVER
    team = factory.SubFactory(TeamFactory)


class CommissionerFactory(UserFactory):
    role = Role.COMMISSIONER


class FinanceOfficerFactory(UserFactory):
    role = Role.FINANCE


class AdministratorFactory(UserFactory):
    role = Role.ADMIN


class PersonUserFactory(UserFactory):
    role = Role.PERSON


class RepresentativeFactory(UserFactory):
    role = Role.REPRESENTATIVE


class CarerUserFactory(UserFactory):
    role = Role.CARER


class ProviderUserFactory(UserFactory):
    role = Role.PROVIDER
