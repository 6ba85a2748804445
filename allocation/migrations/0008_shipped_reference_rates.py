"""Ship illustrative 2026/27 reference rates, from 1 April 2026 (allocation/domain/rates.py:
rounded figures for an English council, not any council's real rates: replace them with the
council's own), and make PostgreSQL refuse two rates for one service on the same date."""

from django.db import migrations

TABLE = "allocation_referencerate"


def ship_rates(apps, schema_editor):
    from allocation.defaults import ensure_reference_rates

    ensure_reference_rates(apps)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the local demo) relies on the action and the unique constraints
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION selfdirect_reference_rate_no_overlap() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM {TABLE} other
                WHERE other.service = NEW.service AND other.id <> NEW.id
                AND other.effective_from <= COALESCE(NEW.effective_to, 'infinity'::date)
                AND NEW.effective_from <= COALESCE(other.effective_to, 'infinity'::date)
            ) THEN
                RAISE EXCEPTION 'Two reference rates for % would be in force on the same date',
                    NEW.service USING ERRCODE = 'exclusion_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,  # noqa: S608 - the table name is ours
        params=None,
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_no_overlap BEFORE INSERT OR UPDATE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION selfdirect_reference_rate_no_overlap();"
    )


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_overlap ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [("allocation", "0007_reference_rates")]

    operations = [
        migrations.RunPython(add_trigger, remove_trigger),
        migrations.RunPython(ship_rates, migrations.RunPython.noop),
    ]
