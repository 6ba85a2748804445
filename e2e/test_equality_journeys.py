"""The person record's equality monitoring, caring relationships and the searchable
representative (issue 7), in a real browser, checked by axe at 1280 and 320 pixels wide."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from people.models import CaringRelationship, Person

from .conftest import assert_accessible_at_both_widths, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def representatives(council):
    for i in range(80):
        User.objects.create_user(
            f"rep-{i}", first_name=f"Relative{i:02d}", last_name="Smith", role=Role.REPRESENTATIVE
        )
    return User.objects.create_user(
        "olwen", first_name="Olwen", last_name="Pryce", role=Role.REPRESENTATIVE
    )


def test_a_practitioner_records_equality_details_a_representative_and_a_carer(
    page,
    council,
    representatives,
):
    iris = council["iris"]
    carer = Person.objects.create(
        first_name="Joan",
        last_name="Marlow",
        date_of_birth=iris.date_of_birth.replace(year=1965),
        sex="female",
        team=iris.team,
        client_type="carer",
        primary_support_reason="",
    )
    sign_in(page, "practitioner")
    page.get_by_label("Security code").fill(code_for(council["device"]))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/people/")
    page.goto(f"/people/{iris.pk}/edit/")
    assert_accessible_at_both_widths(page)

    # Hundreds of representatives, never listed whole: typing narrows them on the server.
    assert page.locator("input[name=representative]").count() == 1
    page.get_by_label("Find a representative").fill("pryce")
    expect(page.get_by_text("1 representative matches “pryce”")).to_be_visible()
    page.get_by_label("Olwen Pryce (olwen)").check()
    page.get_by_label("Representative's relationship").fill("Daughter")
    assert_accessible_at_both_widths(page)

    fieldset = page.get_by_role("group", name="Religion or belief")
    fieldset.get_by_label("Prefers not to say").check()
    page.get_by_role("group", name="Sexual orientation").get_by_label("Not asked").check()
    page.get_by_label("Marriage or civil partnership").select_option("widowed")
    page.get_by_label("Hearing impairment").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The record has been updated")).to_be_visible()
    iris.refresh_from_db()
    assert (iris.religion, iris.legal_partnership_status, iris.representative.username) == (
        "prefer_not_to_say",
        "widowed",
        "olwen",
    )
    assert iris.has_hearing_impairment and not iris.has_visual_impairment
    main = page.locator("main").inner_text()
    assert "Widowed" in main and "Hearing impairment" in main and "Olwen Pryce" in main
    assert_accessible_at_both_widths(page)

    page.get_by_role("link", name="Record a caring relationship").click()
    page.wait_for_url("**/caring/new/")
    assert_accessible_at_both_widths(page)
    page.get_by_label("They care for Iris Marlow").check()
    page.get_by_label("The other person’s NHS number or council person ID").fill(
        carer.council_person_id
    )
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Joan Marlow is recorded as caring for Iris Marlow")).to_be_visible()
    assert CaringRelationship.objects.filter(carer=carer, cared_for=iris).exists()
    expect(page.locator("#caring + dl")).to_contain_text("Cared for by")
    page.get_by_role("link", name="Joan Marlow", exact=True).click()
    expect(page.get_by_role("heading", name="Joan Marlow")).to_be_visible()
    main = page.locator("main").inner_text()
    assert "Cares for" in main and "Iris Marlow" in main and "Not applicable" in main
    assert_accessible_at_both_widths(page)
