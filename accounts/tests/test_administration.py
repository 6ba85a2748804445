"""Administration: reads of personal data are logged, the access log shows ids and never the
reasons, nobody changes their own role or team, and every write goes through an action."""

import pytest

from accounts.models import AccessEvent, AccessGrant, Team, User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.models import AuditEvent
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
REASON = "Safeguarding concern about the representative"


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMIN, username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


@pytest.fixture
def iris(team):
    """A person who uses services, with her own sign-in."""
    account = UserFactory(role=Role.PERSON, username="iris", first_name="Iris", last_name="Marlow")
    return PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=account)


@pytest.fixture
def looked(other_team):
    """A break-glass opening: who looked at whose record, and the reason they gave."""
    nosy = UserFactory(role=Role.FINANCE, first_name="Nadia", last_name="Okonkwo")
    stranger = PersonFactory(team=other_team, first_name="Hidden", last_name="Stranger")
    from people.actions import break_glass

    grant = break_glass(stranger, REASON, acting_user=nosy, via="test")
    return {"user": nosy, "person": stranger, "grant": grant}


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "team": user.team_id or "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


class TestReadsAreLogged:
    def test_listing_accounts_logs_each_person_whose_own_account_is_shown(
        self, admin_client, administrator, iris
    ):
        assert admin_client.get("/admin/accounts/user/").status_code == 200
        event = AccessEvent.objects.get(person=iris)
        assert (event.user, event.action, event.via) == (
            administrator,
            AccessEvent.Action.LIST,
            "admin:accounts.user.list",
        )

    def test_opening_a_persons_account_logs_a_view(self, admin_client, administrator, iris):
        admin_client.get(f"/admin/accounts/user/{iris.user_id}/change/")
        admin_client.get(f"/admin/accounts/user/{iris.user_id}/history/")
        assert list(
            AccessEvent.objects.filter(person=iris).order_by("id").values_list("action", "via")
        ) == [
            ("view", "admin:accounts.user.change"),
            ("view", "admin:accounts.user.history"),
        ]

    def test_staff_accounts_log_no_person(self, admin_client):
        UserFactory(role=Role.PRACTITIONER)
        admin_client.get("/admin/accounts/user/")
        assert not AccessEvent.objects.exists()

    def test_the_access_log_list_shows_ids_not_names_nor_reasons_and_its_reading_is_audited(
        self, admin_client, administrator, looked
    ):
        body = admin_client.get("/admin/accounts/accessevent/").content.decode()
        person, user = looked["person"], looked["user"]
        assert "Stranger" not in body and "Okonkwo" not in body
        assert REASON not in body
        assert person.council_person_id in body
        assert f">{person.pk}<" in body and f">{user.pk}<" in body
        read = AuditEvent.objects.get(action="accounts.record_admin_read")
        event = AccessEvent.objects.get(person=person)
        assert (read.actor, read.record_type, read.record_id, read.via) == (
            administrator,
            "accounts.accessevent",
            str(event.pk),
            "admin",
        )
        assert "Read 1 rows of the access log" in read.summary

    def test_one_access_log_row_shows_the_reason_to_an_administrator_and_is_audited(
        self, admin_client, administrator, looked
    ):
        event = AccessEvent.objects.get(person=looked["person"])
        body = admin_client.get(f"/admin/accounts/accessevent/{event.pk}/change/").content.decode()
        assert REASON in body and "Stranger" not in body
        read = AuditEvent.objects.get(action="accounts.record_admin_read")
        assert (read.record_id, read.person) == (str(event.pk), looked["person"])

    def test_break_glass_grants_list_ids_and_no_reasons_and_reading_them_is_audited(
        self, admin_client, looked
    ):
        body = admin_client.get("/admin/accounts/accessgrant/").content.decode()
        assert REASON not in body and "Stranger" not in body and "Okonkwo" not in body
        assert looked["person"].council_person_id in body
        grant = looked["grant"]
        detail = admin_client.get(f"/admin/accounts/accessgrant/{grant.pk}/change/")
        assert REASON in detail.content.decode()
        assert (
            list(
                AuditEvent.objects.filter(action="accounts.record_admin_read").values_list(
                    "record_type", "record_id"
                )
            )
            == [("accounts.accessgrant", str(grant.pk))] * 2
        )

    def test_a_search_of_the_access_log_cannot_probe_reasons(self, admin_client, looked):
        body = admin_client.get("/admin/accounts/accessevent/", {"q": "Safeguarding"}).content
        assert b"0 results" in body
        by_id = admin_client.get(
            "/admin/accounts/accessevent/", {"q": looked["person"].council_person_id}
        ).content
        assert b"1 result" in by_id


