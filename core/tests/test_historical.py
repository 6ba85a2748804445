"""History tables keep the indexes their reads use (one record's history, by its id and in
order of history_date; who made a change) and drop the ones simple-history adds for every
foreign key, unique and indexed field of the record, which nothing reads them by."""

import pytest
from django.db import connection
from simple_history.models import registered_models

from core.historical import HistoricalRecords
from people.models import Person
from plans.models import PlanLine

# Read by more than the record's id: plans.rules reads who edited a plan's lines.
READ_BY = {PlanLine: {"plan"}}


def _histories():
    for model in registered_models.values():
        attribute = model._meta.simple_history_manager_attribute
        yield model, getattr(model, attribute).model


def _indexed(history_model) -> set[str]:
    return {f.name for f in history_model._meta.concrete_fields if f.db_index}


def test_every_history_table_indexes_the_record_id_its_date_and_its_author_and_no_more():
    checked = 0
    for model, history in _histories():
        expected = {model._meta.pk.name, "history_date", "history_user"} | READ_BY.get(model, set())
        assert _indexed(history) == expected & {f.name for f in history._meta.concrete_fields}, (
            f"{history.__name__}: use core.historical.HistoricalRecords, with indexed=[...] "
            "for a field a read uses"
        )
        checked += 1
    assert checked >= 30  # every audited model, not an empty loop


def test_a_field_named_in_indexed_keeps_its_index():
    history = PlanLine.history.model
    assert history._meta.get_field("plan").db_index
    assert not history._meta.get_field("carer").db_index  # a foreign key nothing reads by


def test_the_records_own_table_keeps_its_indexes():
    assert Person._meta.get_field("team").db_index
    assert Person._meta.get_field("postcode").db_index
    assert not Person.history.model._meta.get_field("postcode").db_index


def test_simple_historys_own_class_would_index_what_ours_leaves_out():
    from simple_history.models import HistoricalRecords as Plain

    def indexed(records):
        return {name for name, field in records.copy_fields(Person).items() if field.db_index}

    assert {"team", "postcode", "nhs_number"} <= indexed(Plain())
    assert indexed(HistoricalRecords()) == {"id"}
    assert indexed(HistoricalRecords(indexed=["team"])) == {"id", "team"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalogue")
def test_the_peoples_history_table_has_four_indexes_on_postgresql():
    table = Person.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
            " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = %s::regclass",
            [table],
        )
        columns = sorted(row[0] for row in cursor.fetchall())
    assert columns == ["history_date", "history_id", "history_user_id", "id"]
