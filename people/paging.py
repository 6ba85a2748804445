"""Keyset pagination and cheap counts for the caseload.

A page starts after (or ends before) a person, found by their place in the caseload's
order (last name, first name, id): the index `person_caseload` (team, last_name,
first_name, id) answers any page, however deep, as fast as the first. Page numbers would
need OFFSET, which reads and throws away every row before the page.

The cursor is the person's id, never their name, so names stay out of addresses (and so
out of browser histories and proxy logs). Counts are exact up to a cap, and cached briefly.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, F, Value, Window
from django.db.models import Count as CountRows
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

ORDER = ("last_name", "first_name", "id")
COUNT_CAP = 1000
COUNT_SECONDS = 60
_TOTAL = "keyset_page_total"


@dataclass
class KeysetPage:
    object_list: list
    has_previous: bool
    has_next: bool
    total: int | None = None  # every row the search gives, when keyset_page counted them

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_before(self):
        return self.object_list[0].pk if self.object_list else None

    @property
    def next_after(self):
        return self.object_list[-1].pk if self.object_list else None


def cursor_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _beyond(queryset, pk: int, operator: str):
    """Rows after (">") or before ("<") the row with this id, in ORDER."""
    quote = connection.ops.quote_name
    table = quote(queryset.model._meta.db_table)
    columns = ", ".join(f"{table}.{quote(name)}" for name in ORDER)
    key = ", ".join(f"cursor_row.{quote(name)}" for name in ORDER)
    cursor_row = f"SELECT {key} FROM {table} cursor_row WHERE cursor_row.{quote('id')} = %s"  # noqa: S608 - quoted names; the id is a parameter
    condition = RawSQL(f"({columns}) {operator} ({cursor_row})", (pk,), output_field=BooleanField())  # noqa: S611
    return queryset.filter(condition)


def _order(*, descending: bool, walk_index: bool) -> list:
    """ORDER, as expressions. `walk_index=False` sorts the same way but by an expression the
    index cannot give, so that PostgreSQL finds the matches first (a name search uses the
    trigram indexes) and sorts those few, rather than walking the whole caseload in order
    hoping to meet 25 matches soon (which, for a rare name, means reading all of it)."""
    first = F(ORDER[0]) if walk_index else Concat(F(ORDER[0]), Value(""))
    keys = [first, *(F(name) for name in ORDER[1:])]
    return [key.desc() if descending else key.asc() for key in keys]


def keyset_page(
    queryset,
    *,
    after=None,
    before=None,
    size: int,
    walk_index: bool = True,
    make=None,
    total: bool = False,
) -> KeysetPage:
    """The page after the person `after`, before the person `before`, or the first page.

    `make`, if given, turns each row the queryset gives (a values_list's tuple, say) into
    the page's object, which must have a `pk`. With `total` (for a values_list queryset
    searched with `walk_index=False`), a first page also counts every row the queryset
    gives, in the same statement (COUNT(*) OVER ()): page.total. PostgreSQL finds every
    match of such a search to sort them anyway, so the count costs next to nothing there,
    where a count of its own would search again. Other pages leave page.total None.
    """
    after, before = cursor_id(after), cursor_id(before)
    forward = _order(descending=False, walk_index=walk_index)
    counted = None

    def read(queryset, *, with_total=False) -> list:
        nonlocal counted
        if with_total:
            rows = list(queryset.annotate(**{_TOTAL: Window(CountRows("*"))})[: size + 1])
            counted = rows[0][-1] if rows else 0
            rows = [row[:-1] for row in rows]
        else:
            rows = queryset[: size + 1]
        return [make(row) for row in rows] if make else list(rows)

    if before is not None:
        backward = _order(descending=True, walk_index=walk_index)
        rows = read(_beyond(queryset, before, "<").order_by(*backward))
        if rows:
            more = len(rows) > size
            return KeysetPage(rows[:size][::-1], has_previous=more, has_next=True)
    elif after is not None:
        rows = read(_beyond(queryset, after, ">").order_by(*forward))
        if rows:
            return KeysetPage(rows[:size], has_previous=True, has_next=len(rows) > size)
    # No cursor, or one that leads nowhere (a stale link): the first page.
    rows = read(queryset.order_by(*forward), with_total=total)
    return KeysetPage(rows[:size], has_previous=False, has_next=len(rows) > size, total=counted)


@dataclass
class Count:
    value: int
    exact: bool


def cheap_count(
    queryset, scope: str, *, cap: int | None = COUNT_CAP, seconds: int = COUNT_SECONDS
) -> Count:
    """How many rows, exact up to `cap` (then "more than cap"), cached for `seconds` per scope.

    `scope` names what the queryset depends on (the user and the filters); it is hashed, so
    no search reaches the cache's keys in clear.
    """
    key = _count_key(scope)
    found = cache.get(key) if seconds else None
    if found is not None:
        return Count(*found)
    counted = queryset.order_by() if cap is None else queryset.order_by()[: cap + 1]
    return remember_count(scope, counted.count(), cap=cap, seconds=seconds)


def remember_count(scope: str, value: int, *, cap: int | None, seconds: int) -> Count:
    """A count already known (a first page's total, say), capped and cached as cheap_count
    caches its own, so the search's next pages need not count again."""
    exact = cap is None or value <= cap
    count = Count(value if exact else cap, exact)
    if seconds:
        cache.set(_count_key(scope), (count.value, count.exact), seconds)
    return count


def _count_key(scope: str) -> str:
    return "caseload-count:" + hashlib.sha256(scope.encode()).hexdigest()
