"""Personal API tokens (shown once, stored hashed) and administration of users and teams."""

import hashlib
import re

import pytest

from accounts.models import ApiToken, Team, User
from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_make_a_token_shown_once_and_stored_hashed(client_for, practitioner):
    client = client_for(practitioner)
    response = client.post(
        "/accounts/profile/", {"name": "Finance system export", "expires_in": "30"}
    )
    body = response.content.decode()
    raw = re.search(r'id="new-token">(sdk_[^<]+)<', body).group(1)
    token = ApiToken.objects.get(user=practitioner)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values_list(flat=True))
    assert raw not in client.get("/accounts/profile/").content.decode()  # never shown again
    assert ApiToken.user_for(raw) == practitioner


def test_a_token_needs_a_name(client_for, practitioner):
    body = (
        client_for(practitioner)
        .post("/accounts/profile/", {"name": "", "expires_in": "30"})
        .content.decode()
    )
    assert "Enter what the token is for" in body
    assert not ApiToken.objects.exists()


def test_revoking_stops_a_token(client_for, practitioner):
    token, raw = ApiToken.issue(practitioner, "Export")
    client_for(practitioner).post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert ApiToken.user_for(raw) is None


def test_no_one_can_revoke_another_users_token(client_for, practitioner, team):
    token, raw = ApiToken.issue(practitioner, "Export")
    other = UserFactory(role=Role.PRACTITIONER, team=team)
    assert client_for(other).post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.user_for(raw) == practitioner


def test_people_who_use_services_get_no_tokens(client_for):
    client = client_for(UserFactory(role=Role.PERSON))
    body = client.get("/accounts/profile/").content.decode()
    assert "API tokens" not in body
    client.post("/accounts/profile/", {"name": "Sneaky", "expires_in": "30"})
    assert not ApiToken.objects.exists()


def test_an_administrator_manages_users_and_teams(client_for):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = client_for(admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    response = client.post(
        "/admin/accounts/team/add/",
        {"name": "Hollins Marsh Adults Team", "code": "hollins-adults", "area": "Hollins Marsh"},
    )
    assert response.status_code == 302
    team = Team.objects.get(code="hollins-adults")
    worker = UserFactory(role=Role.PRACTITIONER)
    response = client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        {
            "username": worker.username,
            "first_name": "Sam",
            "last_name": "Lowe",
            "email": "",
            "job_title": "Social worker",
            "role": "approver",
            "team": team.pk,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.refresh_from_db()
    assert (worker.role, worker.team) == ("approver", team)
    assert worker.history.first().role == "approver"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.PERSON, Role.COMMISSIONER])
def test_only_administrators_reach_administration(client_for, role):
    response = client_for(UserFactory(role=role)).get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]


def test_the_access_log_is_read_only_in_administration(client_for):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = client_for(admin)
    assert client.get("/admin/accounts/accessevent/").status_code == 200
    assert client.get("/admin/accounts/accessevent/add/").status_code == 403


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser("root", "root@example.com", "a-long-test-password")
    assert user.role == Role.ADMIN
