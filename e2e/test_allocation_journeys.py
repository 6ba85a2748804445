"""Issue 7's decisions in a real browser, axe-core at 1280 and 320 pixels on every page:

- a practitioner finds a person's needs not eligible, checks the decision before saving it,
  and the person reads written advice (Care Act 2014 s13(5)) with no amount of money shown
  anywhere they look;
- answers describing complex needs send a person to a costed plan (the RAS amount is only a
  guide); the approved plan's cost becomes the final budget, which the person then reads.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import TeamFactory, UserFactory
from allocation import actions as ras_actions
from allocation.models import Allocation, RasVersion
from assessment import domain as care_act
from assessment.tests.factories import (
    CompletedAssessmentFactory,
    SubmittedAssessmentFactory,
    answers_for,
)
from budgets.models import PersonalBudget, ReserveDraw
from core.money import format_pence
from people.tests.factories import PersonFactory
from plans.tests.factories import (
    SubmittedPlanFactory,
    approver_with_limit,
    line_values,
    open_reserve,
)

from .conftest import advance, assert_accessible, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONEY = re.compile(r"£\s?\d")


@pytest.fixture
def people(db):
    # Browser tests empty the tables between tests: ship the schemes and rates again.
    ras_actions.ship_default_schemes(acting_user=None)
    ras_actions.ship_reference_rates(acting_user=None)
    team = TeamFactory(name="Wexcombe North Adults Team", code="north-adults")
    practitioner = UserFactory(
        role=Role.PRACTITIONER, team=team, username="pat", first_name="Pat", last_name="Okoro"
    )
    device = TOTPDevice.objects.create(user=practitioner, name="Phone", confirmed=True)
    owner = UserFactory(role=Role.PERSON, username="iris", first_name="Iris", last_name="Marlow")
    iris = PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=owner)
    return {"team": team, "practitioner": practitioner, "device": device, "iris": iris}


def sign_in_staff(page, user, device):
    sign_in(page, user.username)
    page.get_by_label("Security code").fill(code_for(device))
    advance(page, "Continue")


def test_a_person_found_not_eligible_reads_written_advice_and_no_money_anywhere(page, people):
    iris, practitioner = people["iris"], people["practitioner"]
    assessment = SubmittedAssessmentFactory(person=iris, acting_user=practitioner)
    outcomes = dict(care_act.outcomes_for("person"))

    sign_in_staff(page, practitioner, people["device"])
    page.goto(f"/assessments/{assessment.pk}/eligibility/")
    assert_accessible(page)
    page.locator("fieldset", has_text="arise from").get_by_label("Yes").first.check()
    page.locator("fieldset", has_text="fluctuate").get_by_label("No").check()
    page.get_by_label(outcomes["hygiene"]).check()
    hygiene = page.locator("#conditional-hygiene")
    hygiene.locator("input[type=checkbox]").first.check()
    hygiene.locator("textarea, input[type=text]").first.fill(
        "Washing takes her over an hour on bad days; she manages it safely."
    )
    page.locator("fieldset", has_text="significant impact").get_by_label("No").check()
    page.get_by_label("Your reasons").fill(
        "You find washing slow on bad days, but you manage it safely and it does not affect "
        "your well-being a great deal."
    )
    page.get_by_label("Advice in your own words").fill(
        "The Wexcombe falls class on Tuesdays can help you stay steady in the bathroom."
    )
    page.locator("input[name=advice_topics]").first.check()
    with page.expect_navigation():  # the check step answers at the same address
        page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check the decision before you save it")
    ).to_be_visible()
    assert_accessible(page)
    advance(page, "Save the decision")
    assert_accessible(page)
    allocation = Allocation.objects.get(assessment=assessment)
    assert allocation.status == "not_eligible"
    assert not PersonalBudget.objects.filter(person=iris).exists()

    # The person: their record, the assessment and the written decision show no money at all.
    page.context.clear_cookies()
    sign_in(page, "iris")
    page.wait_for_url("**/my-record/**")
    assert_accessible(page)
    assert not MONEY.search(page.locator("main").inner_text())
    page.goto(f"/assessments/{assessment.pk}/")
    assert_accessible(page)
    assert not MONEY.search(page.locator("main").inner_text())
    page.goto(f"/assessments/{assessment.pk}/budget/")  # goes to the decision instead
    page.wait_for_url("**/decision/")
    expect(page.get_by_role("heading", name="Your eligibility decision")).to_be_visible()
    assert_accessible(page)
    letter = page.locator("main").inner_text()
    assert "The Wexcombe falls class on Tuesdays" in letter
    assert not MONEY.search(letter)


def test_complex_needs_go_to_a_costed_plan_whose_cost_becomes_the_budget(page, people):
    iris, practitioner = people["iris"], people["practitioner"]
    version = RasVersion.objects.live_on("person")
    question, option = next(
        (q, o) for q in version.parsed.questions for o in q.options if o.complex
    )
    complex_answers = {question.code: option.code}
    assert complex_answers, "the shipped scheme has answers that describe complex needs"
    unable = [code for code, _label in care_act.outcomes_for("person")]
    answers = {**answers_for(version), **complex_answers}
    CompletedAssessmentFactory(
        person=iris, acting_user=practitioner, answers=answers, unable=unable
    )
    budget = PersonalBudget.objects.get(person=iris)
    assert budget.costed_plan and budget.status == "proposed"
    guide = budget.indicative_pence

    # Staff read the explanation: the RAS amount is a guide, the plan's cost will be the budget.
    sign_in_staff(page, practitioner, people["device"])
    page.goto(f"/people/{iris.pk}/budget/")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text(
        "Some needs are complex, so the budget will be the cost of the support plan"
    )

    # The plan costs more than the guide; an approver with a high enough limit approves it.
    cost = guide + 12_345
    approver = approver_with_limit(
        team=people["team"], weekly_pence=cost + 100_000, username="amal", first_name="Amal"
    )
    approver_device = TOTPDevice.objects.create(user=approver, name="Phone", confirmed=True)
    plan = SubmittedPlanFactory(
        person=iris,
        author=practitioner,
        lines=[
            line_values(
                service="other",
                units=Decimal("1"),
                unit_cost_pence=cost,
                description="Two carers day and night",
                start_date=timezone.localdate() - dt.timedelta(days=1),
            )
        ],
        reason="Complex needs: waking nights and two carers",
    )
    # The year's reserve, set when the scheme was calibrated, pays what is above the guide.
    reserve = open_reserve(UserFactory(role=Role.COMMISSIONER), opening_pence=10_000_000)
    page.context.clear_cookies()
    sign_in_staff(page, approver, approver_device)
    page.goto(f"/plans/{plan.pk}/")
    assert_accessible(page)
    advance(page, "Approve the plan")
    assert_accessible(page)
    advance(page, "Approve and agree the budget")
    expect(page.locator("main")).to_contain_text("Active")
    assert_accessible(page)
    budget.refresh_from_db()
    assert budget.status == "active" and budget.amount_pence == cost
    draw = ReserveDraw.objects.get(reserve=reserve)
    assert draw.kind == "costed_plan"

    # The person reads their agreed budget: the plan's cost, with the guide it started from.
    page.context.clear_cookies()
    sign_in(page, "iris")
    page.wait_for_url("**/my-record/**")
    expect(page.locator("main")).to_contain_text(format_pence(cost))
    assert_accessible(page)
    page.goto(f"/people/{iris.pk}/budget/")
    main = page.locator("main").inner_text()
    assert format_pence(cost) in main and format_pence(guide) in main
    assert_accessible(page)
