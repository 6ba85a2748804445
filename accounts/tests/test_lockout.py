"""Lockout by account name and by address: one address cannot try passwords across every
account; the proxy's header names the address only when configured (issue #6 §5)."""

import pytest
from django.test import Client, RequestFactory

from accounts.lockout import client_ip
from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def attempt(username, password="wrong", address=OFFICE, **headers):
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.fixture
def accounts():
    return [UserFactory(role=Role.PERSON, username=f"user{n}") for n in range(8)]


def test_the_address_limit_is_far_above_the_account_limit(settings):
    # Council offices share an address: a morning's typing mistakes must not lock them out.
    assert settings.LOCKOUT_ADDRESS_FAILURES >= 10 * settings.AXES_FAILURE_LIMIT


def test_one_address_cannot_try_a_password_on_every_account(settings, accounts):
    settings.LOCKOUT_ADDRESS_FAILURES = 6
    for account in accounts[:5]:  # one guess each: no account comes near its own limit
        assert attempt(account.username).status_code == 200
    assert attempt("user5").status_code == 429  # the sixth wrong password locks the address
    locked = attempt("user7", PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()
    # The same account from another address is fine: it was the address that was locked.
    assert attempt("user7", PASSWORD, address=ELSEWHERE).status_code == 302


def test_below_the_address_limit_people_still_sign_in(settings, accounts):
    settings.LOCKOUT_ADDRESS_FAILURES = 6
    for account in accounts[:5]:
        attempt(account.username)
    assert attempt("user7", PASSWORD).status_code == 302


def test_signing_in_to_your_own_account_does_not_reset_the_address_count(settings, accounts):
    settings.LOCKOUT_ADDRESS_FAILURES = 4
    for account in accounts[:3]:
        attempt(account.username)
    assert attempt("user6", PASSWORD).status_code == 302  # the guesser's own account
    attempt("user3")
    assert attempt("user7", PASSWORD).status_code == 429


def test_a_forwarded_header_is_ignored_unless_configured(settings, accounts):
    settings.LOCKOUT_ADDRESS_FAILURES = 3
    for n, account in enumerate(accounts[:3]):
        # A client claiming a different address each time is still one address.
        attempt(account.username, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert attempt("user7", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_configured_proxy_the_header_names_the_address(settings, accounts):
    settings.LOCKOUT_ADDRESS_FAILURES = 3
    settings.PROXY_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.1"
    for account in accounts[:3]:
        attempt(account.username, address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {OFFICE}")
    assert attempt("user7", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OFFICE).status_code == 429
    # Someone else behind the same proxy is not locked out.
    assert (
        attempt("user7", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 302
    )


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("", "192.0.2.1", "10.0.0.1"),  # not configured: the header means nothing
        ("X-Forwarded-For", "192.0.2.1, 198.51.100.20", "198.51.100.20"),  # the proxy's entry
        ("X-Forwarded-For", "not-an-address", "10.0.0.1"),  # unreadable: the socket's
        ("X-Forwarded-For", "[2001:db8::1]:4711", "2001:db8::1"),
        ("X-Real-IP", "198.51.100.20:51000", "198.51.100.20"),
    ],
)
def test_the_client_address(settings, header, value, expected):
    settings.PROXY_IP_HEADER = header
    meta_name = "HTTP_" + (header or "X-Forwarded-For").upper().replace("-", "_")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **{meta_name: value})
    assert client_ip(request) == expected
