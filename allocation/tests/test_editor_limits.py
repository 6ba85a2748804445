"""The scheme editor's period and limits: a weekly, yearly or one-off amount, with a minimum
and a maximum (issue 10)."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def draft(commissioner):
    return DraftVersionFactory(label="Period and limits", acting_user=commissioner)


@pytest.fixture
def pages(client_for, commissioner):
    return client_for(commissioner)


def test_a_commissioner_makes_the_amount_yearly_with_a_minimum_and_maximum(pages, draft):
    tables = draft.parsed.tables
    response = pages.post(
        f"/ras/versions/{draft.pk}/limits/",
        {"period": "year", "minimum": "£100", "maximum": "52,000.50"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    parsed = draft.parsed
    assert (parsed.period, parsed.minimum, parsed.maximum) == (
        "year",
        Decimal("100.00"),
        Decimal("52000.50"),
    )
    assert parsed.tables == tables  # nothing else changes
    page = pages.get(f"/ras/versions/{draft.pk}/limits/").content.decode()
    assert 'value="year" checked' in page


def test_no_minimum_or_maximum_is_saved_as_none(pages, draft):
    pages.post(
        f"/ras/versions/{draft.pk}/limits/", {"period": "week", "minimum": "", "maximum": ""}
    )
    draft.refresh_from_db()
    assert (draft.parsed.minimum, draft.parsed.maximum) == (None, None)


def test_a_commissioner_makes_the_amount_one_off(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/limits/", {"period": "once", "minimum": "", "maximum": "5000"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.parsed.period, draft.parsed.maximum) == ("once", Decimal("5000.00"))


def test_a_minimum_above_the_maximum_is_refused_and_nothing_saved(pages, draft):
    before = draft.definition
    page = pages.post(
        f"/ras/versions/{draft.pk}/limits/", {"period": "week", "minimum": "500", "maximum": "100"}
    ).content.decode()
    assert "Maximum amount must be the same as or more than the minimum" in page
    assert 'href="#id_maximum"' in page
    missing = pages.post(
        f"/ras/versions/{draft.pk}/limits/", {"minimum": "", "maximum": ""}
    ).content.decode()
    assert "Select the amount is" in missing
    draft.refresh_from_db()
    assert draft.definition == before


def test_practitioners_and_live_versions_cannot_have_limits_changed(
    client_for, practitioner, pages, draft
):
    client = client_for(practitioner)
    data = {"period": "year", "minimum": "", "maximum": ""}
    assert client.get(f"/ras/versions/{draft.pk}/limits/").status_code == 404
    assert client.post(f"/ras/versions/{draft.pk}/limits/", data).status_code == 404
    live = RasVersion.objects.live_on("person")
    assert pages.post(f"/ras/versions/{live.pk}/limits/", data).status_code == 404
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.parsed.period == "week" and live.parsed.period == "week"
