"""The whole suite's shared pieces: signed-in clients and the background task runner.

Test data comes from each app's factories (`<app>/tests/factories.py`), named by state and
built through the actions; the two teams and the practitioner most tests start from are
fixtures in accounts/tests/fixtures.py.
"""

import os

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

pytest_plugins = ["accounts.tests.fixtures"]


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


def sign_in(client: Client, user, verified: bool = True) -> Client:
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
