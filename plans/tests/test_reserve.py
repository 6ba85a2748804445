"""The reserve follows the scheme: publishing a calibrated version sets its financial year's
reserve to the calibration's envelope × reserve %."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions as ras_actions
from allocation.models import CalibrationRun
from allocation.tests.factories import CompletedModelRunFactory, DraftVersionFactory, live_version
from budgets.models import Reserve
from core import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


def calibrated_draft(commissioner, envelope="20000000", reserve_percent="5"):
    """A draft made by a finished calibration run (as the worker leaves it)."""
    run = ras_actions.start_calibration(
        live_version(),
        acting_user=commissioner,
        source=CalibrationRun.Source.DATABASE,
        method=CalibrationRun.Method.OLS,
        band_count=10,
        envelope=Decimal(envelope),
        reserve_percent=Decimal(reserve_percent),
    )
    draft = DraftVersionFactory(acting_user=commissioner)
    jobs.start_run(run, acting_user=commissioner)
    jobs.finish_run(run, acting_user=commissioner, draft=draft, result={})
    CompletedModelRunFactory(version=draft, acting_user=commissioner)
    return draft


@pytest.fixture
def colleague():
    """A version is published by a second commissioner (RAS-SAME-PERSON)."""
    return UserFactory(role=Role.COMMISSIONER)


def test_publishing_a_calibrated_version_sets_that_years_reserve(commissioner, colleague):
    draft = calibrated_draft(commissioner, envelope="20000000.01", reserve_percent="4.5")
    ras_actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    reserve = Reserve.objects.get(financial_year="2027/28")
    assert (
        reserve.opening_pence == 90_000_000
    )  # £20,000,000.01 × 4.5% = £900,000.0005 → £900,000.00
    assert (reserve.starts_on, reserve.ends_on) == (dt.date(2027, 4, 1), dt.date(2028, 3, 31))
    assert "4.5% reserve" in reserve.source and reserve.set_by == colleague


def test_a_version_that_was_not_calibrated_leaves_the_reserve_alone(commissioner, colleague):
    draft = DraftVersionFactory(acting_user=commissioner)
    CompletedModelRunFactory(version=draft, acting_user=commissioner)
    ras_actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=colleague)
    assert not Reserve.objects.exists()
