"""PostgreSQL refuses UPDATE and DELETE on budget letters: the record of letters sent is never rewritten."""

from django.db import migrations

TABLE = "challenges_budgetletter"


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION selfdirect_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: rows are never changed or deleted', TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql;
        """,
        params=None,
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION selfdirect_append_only();"
    )


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(add_trigger, remove_trigger)]
