"""Shared pages, where each role lands, and the security headers on every page."""

import re

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "has_team", "lands_on"),
    [
        (Role.PRACTITIONER, True, "/people/"),
        (Role.APPROVER, True, "/people/"),
        (Role.FINANCE, False, "/people/find/"),
        (Role.COMMISSIONER, False, "/ras/"),
        (Role.PERSON, False, "/my-record/"),
        (Role.REPRESENTATIVE, False, "/my-record/"),
    ],
)
def test_each_role_lands_where_their_work_starts(client_for, team, role, has_team, lands_on):
    user = UserFactory(role=role, team=team if has_team else None)
    assert client_for(user).get("/").headers["Location"] == lands_on


def test_roles_with_nothing_yet_are_told_so(client_for):
    body = client_for(UserFactory(role=Role.PROVIDER)).get("/").content.decode()
    assert "There is nothing for you here yet" in body


@pytest.mark.parametrize(
    "url", ["/", "/accessibility/", "/privacy/", "/feedback/", "/accounts/login/"]
)
def test_public_pages_open_without_signing_in(client, url):
    assert client.get(url).status_code == 200


def test_the_header_names_the_council_and_the_signed_in_user(client_for, practitioner):
    body = client_for(practitioner).get("/people/").content.decode()
    assert "Wexcombe Council" in body
    assert f"Signed in as <strong>{practitioner.display_name}</strong> (Practitioner)" in body
    assert 'href="#main-content"' in body  # skip link
    assert "govuk-phase-banner" in body
    assert "/accessibility/" in body


def test_no_crown_and_no_gov_uk_font(client):
    body = client.get("/").content.decode()
    assert "govuk-header__logo" not in body and "crown" not in body.lower()
    assert "GOV.UK" not in body


def test_content_security_policy_allows_only_our_own_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    for attributes in scripts:
        assert "src=" in attributes or f'nonce="{nonce}"' in attributes, attributes


def test_pages_may_not_be_framed(client):
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_unknown_api_paths_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_the_api_docs_are_served_from_our_own_static_files(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
