"""Personal budgets: one current budget a person, money in pence, a lifecycle, and who sees them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from budgets import actions
from budgets.models import PersonalBudget
from budgets.tests.factories import ActiveBudgetFactory, EndedBudgetFactory
from core.actions import IllegalTransition
from core.models import AuditEvent
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_budget_ends_the_one_before_it_the_day_before(team, practitioner):
    person = PersonFactory(team=team)
    first = ActiveBudgetFactory(
        person=person, amount_pence=30_000, start_date=dt.date(2026, 4, 1), acting_user=practitioner
    )
    second = ActiveBudgetFactory(
        person=person,
        amount_pence=42_050,
        start_date=dt.date(2026, 10, 1),
        acting_user=practitioner,
    )
    first.refresh_from_db()
    assert (first.status, first.end_date) == ("ended", dt.date(2026, 9, 30))
    assert list(PersonalBudget.objects.current().filter(person=person)) == [second]
    assert str(second) == "£420.50 a week from 2026-10-01"
    summaries = list(
        AuditEvent.objects.filter(person=person, record_type="budgets.personalbudget")
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries[-2:] == [
        "Budget ended on 30 September 2026",
        "Budget of £420.50 a week from 1 October 2026",
    ]


def test_the_database_holds_one_current_budget_a_person(team):
    budget = ActiveBudgetFactory(person=PersonFactory(team=team))
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalBudget.objects.create(
            person=budget.person, amount_pence=1, start_date=dt.date(2026, 1, 1)
        )


def test_a_budget_cannot_be_negative_or_end_before_it_starts(team):
    person = PersonFactory(team=team)
    with pytest.raises(BusinessRuleViolation) as negative:
        actions.set_budget(
            person, acting_user=None, amount_pence=-1, start_date=dt.date(2026, 1, 1)
        )
    assert negative.value.codes == ["BUD-NEGATIVE"]
    budget = ActiveBudgetFactory(person=person, start_date=dt.date(2026, 4, 1))
    with pytest.raises(BusinessRuleViolation) as backwards:
        actions.end_budget(budget, end_date=dt.date(2026, 3, 31), acting_user=None)
    assert backwards.value.codes == ["BUD-END-BEFORE-START"]


def test_an_ended_budget_cannot_end_again(team):
    budget = EndedBudgetFactory(person=PersonFactory(team=team))
    with pytest.raises(IllegalTransition):
        actions.end_budget(budget, end_date=budget.end_date, acting_user=None)


def test_the_status_is_a_protected_state_machine_field(team):
    budget = ActiveBudgetFactory(person=PersonFactory(team=team))
    with pytest.raises(AttributeError):
        budget.status = "ended"


def test_budgets_are_seen_by_those_who_see_the_person(team, other_team):
    mine = ActiveBudgetFactory(person=PersonFactory(team=team))
    ActiveBudgetFactory(person=PersonFactory(team=other_team))
    practitioner = UserFactory(role=Role.PRACTITIONER, team=team)
    assert list(PersonalBudget.objects.visible_to(practitioner)) == [mine]
    assert not PersonalBudget.objects.visible_to(UserFactory(role=Role.PROVIDER)).exists()
    owner = UserFactory(role=Role.PERSON)
    own = ActiveBudgetFactory(person=PersonFactory(team=team, user=owner))
    assert list(PersonalBudget.objects.visible_to(owner)) == [own]


def test_the_person_page_shows_the_current_budget(client_for, team, practitioner):
    person = PersonFactory(team=team)
    ActiveBudgetFactory(person=person, amount_pence=123_456)
    page = client_for(practitioner).get(f"/people/{person.pk}/").content.decode()
    assert "£1,234.56" in page
