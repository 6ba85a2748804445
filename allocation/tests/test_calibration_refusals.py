"""Calibration fits one whole-points rule (issue 10's loose ends): a version with money
tables by group, hours of support at reference rates, or points with decimal places is
refused by a named rule before a run starts, on the page, in the action, the API and the
command, and the version page says why instead of offering the button."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions, rules
from allocation.domain.definition import to_dict
from allocation.models import CalibrationRun, RasVersion
from allocation.tests.factories import DraftVersionFactory
from allocation.tests.test_cost_rate import COST_RATE
from allocation.tests.test_hundredths import worked_dict
from allocation.tests.test_money_tables import _grouped_live_copy
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db

REFUSED = {
    "RAS-CALIBRATE-TABLES": _grouped_live_copy,
    "RAS-CALIBRATE-HOURS": lambda: COST_RATE,
    "RAS-CALIBRATE-HUNDREDTHS": worked_dict,
}


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture(params=sorted(REFUSED))
def refused(request):
    """(the rule's code, a draft that breaks only that rule)"""
    return request.param, DraftVersionFactory(definition=REFUSED[request.param]())


def _codes(version) -> list[str]:
    return [p.code for p in rules.calibration_problems(version)]


def _start(version, user, **overrides):
    fields = {
        "source": "database",
        "method": "ols",
        "band_count": 10,
        "envelope": Decimal("1000000"),
        "reserve_percent": Decimal("5"),
    }
    return actions.start_calibration(version, acting_user=user, **{**fields, **overrides})


def test_each_kind_of_version_calibration_cannot_fit_breaks_its_own_rule(refused):
    code, draft = refused
    assert _codes(draft) == [code]


def test_the_shipped_scheme_breaks_no_calibration_rule(live):
    assert _codes(live) == []


def test_the_action_refuses_a_version_calibration_cannot_fit_and_queues_nothing(
    refused, commissioner
):
    code, draft = refused
    with pytest.raises(BusinessRuleViolation) as caught:
        _start(draft, commissioner)
    assert caught.value.codes == [code]
    assert not CalibrationRun.objects.exists()


def test_the_action_queues_a_calibration_of_a_version_it_can_fit(live, commissioner):
    run = _start(live, commissioner)
    assert run.version == live and run.status == CalibrationRun.objects.get().status


def test_the_version_page_says_why_instead_of_offering_calibrate(refused, commissioner, client_for):
    code, draft = refused
    page = client_for(commissioner).get(f"/ras/versions/{draft.pk}/").content.decode()
    assert f"/ras/versions/{draft.pk}/calibrate/" not in page
    assert "This version cannot be calibrated" in page
    assert f'data-code="{code}"' in page
    assert "Model this version" in page


def test_the_version_page_offers_calibrate_for_a_version_it_can_fit(live, commissioner, client_for):
    page = client_for(commissioner).get(f"/ras/versions/{live.pk}/").content.decode()
    assert f"/ras/versions/{live.pk}/calibrate/" in page
    assert "This version cannot be calibrated" not in page


def test_the_calibrate_page_says_why_and_a_post_queues_nothing(refused, commissioner, client_for):
    code, draft = refused
    client = client_for(commissioner)
    page = client.get(f"/ras/versions/{draft.pk}/calibrate/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Calibration cannot fit this version" in text and f'data-code="{code}"' in text
    assert 'name="envelope"' not in text  # no form to fill in
    response = client.post(
        f"/ras/versions/{draft.pk}/calibrate/",
        {
            "source": "database",
            "method": "ols",
            "band_count": "10",
            "envelope": "1000000",
            "reserve_percent": "5",
        },
    )
    assert response.status_code == 200
    assert not CalibrationRun.objects.exists()


def test_the_calibrate_page_shows_the_form_for_a_version_it_can_fit(live, commissioner, client_for):
    text = client_for(commissioner).get(f"/ras/versions/{live.pk}/calibrate/").content.decode()
    assert 'name="envelope"' in text and "Calibration cannot fit" not in text


def _auth(user) -> dict:
    _token, raw = ApiToken.issue(user, "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


BODY = {"method": "ols", "envelope": "1000000.00", "reserve_percent": "5"}


def test_the_api_queues_a_calibration_of_a_version_it_can_fit(client, live, commissioner):
    response = client.post(
        f"/api/v1/ras/versions/{live.pk}/calibrations",
        BODY,
        content_type="application/json",
        **_auth(commissioner),
    )
    assert response.status_code == 202, response.content
    run = CalibrationRun.objects.get()
    assert response.json() == {
        "id": run.pk,
        "version_id": live.pk,
        "status": run.status,
        "method": "ols",
        "source": "database",
        "envelope": "1000000.00",
        "reserve_percent": "5",
    }
    assert run.envelope_pence == 100_000_000 and run.created_by == commissioner


def test_the_api_refuses_a_version_calibration_cannot_fit_with_422_and_the_rule(
    client, refused, commissioner
):
    code, draft = refused
    response = client.post(
        f"/api/v1/ras/versions/{draft.pk}/calibrations",
        BODY,
        content_type="application/json",
        **_auth(commissioner),
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["type"] == "rule" and item["code"] == code
    assert item["message"] == rules.calibration_problems(draft)[0].message
    assert not CalibrationRun.objects.exists()


def test_the_api_lets_only_commissioners_calibrate_and_hides_drafts_from_others(
    client, live, commissioner
):
    practitioner = UserFactory(role=Role.PRACTITIONER)
    draft = DraftVersionFactory(definition=_grouped_live_copy())
    auth = _auth(practitioner)
    url = "/api/v1/ras/versions/{}/calibrations"
    published = client.post(url.format(live.pk), BODY, content_type="application/json", **auth)
    hidden = client.post(url.format(draft.pk), BODY, content_type="application/json", **auth)
    assert (published.status_code, hidden.status_code) == (403, 404)
    too_much = client.post(
        url.format(live.pk),
        {**BODY, "reserve_percent": "60"},
        content_type="application/json",
        **_auth(commissioner),
    )
    assert too_much.status_code == 422
    assert not CalibrationRun.objects.exists()


def test_the_command_refuses_a_version_with_tables_by_group_instead_of_dropping_them():
    draft = DraftVersionFactory(definition=_grouped_live_copy())
    with pytest.raises(CommandError, match="money tables by group"):
        call_command(
            "ras_calibrate",
            "--from-database",
            "--method=ols",
            "--envelope=1000000",
            "--reserve=5",
            f"--version={draft.pk}",
        )
    assert RasVersion.objects.filter(origin=RasVersion.Origin.CALIBRATED).count() == 0


def test_the_command_says_a_one_off_version_is_one_off_when_it_cannot_fit_weekly_budgets():
    data = _grouped_live_copy()
    data["money_tables"] = data["money_tables"][-1:]  # one table: calibration could fit it
    data["period"] = "once"
    draft = DraftVersionFactory(definition=data)
    assert _codes(draft) == []
    with pytest.raises(CommandError, match="this version is one-off"):
        call_command(
            "ras_calibrate",
            "--from-database",
            "--method=ols",
            "--envelope=1000000",
            "--reserve=5",
            f"--version={draft.pk}",
        )


def test_the_money_tables_page_offers_calibration_only_where_it_fits(
    live, commissioner, client_for
):
    client = client_for(commissioner)
    grouped = DraftVersionFactory(definition=_grouped_live_copy())
    one_table = DraftVersionFactory(definition=to_dict(live.parsed))
    refused = client.get(f"/ras/versions/{grouped.pk}/money-tables/").content.decode()
    offered = client.get(f"/ras/versions/{one_table.pk}/money-tables/").content.decode()
    assert 'data-code="RAS-CALIBRATE-TABLES"' in refused
    assert f"/ras/versions/{grouped.pk}/calibrate/" not in refused
    assert f"/ras/versions/{one_table.pk}/calibrate/" in offered
    assert "Calibration cannot set these amounts" not in offered
