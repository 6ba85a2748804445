"""The audit trail shows who did what for writes made through the pages, the API and the worker,
and a second person editing a record is told what changed instead of overwriting it."""

import datetime as dt

import pytest

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.models import AuditEvent
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Iris",
    "last_name": "Marlow",
    "date_of_birth_day": "2",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1941",
    "sex": "female",
    "gender_identity": "not_asked",
    "ethnicity": "not_stated",
    "primary_support_reason": "physical_personal_care",
    "capacity": "not_assessed",
    "postcode": "WX1 4DQ",
}


def edit_form(person, **changes):
    data = {**FORM, "team": person.team_id, "edit_version": person.edit_version}
    data.update(changes)
    return data


def test_a_change_made_in_the_pages_is_audited_against_its_author(client_for, team):
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    response = client_for(practitioner).post(
        f"/people/{person.pk}/edit/", edit_form(person, postcode="WX2 1AB")
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="people.update_person").get()
    assert (event.actor, event.person, event.via) == (practitioner, person, "web")
    assert "postcode" in event.summary
    assert event.request_id


def test_a_change_made_through_the_api_is_audited_as_the_api(client, team):
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    _token, raw = ApiToken.issue(practitioner, "Test")
    body = client.get(f"/api/v1/people/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    body = {
        k: v
        for k, v in body.items()
        if k not in ("id", "age", "age_band", "client_group", "team", "updated_at")
    }
    body.update(team_id=team.pk, postcode="WX2 1AB")
    response = client.put(
        f"/api/v1/people/{person.pk}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["postcode"] == "WX2 1AB"
    event = AuditEvent.objects.filter(action="people.update_person").get()
    assert (event.actor, event.via) == (practitioner, "api")


def test_two_staff_editing_at_once_the_second_is_told_what_changed(client_for, team):
    first = UserFactory(role=Role.PRACTITIONER, team=team, first_name="Pat", last_name="Okoro")
    second = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    opened_at = person.edit_version  # both open the edit page now
    assert (
        client_for(first)
        .post(f"/people/{person.pk}/edit/", edit_form(person, postcode="WX2 1AB"))
        .status_code
        == 302
    )
    response = client_for(second).post(
        f"/people/{person.pk}/edit/",
        edit_form(person, edit_version=opened_at, phone="01632 960 001"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Pat Okoro changed this record" in page
    assert "Postcode: from ‘WX1 4DQ’ to ‘WX2 1AB’" in page
    assert "01632 960 001" in page  # what they typed is kept in the form
    person.refresh_from_db()
    assert person.postcode == "WX2 1AB" and person.phone == ""
    # Saving again, now knowing, keeps both changes.
    again = client_for(second).post(
        f"/people/{person.pk}/edit/",
        edit_form(person, postcode="WX2 1AB", phone="01632 960 001"),
    )
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.postcode, person.phone) == ("WX2 1AB", "01632 960 001")


def test_the_api_refuses_a_stale_edit_with_409_and_the_changes(client, team):
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(
        team=team, first_name="Iris", last_name="Marlow", date_of_birth=dt.date(1941, 3, 2)
    )
    _token, raw = ApiToken.issue(practitioner, "Test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    read = client.get(f"/api/v1/people/{person.pk}", **auth).json()
    body = {
        k: v
        for k, v in read.items()
        if k not in ("id", "age", "age_band", "client_group", "team", "updated_at")
    }
    body["team_id"] = team.pk
    first = client.put(
        f"/api/v1/people/{person.pk}",
        {**body, "town": "Wexcombe"},
        content_type="application/json",
        **auth,
    )
    assert first.status_code == 200
    second = client.put(
        f"/api/v1/people/{person.pk}",
        {**body, "town": "Northtown"},
        content_type="application/json",
        **auth,
    )
    assert second.status_code == 409
    conflict = second.json()
    assert conflict["changes"][0]["label"] == "Town or city"
    assert conflict["edit_version"] == read["edit_version"] + 1
    assert Person.objects.get(pk=person.pk).town == "Wexcombe"


def test_the_api_adds_a_person_and_refuses_those_who_may_not(client, team):
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    finance = UserFactory(role=Role.FINANCE)
    body = {
        "first_name": "Arthur",
        "last_name": "Dent",
        "date_of_birth": "1950-07-07",
        "sex": "male",
        "postcode": "wx21ab",
        "team_id": team.pk,
    }
    for user, status in ((finance, 403), (practitioner, 201)):
        _t, raw = ApiToken.issue(user, "Test")
        response = client.post(
            "/api/v1/people",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code == status, response.content
    created = Person.objects.get(last_name="Dent")
    assert created.postcode == "WX2 1AB"
    assert AuditEvent.objects.filter(
        action="people.create_person", person=created, via="api"
    ).exists()
    _t, raw = ApiToken.issue(practitioner, "Again")
    bad = client.post(
        "/api/v1/people",
        {**body, "postcode": "nonsense"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "postcode"
