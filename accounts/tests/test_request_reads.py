"""Each request reads its session, user and authenticator app afresh (one short statement
each): signing out, deactivating an account or removing its app takes effect at once."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner_client(client_for, practitioner):
    client = client_for(practitioner)
    client.get("/people/")  # the first visit starts the idle clock (a session write)
    return client


def test_a_signed_in_bare_request_reads_session_user_and_app_once_each(practitioner_client):
    with CaptureQueriesContext(connection) as queries:
        response = practitioner_client.get("/accounts/profile/")
    assert response.status_code == 200
    tables = [q["sql"].split("FROM", 1)[1].split()[0].strip('"`') for q in queries[:3]]
    assert tables == ["django_session", "accounts_user", "otp_totp_totpdevice"]


def test_a_session_deleted_elsewhere_is_signed_out_on_the_next_request(practitioner_client):
    Session.objects.all().delete()  # as signing out in another process does
    response = practitioner_client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_account_is_signed_out_on_the_next_request(practitioner_client, practitioner):
    practitioner.is_active = False
    practitioner.save()
    response = practitioner_client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_removed_authenticator_app_asks_for_the_second_factor_again(
    practitioner_client, practitioner
):
    TOTPDevice.objects.filter(user=practitioner).delete()
    response = practitioner_client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/authenticator/"
    )


def test_a_person_signed_in_needs_no_authenticator_app(client_for):
    client = client_for(UserFactory(role=Role.PERSON))
    assert client.get("/accounts/profile/").status_code == 200
