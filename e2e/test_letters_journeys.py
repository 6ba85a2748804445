"""The budget letter and challenge journeys of issue #8 in a real browser, axe-core on every
page visited: the person challenges the budget decision in the portal, in their own words; a
practitioner who did not make the decision takes it and decides it with reasons; the person
sees the outcome in the portal and in the letter history; and the budget letter PDF they
download shows the numbers the plan adds up to."""

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import TeamFactory, UserFactory
from allocation import actions as ras_actions
from assessment.tests.factories import CompletedAssessmentFactory
from challenges.models import Challenge
from challenges.tests.factories import letter_lines
from core.dates import add_working_days
from core.money import format_pence
from people.tests.factories import PersonFactory
from plans.tests.factories import ActivePlanFactory, approver_with_limit

from .conftest import assert_accessible, go, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


@pytest.fixture
def letters_council(db):
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
    CompletedAssessmentFactory(person=iris, acting_user=practitioner)
    approver = approver_with_limit(
        team=team, weekly_pence=500_000, username="amal", first_name="Amal", last_name="Reid"
    )
    plan = ActivePlanFactory(
        person=iris, author=practitioner, approver=approver, lines=letter_lines()
    )
    devices = {
        user.username: TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        for user in (practitioner, approver)
    }
    return {
        "iris": iris,
        "plan": plan,
        "practitioner": practitioner,
        "approver": approver,
        "devices": devices,
    }


def test_the_person_challenges_their_budget_a_colleague_decides_it_and_the_letter_adds_up(
    browser, live_server, letters_council, contexts
):
    council = letters_council
    iris, plan = council["iris"], council["plan"]
    assert plan.approved_by == council["approver"]

    # The person challenges the budget decision in the portal, in their own words.
    person = open_as(browser, live_server, council, "iris", contexts)
    person.goto("/my-record/")
    assert_accessible(person)
    go(person, "button", "Challenge a decision")
    expect(person.get_by_role("heading", name="Challenge a decision")).to_be_visible()
    assert_accessible(person)
    person.get_by_label(re.compile(r"^The personal budget of")).check()
    person.get_by_label("What do you disagree with, and why?").fill(
        "Ten hours is not enough: I need help in the evenings too"
    )
    go(person, "button", "Send the challenge")
    due = add_working_days(TODAY, 20)
    expect(person.get_by_role("heading", name="Challenge received")).to_be_visible()
    expect(person.locator("main")).to_contain_text(f"{due.day} {due:%B %Y}")
    assert_accessible(person)
    challenge = Challenge.objects.get()
    assert challenge.decision_maker == council["approver"]

    # A practitioner who did not make the decision takes it from the list and decides it.
    staff = open_as(browser, live_server, council, "pat", contexts)
    staff.goto("/challenges/")
    expect(staff.get_by_role("link", name="Iris Marlow")).to_be_visible()
    assert_accessible(staff)
    go(staff, "link", "Iris Marlow")
    assert_accessible(staff)
    staff.get_by_label("Who will look into it?").select_option(label="Pat Okoro (Practitioner)")
    go(staff, "button", "Assign")
    expect(staff.locator("main")).to_contain_text("Being looked at by")
    staff.get_by_label("Partly upheld").check()
    staff.get_by_label("Your reasons").fill(
        "We agree you need help in the evenings: five hours a week will be added"
    )
    go(staff, "button", "Record the decision")
    expect(staff.locator("main")).to_contain_text("Partly upheld")
    assert_accessible(staff)
    challenge.refresh_from_db()
    assert challenge.decided_by == council["practitioner"]

    # The practitioner records the letter as sent from the plan: it joins the letter history.
    staff.goto(f"/plans/{plan.pk}/")
    expect(staff.locator("#letter-history")).to_be_visible()
    assert_accessible(staff)
    go(staff, "link", "The budget letter")
    assert_accessible(staff)
    go(staff, "button", "Record the letter as sent")
    expect(staff.locator("main")).to_contain_text("Budget letter sent")

    # The person sees the outcome, with the reasons, and it is in the letter history.
    person.goto(f"/my-record/people/{iris.pk}/")
    expect(person.locator("#letter-history")).to_be_visible()
    expect(person.locator("main")).to_contain_text("Challenge partly upheld")
    expect(person.locator("main")).to_contain_text("Budget letter sent")
    assert_accessible(person)
    go(person, "link", re.compile(r"^Challenge of"))
    expect(person.locator("#outcome")).to_contain_text("partly upheld")
    expect(person.locator("#reasons")).to_contain_text("five hours a week will be added")
    assert_accessible(person)

    # The budget letter: the page, then the PDF downloaded and read back.
    person.goto(f"/my-record/people/{iris.pk}/")
    go(person, "link", re.compile(r"^Your budget letter"))
    expect(person.get_by_role("heading", name="Your personal budget")).to_be_visible()
    assert_accessible(person)
    with person.expect_download() as downloaded:
        person.get_by_role("button", name="Download the letter (PDF)").click()
    content = Path(downloaded.value.path()).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    plan.refresh_from_db()
    lines = list(plan.lines.all())
    total = sum(int(line.units * line.unit_cost_pence) for line in lines)
    contribution = sum(
        int(line.units * line.unit_cost_pence)
        for line in lines
        if line.funding_stream == "contribution"
    )
    assert plan.budget.amount_pence == total
    assert f"Your personal budget is {format_pence(total)} a week" in text
    assert f"Your contribution is {format_pence(contribution)} a week" in text
    assert "10 hours at £28.00 an hour" in text
    assert "within 20 working days" in text
