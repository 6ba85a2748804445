"""The made-up demo council never reaches production, nor a server others can reach with the
password the README publishes."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from people.models import Person

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="SELFDIRECT_ENV=production"):
        call_command("seed_demo", people=20, seed=3, no_progress=True)
    assert not Person.objects.exists() and not User.objects.exists()


def test_a_reachable_server_gets_no_accounts_with_the_published_password(settings, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.ALLOWED_HOSTS = ["demo.wexcombe.example", "127.0.0.1"]
    with pytest.raises(CommandError, match="Set DEMO_PASSWORD"):
        call_command("seed_demo", people=20, seed=3, no_progress=True)
    assert not User.objects.exists()


def test_a_reachable_server_loads_the_demo_with_a_password_of_its_own(settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-password-of-our-own-2026")
    settings.ALLOWED_HOSTS = ["demo.wexcombe.example"]
    call_command("seed_demo", people=20, seed=3, no_progress=True)
    practitioner = User.objects.get(username="practitioner")
    assert practitioner.check_password("a-password-of-our-own-2026")
    assert not practitioner.check_password("demo-council-2026")
