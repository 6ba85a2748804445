"""A carer's budget from an eligible carer's assessment (budgets.actions.agree_carers_budget),
and replacement care in the cared-for person's plan linked to the carer."""

import pytest
from django.utils import timezone

from assessment.tests.factories import CompletedAssessmentFactory, NotEligibleAssessmentFactory
from budgets import actions as budget_actions
from budgets.models import PersonalBudget
from core.actions import ActionError
from people.tests.factories import PersonFactory
from plans.tests.factories import ActivePlanFactory, DraftPlanFactory, line_values
from reviews.tests.factories import _practitioner_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer_and_cared_for(team):
    cared_for = PersonFactory(team=team)
    carer = PersonFactory(team=team)
    return carer, cared_for


def test_an_eligible_carer_gets_a_yearly_budget_from_carers_funding_beside_their_own(
    carer_and_cared_for,
):
    carer, cared_for = carer_and_cared_for
    user = _practitioner_for(carer)
    own = CompletedAssessmentFactory(person=carer, acting_user=user)
    budget_actions.set_budget(
        carer, acting_user=user, amount_pence=10_000, start_date=timezone.localdate()
    )
    assessment = CompletedAssessmentFactory(
        person=carer, kind="carer", cared_for=cared_for, acting_user=user
    )
    budget = budget_actions.agree_carers_budget(
        assessment,
        acting_user=user,
        amount_pence=90_000,
        period="year",
        purpose="Two short breaks a year",
        reason="Breaks cost more than the indicative amount",
    )
    assert own.person == carer
    assert budget.kind == PersonalBudget.Kind.CARER
    assert budget.status == PersonalBudget.Status.ACTIVE
    assert budget.period == "year"
    assert {s.stream: s.amount_pence for s in budget.streams.all()} == {"carers": 90_000}
    assert {s.mode: s.amount_pence for s in budget.shares.all()} == {"direct_payment": 90_000}
    # A couple caring for each other: one budget as the person, one as the carer.
    assert set(
        PersonalBudget.objects.current().filter(person=carer).values_list("kind", flat=True)
    ) == {
        "person",
        "carer",
    }


def test_a_carers_budget_is_yearly_or_one_off_never_weekly(carer_and_cared_for):
    carer, cared_for = carer_and_cared_for
    user = _practitioner_for(carer)
    assessment = CompletedAssessmentFactory(
        person=carer, kind="carer", cared_for=cared_for, acting_user=user
    )
    with pytest.raises(ActionError) as refused:
        budget_actions.agree_carers_budget(
            assessment, acting_user=user, amount_pence=5_000, period="week", purpose="Breaks"
        )
    assert refused.value.code == "BUD-CARER-PERIOD"
    once = budget_actions.agree_carers_budget(
        assessment,
        acting_user=user,
        amount_pence=30_000,
        period="once",
        purpose="A gym membership to keep well",
        reason="One payment",
    )
    assert once.period == "once"


def test_no_carers_budget_without_eligible_needs(carer_and_cared_for):
    carer, cared_for = carer_and_cared_for
    user = _practitioner_for(carer)
    assessment = NotEligibleAssessmentFactory(
        person=carer, kind="carer", cared_for=cared_for, acting_user=user
    )
    with pytest.raises(ActionError) as refused:
        budget_actions.agree_carers_budget(
            assessment, acting_user=user, amount_pence=30_000, period="year", purpose="Breaks"
        )
    assert refused.value.code == "BUD-CARER-NOT-ELIGIBLE"


def test_replacement_care_in_the_cared_for_persons_plan_names_the_carers_record(
    carer_and_cared_for,
):
    carer, cared_for = carer_and_cared_for
    user = _practitioner_for(cared_for)
    CompletedAssessmentFactory(person=cared_for, acting_user=user)
    plan = DraftPlanFactory(
        person=cared_for,
        lines=[
            line_values(
                line_type="replacement_care",
                service_type="carer_cared_for",
                service="other",
                units=1,
                unit_cost_pence=9_000,
                description="A sitter on Wednesday afternoons so Sam can go out",
                carer=carer,
            )
        ],
    )
    line = plan.lines.get()
    assert line.carer == carer
    assert line.carer_shown == carer.full_name


def test_the_carers_record_shows_replacement_care_in_the_cared_for_persons_active_plan(
    carer_and_cared_for, client_for, practitioner
):
    carer, cared_for = carer_and_cared_for
    CompletedAssessmentFactory(person=cared_for, acting_user=practitioner)
    ActivePlanFactory(
        person=cared_for,
        lines=[
            line_values(
                line_type="replacement_care",
                service_type="carer_cared_for",
                service="other",
                units=1,
                unit_cost_pence=9_000,
                description="A sitter on Wednesday afternoons",
                carer=carer,
            )
        ],
    )
    page = client_for(practitioner).get(f"/people/{carer.pk}/reviews/").content.decode()
    assert "A sitter on Wednesday afternoons" in page
    assert f"{cared_for.full_name}’s plan" in page


def test_a_practitioner_agrees_a_carers_budget_on_the_carers_record(
    carer_and_cared_for, client_for, practitioner
):
    carer, cared_for = carer_and_cared_for
    client = client_for(practitioner)
    assert (
        "no completed carer’s assessment"
        in client.get(f"/people/{carer.pk}/carers-budget/").content.decode()
    )
    CompletedAssessmentFactory(
        person=carer, kind="carer", cared_for=cared_for, acting_user=practitioner
    )
    refused = client.post(f"/people/{carer.pk}/carers-budget/", {"amount": "400"})
    assert "govuk-error-summary" in refused.content.decode()
    done = client.post(
        f"/people/{carer.pk}/carers-budget/",
        {"period": "year", "amount": "£1,200.00", "purpose": "Short breaks", "reason": "Breaks"},
    )
    assert done.status_code == 302
    budget = PersonalBudget.objects.current().for_carer().get(person=carer)
    assert (budget.amount_pence, budget.period) == (120_000, "year")
    assert "£1,200.00 a year" in client.get(f"/people/{carer.pk}/carers-budget/").content.decode()
