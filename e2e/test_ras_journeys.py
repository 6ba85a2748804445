"""The RAS journeys of issue #3 in a real browser: a person self-assesses and reads their
explained budget; a commissioner calibrates from the demo council, models the draft, reads
the equality breakdown, justifies every flagged group and writes their assessment, and a
second commissioner checks and confirms the publication (issue 7). axe-core checks every
page on the way, the equality pages at 1280 and 320 pixels wide."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from allocation.models import Allocation, RasVersion

from .conftest import (
    DEMO_PASSWORD,
    advance,
    assert_accessible,
    assert_accessible_at_both_widths,
    code_for,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_council(db):
    call_command("seed_demo", people=300, seed=7, no_progress=True, verbosity=0)


def sign_in_with_code(page, user):
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(page, user.username, DEMO_PASSWORD)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()


def test_a_person_self_assesses_and_reads_their_explained_budget(page, demo_council):
    sign_in(page, "person", DEMO_PASSWORD)
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
    sign_in(page, "commissioner", DEMO_PASSWORD)
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
    page.get_by_label("Flag a group whose change differs").fill("5")
    page.get_by_role("button", name="Run the model").click()
    page.wait_for_url("**/ras/model-runs/**")
    run_tasks()  # what `manage.py db_worker` does in production
    page.wait_for_selector("text=Equality impact")
    main = page.locator("main").inner_text()
    for group in [
        "By primary support reason",
        "By client type",
        "By age band",
        "By sex",
        "By gender identity (gender reassignment)",
        "By ethnic group",
        "By religion or belief",
        "By sexual orientation",
        "By marriage or civil partnership",
        "By pregnancy and maternity",
        "By dementia",
        "By autism",
        "By visual impairment",
        "By hearing impairment",
        "By unpaid carer",
        "By locality (postcode district)",
        "By client group",
    ]:
        assert group in main
    assert "−" in main and "Change in everyone’s total" in main
    assert_accessible_at_both_widths(page)
    # The scroll boxes take keyboard focus, so their tables can be scrolled without a mouse.
    page.locator("[role=region][tabindex='0']").first.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"

    # Every flagged group needs a written justification before anyone can publish.
    run_url = page.url.split("#")[0]
    justified = 0
    while (write := page.get_by_role("link", name=re.compile(r"^Write a justification"))).count():
        write.first.click()
        page.wait_for_url("**/flags/**")
        if not justified:
            assert_accessible_at_both_widths(page)
        page.get_by_label("Why is this difference justified?").fill(
            "The old packages were set before the RAS and paid for some needs twice; the new "
            "scheme prices the assessed needs alike for everyone, and reviews are booked."
        )
        page.get_by_role("button", name="Save justification").click()
        page.wait_for_url(lambda url: "/flags/" not in url)
        justified += 1
    assert justified == len(RasVersion.objects.get(pk=draft.pk).latest_model_run().flags) > 0
    page.get_by_role("link", name="Write your assessment").click()
    page.wait_for_url("**/assessment/")
    assert_accessible_at_both_widths(page)
    page.get_by_label("Your assessment of the equality impact").fill(
        "Budgets move towards assessed need. Groups that lose most are offered a review first."
    )
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(lambda url: "/assessment/" not in url)
    page.get_by_role("link", name="Read the draft equality impact assessment").click()
    expect(
        page.get_by_role("heading", name=re.compile("Draft equality impact assessment"))
    ).to_be_visible()
    assert "It is not the equality impact assessment itself" in page.locator("main").inner_text()
    assert_accessible_at_both_widths(page)

    # The author cannot publish their own draft.
    page.goto(run_url)
    page.get_by_role("button", name="Check and publish").click()
    page.wait_for_url("**/publish/")
    expect(page.get_by_text("Someone else must publish this version")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # A second commissioner checks what changes and confirms.
    colleague = User.objects.create_user(
        "commissioner-2",
        password=DEMO_PASSWORD,
        first_name="Sunil",
        last_name="Rao",
        role=Role.COMMISSIONER,
    )
    sign_in_with_code(page, colleague)
    page.wait_for_url("**/ras/")
    page.goto(f"/ras/versions/{draft.pk}/publish/")
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and confirm")).to_be_visible()
    main = page.locator("main").inner_text()
    assert "1 April 2027" in main and "It cannot be undone" in main and "Sunil Rao (you)" in main
    assert_accessible_at_both_widths(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that this version")
    draft.refresh_from_db()
    assert draft.status == "draft"
    page.get_by_label("I have read the equality impact").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is live from 1 April 2027")).to_be_visible()
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == "live" and draft.published_by == colleague
