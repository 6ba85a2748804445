"""A budget explained (statutory guidance 11.22-11.28; R (KM) v Cambridgeshire [2012] UKSC 23):
every current budget has the page, its lines add up exactly, it says the final budget must
meet the eligible needs, what the amount could buy, that it includes any contribution, and how
to challenge it; in plain words addressed to whoever reads it."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.tests.factories import CompletedAssessmentFactory
from budgets import explained
from budgets.models import PersonalBudget
from budgets.tests.factories import ActiveBudgetFactory
from core.money import format_pence
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The words of the page's main content (not the header's service name)."""
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<main" + main))


def test_every_current_budget_of_the_demo_council_is_explained_to_the_penny():
    call_command("seed_demo", people=120, seed=11, no_progress=True, verbosity=0)
    staff = UserFactory(role=Role.ADMIN)
    budgets = list(PersonalBudget.objects.current().select_related("person"))
    assert budgets
    for budget in budgets:
        x = explained.for_budget(budget, user=staff)
        assert x.adds_up(), budget
        assert x.lines


def test_the_page_says_what_the_law_says_and_what_the_money_could_buy(
    client_for, team, practitioner
):
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner, first_name="Iris", last_name="Marlow")
    CompletedAssessmentFactory(person=person, acting_user=practitioner, seed=4)
    page = text(client_for(owner).get(f"/people/{person.pk}/budget/"))
    assert "Your budget explained" in page
    assert "The final personal budget must be enough to meet them" in page
    assert "a starting point for planning, not a limit" in page
    assert "hours of home care a week, at £" in page
    assert "includes any amount you are assessed to pay" in page
    assert "How to ask for a review or challenge the budget" in page
    assert "Shipped default" not in page and "funding panel" not in page.lower()


def test_staff_read_it_in_the_third_person_and_a_representative_sees_the_persons_name(
    client_for, team, practitioner
):
    representative = UserFactory(role=Role.REPRESENTATIVE)
    person = PersonFactory(
        team=team, first_name="Iris", last_name="Marlow", representative=representative
    )
    CompletedAssessmentFactory(person=person, acting_user=practitioner, seed=4)
    staff_page = text(client_for(practitioner).get(f"/people/{person.pk}/budget/"))
    assert "Iris Marlow’s budget explained" in staff_page
    # The questions are quoted as the person was asked them; everything else is about them.
    for phrase in (
        "you answered",
        "your needs",
        "your final budget",
        "you are assessed",
        "you can",
    ):
        assert phrase not in staff_page.lower(), phrase
    rep_page = text(client_for(representative).get(f"/people/{person.pk}/budget/"))
    assert "Iris’s budget explained" in rep_page


def test_the_budget_page_is_refused_to_those_who_may_not_see_the_person(
    client_for, team, other_team
):
    person = PersonFactory(team=other_team)
    ActiveBudgetFactory(person=person)
    outsider = UserFactory(role=Role.PRACTITIONER, team=team)
    stranger = UserFactory(role=Role.PERSON)
    assert client_for(outsider).get(f"/people/{person.pk}/budget/").status_code == 404
    assert client_for(stranger).get(f"/people/{person.pk}/budget/").status_code == 404


def test_the_api_gives_the_current_budget_whose_lines_add_up(client, team, practitioner):
    person = PersonFactory(team=team)
    CompletedAssessmentFactory(person=person, acting_user=practitioner, seed=2)
    _token, raw = ApiToken.issue(practitioner, "Test")
    response = client.get(f"/api/v1/people/{person.pk}/budget", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["period"] == "week"
    total = sum(Decimal(line["amount"]) for line in body["lines"] if line["amount"] is not None)
    assert total == Decimal(body["amount"])
    nobody = PersonFactory(team=team)
    assert (
        client.get(
            f"/api/v1/people/{nobody.pk}/budget", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 404
    )
    elsewhere = Person.objects.exclude(team=team).first() or PersonFactory()
    assert (
        client.get(
            f"/api/v1/people/{elsewhere.pk}/budget", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 404
    )


def test_a_final_amount_above_the_indicative_one_shows_the_difference_and_its_reasons(
    team, practitioner
):
    person = PersonFactory(team=team)
    assessment = CompletedAssessmentFactory(person=person, acting_user=practitioner, seed=2)
    budget = PersonalBudget.objects.get(person=person, status="proposed")
    PersonalBudget.objects.filter(pk=budget.pk).update(
        amount_pence=budget.amount_pence + 4_500, reason="Two carers for every transfer"
    )
    budget.refresh_from_db()
    x = explained.for_budget(budget, user=practitioner)
    assert x.adds_up()
    assert x.lines[-1].heading == "Agreed £45.00 more than the indicative amount"
    assert x.lines[-1].detail == "Two carers for every transfer"
    assert assessment.allocation.amount_pence == budget.amount_pence - 4_500
    assert x.differs_by_text == "£45.00 more"
    assert x.indicative_text == f"{format_pence(budget.indicative_pence)} a week"
