"""django-simple-history's records, with the indexes the history's reads use and no others.

simple-history gives every history table an index for each foreign key of the record and
for each field the record indexes or keeps unique (with a second, pattern-matching index on
PostgreSQL for each text one): twelve besides the primary key on the people's history, of
which three are left. Nothing here reads a history table by the other nine. Its reads are
one record's history (`record.history`, the admin's history page, the edit-conflict check in
core.concurrency): by the record's id, in order of history_date. simple-history indexes
both of those, and history_user, itself, and they stay. Every other index only adds to each
write that leaves history: every action on an audited record, and the bulk load of the demo
council, where building them took 2.4 of the 4.7 s spent on indexes (seeding 100,000
people, PostgreSQL's statement log).

`indexed=[...]` keeps a field's index where a read does use it.
"""

from simple_history import models as simple_history


class HistoricalRecords(simple_history.HistoricalRecords):
    def __init__(self, *args, indexed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indexed = frozenset(indexed)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        kept = self.indexed | {model._meta.pk.name}
        for name, field in fields.items():
            if name not in kept:
                field.db_index = False
        return fields
