"""A throwaway database holding the seeded demo council, shared by the database benchmarks.

It is the test database (test_<name>), never the one DATABASE_URL names, and it is
dropped at the end.
"""

import contextlib
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
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
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
        connection.creation.destroy_test_db(old_name, verbosity=0)
