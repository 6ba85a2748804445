"""Every write goes through an action: one transaction, history stamped, an audit row."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core import context
from core.actions import ActionError, IllegalTransition, action, audit, because
from core.models import AuditEvent
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@action
def rename(person, name, *, acting_user, fail=False):
    person.first_name = name
    because("Renamed in a test")
    person.save()
    audit(person, f"Renamed to {name}")
    if fail:
        raise ActionError("Refused after writing")
    return person


@action
def silent(person, *, acting_user):
    person.save()


def test_an_action_writes_history_and_audit_with_the_acting_user(team):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(team=team)
    with context.working_as("web", "req-123456"):
        rename(person, "Iris", acting_user=user)
    latest = person.history.order_by("-history_id").first()
    assert latest.history_user == user
    assert latest.history_change_reason == "Renamed in a test"
    event = AuditEvent.objects.for_record(person).order_by("-id").first()
    assert (event.actor, event.action, event.summary, event.via, event.request_id) == (
        user,
        "core.rename",
        "Renamed to Iris",
        "web",
        "req-123456",
    )
    assert event.person == person


def test_a_refused_action_keeps_nothing_neither_the_change_nor_its_audit_row(team):
    user = UserFactory(role=Role.PRACTITIONER, team=team)
    person = PersonFactory(team=team, first_name="Before")
    events = AuditEvent.objects.count()
    with pytest.raises(ActionError):
        rename(person, "After", acting_user=user, fail=True)
    assert Person.objects.get(pk=person.pk).first_name == "Before"
    assert AuditEvent.objects.count() == events


def test_an_action_that_writes_no_audit_event_fails_loudly(team):
    person = PersonFactory(team=team)
    with pytest.raises(ImproperlyConfigured, match="wrote no audit event"):
        silent(person, acting_user=None)


def test_acting_user_must_be_given_by_keyword(team):
    person = PersonFactory(team=team)
    with pytest.raises(TypeError):
        rename(person, "Iris")  # no acting_user


def test_audit_rows_are_never_changed_or_deleted(team):
    person = PersonFactory(team=team)
    event = AuditEvent.objects.filter(person=person).first()
    with pytest.raises(PermissionError):
        event.summary = "Rewritten"
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_change_the_audit_trail_even_in_raw_sql(team):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is PostgreSQL's; SQLite relies on the model")
    person = PersonFactory(team=team)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = 'x' WHERE person_id = %s", [person.pk])


def test_an_illegal_transition_is_refused_with_a_clear_message(team):
    from budgets.tests.factories import EndedBudgetFactory

    budget = EndedBudgetFactory(person=PersonFactory(team=team))
    from budgets import actions

    with pytest.raises(IllegalTransition) as refused:
        actions.end_budget(budget, end_date=budget.end_date, acting_user=None)
    assert refused.value.code == "ILLEGAL-TRANSITION"
    assert "is ended, so it cannot end now" in refused.value.message
