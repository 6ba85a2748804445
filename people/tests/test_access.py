"""Who may see whose record: visible_to, break-glass, refusals, and the access log."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import AccessEvent, AccessGrant
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.models import AuditEvent
from people import access
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(team, other_team):
    return {
        "mine": PersonFactory(team=team, last_name="Mine"),
        "theirs": PersonFactory(team=other_team, last_name="Theirs"),
        "unallocated": PersonFactory(team=None, last_name="Unallocated"),
    }


def visible_names(user):
    return set(Person.objects.visible_to(user).values_list("last_name", flat=True))


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.APPROVER])
def test_caseload_roles_see_their_teams_caseload_only(team, caseload, role):
    assert visible_names(UserFactory(role=role, team=team)) == {"Mine"}


@pytest.mark.parametrize(
    "role", [Role.FINANCE, Role.COMMISSIONER, Role.ADMIN, Role.PROVIDER, Role.CARER]
)
def test_other_roles_see_no_one_without_a_reason(team, caseload, role):
    assert visible_names(UserFactory(role=role, team=team)) == set()


def test_a_person_sees_only_themself(caseload):
    user = UserFactory(role=Role.PERSON)
    caseload["theirs"].user = user
    caseload["theirs"].save()
    assert visible_names(user) == {"Theirs"}


def test_a_representative_sees_only_the_people_they_represent(caseload):
    rep = UserFactory(role=Role.REPRESENTATIVE)
    caseload["unallocated"].representative = rep
    caseload["unallocated"].save()
    assert visible_names(rep) == {"Unallocated"}


def test_inactive_and_anonymous_users_see_no_one(team, caseload):
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory(role=Role.PRACTITIONER, team=team, is_active=False)
    assert visible_names(user) == set()
    assert not Person.objects.visible_to(AnonymousUser()).exists()


def test_a_live_grant_opens_one_record_and_an_expired_one_does_not(team, caseload):
    finance = UserFactory(role=Role.FINANCE)
    now = timezone.now()
    AccessGrant.objects.create(
        user=finance,
        person=caseload["theirs"],
        reason="Finance query",
        expires_at=now + dt.timedelta(hours=1),
    )
    AccessGrant.objects.create(
        user=finance,
        person=caseload["mine"],
        reason="Old query",
        expires_at=now - dt.timedelta(seconds=1),
    )
    assert visible_names(finance) == {"Theirs"}


def test_practitioner_with_a_grant_sees_caseload_and_granted(team, caseload):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    AccessGrant.objects.create(
        user=user,
        person=caseload["theirs"],
        reason="Hospital discharge",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert visible_names(user) == {"Mine", "Theirs"}


def test_staff_outside_the_caseload_get_a_404_that_names_no_one(client_for, caseload, team):
    client = client_for(UserFactory(role=Role.PRACTITIONER, team=team))
    theirs = client.get(f"/people/{caseload['theirs'].pk}/")
    missing = client.get("/people/999999/")
    assert theirs.status_code == missing.status_code == 404
    assert caseload["theirs"].last_name not in theirs.content.decode()
    # Same page whether the record exists or not: nothing is revealed before a reason.
    assert _page(theirs, caseload["theirs"].pk) == _page(missing, 999999)


def _page(response, pk):
    """The page with what changes on every request (nonce, CSRF token) and the id taken out."""
    html = re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())
    return html.replace(f"/people/{pk}/", "/people/ID/")


def test_refusals_are_logged(client_for, caseload, team):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    client_for(user).get(f"/people/{caseload['theirs'].pk}/")
    event = AccessEvent.objects.get(user=user)
    assert event.action == AccessEvent.Action.DENIED
    assert event.person == caseload["theirs"]


def test_break_glass_with_a_reason_opens_the_record_and_logs_it(client_for, caseload, team):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    client = client_for(user)
    person = caseload["theirs"]
    response = client.post(
        f"/people/{person.pk}/open/", {"reason": "Safeguarding referral from the GP"}
    )
    assert response.status_code == 302
    assert client.get(f"/people/{person.pk}/").status_code == 200
    events = list(
        AccessEvent.objects.filter(user=user, person=person).order_by("occurred_at", "id")
    )
    assert [e.action for e in events] == [AccessEvent.Action.BREAK_GLASS, AccessEvent.Action.VIEW]
    assert events[1].purpose == AccessEvent.Purpose.OUTSIDE_CASELOAD
    assert events[1].reason == "Safeguarding referral from the GP"
    assert AuditEvent.objects.filter(
        actor=user, action="people.break_glass", person=person
    ).exists()


def test_a_break_glass_reason_never_reaches_the_person_or_their_representative(
    client_for, team, other_team
):
    """The free-text reason is for staff and auditors only (issue 6 §5)."""
    person_user = UserFactory(role=Role.PERSON)
    representative = UserFactory(role=Role.REPRESENTATIVE)
    person = PersonFactory(team=other_team, user=person_user, representative=representative)
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    secret = "Safeguarding concern about the representative"
    staff = client_for(practitioner)
    assert staff.post(f"/people/{person.pk}/open/", {"reason": secret}).status_code == 302
    assert staff.get(f"/people/{person.pk}/").status_code == 200
    for viewer in (person_user, representative):
        page = client_for(viewer).get(f"/my-record/people/{person.pk}/").content.decode()
        assert practitioner.display_name in page
        assert "Outside their caseload, for a recorded reason" in page
        assert secret not in page
    staff_page = staff.get(f"/people/{person.pk}/access-log/").content.decode()
    assert secret in staff_page


def test_break_glass_needs_a_real_reason(client_for, caseload, team):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    response = client_for(user).post(f"/people/{caseload['theirs'].pk}/open/", {"reason": "x"})
    assert response.status_code == 404
    assert "Your reason must be at least 10 characters" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_break_glass_on_a_missing_record_is_logged_and_404(client_for, team):
    user = UserFactory(role=Role.FINANCE)
    response = client_for(user).post("/people/424242/open/", {"reason": "Looking for someone"})
    assert response.status_code == 404
    assert AccessEvent.objects.get(user=user).requested_ref == "424242"


@pytest.mark.parametrize("role", [Role.PERSON, Role.REPRESENTATIVE, Role.PROVIDER, Role.CARER])
def test_non_staff_cannot_break_glass_or_reach_staff_pages(client_for, caseload, role):
    client = client_for(UserFactory(role=role))
    person = caseload["theirs"]
    assert (
        client.post(
            f"/people/{person.pk}/open/", {"reason": "I would like to see this"}
        ).status_code
        == 404
    )
    for url in [
        "/people/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/history/",
        "/people/new/",
        "/people/find/",
    ]:
        assert client.get(url).status_code == 404, url
    assert not AccessGrant.objects.exists()


def test_access_log_rows_cannot_be_changed_or_deleted(caseload):
    user = UserFactory(role=Role.PRACTITIONER)
    event = AccessEvent.objects.create(
        user=user, person=caseload["mine"], action="view", purpose="Test"
    )
    event.purpose = "Rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).update(purpose="Rewritten")
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).delete()


def test_the_database_itself_refuses_changes_to_the_access_log(caseload):
    from django.db import DatabaseError, connection, transaction

    user = UserFactory(role=Role.PRACTITIONER)
    event = AccessEvent.objects.create(
        user=user, person=caseload["mine"], action="view", purpose="Test"
    )
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is PostgreSQL's; SQLite relies on the model")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_accessevent SET purpose = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accessevent WHERE id = %s", [event.pk])


def test_a_listing_logs_each_person_shown_in_one_statement(team, practitioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people import access

    people = [PersonFactory(team=team) for _ in range(25)]
    with CaptureQueriesContext(connection) as queries:
        access.log_listing(practitioner, people[:20] + [p.pk for p in people[20:]], via="test")
    assert len(queries) == 1
    rows = AccessEvent.objects.filter(user=practitioner)
    assert sorted(rows.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    assert set(rows.values_list("action", "purpose", "reason", "via", "requested_ref")) == {
        ("list", AccessEvent.Purpose.CASELOAD_LIST, "", "test", "")
    }
    assert len(set(rows.values_list("occurred_at", flat=True))) == 1


def test_an_empty_listing_writes_nothing(practitioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people import access

    with CaptureQueriesContext(connection) as queries:
        access.log_listing(practitioner, [], via="test")
    assert len(queries) == 0
    assert not AccessEvent.objects.exists()


def test_the_access_log_write_belongs_to_the_caller_s_transaction(team, practitioner):
    from django.db import transaction

    from people import access

    person = PersonFactory(team=team)
    with pytest.raises(RuntimeError), transaction.atomic():
        access.open_person(practitioner, person.pk, via="test")
        access.log_listing(practitioner, [person], via="test")
        raise RuntimeError("the request failed")
    assert not AccessEvent.objects.exists()


def test_opening_a_record_logs_one_view_with_its_purpose_and_the_stated_reason(
    team, other_team, practitioner
):
    from people import access

    mine = PersonFactory(team=team)
    theirs = PersonFactory(team=other_team)
    AccessGrant.objects.create(
        user=practitioner,
        person=theirs,
        reason="Safeguarding concern raised by the GP",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    access.open_person(practitioner, mine.pk, via="people:detail")
    access.open_person(practitioner, theirs.pk, via="x" * 400)
    rows = {e.person_id: e for e in AccessEvent.objects.filter(user=practitioner)}
    assert (rows[mine.pk].action, rows[mine.pk].purpose, rows[mine.pk].reason) == (
        "view",
        AccessEvent.Purpose.CASELOAD,
        "",
    )
    assert rows[mine.pk].via == "people:detail"
    assert rows[theirs.pk].purpose == AccessEvent.Purpose.OUTSIDE_CASELOAD
    assert rows[theirs.pk].reason == "Safeguarding concern raised by the GP"
    assert rows[theirs.pk].via == "x" * 300


def test_a_person_or_user_the_access_log_names_cannot_be_deleted(team, practitioner):
    """The log's references are not checked by the database (accounts 0006): Django's
    PROTECT still refuses to delete what it names."""
    from django.db.models import ProtectedError

    person = PersonFactory(team=team)
    access.open_person(practitioner, person.pk, via="people:detail")
    event = AccessEvent.objects.get(person=person)
    with pytest.raises(ProtectedError) as refused:
        person.delete()
    assert event in refused.value.protected_objects
    with pytest.raises(ProtectedError) as refused:
        practitioner.delete()
    assert event in refused.value.protected_objects
