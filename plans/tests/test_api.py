"""Support plans through the API: the same access, actions and rules as the pages, with every
refusal's status (403, 404, 409, 422) documented and tested."""

import pytest
from django.utils import timezone

from accounts.models import AccessEvent, ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.tests.factories import CompletedAssessmentFactory
from people.tests.factories import PersonFactory
from plans.models import SupportPlan
from plans.tests.factories import SubmittedPlanFactory, approver_with_limit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def bearer(user):
    _token, raw = ApiToken.issue(user, "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def person(team, practitioner):
    return CompletedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    ).person


def line(**changes) -> dict:
    body = {
        "service_type": "lts_community",
        "description": "Help in the mornings",
        "provider": "Northtown Home Care",
        "units": "10",
        "unit_cost": "25.50",
        "frequency": "weekly",
        "funding_stream": "council",
        "mode": "council_managed",
        "start": TODAY.isoformat(),
        "end": None,
    }
    body.update(changes)
    return body


def whole_plan(**changes) -> dict:
    body = {
        "lines": [line()],
        "outcomes": [{"text": "Up and dressed by nine", "needs": ["hygiene", "toilet"]}],
        "no_risks": True,
        "helpers": ["self", "practitioner"],
    }
    body.update(changes)
    return body


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def test_a_plan_is_written_sent_returned_resent_and_approved(client, person, practitioner, team):
    created = post(client, f"/api/v1/people/{person.pk}/plans", whole_plan(), practitioner)
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert (plan["status"], plan["weekly_total"], plan["person"]) == ("draft", "255.00", person.pk)
    assert plan["lines"][0]["unit_cost"] == "25.50"
    assert plan["lines"][0]["conversion"] == "10 items at £25.50 each = £255.00 a week"
    plan_id = plan["id"]
    added = post(
        client,
        f"/api/v1/plans/{plan_id}/lines",
        line(service="home_care", units="2", unit_cost=None),
        practitioner,
    )
    assert added.status_code == 201 and added.json()["weekly_total"] == "311.00"
    assert added.json()["lines"][1]["conversion"] == "2 hours at £28.00 an hour = £56.00 a week"
    sent = post(client, f"/api/v1/plans/{plan_id}/submit", {}, practitioner)
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    returned = post(
        client, f"/api/v1/plans/{plan_id}/return", {"comment": "Weekends?"}, practitioner
    )
    assert returned.json()["status"] == "returned"
    post(client, f"/api/v1/plans/{plan_id}/submit", {"reason": ""}, practitioner)
    approver = approver_with_limit(team=team)
    approved = post(client, f"/api/v1/plans/{plan_id}/approve", {}, approver)
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    read = client.get(f"/api/v1/plans/{plan_id}", **bearer(practitioner))
    assert read.json()["budget_weekly_amount"] == "311.00"  # the plan's cost set the budget
    listed = client.get(f"/api/v1/people/{person.pk}/plans", **bearer(practitioner)).json()
    assert [p["id"] for p in listed] == [plan_id]


def test_a_bad_line_is_422_naming_each_problem_and_nothing_is_made(client, person, practitioner):
    body = whole_plan(lines=[line(), line(unit_cost="0.00", end="2000-01-01"), line(units="0")])
    response = post(client, f"/api/v1/people/{person.pk}/plans", body, practitioner)
    assert response.status_code == 422
    problems = [(p["line"], p["code"], p["field"]) for p in response.json()["detail"]]
    assert problems == [
        (2, "PLAN-LINE-COST", "unit_cost"),
        (2, "PLAN-LINE-END-BEFORE-START", "end"),
        (3, "PLAN-LINE-UNITS", "units"),
    ]
    assert not SupportPlan.objects.filter(person=person).exists()


def test_unknown_codes_and_impossible_dates_are_refused(client, person, practitioner):
    bad_code = post(
        client,
        f"/api/v1/people/{person.pk}/plans",
        whole_plan(lines=[line(service_type="lts_moon")]),
        practitioner,
    )
    assert bad_code.status_code == 422
    bad_date = post(
        client,
        f"/api/v1/people/{person.pk}/plans",
        whole_plan(lines=[line(start="2026-02-31")]),
        practitioner,
    )
    assert bad_date.status_code == 422 and bad_date.json()["detail"][0]["code"] == "PLAN-DATE"


def test_an_impossible_date_and_a_zero_cost_are_named_together(client, person, practitioner):
    response = post(
        client,
        f"/api/v1/people/{person.pk}/plans",
        whole_plan(lines=[line(start="2026-02-31", unit_cost="0.00")]),
        practitioner,
    )
    assert response.status_code == 422
    assert [(p["code"], p["field"]) for p in response.json()["detail"]] == [
        ("PLAN-DATE", "start"),
        ("PLAN-LINE-COST", "unit_cost"),
    ]


