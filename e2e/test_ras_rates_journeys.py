"""A commissioner keeps the reference rates and reads a calibration, at 1280 px and at 320 px
(WCAG 1.4.10: no sideways scrolling of the page; tables too wide scroll in their own
keyboard-focusable box), with axe-core on every page."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from allocation.models import ReferenceRate

from .conftest import DEMO_PASSWORD, assert_accessible, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_council(db):
    call_command("seed_demo", people=300, seed=7, no_progress=True, verbosity=0)


def assert_reflows(page) -> None:
    """At 320 CSS pixels wide the page itself never scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    for region in page.locator(".app-table-wrapper").all():
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_commissioner_adds_a_reference_rate_and_reads_a_calibration_at_320px(
    page, demo_council, run_tasks
):
    commissioner = User.objects.get(username="commissioner")
    device = TOTPDevice.objects.create(user=commissioner, name="Phone", confirmed=True)
    sign_in(page, "commissioner", DEMO_PASSWORD)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/ras/")

    page.get_by_role("link", name="reference rates").click()
    expect(page.get_by_role("heading", name="Reference rates")).to_be_visible()
    in_force = page.get_by_role("region", name="Rates in force")
    expect(in_force.get_by_role("cell", name="£230.00 a night")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_role("button", name="Add a rate").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add the rate").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label="Home care")
    page.get_by_label("Rate", exact=True).fill("29.50")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add the rate").click()
    page.wait_for_url("**/ras/reference-rates/")
    expect(page.get_by_text("From 1 Apr 2027")).to_be_visible()
    assert ReferenceRate.objects.in_force(on=dt.date(2027, 4, 1))["home_care"] == 2950
    assert_accessible(page)

    page.goto("/ras/")
    page.get_by_role("link", name=re.compile(r"Version 1: Shipped default")).first.click()
    page.get_by_role("button", name="Calibrate").click()
    page.wait_for_url("**/calibrate/")
    page.get_by_label("Robust fit (least absolute deviation)").check()
    page.get_by_label("Reserve").fill("5")
    page.get_by_role("button", name="Calibrate").click()
    page.wait_for_url("**/ras/calibrations/**")
    run_tasks()
    page.wait_for_selector("text=How well the fit explains real costs")
    main = page.locator("main").inner_text()
    assert "How the modelled annual total is made up" in main and "Points to money" in main
    assert re.search(r"£\d+\.\d{4}\b", main), "the price per point to 4 decimal places"
    page.get_by_text("The exact price per point").click()
    assert_accessible(page)
    assert_reflows(page)