class TestOwnRoleAndTeam:
    @pytest.mark.parametrize(
        "changes",
        [
            {"role": Role.PRACTITIONER},
            {"team": "TEAM"},
            {"is_superuser": ""},
        ],
    )
    def test_an_administrator_cannot_change_their_own_role_team_or_access(
        self, admin_client, administrator, team, changes
    ):
        changes = {k: (team.pk if v == "TEAM" else v) for k, v in changes.items()}
        data = user_form(administrator, **changes)
        if "is_superuser" in changes:
            data.pop("is_superuser", None)
        response = admin_client.post(f"/admin/accounts/user/{administrator.pk}/change/", data)
        assert response.status_code == 200
        assert "You cannot change your own role, team or access" in response.content.decode()
        administrator.refresh_from_db()
        assert (administrator.role, administrator.team, administrator.is_superuser) == (
            Role.ADMIN,
            None,
            True,
        )
        assert not AuditEvent.objects.filter(action="accounts.update_user").exists()

    def test_they_can_still_change_their_own_name(self, admin_client, administrator):
        response = admin_client.post(
            f"/admin/accounts/user/{administrator.pk}/change/",
            user_form(administrator, first_name="Adaline"),
        )
        assert response.status_code == 302
        administrator.refresh_from_db()
        assert administrator.first_name == "Adaline"

    def test_another_administrator_changes_it_through_an_action(
        self, admin_client, administrator, team
    ):
        other = UserFactory(role=Role.ADMIN, is_staff=True)
        response = admin_client.post(
            f"/admin/accounts/user/{other.pk}/change/",
            user_form(other, role=Role.PRACTITIONER, team=team.pk),
        )
        assert response.status_code == 302
        other.refresh_from_db()
        assert (other.role, other.team) == (Role.PRACTITIONER, team)
        event = AuditEvent.objects.get(action="accounts.update_user")
        assert (event.actor, event.record_id, event.via) == (administrator, str(other.pk), "admin")
        assert "role" in event.summary and "team" in event.summary
        assert other.history.first().history_change_reason == "Account changed"


class TestWritesGoThroughActions:
    def test_adding_a_user_and_setting_a_password(self, admin_client, administrator, team):
        response = admin_client.post(
            "/admin/accounts/user/add/",
            {
                "username": "sam",
                "first_name": "Sam",
                "last_name": "Lowe",
                "role": Role.PRACTITIONER,
                "team": team.pk,
                "usable_password": "true",
                "password1": "a-good-long-password",
                "password2": "a-good-long-password",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        sam = User.objects.get(username="sam")
        assert sam.check_password("a-good-long-password") and sam.team == team
        assert AuditEvent.objects.filter(
            action="accounts.create_user", record_id=str(sam.pk), actor=administrator
        ).exists()

        response = admin_client.post(
            f"/admin/accounts/user/{sam.pk}/password/",
            {
                "usable_password": "true",
                "password1": "another-long-one",
                "password2": "another-long-one",
            },
        )
        assert response.status_code == 302
        sam.refresh_from_db()
        assert sam.check_password("another-long-one")
        assert AuditEvent.objects.filter(
            action="accounts.set_password", record_id=str(sam.pk)
        ).exists()

    def test_a_password_of_one_repeated_character_is_refused_in_administration(self, admin_client):
        sam = UserFactory(role=Role.FINANCE)
        response = admin_client.post(
            f"/admin/accounts/user/{sam.pk}/password/",
            {"usable_password": "true", "password1": "a" * 12, "password2": "a" * 12},
        )
        assert response.status_code == 200
        assert "must not be the same character" in response.content.decode()

    def test_teams_are_added_changed_and_removed_through_actions(self, admin_client):
        admin_client.post(
            "/admin/accounts/team/add/",
            {"name": "Hollins Marsh Adults Team", "code": "hollins-adults", "area": ""},
        )
        team = Team.objects.get(code="hollins-adults")
        admin_client.post(
            f"/admin/accounts/team/{team.pk}/change/",
            {"name": team.name, "code": team.code, "area": "Hollins Marsh"},
        )
        team.refresh_from_db()
        assert team.area == "Hollins Marsh"
        admin_client.post(f"/admin/accounts/team/{team.pk}/delete/", {"post": "yes"})
        assert not Team.objects.filter(pk=team.pk).exists()
        assert list(
            AuditEvent.objects.filter(record_type="accounts.team")
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["accounts.create_team", "accounts.update_team", "accounts.delete_team"]

    def test_accounts_are_switched_off_not_deleted(self, admin_client):
        sam = UserFactory(role=Role.FINANCE)
        assert admin_client.get(f"/admin/accounts/user/{sam.pk}/delete/").status_code == 403

    def test_revoking_a_token_in_administration_is_audited(self, admin_client, practitioner):
        from accounts.models import ApiToken

        token, raw = ApiToken.issue(practitioner, "Export")
        admin_client.post(
            "/admin/accounts/apitoken/",
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        assert ApiToken.user_for(raw) is None
        assert AuditEvent.objects.filter(action="accounts.revoke_api_token").exists()


def test_access_grants_cannot_be_added_in_administration(admin_client):
    assert admin_client.get("/admin/accounts/accessgrant/add/").status_code == 403
    assert not AccessGrant.objects.exists()
