"""The support plan journeys of issue #8 in a real browser, axe-core on every page visited: a
person drafts a plan within their budget and sends it; a practitioner returns it with a
comment; it is sent again and an approver approves it; a plan above an approver's limit goes
to the funding panel and draws on the reserve, which shows the draw. The plan pages reflow at
320 pixels wide."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import TeamFactory, UserFactory
from allocation import actions as ras_actions
from allocation.models import RasVersion
from assessment.tests.factories import CompletedAssessmentFactory, answers_for
from budgets.models import ReserveDraw
from core.dates import financial_year
from people.tests.factories import PersonFactory
from plans import actions
from plans.models import SupportPlan
from plans.tests.factories import SubmittedPlanFactory, approver_with_limit, line_values

from .conftest import assert_accessible, go, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


@pytest.fixture
def council(db):
    # Browser tests empty the tables between tests: ship the schemes and rates again.
    ras_actions.ship_default_schemes(acting_user=None)
    ras_actions.ship_reference_rates(acting_user=None)
    team = TeamFactory(name="Wexcombe Central Older People's Team", code="central-older")
    practitioner = UserFactory(
        role=Role.PRACTITIONER, team=team, username="pat", first_name="Pat", last_name="Okoro"
    )
    person_user = UserFactory(
        role=Role.PERSON, username="iris", first_name="Iris", last_name="Marlow"
    )
    iris = PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=person_user)
    version = RasVersion.objects.live_on("person")
    CompletedAssessmentFactory(
        person=iris, acting_user=practitioner, answers=answers_for(version, level="highest")
    )
    approver = approver_with_limit(
        team=team, weekly_pence=500_000, username="amal", first_name="Amal", last_name="Reid"
    )
    small = approver_with_limit(
        team=team, weekly_pence=100, username="sam", first_name="Sam", last_name="Lowe"
    )
    commissioner = UserFactory(
        role=Role.COMMISSIONER, username="cora", first_name="Cora", last_name="Bell"
    )
    devices = {
        user.username: TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        for user in (practitioner, approver, small, commissioner)
    }
    return {
        "team": team,
        "iris": iris,
        "practitioner": practitioner,
        "approver": approver,
        "small": small,
        "commissioner": commissioner,
        "devices": devices,
    }


def assert_reflows(page, path):
    """At 320 CSS pixels the page needs no sideways scrolling; wide tables scroll inside a
    focusable region instead (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width}px wide at 320px"
    for table in page.locator("table").all():
        wrapper = table.locator("xpath=..")
        assert (
            wrapper.get_attribute("tabindex") == "0" and wrapper.get_attribute("role") == "region"
        )
    assert_accessible(page)
    page.set_viewport_size({"width": 1100, "height": 900})


def test_a_plan_is_drafted_sent_returned_sent_again_and_approved(
    browser, live_server, council, contexts
):
    iris = council["iris"]

    # The person drafts a plan within their budget, in the portal.
    person = open_as(browser, live_server, council, "iris", contexts)
    person.goto("/my-record/")
    assert_accessible(person)
    go(person, "button", "Start your support plan")
    expect(person.get_by_role("heading", name="Your support plan")).to_be_visible()
    assert_accessible(person)

    go(person, "link", "What matters to you")
    assert_accessible(person)
    person.get_by_label("What matters to you").fill("I want to be up, washed and dressed by nine")
    for box in person.locator("input[name='links']").all():
        box.check()
    go(person, "button", "Add it")
    expect(person.locator("main")).to_contain_text("dressed by nine")
    assert_accessible(person)
    go(person, "link", "Done: back to the plan")

    go(person, "link", "How you will be supported")
    assert_accessible(person)
    go(person, "button", "Add support")
    assert_accessible(person)
    person.get_by_label("Care and support").check()
    person.get_by_label("What does it pay for?").select_option("home_care")
    person.get_by_label("Describe the support").fill("Help getting up and washed")
    person.get_by_label("A care provider").check()
    person.get_by_label("Name of the provider or personal assistant (optional)").fill(
        "Northtown Home Care"
    )
    person.get_by_label("How many each time").fill("1")
    person.get_by_label("Every week").check()
    person.get_by_label("Managed by the council").check()
    person.locator("#id_start_date_0").fill(str(TODAY.day))
    person.locator("#id_start_date_1").fill(str(TODAY.month))
    person.locator("#id_start_date_2").fill(str(TODAY.year))
    person.locator("#id_start_date_2").blur()
    preview = person.locator("#line-preview")
    expect(preview).to_contain_text("1 hour at £28.00 an hour = £28.00 a week")
    expect(preview).to_contain_text("With it, the plan costs £28.00 a week")
    assert_accessible(person)
    go(person, "button", "Save this support")
    expect(person.locator("#plan-total")).to_contain_text("£28.00 a week")
    assert_accessible(person)
    plan = SupportPlan.objects.get(person=iris)
    assert_reflows(person, f"/plans/{plan.pk}/support/")
    assert_reflows(person, f"/plans/{plan.pk}/support/new/")
    person.goto(f"/plans/{plan.pk}/")

    go(person, "link", "Staying safe")
    assert_accessible(person)
    person.get_by_label("There are no particular risks to plan for").check()
    go(person, "button", "Save and go back to the plan")
    go(person, "link", "Who helped you plan")
    assert_accessible(person)
    person.get_by_label("I made it myself").check()
    go(person, "button", "Save and go back to the plan")
    assert_accessible(person)
    assert_reflows(person, f"/plans/{plan.pk}/")

    go(person, "link", "Check and send")
    expect(person.get_by_role("heading", name="Check your plan before sending it")).to_be_visible()
    assert_accessible(person)
    go(person, "button", "Send for approval")
    expect(person.get_by_role("heading", name="Plan sent")).to_be_visible()
    assert_accessible(person)

    # A practitioner returns it with a comment.
    staff = open_as(browser, live_server, council, "pat", contexts)
    go(staff, "link", "Plans to decide")
    assert_accessible(staff)
    go(staff, "link", "Iris Marlow")
    expect(staff.locator("main")).to_contain_text("Sent for approval")
    assert_accessible(staff)
    go(staff, "button", "Return for changes")
    assert_accessible(staff)
    go(staff, "button", "Return for changes")
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Enter what needs to change")
    assert staff.title().startswith("Error: ")
    assert_accessible(staff)
    staff.get_by_label("What needs to change?").fill("Please add who helps you at weekends")
    go(staff, "button", "Return for changes")
    expect(staff.locator("main")).to_contain_text("Returned for changes")
    assert_accessible(staff)

    # The person reads the comment, changes the plan and sends it again.
    person.goto("/my-record/")
    go(person, "button", "Continue your plan")
    expect(person.locator("main")).to_contain_text("Please add who helps you at weekends")
    assert_accessible(person)
    go(person, "link", "Who helped you plan")
    person.get_by_label("Family").check()
    person.get_by_label("Their names, and how they helped (optional)").fill(
        "My son Tom helps at weekends"
    )
    go(person, "button", "Save and go back to the plan")
    go(person, "link", "Check and send")
    go(person, "button", "Send for approval")
    expect(person.get_by_role("heading", name="Plan sent")).to_be_visible()

    # An approver (not its author) approves it: the budget is agreed and the plan is active.
    approver = open_as(browser, live_server, council, "amal", contexts)
    go(approver, "link", "Plans to decide")
    go(approver, "link", "Iris Marlow")
    go(approver, "button", "Approve the plan")
    assert_accessible(approver)
    go(approver, "button", "Approve and agree the budget")
    expect(approver.locator("main")).to_contain_text("Active")
    assert_accessible(approver)
    history = approver.locator("#history + .app-table-wrapper").inner_text()
    assert re.search(r"Returned for changes\s+Pat Okoro\s+Please add who helps", history)
    plan.refresh_from_db()
    assert (plan.status, plan.budget.status, plan.budget.amount_pence) == ("active", "active", 2800)


