"""Setting up the staff second factor needs a one-time activation code from an administrator;
staff are told when a factor is added; administrators reset a lost one (issue #6 §5)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions
from accounts.models import ActivationCode
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.actions import ActionError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMIN, username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def pat(team):
    return UserFactory(role=Role.PRACTITIONER, team=team, username="pat", email="pat@example.com")


def password_only(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def test_a_password_alone_shows_no_secret_and_makes_no_device(pat):
    client = password_only("pat")
    response = client.get("/people/")
    assert response.headers["Location"].startswith("/accounts/authenticator/")
    page = client.get(response.headers["Location"]).content.decode()
    assert "Enter your activation code" in page
    assert 'id="otp-secret"' not in page and "<svg" not in page
    # Posting a security code straight away gets no further either.
    client.post("/accounts/authenticator/", {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=pat).exists()


def test_staff_set_up_their_app_with_an_administrators_code_and_are_told(
    pat, administrator, settings, django_capture_on_commit_callbacks
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test tries a wrong code first
    issued = actions.issue_activation_code(pat, acting_user=administrator)
    client = password_only("pat")

    response = client.post(
        "/accounts/authenticator/?next=/people/",
        {"activation_code": issued.grouped.lower()},  # typed any old way
    )
    assert response.status_code == 302
    setup = client.get(response.headers["Location"])
    assert "no-store" in setup.headers["Cache-Control"]
    page = setup.content.decode()
    assert "Set up your authenticator app" in page and 'id="otp-secret"' in page
    device = TOTPDevice.objects.get(user=pat, confirmed=False)
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post("/accounts/authenticator/?next=/people/", {"code": wrong_code(device)})
    assert "The security code is not right" in wrong.content.decode()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/accounts/authenticator/?next=/people/", {"code": current_code(device)})
    assert done.headers["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # Told by email, and on their account page with the date it was added.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat@example.com"]
    assert "authenticator app was added" in mail.outbox[0].subject
    account = client.get("/accounts/profile/").content.decode()
    assert 'id="factor-list"' in account
    assert f"Added {timezone.localtime(device.created_at):%-d %B %Y}" in account

    assert list(
        AuditEvent.objects.filter(record_id=str(pat.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "accounts.issue_activation_code",
        "accounts.redeem_activation_code",
        "accounts.confirm_authenticator",
    ]
    code = ActivationCode.objects.get(user=pat)
    assert code.used_at is not None and code.issued_by == administrator


def test_an_activation_code_works_once(pat, administrator):
    issued = actions.issue_activation_code(pat, acting_user=administrator)
    first = password_only("pat")
    first.post("/accounts/authenticator/", {"activation_code": issued.raw})
    assert "otp-secret" in first.get("/accounts/authenticator/").content.decode()

    second = password_only("pat")
    page = second.post("/accounts/authenticator/", {"activation_code": issued.raw}).content.decode()
    assert "The activation code is not right, or it has expired or been used" in page
    assert "otp-secret" not in page


def test_an_expired_code_does_not_work(pat, administrator):
    issued = actions.issue_activation_code(pat, acting_user=administrator)
    ActivationCode.objects.filter(pk=issued.code.pk).update(expires_at=timezone.now())
    page = (
        password_only("pat")
        .post("/accounts/authenticator/", {"activation_code": issued.raw})
        .content.decode()
    )
    assert "has expired or been used" in page
    assert not TOTPDevice.objects.filter(user=pat).exists()


def test_five_wrong_codes_stop_the_right_one_working(pat, administrator):
    issued = actions.issue_activation_code(pat, acting_user=administrator)
    client = password_only("pat")
    for _ in range(ActivationCode.MAX_FAILED_ATTEMPTS):
        client.post("/accounts/authenticator/", {"activation_code": "AAAA-BBBB-CCCC"})
    page = client.post("/accounts/authenticator/", {"activation_code": issued.raw}).content.decode()
    assert "has expired or been used" in page
    assert not TOTPDevice.objects.filter(user=pat).exists()


def test_a_code_works_only_for_the_member_of_staff_it_was_issued_to(pat, administrator, team):
    issued = actions.issue_activation_code(pat, acting_user=administrator)
    UserFactory(role=Role.APPROVER, team=team, username="ann")
    page = (
        password_only("ann")
        .post("/accounts/authenticator/", {"activation_code": issued.raw})
        .content.decode()
    )
    assert "has expired or been used" in page
    assert not TOTPDevice.objects.exists()


def test_a_code_that_is_not_12_letters_and_numbers_is_explained(pat):
    page = (
        password_only("pat").post("/accounts/authenticator/", {"activation_code": "12ab"}).content
    ).decode()
    assert "Activation code must be 12 letters and numbers" in page
    assert 'href="#id_activation_code"' in page


def test_the_code_is_stored_only_as_a_keyed_hash_and_a_new_one_replaces_the_old(pat, administrator):
    first = actions.issue_activation_code(pat, acting_user=administrator)
    stored = str(list(ActivationCode.objects.values_list()))
    assert first.raw not in stored and first.grouped not in stored
    second = actions.issue_activation_code(pat, acting_user=administrator)
    assert list(ActivationCode.objects.usable().values_list("pk", flat=True)) == [second.code.pk]


@pytest.mark.parametrize(
    ("who", "code"),
    [("self", "ACC-OWN-FACTOR"), ("person", "ACC-NOT-STAFF"), ("inactive", "ACC-INACTIVE")],
)
def test_codes_are_refused_for_oneself_people_who_use_services_and_switched_off_accounts(
    administrator, who, code
):
    target = {
        "self": administrator,
        "person": UserFactory(role=Role.PERSON),
        "inactive": UserFactory(role=Role.FINANCE, is_active=False),
    }[who]
    with pytest.raises(ActionError) as refused:
        actions.issue_activation_code(target, acting_user=administrator)
    assert refused.value.code == code
    assert not ActivationCode.objects.exists()


class TestInAdministration:
    def test_an_administrator_issues_a_code_shown_once(self, client_for, administrator, pat):
        client = client_for(administrator)
        change = client.get(f"/admin/accounts/user/{pat.pk}/change/").content.decode()
        assert f"/admin/accounts/user/{pat.pk}/activation-code/" in change
        confirm = client.get(f"/admin/accounts/user/{pat.pk}/activation-code/")
        assert confirm.status_code == 200 and not ActivationCode.objects.exists()
        issued = client.post(f"/admin/accounts/user/{pat.pk}/activation-code/")
        assert "no-cache" in issued.headers["Cache-Control"]
        raw = re.search(r'id="activation-code">([A-Z0-9-]+)<', issued.content.decode()).group(1)
        assert ActivationCode.objects.get(user=pat).code_hash == ActivationCode.hash(raw)
        assert raw not in client.get(f"/admin/accounts/user/{pat.pk}/change/").content.decode()
        event = AuditEvent.objects.get(action="accounts.issue_activation_code")
        assert (event.actor, event.via) == (administrator, "admin")

        # The code works for pat.
        staff = password_only("pat")
        staff.post("/accounts/authenticator/", {"activation_code": raw})
        assert TOTPDevice.objects.filter(user=pat, confirmed=False).exists()

    def test_no_administrator_issues_a_code_for_themselves(self, client_for, administrator):
        client = client_for(administrator)
        page = client.post(f"/admin/accounts/user/{administrator.pk}/activation-code/")
        assert "You cannot issue an activation code for yourself" in page.content.decode()
        assert not ActivationCode.objects.exists()

    def test_other_staff_cannot_issue_codes(self, client_for, pat, team):
        approver = UserFactory(role=Role.APPROVER, team=team, is_staff=True)
        response = client_for(approver).post(f"/admin/accounts/user/{pat.pk}/activation-code/")
        assert response.status_code == 403
        assert not ActivationCode.objects.exists()

    def test_an_administrator_resets_a_lost_app_and_the_owner_is_told(
        self, client_for, administrator, pat, django_capture_on_commit_callbacks
    ):
        staff = client_for(pat)  # signed in with the app that is about to be lost
        assert staff.get("/people/").status_code == 200
        admin = client_for(administrator)
        assert admin.get(f"/admin/accounts/user/{pat.pk}/reset-authenticator/").status_code == 200
        assert TOTPDevice.objects.filter(user=pat).exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(f"/admin/accounts/user/{pat.pk}/reset-authenticator/")
        assert response.headers["Location"] == f"/admin/accounts/user/{pat.pk}/change/"
        assert not TOTPDevice.objects.filter(user=pat).exists()
        assert AuditEvent.objects.filter(
            action="accounts.reset_second_factor", actor=administrator, record_id=str(pat.pk)
        ).exists()
        assert [m.to for m in mail.outbox] == [["pat@example.com"]]
        assert "removed" in mail.outbox[0].subject
        # The session that used the old app is no longer verified: back to setting up.
        assert staff.get("/people/").headers["Location"].startswith("/accounts/authenticator/")

    def test_the_secret_keys_of_apps_are_not_shown_in_administration(
        self, client_for, administrator, pat
    ):
        device = TOTPDevice.objects.create(user=pat, name="Phone", confirmed=True)
        client = client_for(administrator)
        page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
        assert device.key not in page
        assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_the_first_administrator_gets_a_code_from_the_server(capsys):
    first = UserFactory(role=Role.ADMIN, username="root", is_staff=True, is_superuser=True)
    call_command("issue_activation_code", "root")
    raw = re.search(r"Activation code for root: ([A-Z0-9-]+)", capsys.readouterr().out).group(1)
    assert ActivationCode.objects.usable().get(user=first).code_hash == ActivationCode.hash(raw)
    event = AuditEvent.objects.get(action="accounts.issue_activation_code")
    assert (event.actor, event.via) == (None, "command")
