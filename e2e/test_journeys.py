"""The journeys of issue #2 in a real browser, with an accessibility check on every page visited."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import AccessEvent, User
from accounts.roles import Role

from .conftest import PASSWORD, assert_accessible, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_finds_edits_and_sees_history(page, council):
    sign_in(page, "practitioner")
    page.wait_for_url("**/accounts/security-code/**")
    assert_accessible(page)
    page.get_by_label("Security code").fill(code_for(council["device"]))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/people/")
    expect(page.get_by_role("heading", name="Your team’s caseload")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("marlow")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r".*name=marlow.*"))
    expect(page.get_by_text("1 person matches your filters")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Marlow, Iris").click()
    expect(page.get_by_role("heading", name="Iris Marlow")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change details").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    page.get_by_label("NHS number").fill("943 476 5918")
    page.get_by_label("Last name").fill("Marlowe")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a valid NHS number")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    council["iris"].refresh_from_db()
    assert (council["iris"].last_name, council["iris"].nhs_number) == ("Marlow", "9434765919")

    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_nhs_number"
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The record has been updated")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change history").click()
    expect(page.get_by_role("heading", name="Change history", exact=True)).to_be_visible()
    history = page.locator("main").inner_text()
    assert "Record changed by Pat Okoro" in history
    assert "Marlow" in history and "Marlowe" in history
    assert_accessible(page)

    page.get_by_role("link", name="Who has viewed this record").click()
    expect(page.locator("main")).to_contain_text("Direct care: team caseload")
    assert_accessible(page)


def test_a_person_sees_their_record_and_who_looked_but_no_one_else(page, council):
    AccessEvent.objects.create(
        user=council["practitioner"],
        person=council["iris"],
        action="view",
        purpose="Direct care: team caseload",
    )
    sign_in(page, "person")
    page.wait_for_url("**/my-record/")
    expect(page.get_by_role("heading", name="Your record", exact=True)).to_be_visible()
    main = page.locator("main").inner_text()
    assert "Pat Okoro" in main and "Direct care: team caseload" in main
    assert_accessible(page)

    for url in [
        f"/my-record/people/{council['stranger'].pk}/",
        f"/people/{council['stranger'].pk}/",
    ]:
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        assert "Stranger" not in page.content()
        assert_accessible(page)
    assert AccessEvent.objects.filter(user__username="person", action="denied").count() == 2


def test_public_pages_are_accessible(page, council):
    for url, heading in [
        ("/", "Your care and support, your way"),
        ("/accessibility/", "Accessibility statement for"),
        ("/privacy/", "How we look after your information"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
        assert_accessible(page)


def test_new_staff_set_up_their_app_with_an_activation_code_then_change_their_password(
    page, council
):
    from accounts import actions

    administrator = User.objects.create_user(
        "admin", password=PASSWORD, role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    newcomer = User.objects.create_user(
        "newcomer",
        password=PASSWORD,
        first_name="Nia",
        last_name="Achebe",
        role=Role.APPROVER,
        team=council["practitioner"].team,
        email="nia@example.com",
    )
    issued = actions.issue_activation_code(newcomer, acting_user=administrator)

    sign_in(page, "newcomer")
    page.wait_for_url("**/accounts/authenticator/**")
    expect(page.get_by_role("heading", name="Enter your activation code")).to_be_visible()
    assert page.locator("#otp-secret").count() == 0  # no secret without the code
    assert_accessible(page)
    page.get_by_label("Activation code").fill("WRONG-CODE-HERE")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Activation code must be")
    assert_accessible(page)
    page.get_by_label("Activation code").fill(issued.grouped)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.locator("#otp-secret")).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/people/")
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()

    page.get_by_role("link", name="Your account").click()
    expect(page.locator("#factor-list")).to_contain_text("Added")
    assert_accessible(page)
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a" * 12)
    page.get_by_label("Confirm new password").fill("a" * 12)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must not be the same character")
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("three words together")
    page.get_by_label("Confirm new password").fill("three words together")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    assert_accessible(page)
    newcomer.refresh_from_db()
    assert newcomer.check_password("three words together")
