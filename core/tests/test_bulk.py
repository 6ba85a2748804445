"""core.bulk: rows written by COPY (or executemany), with indexes and foreign keys set aside
during a load and put back exactly as they were, still checking every row."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.tests.factories import TeamFactory
from core import bulk
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TABLES = [Person._meta.db_table, Person.history.model._meta.db_table]


def schema_of(tables) -> list[tuple]:
    """Every constraint and index of the tables, as the catalogue prints them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
            "condeferrable, condeferred FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [tables],
        )
        indexes = cursor.fetchall()
    return sorted(constraints) + sorted(indexes)


FIELDS = [f for f in Person._meta.concrete_fields if not f.primary_key]
COLUMNS = [f.column for f in FIELDS]


def person_row(team, number: int, *, team_id=None) -> tuple:
    values = PersonFactory.build(team=team, council_person_id=f"WX{number:07d}", nhs_number=None)
    person = Person(**values)
    if team_id is not None:
        person.team_id = team_id
    return tuple(f.get_db_prep_save(f.pre_save(person, add=True), connection) for f in FIELDS)


def copy_people(rows):
    bulk.copy_rows(Person._meta.db_table, COLUMNS, rows)


def test_rows_copied_in_bulk_are_read_back_as_written():
    team = TeamFactory()
    copy_people([person_row(team, n) for n in range(1, 4)])
    assert list(
        Person.objects.order_by("council_person_id").values_list("council_person_id", "team_id")
    ) == [(f"WX{n:07d}", team.pk) for n in range(1, 4)]


def test_a_load_with_checks_at_the_end_leaves_the_schema_as_it_was():
    if connection.vendor != "postgresql":
        pytest.skip("indexes and foreign keys are set aside on PostgreSQL only")
    before = schema_of(TABLES)
    team = TeamFactory()
    PersonFactory(team=team)  # a check still queued in this transaction
    with transaction.atomic(), bulk.checks_at_the_end(TABLES):
        assert schema_of(TABLES) != before  # set aside while the rows go in
        copy_people([person_row(team, n) for n in range(100, 110)])
    assert schema_of(TABLES) == before
    assert Person.objects.filter(council_person_id__startswith="WX00001").count() == 10


def test_a_row_naming_a_missing_team_fails_the_load_with_checks_at_the_end():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks foreign keys at the outer commit, after the test")
    team = TeamFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.checks_at_the_end(TABLES):
        copy_people([person_row(team, 1), person_row(team, 2, team_id=team.pk + 999)])
    assert not Person.objects.filter(council_person_id__startswith="WX").exists()


def test_rows_handed_to_a_pipeline_are_in_when_it_ends_and_the_schema_is_as_it_was():
    postgresql = connection.vendor == "postgresql"
    before = schema_of(TABLES) if postgresql else None
    team = TeamFactory()
    with (
        transaction.atomic(),
        bulk.Pipeline(TABLES) as pipeline,
        bulk.checks_at_the_end(TABLES, pipeline=pipeline) as checks,
    ):
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, n) for n in range(200, 205)])
        checks.finished(*TABLES)
        # A row after its table is finished goes in through the rebuilt indexes.
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, 205)])
        pipeline.wait()
        assert Person.objects.filter(council_person_id__startswith="WX00002").count() == 6
    if postgresql:
        assert schema_of(TABLES) == before
    assert Person.objects.filter(council_person_id__startswith="WX00002", team=team).count() == 6


def test_a_row_a_pipeline_cannot_write_fails_the_load_as_django_s_error():
    team = TeamFactory()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        bulk.Pipeline(TABLES) as pipeline,
        bulk.checks_at_the_end(TABLES, pipeline=pipeline),
    ):
        # The same council person id twice: the unique constraint stays throughout.
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, 300), person_row(team, 300)])
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, 301)])
    assert not Person.objects.filter(council_person_id__startswith="WX00003").exists()


def test_a_pipeline_asks_for_the_interpreter_lock_often_while_it_runs_and_puts_it_back():
    import sys

    before = sys.getswitchinterval()
    team = TeamFactory()
    with transaction.atomic(), bulk.Pipeline(TABLES) as pipeline:
        if pipeline.threaded:  # a worker thread on PostgreSQL only
            assert sys.getswitchinterval() == pytest.approx(bulk.SWITCH_INTERVAL)
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, 400)])
    assert sys.getswitchinterval() == before
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.Pipeline(TABLES) as pipeline:
        pipeline.copy(TABLES[0], COLUMNS, [person_row(team, 400)])  # already there
    assert sys.getswitchinterval() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_rows_written_through_a_name_search_index_are_merged_into_it_when_the_load_ends():
    """Rows added after their table was finished wait in each GIN index's pending list, which
    every search reads whole until a VACUUM: the load merges them before it ends."""
    team = TeamFactory()

    def pending_pages() -> int:  # merging again now merges whatever is still waiting
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('person_last_name_trgm'::regclass)")
            return cursor.fetchone()[0]

    with transaction.atomic():
        with (
            bulk.Pipeline(TABLES) as pipeline,
            bulk.checks_at_the_end(TABLES, pipeline=pipeline) as checks,
        ):
            pipeline.copy(TABLES[0], COLUMNS, [person_row(team, n) for n in range(400, 405)])
            checks.finished(*TABLES)
            pipeline.copy(TABLES[0], COLUMNS, [person_row(team, n) for n in range(405, 900)])
        assert pending_pages() == 0
        # Without the merge, the same rows would have been waiting.
        Person.objects.bulk_create(
            [
                Person(**dict(zip(COLUMNS, person_row(team, n), strict=True)))
                for n in range(900, 1400)
            ]
        )
        assert pending_pages() > 0
