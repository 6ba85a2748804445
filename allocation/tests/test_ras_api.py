"""The RAS API: versions, scoring, and refusals that name every unknown or missing code."""

from decimal import Decimal

import pytest

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import engine
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture
def auth(practitioner):
    _token, raw = ApiToken.issue(practitioner, "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def answers(version, level=1):
    return {
        q.code: q.options[min(level, len(q.options) - 1)].code for q in version.parsed.questions
    }


def test_list_versions_hides_drafts_from_those_who_do_not_manage_schemes(client, auth, live):
    draft = DraftVersionFactory(label="Secret draft")
    listed = client.get("/api/v1/ras/versions", **auth).json()
    assert {v["kind"] for v in listed} == {"person", "carer"}
    assert draft.pk not in {v["id"] for v in listed}
    assert client.get(f"/api/v1/ras/versions/{draft.pk}", **auth).status_code == 404
    _t, raw = ApiToken.issue(UserFactory(role=Role.COMMISSIONER), "Commissioner")
    assert draft.pk in {
        v["id"]
        for v in client.get("/api/v1/ras/versions", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    }


def test_scoring_returns_points_amount_and_lines_that_add_up(client, auth, live):
    given = answers(live, 2)
    response = client.post(
        f"/api/v1/ras/versions/{live.pk}/score",
        {"answers": given},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    body = response.json()
    expected = engine.explain(live.compiled, given)
    assert body["points"] == expected.total_points
    assert body["weekly_amount"] == f"{expected.amount:.2f}"
    assert sum(Decimal(line["amount"]) for line in body["lines"] if line["amount"]) == Decimal(
        body["weekly_amount"]
    )
    assert body["version"]["id"] == live.pk and body["version"]["status"] == "live"
    assert all(
        isinstance(line["amount"], str) for line in body["lines"] if line["amount"] is not None
    )


def test_unknown_and_missing_codes_are_422_naming_each(client, auth, live):
    given = answers(live)
    missing = list(given)[:2]
    for code in missing:
        del given[code]
    given["not_a_question"] = "none"
    given["pc_washing"] = "sometimes"
    response = client.post(
        f"/api/v1/ras/versions/{live.pk}/score",
        {"answers": given},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    problems = {(p["type"], p["code"]) for p in response.json()["detail"]}
    assert ("unknown_question", "not_a_question") in problems
    assert ("unknown_option", "sometimes") in problems
    assert {("missing_answer", code) for code in missing} <= problems


def test_scoring_needs_credentials_and_a_visible_version(client, auth, live):
    assert (
        client.post(
            f"/api/v1/ras/versions/{live.pk}/score",
            {"answers": {}},
            content_type="application/json",
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/api/v1/ras/versions/99999/score",
            {"answers": {}},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )


def test_session_writes_need_the_csrf_token(client_for, practitioner, live):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    from conftest import sign_in

    sign_in(client, practitioner)
    response = client.post(
        f"/api/v1/ras/versions/{live.pk}/score",
        {"answers": answers(live)},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    client.get("/accounts/profile/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    ok = client.post(
        f"/api/v1/ras/versions/{live.pk}/score",
        {"answers": answers(live)},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 200


def _score(client, auth, version, given):
    body = given if "answers" in given else {"answers": given}
    return client.post(
        f"/api/v1/ras/versions/{version.pk}/score",
        body,
        content_type="application/json",
        **auth,
    )


def test_scoring_says_when_the_amount_is_the_maximum_and_which_answers_need_a_costed_plan(
    client, auth, live
):
    plain = _score(client, auth, live, answers(live, 1)).json()
    assert plain["at_maximum"] is False and plain["costed_plan_route"] == []
    highest = answers(live, 4)  # the last answer to every question (the most need)
    body = _score(client, auth, live, highest).json()
    assert body["at_maximum"] is True and body["amount"] == "2500.00"
    expected = [q.code for q in live.parsed.questions if q.option(highest[q.code]).complex]
    assert body["costed_plan_route"] == expected
    assert set(expected) >= {"pc_night", "safe_supervision", "pc_washing"}
    assert [line["kind"] for line in body["lines"]].count("costed_plan") == 1


def test_answers_that_contradict_each_other_are_422_with_a_message(client, auth, live):
    given = {**answers(live, 0), "care_child": "some"}  # "I do not look after anyone" too
    response = _score(client, auth, live, given)
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "contradictory_answers" and problem["question"] == "care_tasks"
    assert "does not fit" in problem["message"]


def test_scoring_with_an_eligibility_decision_counts_eligible_needs_only(client, auth, live):
    """Care Act 2014 s26: with the outcomes found unmet, answers linked only to outcomes the
    person can achieve add nothing, and each is shown as a line with no money."""
    given = answers(live, 2)
    provisional = _score(client, auth, live, given).json()
    response = _score(client, auth, live, {"answers": given, "unable_outcomes": ["hygiene"]})
    assert response.status_code == 200
    decided = response.json()
    expected = engine.explain(live.compiled, given, unable_outcomes=frozenset({"hygiene"}))
    assert provisional["provisional"] is True and decided["provisional"] is False
    assert decided["amount"] == f"{expected.amount:.2f}"
    assert Decimal(decided["amount"]) < Decimal(provisional["amount"])
    assert "not_eligible_need" in {line["kind"] for line in decided["lines"]}
    refused = _score(client, auth, live, {"answers": given, "unable_outcomes": ["garden"]})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "unknown_outcome"
