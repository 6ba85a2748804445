"""The administrator sets approvers' authority limits and the panel threshold in the admin,
through the audited actions; nobody else can."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from budgets.models import PanelThreshold
from core.models import AuditEvent
from plans.models import AuthorityLimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))


def test_an_administrator_sets_an_approvers_limit_through_the_action(admin_client, team):
    approver = UserFactory(role=Role.APPROVER, team=team)
    response = admin_client.post(
        "/admin/plans/authoritylimit/add/", {"user": approver.pk, "weekly": "£750.00"}
    )
    assert response.status_code == 302
    assert AuthorityLimit.objects.get(user=approver).weekly_pence == 75_000
    assert AuditEvent.objects.filter(action="plans.set_authority_limit").exists()
    listing = admin_client.get("/admin/plans/authoritylimit/").content.decode()
    assert "£750.00" in listing


def test_a_limit_is_only_for_an_approver(admin_client, practitioner):
    response = admin_client.post(
        "/admin/plans/authoritylimit/add/", {"user": practitioner.pk, "weekly": "10"}
    )
    assert response.status_code == 200 and not AuthorityLimit.objects.exists()


def test_an_administrator_sets_the_panel_threshold_through_the_action(admin_client):
    response = admin_client.post(
        "/admin/budgets/panelthreshold/add/",
        {"weekly": "150", "effective_from": "2026-04-01"},
    )
    assert response.status_code == 302
    assert PanelThreshold.objects.get().weekly_pence == 15_000
    assert AuditEvent.objects.filter(action="budgets.set_panel_threshold").exists()


def test_other_staff_cannot_set_limits(client_for):
    commissioner = UserFactory(role=Role.COMMISSIONER, is_staff=True)
    response = client_for(commissioner).get("/admin/plans/authoritylimit/")
    assert response.status_code in (302, 403)
