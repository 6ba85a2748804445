"""The RAS journeys of issue #3 in a real browser: a person self-assesses and reads their
explained budget; a commissioner calibrates from the demo council, models the draft, reads
the equality breakdown and publishes it. axe-core checks every page on the way."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from allocation.models import Allocation, RasVersion

from .conftest import assert_accessible
from .test_journeys import code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-council-2026"


@pytest.fixture
def demo_council(db):
    call_command("seed_demo", people=300, seed=7, no_progress=True, verbosity=0)


def advance(page, button):
    """Press a button that leads to another page, and wait until that page has loaded."""
    before = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: url != before)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_self_assesses_and_reads_their_explained_budget(page, demo_council):
    sign_in(page, "person")
    page.wait_for_url("**/my-record/**")
    assert_accessible(page)
    page.get_by_role("button", name="Start a self-assessment").click()
    page.wait_for_url("**/questions/**")
    assert_accessible(page)

    # Trying to go on without an answer explains what to do.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    assert_accessible(page)

    answered = 0
    while "/questions/" in page.url:
        radios = page.locator(".govuk-radios__input")
        radios.nth(min(answered % 3, radios.count() - 1)).check()
        answered += 1
        if answered == 6:  # stop, and come back later
            advance(page, "Save and come back later")
            expect(page.locator(".govuk-notification-banner")).to_contain_text(
                "Your answers are saved"
            )
            advance(page, "Continue your self-assessment")
            assert_accessible(page)
            before = page.url
            page.locator(".govuk-task-list__link").nth(1).click()
            page.wait_for_url(lambda url, before=before: url != before)
            continue
        advance(page, "Save and continue")
    page.wait_for_url("**/check/")
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    assert_accessible(page)

    advance(page, "Continue")
    assert_accessible(page)
    page.get_by_label("I confirm the answers are right").check()
    page.get_by_role("button", name="Accept and send").click()
    page.wait_for_url("**/submitted/")
    expect(page.get_by_role("heading", name="Assessment sent")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See exactly how your budget is worked out").click()
    expect(page.get_by_role("heading", name="Your budget explained")).to_be_visible()
    assert_accessible(page)
    allocation = Allocation.objects.select_related("assessment__person__user").get(
        assessment__person__user__username="person", assessment__status="submitted"
    )
    main = page.locator("main").inner_text()
    assert f"£{allocation.amount:,.2f} a week" in main
    assert f"{allocation.total_points} points" in main
    money = [
        Decimal(cell.replace("£", "").replace(",", "").replace("−", "-"))
        for cell in page.locator(
            "tbody td.govuk-table__cell--numeric:nth-child(4)"
        ).all_inner_texts()
    ]
    money += [
        Decimal(
            re.search(r"(−?)£([\d,]+\.\d\d)", text)
            .group(0)
            .replace("£", "")
            .replace(",", "")
            .replace("−", "-")
        )
        for text in page.locator(".govuk-summary-list__actions").all_inner_texts()
        if "£" in text
    ]
    assert sum(money) == allocation.amount, "every pound is explained by a line"


def test_a_commissioner_calibrates_models_and_publishes(page, demo_council, run_tasks):
    commissioner = User.objects.get(username="commissioner")
    device = TOTPDevice.objects.create(user=commissioner, name="Phone", confirmed=True)
    sign_in(page, "commissioner")
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/ras/")
    assert_accessible(page)
    live = RasVersion.objects.live_on("person")
    page.get_by_role("link", name=re.compile(r"Version 1: Shipped default")).first.click()
    expect(page.get_by_text("Selfdirect RAS for people").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Calibrate").click()
    page.wait_for_url("**/calibrate/")
    assert_accessible(page)
    page.get_by_label("Least squares, with a fixed amount").check()
    page.get_by_label("Annual funding envelope").fill("9,500,000")
    page.get_by_label("Reserve").fill("5")
    page.get_by_role("button", name="Calibrate").click()
    page.wait_for_url("**/ras/calibrations/**")
    expect(page.locator("progress")).to_be_visible()
    assert_accessible(page)
    run_tasks()  # what `manage.py db_worker` does in production
    page.wait_for_selector("text=How well the fit explains real costs")  # the page refreshes itself
    assert "£9,025,000.00" in page.locator("main").inner_text()  # the target, hit to the penny
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"draft version \d+")).click()
    draft = RasVersion.objects.exclude(pk=live.pk).get(scheme=live.scheme)
    expect(page.get_by_text("Cannot start yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Model this version").click()
    page.wait_for_url("**/model/")
    assert_accessible(page)
    page.get_by_label("Annual funding envelope").fill("9500000")
    page.get_by_role("button", name="Run the model").click()
    page.wait_for_url("**/ras/model-runs/**")
    run_tasks()  # what `manage.py db_worker` does in production
    page.wait_for_selector("text=Equality impact")
    main = page.locator("main").inner_text()
    for group in [
        "By primary support reason",
        "By age band",
        "By sex",
        "By ethnic group",
        "By dementia",
        "By client group",
    ]:
        assert group in main
    assert_accessible(page)

    page.get_by_role("button", name="Check and publish").click()
    page.wait_for_url("**/publish/")
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is live from 1 April 2027")).to_be_visible()
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == "live"
