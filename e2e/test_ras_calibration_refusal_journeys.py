"""Issue 10's loose ends in a real browser, with axe-core (1280 and 320 px, reflow checked):
a commissioner opens a draft with money tables by group and reads, in place of the Calibrate
button, why calibration cannot fit it; a practitioner reads the carer's own amount beside
the person's on the assessment and person pages."""

import copy

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import TeamFactory, UserFactory
from allocation import actions as ras_actions
from allocation.tests.factories import DraftVersionFactory, LiveVersionFactory
from allocation.tests.test_carer_allocation import CARER, HIGH
from allocation.tests.test_money_tables import _grouped_live_copy
from assessment.tests.factories import CompletedAssessmentFactory
from core.money import format_pence
from people.tests.factories import PersonFactory

from .conftest import assert_accessible, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shipped(db):
    # Browser tests empty the tables between tests: ship the schemes and rates again.
    ras_actions.ship_default_schemes(acting_user=None)
    ras_actions.ship_reference_rates(acting_user=None)


def _signed_in(page, role, username, **fields):
    user = UserFactory(role=role, username=username, **fields)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(page, username)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    return user


def test_a_commissioner_reads_why_a_version_with_tables_by_group_cannot_be_calibrated(
    page, shipped
):
    draft = DraftVersionFactory(definition=_grouped_live_copy(), label="Tables by age")
    _signed_in(page, Role.COMMISSIONER, "cora", first_name="Cora", last_name="Bell")
    page.goto(f"/ras/versions/{draft.pk}/")
    refused = page.locator("#calibration-refused")
    expect(refused).to_contain_text("This version cannot be calibrated")
    expect(refused).to_contain_text("money tables by group")
    expect(page.get_by_role("button", name="Calibrate")).to_have_count(0)
    expect(page.get_by_role("button", name="Model this version")).to_be_visible()
    assert_accessible(page)

    # Going to the calibrate page anyway: the reasons, and no form.
    page.goto(f"/ras/versions/{draft.pk}/calibrate/")
    expect(page.locator("main")).to_contain_text("Calibration cannot fit this version")
    expect(page.get_by_label("Annual funding envelope")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Model this version").click()
    page.wait_for_url("**/model/")


def test_a_practitioner_reads_the_carer_s_own_amount_beside_the_person_s(page, shipped):
    LiveVersionFactory(definition=copy.deepcopy(CARER))
    team = TeamFactory(name="Wexcombe Central Older People's Team", code="central-older")
    practitioner = _signed_in(
        page, Role.PRACTITIONER, "pat", first_name="Pat", last_name="Okoro", team=team
    )
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    assessment = CompletedAssessmentFactory(
        person=person, answers=HIGH, acting_user=practitioner, unable=("hygiene", "toilet")
    )
    amount = format_pence(assessment.allocation.carer_amount_pence)
    page.goto(f"/assessments/{assessment.pk}/")
    row = page.locator("#carer-amount")
    expect(row).to_contain_text("Carer’s own amount")
    expect(row).to_contain_text(f"{amount} a year")
    assert_accessible(page)
    page.goto(f"/people/{person.pk}/")
    expect(page.locator("main")).to_contain_text(f"carer’s own amount {amount} a year")
    assert_accessible(page)