def test_a_plan_above_the_limit_goes_to_the_panel_and_draws_on_the_reserve(
    browser, live_server, council, contexts
):
    bob = CompletedAssessmentFactory(
        person=PersonFactory(team=council["team"], first_name="Bob", last_name="Ashworth"),
        acting_user=council["practitioner"],
    ).person
    indicative = actions.proposed_budget(bob).indicative_pence
    plan = SubmittedPlanFactory(
        person=bob,
        author=council["practitioner"],
        reason="Two carers are needed for every transfer",
        lines=[
            line_values(service="other", units=Decimal("1"), unit_cost_pence=indicative + 9_000)
        ],
    )

    # A commissioner sets this year's reserve.
    commissioner = open_as(browser, live_server, council, "cora", contexts)
    go(commissioner, "link", "Reserve")
    assert_accessible(commissioner)
    label, _start, _end = financial_year(TODAY)
    commissioner.get_by_label("Financial year").fill(label)
    commissioner.get_by_label("The reserve for the year").fill("250000")
    commissioner.get_by_label("How it was set").fill("Envelope £5,000,000 × 5%")
    go(commissioner, "button", "Set the reserve")
    expect(commissioner.locator("main")).to_contain_text("£250,000.00")
    assert_accessible(commissioner)

    # Above the first approver's limit, approving sends it to the funding panel.
    small = open_as(browser, live_server, council, "sam", contexts)
    small.goto(f"/plans/{plan.pk}/")
    go(small, "button", "Approve the plan")
    expect(small.locator("main")).to_contain_text("Approving sends the plan to the funding panel")
    assert_accessible(small)
    go(small, "button", "Send to the funding panel")
    expect(small.locator("main")).to_contain_text("With the funding panel")
    assert_accessible(small)

    # Another approver records the panel's decision; the reserve is drawn.
    approver = open_as(browser, live_server, council, "amal", contexts)
    approver.goto(f"/plans/{plan.pk}/")
    go(approver, "button", "Record the funding panel’s decision")
    assert_accessible(approver)
    approver.get_by_label("Agreed", exact=True).check()
    approver.get_by_label("The panel’s reasons").fill("Two carers are needed: agreed in full")
    go(approver, "button", "Record the decision")
    expect(approver.locator("main")).to_contain_text("Funding panel")
    assert_accessible(approver)
    draw = ReserveDraw.objects.get(person=bob)

    commissioner.goto("/reserve/")
    go(commissioner, "link", label)
    main = commissioner.locator("main")
    expect(main).to_contain_text(bob.council_person_id)
    expect(main).to_contain_text("Funding panel decision")
    expect(main).to_contain_text(f"£{draw.amount_pence / 100:,.2f}")
    assert_accessible(commissioner)
    assert_reflows(commissioner, commissioner.url.replace(live_server.url, ""))
