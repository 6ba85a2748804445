"""A throwaway database holding the seeded demo council, shared by the database benchmarks.

It is the test database (test_<name>), never the one DATABASE_URL names, and it is
dropped at the end. With BENCH_KEEP_DB=1 it is kept instead, and a later run with the same
switch reuses it without seeding again when it already holds the seeded council (for working
on one benchmark; the seed_demo line is then not printed, and a kept database carries what
earlier benchmark runs wrote, such as model runs). pytest uses the same test_<name> for the
same DATABASE_URL and drops it: give a kept bench database a name of its own.
"""

import contextlib
import os
import time

PEOPLE = 100_000


@contextlib.contextmanager
def seeded(people: int):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench import report

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep, serialize=False)
    if keep and _holds_council(people):
        yield connection.vendor
        return
    if keep and _holds_people():  # kept, but a smaller council (or a half-done seeding)
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=False, serialize=False
        )
    try:
        started = time.perf_counter()
        call_command("seed_demo", people=people, seed=2026, no_progress=False)
        seconds = time.perf_counter() - started
        report(
            "seed_demo",
            seconds,
            "s",
            f"{people:,} people with assessments and budgets, {connection.vendor}, goal <= 20 s",
        )
        if connection.vendor == "postgresql":  # as autovacuum would have, on a live database
            with connection.cursor() as cursor:
                for table in connection.introspection.django_table_names(only_existing=True):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        yield connection.vendor
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _holds_people() -> bool:
    from people.models import Person

    return Person.objects.exists()


def _holds_council(people: int) -> bool:
    """Whether a kept bench database already holds a seeded council of at least this size
    (with the carers the seeder adds; run once without the switch to change the size)."""
    from people.models import Person

    return Person.objects.count() >= people
