"""Fixtures every app's tests share: two teams and a practitioner (built by the factories)."""

import pytest

from accounts.roles import Role

from .factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="North Older People's Team", code="north-older", area="Northtown")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="South Adults Team", code="south-adults", area="Southtown")


@pytest.fixture
def practitioner(team):
    return UserFactory(role=Role.PRACTITIONER, team=team, username="practitioner")
