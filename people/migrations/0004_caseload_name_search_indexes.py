"""Trigram indexes for the caseload's name search (PostgreSQL only).

The search matches any part of a first, last or preferred name (`UPPER(name) LIKE
UPPER('%word%')`), which no B-tree index can answer: without these, a search reads the
whole team's caseload. pg_trgm is a trusted extension (PostgreSQL 13+): the database's
owner may create it. If the role cannot, the indexes are left out with a warning and the
search still works, only slower. SQLite has neither; nothing happens there.

The caseload's order (team, last name, first name, id) is already served by the index
`person_caseload`, which the keyset pagination uses.
"""

from django.db import migrations, transaction

COLUMNS = ("first_name", "last_name", "preferred_name")


def index_name(column: str) -> str:
    return f"person_{column}_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:  # noqa: BLE001 - any refusal leaves the search unindexed
            print(f"\n  Warning: no trigram indexes for the name search ({error}).")
            return
        for column in COLUMNS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON people_person "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_edit_version")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
