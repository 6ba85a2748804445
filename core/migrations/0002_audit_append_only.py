"""PostgreSQL refuses UPDATE and DELETE on the audit trail, as it does on the access log.

The model refuses too; the trigger also stops raw SQL and other programs. SQLite (the
local demo) relies on the model alone.
"""

from django.db import migrations

TABLE = "core_auditevent"


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
    dependencies = [("core", "0001_initial"), ("accounts", "0003_append_only_triggers")]

    operations = [migrations.RunPython(add_trigger, remove_trigger)]
