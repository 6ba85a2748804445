"""Changing your own password: it ends your other sessions, keeps this one, and a password
of one repeated character is refused (issue #6 §5, sessions and passwords)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
NEW = "a-brand-new-password"


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def change(client, current=PASSWORD, new=NEW, again=None):
    return client.post(
        "/accounts/profile/password/",
        {"current_password": current, "new_password": new, "confirm_password": again or new},
    )


def test_your_account_links_to_changing_your_password(client_for):
    client = client_for(UserFactory(role=Role.PERSON))
    assert 'href="/accounts/profile/password/"' in client.get("/accounts/profile/").content.decode()
    page = client.get("/accounts/profile/password/").content.decode()
    assert "Change your password" in page and 'autocomplete="current-password"' in page


def test_changing_your_password_ends_your_other_sessions_and_keeps_this_one(
    django_capture_on_commit_callbacks,
):
    iris = UserFactory(role=Role.PERSON, username="iris", email="iris@example.com")
    here, elsewhere = signed_in("iris"), signed_in("iris")
    assert elsewhere.get("/accounts/profile/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = change(here)
    assert response.headers["Location"] == "/accounts/profile/"
    assert "signed out" in here.get("/accounts/profile/").content.decode()

    assert here.get("/accounts/profile/").status_code == 200
    gone = elsewhere.get("/accounts/profile/")
    assert gone.status_code == 302 and gone.headers["Location"].startswith("/accounts/login/")

    iris.refresh_from_db()
    assert iris.check_password(NEW) and not iris.check_password(PASSWORD)
    assert (
        Client().post("/accounts/login/", {"username": "iris", "password": NEW}).status_code == 302
    )
    assert AuditEvent.objects.filter(
        action="accounts.change_own_password", actor=iris, record_id=str(iris.pk)
    ).exists()
    assert [m.to for m in mail.outbox] == [["iris@example.com"]]


def test_staff_keep_their_second_factor_when_they_change_password(client_for, practitioner):
    here, elsewhere = client_for(practitioner), client_for(practitioner)
    change(here)
    assert here.get("/people/").status_code == 200  # still verified, no new code asked for
    assert elsewhere.get("/people/").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"current": "not-my-password"}, "current_password", "Your current password is not right"),
        (
            {"again": "something-else-entirely"},
            "confirm_password",
            "The passwords you entered do not match",
        ),
        ({"new": "a" * 12}, "new_password", "must not be the same character"),
        ({"new": "ab" * 8}, "new_password", "must not be the same character"),
        ({"new": "short"}, "new_password", "must be at least 12 characters"),
        ({"new": "123456789012345"}, "new_password", "must not be only numbers"),
        ({"new": PASSWORD}, "new_password", "must be different from your current one"),
        ({"current": ""}, "current_password", "Enter your current password"),
    ],
)
def test_a_bad_change_is_explained_and_nothing_changes(data, field, message):
    iris = UserFactory(role=Role.PERSON, username="iris")
    here, elsewhere = signed_in("iris"), signed_in("iris")
    response = change(here, **data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'href="#id_{field}"' in body  # the error summary links to the box
    iris.refresh_from_db()
    assert iris.check_password(PASSWORD)
    assert elsewhere.get("/accounts/profile/").status_code == 200


def test_the_password_rules_refuse_one_repeated_character_anywhere_passwords_are_set():
    with pytest.raises(ValidationError) as refused:
        validate_password("a" * 12)
    assert [e.code for e in refused.value.error_list] == ["password_repeated"]
    validate_password("correct horse battery staple")  # a good one passes


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/profile/password/")
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/accounts/login/"
    )
