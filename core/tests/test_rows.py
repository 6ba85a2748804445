"""core.rows: the plain-SQL read of one row gives the same model the ORM would."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.rows import get_row

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_user_read_by_its_key_is_the_user_the_orm_reads(team):
    user = UserFactory(role=Role.PRACTITIONER, team=team, job_title="Social worker")
    with CaptureQueriesContext(connection) as queries:
        read = get_row(User, equal={"pk": user.pk})
    assert len(queries) == 1
    assert isinstance(read, User) and not read._state.adding
    assert fields_of(read) == fields_of(User.objects.get(pk=user.pk))


def test_an_authenticator_app_read_by_its_key_is_the_one_the_orm_reads(team):
    device = TOTPDevice.objects.create(user=UserFactory(), name="Phone", confirmed=True)
    assert fields_of(get_row(TOTPDevice, equal={"pk": device.pk})) == fields_of(
        TOTPDevice.objects.get(pk=device.pk)
    )


def test_no_row_is_none():
    assert get_row(User, equal={"pk": 987654321}) is None


def test_a_session_past_its_expiry_is_not_read():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now)
    Session.objects.create(
        session_key="b" * 32, session_data="y", expire_date=now + dt.timedelta(hours=1)
    )
    later = {"expire_date": now}
    assert get_row(Session, equal={"session_key": "a" * 32}, greater=later) is None
    live = get_row(Session, equal={"session_key": "b" * 32}, greater=later)
    assert (live.session_key, live.session_data) == ("b" * 32, "y")


def test_the_first_row_in_order_reads_only_the_fields_asked_for_in_any_order(team):
    from core.rows import first_row

    older = UserFactory(role=Role.PRACTITIONER, team=team, job_title="Older")
    newer = UserFactory(role=Role.PRACTITIONER, team=team, job_title="Newer")
    UserFactory(role=Role.APPROVER, team=team, job_title="Approver")
    read = first_row(
        User,
        fields=("job_title", "team", "id", "role"),
        equal={"team": team.pk, "role": Role.PRACTITIONER.value},
        order=("-id",),
    )
    assert (read.pk, read.job_title, read.team_id, read.role) == (
        newer.pk,
        "Newer",
        team.pk,
        Role.PRACTITIONER,
    )
    assert read.get_deferred_fields() >= {"username", "password", "email"}
    first = first_row(User, fields=("id",), equal={"team": team.pk}, order=("id",))
    assert first.pk == older.pk
    assert first_row(User, fields=("id",), equal={"team": team.pk + 1000}) is None
