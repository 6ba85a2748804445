"""Signing in: passwords, lockout after repeated failures, and the staff second factor."""

from types import SimpleNamespace
from unittest import mock

import django_otp.models
import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_wrong_password_gets_a_clear_message():
    UserFactory(role=Role.PERSON, username="iris")
    response = Client().post("/accounts/login/", {"username": "iris", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct username and password" in body
    assert 'href="#id_username"' in body


def test_a_person_signs_in_and_lands_on_their_portal():
    UserFactory(role=Role.PERSON, username="iris")
    client = Client()
    response = client.post("/accounts/login/", {"username": "iris", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/my-record/"


def test_repeated_failures_lock_the_account_name(settings):
    UserFactory(role=Role.PRACTITIONER, username="pat")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "pat", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()
    # Another account from the same machine is not locked.
    UserFactory(role=Role.PERSON, username="iris")
    assert (
        Client().post("/accounts/login/", {"username": "iris", "password": PASSWORD}).status_code
        == 302
    )


def test_sign_out_is_a_post(client_for):
    client = client_for(UserFactory(role=Role.PERSON))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/my-record/").status_code == 302  # back to sign in


class TestStaffSecondFactor:
    def test_staff_with_an_app_enter_its_code(self, team):
        user = UserFactory(role=Role.APPROVER, team=team, username="ann")
        device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        client = Client()
        client.post("/accounts/login/", {"username": "ann", "password": PASSWORD})
        assert client.get("/people/").headers["Location"].startswith("/accounts/security-code/")
        assert (
            client.get("/api/v1/people").status_code == 401
        )  # the API refuses a half-signed-in session
        response = client.post(
            "/accounts/security-code/?next=/people/", {"code": current_code(device)}
        )
        assert response.headers["Location"] == "/people/"
        assert client.get("/people/").status_code == 200
        assert client.get("/api/v1/people").status_code == 200

    def test_wrong_codes_slow_down_guessing(self):
        user = UserFactory(role=Role.FINANCE, username="fay")
        device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        client = Client()
        client.post("/accounts/login/", {"username": "fay", "password": PASSWORD})
        wrong = "000000" if current_code(device) != "000000" else "111111"
        # The throttle's clock stands still, so a slow machine (a wrong code answered in over
        # a second) cannot let the wait run out between the two codes.
        frozen = timezone.now()
        clock = SimpleNamespace(now=lambda: frozen)
        with mock.patch.object(django_otp.models, "timezone", clock):
            client.post("/accounts/security-code/", {"code": wrong})
            # Straight after a wrong code, even the right one waits: guessing is throttled.
            response = client.post("/accounts/security-code/", {"code": current_code(device)})
        assert "too many wrong codes" in response.content.decode()

    def test_a_bad_code_is_refused(self, team):
        user = UserFactory(role=Role.FINANCE, username="fay")
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        client = Client()
        client.post("/accounts/login/", {"username": "fay", "password": PASSWORD})
        response = client.post("/accounts/security-code/", {"code": "12ab56"})
        assert "Security code must only include numbers" in response.content.decode()
        assert client.get("/people/find/").status_code == 302

    def test_people_who_use_services_need_no_second_factor(self):
        UserFactory(role=Role.PERSON, username="iris")
        client = Client()
        client.post("/accounts/login/", {"username": "iris", "password": PASSWORD})
        assert client.get("/my-record/").status_code == 200

    @override_settings(STAFF_OTP="off")
    def test_the_local_demo_can_switch_it_off(self, team):
        UserFactory(role=Role.PRACTITIONER, team=team, username="pat")
        client = Client()
        client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})
        assert client.get("/people/").status_code == 200