def test_a_plan_changed_since_the_client_read_it_is_409_and_nothing_is_saved(
    client, person, practitioner
):
    made = post(client, f"/api/v1/people/{person.pk}/plans", whole_plan(), practitioner).json()
    read_at = made["edit_version"]
    assert (
        post(client, f"/api/v1/plans/{made['id']}/lines", line(), practitioner).status_code == 201
    )
    stale = post(
        client,
        f"/api/v1/plans/{made['id']}/lines?edit_version={read_at}",
        line(description="Shopping"),
        practitioner,
    )
    assert stale.status_code == 409, stale.json()
    assert stale.json()["edit_version"] > read_at, stale.json()
    refused = post(
        client, f"/api/v1/plans/{made['id']}/submit", {"edit_version": read_at}, practitioner
    )
    assert refused.status_code == 409
    plan = SupportPlan.objects.get(pk=made["id"])
    assert (plan.status, plan.lines.count()) == ("draft", 2)
    current = client.get(f"/api/v1/plans/{made['id']}", **bearer(practitioner)).json()
    sent = post(
        client,
        f"/api/v1/plans/{made['id']}/submit",
        {"edit_version": current["edit_version"]},
        practitioner,
    )
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"


def test_approval_by_the_author_is_403_and_above_the_limit_goes_to_the_panel(client, person, team):
    approver = approver_with_limit(team=team)
    plan = SubmittedPlanFactory(person=person, author=approver)
    own = post(client, f"/api/v1/plans/{plan.pk}/approve", {}, approver)
    assert own.status_code == 403 and "another approver" in own.json()["detail"]
    small = approver_with_limit(team=team, weekly_pence=1)
    referred = post(client, f"/api/v1/plans/{plan.pk}/approve", {}, small)
    assert referred.status_code == 202 and referred.json()["status"] == "panel"
    again = post(client, f"/api/v1/plans/{plan.pk}/approve", {}, small)
    assert again.status_code == 409


def test_only_approvers_approve_and_only_staff_return(client, person, practitioner):
    plan = SubmittedPlanFactory(person=person)
    assert post(client, f"/api/v1/plans/{plan.pk}/approve", {}, practitioner).status_code == 403
    own_user = UserFactory(role=Role.PERSON)
    person.user = own_user
    person.save()
    refused = post(client, f"/api/v1/plans/{plan.pk}/return", {"comment": "No"}, own_user)
    assert refused.status_code == 403


def test_an_illegal_transition_is_409(client, person, practitioner):
    plan = SubmittedPlanFactory(person=person)
    assert post(client, f"/api/v1/plans/{plan.pk}/submit", {}, practitioner).status_code == 409
    assert post(client, f"/api/v1/plans/{plan.pk}/lines", line(), practitioner).status_code == 409
    twice = post(client, f"/api/v1/people/{person.pk}/plans", whole_plan(), practitioner)
    assert twice.status_code == 409


def test_submitting_without_what_a_plan_needs_is_422_with_codes(client, person, practitioner):
    made = post(
        client, f"/api/v1/people/{person.pk}/plans", {"lines": [line()]}, practitioner
    ).json()
    refused = post(client, f"/api/v1/plans/{made['id']}/submit", {}, practitioner)
    assert refused.status_code == 422
    assert [p["code"] for p in refused.json()["detail"]] == [
        "PLAN-NO-OUTCOMES",
        "PLAN-NEEDS-NOT-COVERED",
        "PLAN-RISKS-NOT-CONSIDERED",
    ]


def test_someone_elses_plan_is_404_and_logged(client, person, other_team):
    plan = SubmittedPlanFactory(person=person)
    outsider = UserFactory(role=Role.PRACTITIONER, team=other_team)
    assert client.get(f"/api/v1/plans/{plan.pk}", **bearer(outsider)).status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}/plans", **bearer(outsider)).status_code == 404
    assert post(client, f"/api/v1/plans/{plan.pk}/lines", line(), outsider).status_code == 404
    assert client.get("/api/v1/plans/99999999", **bearer(outsider)).status_code == 404
    assert AccessEvent.objects.filter(user=outsider, action="denied").count() == 4
    # Every write on a plan the user may not see is a 404 too, and changes nothing.
    stranger_approver = approver_with_limit(team=other_team)
    assert post(client, f"/api/v1/plans/{plan.pk}/submit", {}, outsider).status_code == 404
    assert (
        post(client, f"/api/v1/plans/{plan.pk}/approve", {}, stranger_approver).status_code == 404
    )
    returned = post(client, f"/api/v1/plans/{plan.pk}/return", {"comment": "No"}, outsider)
    assert returned.status_code == 404
    assert SupportPlan.objects.get(pk=plan.pk).status == "submitted"


def test_reading_a_plan_logs_the_read_of_the_person(client, person, practitioner):
    plan = SubmittedPlanFactory(person=person)
    client.get(f"/api/v1/plans/{plan.pk}", **bearer(practitioner))
    assert AccessEvent.objects.filter(user=practitioner, person=person, action="api_read").exists()


def test_the_service_types_are_the_cld_list(client, practitioner):
    types = client.get("/api/v1/plans/service-types", **bearer(practitioner)).json()
    assert {"code": "sts_st_max", "label": "Short Term Support: ST-Max"} in types
    assert len(types) == 9


def test_the_person_writes_their_own_plan_through_the_api(client, person):
    own_user = UserFactory(role=Role.PERSON)
    person.user = own_user
    person.save()
    made = post(client, f"/api/v1/people/{person.pk}/plans", whole_plan(), own_user)
    assert made.status_code == 201 and made.json()["author_id"] == own_user.pk
