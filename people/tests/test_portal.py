"""The citizen portal: a person sees their own record and who has looked at it, and no one else's."""

import pytest

from accounts.models import AccessEvent
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_user():
    return UserFactory(role=Role.PERSON, first_name="Iris", last_name="Marlow")


@pytest.fixture
def own_record(team, person_user):
    return PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=person_user)


def test_a_person_sees_their_record_and_who_viewed_it(
    client_for, person_user, own_record, practitioner
):
    client_for(practitioner).get(f"/people/{own_record.pk}/")
    response = client_for(person_user).get("/my-record/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your record" in body and "Iris Marlow" in body
    assert practitioner.display_name in body
    assert "Direct care: team caseload" in body
    # Their own look is logged too, and shown.
    assert AccessEvent.objects.filter(user=person_user, person=own_record, action="view").exists()


def test_list_views_are_hidden_until_asked_for(client_for, person_user, own_record, practitioner):
    client_for(practitioner).get("/people/")
    client = client_for(person_user)
    assert "Saw the record in a caseload list" not in client.get("/my-record/").content.decode()
    assert (
        "Saw the record in a caseload list"
        in client.get("/my-record/?include=lists").content.decode()
    )


def test_a_person_cannot_open_anyone_else(client_for, person_user, own_record, team):
    other = PersonFactory(team=team, first_name="Other", last_name="Person")
    client = client_for(person_user)
    for url in [
        f"/my-record/people/{other.pk}/",
        f"/people/{other.pk}/",
        "/my-record/people/999999/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Other Person" not in response.content.decode()
    assert AccessEvent.objects.filter(user=person_user, action="denied").count() >= 2


def test_a_representative_sees_the_person_they_represent(client_for, team):
    rep = UserFactory(role=Role.REPRESENTATIVE, first_name="Rhea", last_name="Marlow")
    person = PersonFactory(team=team, first_name="Iris", representative=rep)
    PersonFactory(team=team, first_name="Someone", last_name="Else")
    client = client_for(rep)
    response = client.get("/my-record/")
    assert response.status_code == 302
    body = client.get(response.headers["Location"]).content.decode()
    assert "Iris’s record" in body
    assert (
        AccessEvent.objects.filter(user=rep, person=person, action="view").get().purpose
        == AccessEvent.Purpose.REPRESENTATIVE
    )


def test_a_person_without_a_linked_record_is_told_so(client_for):
    body = client_for(UserFactory(role=Role.PERSON)).get("/my-record/").content.decode()
    assert "not linked to a record" in body


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.PROVIDER])
def test_the_portal_is_not_for_other_roles(client_for, team, role):
    assert client_for(UserFactory(role=role, team=team)).get("/my-record/").status_code == 404
