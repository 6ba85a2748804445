"""Shared test fixtures: teams, users of every role, people, and signed-in clients."""

import datetime as dt
import itertools
import os

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Team, User
from accounts.roles import Role
from people.domain import nhs_check_digit
from people.models import Person

_counter = itertools.count(1)


def pytest_sessionfinish(session, exitstatus):
    """In CI every test must run: a skipped test fails the run (SELFDIRECT_NO_SKIPS=1)."""
    if os.environ.get("SELFDIRECT_NO_SKIPS") != "1" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"{len(skipped)} test(s) were skipped, and CI requires every test to run.", red=True
        )
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (counts and fragments are cached for a while)."""
    from django.core.cache import cache

    cache.clear()


def valid_nhs_number(seed: int) -> str:
    """A valid test-range NHS number, different for each seed."""
    n = seed
    while True:
        nine = f"999{n % 10**6:06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            return f"{nine}{check}"
        n += 1


@pytest.fixture
def team(db):
    return Team.objects.create(
        name="North Older People's Team", code="north-older", area="Northtown"
    )


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="South Adults Team", code="south-adults", area="Southtown")


@pytest.fixture
def make_user(db):
    def make(role=Role.PRACTITIONER, team=None, username=None, **extra):
        number = next(_counter)
        return User.objects.create_user(
            username=username or f"{role}-{number}",
            password="a-long-test-password",
            first_name=extra.pop("first_name", role.capitalize()),
            last_name=extra.pop("last_name", f"User{number}"),
            role=role,
            team=team,
            **extra,
        )

    return make


@pytest.fixture
def make_person(db):
    def make(team=None, **fields):
        number = next(_counter)
        values = {
            "first_name": "Test",
            "last_name": f"Person{number}",
            "date_of_birth": dt.date(1940, 5, 17),
            "sex": "female",
            "nhs_number": valid_nhs_number(number * 7919),
            "postcode": "WX1 4DQ",
            "primary_support_reason": "physical_personal_care",
            "team": team,
        }
        values.update(fields)
        return Person.objects.create(**values)

    return make


def sign_in(client: Client, user: User, verified: bool = True) -> Client:
    """Sign a user in; staff also pass their second factor unless verified=False."""
    client.force_login(user)
    if verified and user.is_council_staff:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test app", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db):
    def make(user, verified=True):
        return sign_in(Client(), user, verified=verified)

    return make


@pytest.fixture
def practitioner(make_user, team):
    return make_user(Role.PRACTITIONER, team=team, username="practitioner")


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every queued background task now, as the database worker would."""
    from django.core.management import call_command

    # The worker closes "old" connections between tasks; inside a test's transaction that
    # would close the test's own connection, as Django's test client also knows to avoid.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run


@pytest.fixture
def make_caseload(db, make_person):
    """People with a current, completed, eligible assessment and (optionally) a budget."""
    from django.utils import timezone

    from allocation.models import RasVersion
    from assessment.models import Assessment, EligibilityDecision
    from budgets.models import PersonalBudget

    def make(team, answers_list, *, costs=None, kind="person", user=None, **person_fields):
        version = RasVersion.objects.live_on(kind)
        people = []
        for index, answers in enumerate(answers_list):
            person = make_person(team=team, **person_fields)
            staff = user or User.objects.filter(role=Role.PRACTITIONER).first()
            assessment = Assessment.objects.create(
                person=person,
                kind=kind,
                mode="supported",
                status="completed",
                version=version,
                answers=answers,
                started_by=staff,
                completed_by=staff,
                completed_at=timezone.now(),
                is_current=True,
            )
            EligibilityDecision.objects.create(
                assessment=assessment,
                arises_from_condition=True,
                unable_outcomes=["hygiene", "toilet"],
                significant_impact=True,
                eligible=True,
                reasons="Test",
                decided_by=staff,
            )
            if costs is not None and costs[index] is not None:
                PersonalBudget.objects.create(
                    person=person, weekly_amount=costs[index], start_date=timezone.localdate()
                )
            people.append(person)
        return people

    return make
