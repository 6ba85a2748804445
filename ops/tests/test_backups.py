"""`make backup` then `make restore FILE=...` into a fresh database brings back every row."""

import datetime as dt
import sqlite3

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import AccessEvent
from budgets.models import PersonalBudget
from budgets.tests.factories import ActiveBudgetFactory
from ops import backups
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def council(client_for, practitioner, team):
    """People, budgets and the access log their pages wrote."""
    people = [PersonFactory(team=team, first_name=f"Test{i}") for i in range(5)]
    for i, person in enumerate(people):
        ActiveBudgetFactory(
            person=person, amount_pence=15_025 + 100 * i, start_date=dt.date(2025, 4, 1)
        )
    client = client_for(practitioner)
    client.get("/people/")
    for person in people:
        client.get(f"/people/{person.pk}/")
    assert AccessEvent.objects.count() >= 10
    return people


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield None
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    params = {
        "host": connection.settings_dict["HOST"] or "127.0.0.1",
        "port": connection.settings_dict["PORT"] or 5432,
        "user": connection.settings_dict["USER"],
        "password": connection.settings_dict["PASSWORD"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _open(settings_dict, vendor):
    if vendor == "sqlite":
        return sqlite3.connect(settings_dict["NAME"])
    return psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        dbname=settings_dict["NAME"],
    )


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows(
    council, fresh_database, tmp_path, capsys
):
    vendor = connection.vendor
    with connection.cursor() as cursor:
        counts = backups.row_counts(cursor, vendor)
        sums = backups.table_checksums(cursor, vendor)
    assert {"accounts_accessevent", "budgets_personalbudget"} <= set(sums)
    assert sums["budgets_personalbudget"][0] == 5

    call_command("backup", directory=tmp_path)
    (path,) = tmp_path.iterdir()
    assert f"make restore FILE={path}" in capsys.readouterr().out
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only

    target = fresh_database or {**connection.settings_dict, "NAME": str(tmp_path / "fresh.sqlite3")}
    backups.restore(path, target)
    restored = _open(target, vendor)
    try:
        cursor = restored.cursor()
        assert backups.row_counts(cursor, vendor) == counts
        assert backups.table_checksums(cursor, vendor) == sums
    finally:
        restored.close()


def test_the_checksum_notices_a_changed_row(council):
    vendor = connection.vendor
    with connection.cursor() as cursor:
        before = backups.table_checksums(cursor, vendor, ["budgets_personalbudget"])
    PersonalBudget.objects.filter(pk=PersonalBudget.objects.first().pk).update(amount_pence=100)
    with connection.cursor() as cursor:
        after = backups.table_checksums(cursor, vendor, ["budgets_personalbudget"])
    assert before["budgets_personalbudget"][0] == after["budgets_personalbudget"][0]
    assert before != after


def test_restore_refuses_a_missing_file_or_one_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(junk), interactive=False)


def test_restore_asks_before_replacing_a_database(tmp_path, monkeypatch):
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "some-other-database")
    with pytest.raises(CommandError, match="the name did not match"):
        call_command("restore", str(junk))
