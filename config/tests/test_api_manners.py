"""API manners: 401 says how to authenticate, a POST without credentials is 401 (not a CSRF
failure), and bodies that are too large or not JSON get a JSON error (issue #6 §5)."""

import json

import pytest
from django.test import Client

from accounts.models import ApiToken
from allocation.models import RasVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def score_url():
    return f"/api/v1/ras/versions/{RasVersion.objects.live_on('person').pk}/score"


@pytest.fixture
def bearer(practitioner):
    _token, raw = ApiToken.issue(practitioner, "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_json(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer sdk_not-a-real-token"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
    ],
)
def test_401_says_to_use_a_bearer_token(headers):
    response = Client().get("/api/v1/people", **headers)
    assert_json(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_post_with_no_credentials_is_401_not_a_csrf_failure(score_url):
    client = Client(enforce_csrf_checks=True)
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer sdk_not-a-real-token"}):
        response = client.post(
            score_url, {"answers": {}}, content_type="application/json", **headers
        )
        assert_json(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_still_needs_its_csrf_token(client_for, practitioner, score_url):
    client = client_for(practitioner)
    client.handler.enforce_csrf_checks = True
    response = client.post(score_url, {"answers": {}}, content_type="application/json")
    assert response.status_code == 403


def test_a_half_signed_in_session_is_401(client_for, practitioner, score_url):
    """Staff who have not given their security code are not signed in to the API."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    response = client.post(score_url, {"answers": {}}, content_type="application/json")
    assert_json(response, 401)


def test_an_oversized_body_gets_a_json_413(settings, score_url, bearer):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"answers": {"q": "x" * 20_000}})
    response = Client().post(score_url, body, content_type="application/json", **bearer)
    assert_json(response, 413)
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"answers": 1' + "0" * 5000 + "}", "application/json"),
        ("answers=1", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_json_gets_a_json_400(score_url, bearer, body, content_type):
    response = Client().post(score_url, body, content_type=content_type, **bearer)
    assert_json(response, 400)
    assert "must be JSON" in response.json()["detail"]


def test_the_openapi_says_every_question_asked_must_be_answered():
    spec = Client().get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/ras/versions/{version_id}/score"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    described = schema["properties"]["answers"]["description"]
    assert "Every question the answers lead to must be answered" in described
    assert "conditional question" in described and "list of option codes" in described
    assert {"400", "401", "413", "422"} <= set(operation["responses"])
