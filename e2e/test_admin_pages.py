"""The administration pages that handle accounts and the access log, under axe-core."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import AccessEvent, Team, User
from accounts.roles import Role
from core.models import AuditEvent
from people.actions import break_glass
from people.models import Person

from .conftest import PASSWORD, assert_accessible, code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staffed(db):
    team = Team.objects.create(name="Wexcombe Central Older People's Team", code="central-older")
    administrator = User.objects.create_user(
        "admin",
        password=PASSWORD,
        first_name="Ada",
        last_name="Admin",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    device = TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    finance = User.objects.create_user(
        "finance", password=PASSWORD, first_name="Fay", last_name="Lund", role=Role.FINANCE
    )
    TOTPDevice.objects.create(user=finance, name="Phone", confirmed=True)
    person = Person.objects.create(
        first_name="Hidden",
        last_name="Stranger",
        date_of_birth="1980-01-01",
        sex="male",
        team=team,
    )
    break_glass(person, "Checking a safeguarding referral", acting_user=finance, via="test")
    return {"admin": administrator, "device": device, "finance": finance}


def test_administrators_manage_second_factors_on_accessible_pages(page, staffed):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/security-code/**")
    page.get_by_label("Security code").fill(code_for(staffed["device"]))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/people/find/")

    finance = staffed["finance"]
    event = AccessEvent.objects.get()
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{finance.pk}/change/",
        f"/admin/accounts/user/{finance.pk}/password/",
        f"/admin/accounts/user/{finance.pk}/history/",
        f"/admin/accounts/user/{finance.pk}/reset-authenticator/",
        f"/admin/accounts/user/{finance.pk}/activation-code/",
        "/admin/accounts/accessevent/",
        f"/admin/accounts/accessevent/{event.pk}/change/",
        "/admin/accounts/accessgrant/",
        "/admin/accounts/team/",
        "/admin/accounts/team/add/",
        "/admin/accounts/apitoken/",
        "/admin/otp_totp/totpdevice/",
        "/admin/axes/accessattempt/",
        "/admin/auth/group/",
    ]:
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/admin/accounts/user/{finance.pk}/activation-code/")
    page.get_by_role("button", name="Issue activation code").click()
    expect(page.locator("#activation-code")).to_be_visible()
    assert_accessible(page)
    # Only staff accounts were listed, so no person's record was read; the access log and
    # the grant were, and each read is in the audit trail.
    assert not AccessEvent.objects.filter(via__startswith="admin:").exists()
    assert AuditEvent.objects.filter(action="accounts.record_admin_read").count() == 3
