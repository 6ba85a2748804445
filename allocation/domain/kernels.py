"""Compiled loops for the largest batch work: one pass over a whole caseload where numpy
would make one pass an operation.

numpy does each step of the breakdown (and of scoring) as its own sweep over every person, so
a model run of millions of people is bound by memory traffic, not arithmetic. These loops,
compiled by numba, read each person once and keep every running total in cache; they run on
every core, each on its own slice of the caseload with its own totals, which are added up at
the end, so the result does not depend on how the work was split.

Each kernel matches the numpy code it stands in for exactly (the same integer totals and the
same IEEE floats, operation for operation); the property tests run both on the same cases.
Callers use them only for large caseloads (`WORTH_IT`): a small caseload is quicker in numpy
than the first call's compilation, which is cached on disk after that. The loops themselves
are in `loops.py`, imported on the first large caseload, so pages and commands never load
numba.
"""

from __future__ import annotations

import math
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

WORTH_IT = 200_000  # people: from here on the compiled loops pay for themselves
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
_LOCK = threading.Lock()
_POOL: tuple[int, ThreadPoolExecutor] | None = None

# Cell layout in the breakdown totals: three outcome counts, then the current and the
# proposed pence.
FIELDS = 5
WHOLE_LIMIT = 51
WHOLE_SIZE = 2 * WHOLE_LIMIT + 1
NO_AMOUNT = -1  # engine.NO_AMOUNT: a band with no indicative amount, in a pence table
NOTHING_BUCKET = 0  # a person with nothing now (left out of the median); no percent has it
BUCKETS = 1 << 16  # a percent's bucket: the top 16 bits of a key in the order of the floats
CHUNK = 8192  # people a chunk: their cell keys and a chunk of answers stay in cache


@contextmanager
def small_pages():
    """Arrays made inside are not marked for 2 MB pages: for arrays with room for everyone
    of which only a few places are written. numpy marks every large array for 2 MB pages
    (madvise), and where the machine's transparent huge pages defrag setting is `madvise`
    (a common default), the first touch of each 2 MB is zeroed whole and may wait while
    Linux compacts memory to find one: in a process that has made and freed much memory, as
    a model run has, that nearly doubled the breakdown's time (44 ms against 24 ms for
    2,000,000 people, measured). Arrays written whole keep their large pages. The setting
    is numpy's own (`_set_madvise_hugepage`), put back as it was after."""
    switch = getattr(np._core.multiarray, "_set_madvise_hugepage", None)
    if switch is None:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)


def slices(people: int) -> int:
    """How many slices to split the caseload into: a few a core, for an even finish."""
    return max(1, min(_CORES * 4, people // 50_000 or 1))


def _in_parallel(work, people: int, parts: int) -> None:
    """work(part, start, stop) for each slice of [0, people), on a thread a core: the
    compiled loops release the GIL, so the slices run at the same time."""
    bounds = [(part, people * part // parts, people * (part + 1) // parts) for part in range(parts)]
    if parts == 1 or _CORES == 1:
        for part, start, stop in bounds:
            work(part, start, stop)
        return
    for future in [_pool().submit(work, *bound) for bound in bounds]:
        future.result()


def _pool() -> ThreadPoolExecutor:
    """The threads, made on first use in each process (a forked worker makes its own)."""
    global _POOL
    with _LOCK:
        if _POOL is None or _POOL[0] != os.getpid():
            _POOL = (os.getpid(), ThreadPoolExecutor(_CORES, thread_name_prefix="kernels"))
        return _POOL[1]


class Candidates(NamedTuple):
    """The people the breakdown pass found may need a review, in row order, with their
    percent change and their amounts now and proposed, as the pass read them."""

    rows: np.ndarray
    percents: np.ndarray
    current: np.ndarray
    proposed: np.ndarray


class Passed(NamedTuple):
    """What the breakdown pass counts: each person's percent bucket (NOTHING_BUCKET for
    those with nothing now) and how many people with a budget now are in each bucket; each
    block's cell table as (cells, 5) int64 [same, gain, loss, current, proposed], the same
    five figures for everyone, the whole-percent histogram, how many amounts are negative
    and the largest, the review candidates, and the groups with codes outside their
    labels."""

    bucket: np.ndarray
    buckets: np.ndarray
    tables: list
    overall: np.ndarray
    wholes: np.ndarray
    negatives: int
    largest: int
    candidates: Candidates
    outside: list


def breakdown_pass(current, proposed, codes, blocks, sizes, review_below):
    """One pass over everyone for the breakdown (see breakdown.breakdown for what each part
    means). `codes` lists each group's codes, `blocks` the groups combined into each cell
    table, `review_below` the percent below which a person is a candidate for review.

    Returns a `Passed`."""
    from allocation.domain import loops  # numba: imported by the first large caseload

    if all(c.dtype == np.int8 and c.flags.c_contiguous for c in codes):
        codes = loops.List(codes)  # one compiled signature, however many groups
    else:
        codes = loops.List([np.ascontiguousarray(c, dtype=np.int32) for c in codes])
    members = np.array([g for block in blocks for g in block], dtype=np.int64)
    block_starts = np.cumsum([0] + [len(block) for block in blocks]).astype(np.int64)
    cell_counts = [math.prod(sizes[g] for g in block) for block in blocks]
    offsets = np.cumsum([0] + cell_counts).astype(np.int64)
    people = current.shape[0]
    parts = slices(people)
    cells = int(offsets[-1])
    bucket = np.empty(people, dtype=np.uint16)
    with small_pages():  # room for everyone, of which each slice writes only its few
        candidates = np.empty(people, dtype=np.int64)
        candidate_percents = np.empty(people, dtype=np.float64)
        candidate_amounts = np.empty((people, 2), dtype=np.int64)
    totals = np.zeros((parts, cells * FIELDS), dtype=np.int64)
    overall = np.zeros((parts, FIELDS), dtype=np.int64)
    histogram = np.zeros((parts, WHOLE_SIZE), dtype=np.int64)
    fine = np.zeros((parts, BUCKETS), dtype=np.int64)
    extras = np.zeros((parts, 3), dtype=np.int64)  # see loops.breakdown_part's end
    bad = np.zeros((parts, max(len(codes), 1)), dtype=np.int64)
    block_sizes = np.array([sizes[g] for g in members], dtype=np.int64)
    _in_parallel(
        lambda part, start, stop: loops.breakdown_part(
            current,
            proposed,
            codes,
            members,
            block_starts,
            block_sizes,
            offsets,
            float(review_below),
            start,
            stop,
            bucket,
            candidates,
            candidate_percents,
            candidate_amounts,
            totals[part],
            overall[part],
            histogram[part],
            fine[part],
            extras[part],
            bad[part],
        ),
        people,
        parts,
    )
    found = extras[:, 2]
    taken = [slice(people * p // parts, people * p // parts + int(found[p])) for p in range(parts)]
    picked = Candidates(
        rows=np.concatenate([candidates[t] for t in taken]),
        percents=np.concatenate([candidate_percents[t] for t in taken]),
        current=np.concatenate([candidate_amounts[t, 0] for t in taken]),
        proposed=np.concatenate([candidate_amounts[t, 1] for t in taken]),
    )
    table = totals.sum(axis=0).reshape(-1, FIELDS)
    return Passed(
        bucket=bucket,
        buckets=fine.sum(axis=0),
        tables=[table[offsets[b] : offsets[b + 1]] for b in range(len(blocks))],
        overall=overall.sum(axis=0),
        wholes=histogram.sum(axis=0),
        negatives=int(extras[:, 0].sum()),
        largest=int(extras[:, 1].max(initial=0)),
        candidates=picked,
        outside=np.flatnonzero(bad.sum(axis=0)).tolist(),
    )


# --- scoring ---------------------------------------------------------------------------------


def _flat(tables):
    """Tables laid end to end, and where each starts."""
    starts = np.cumsum([0] + [t.size for t in tables]).astype(np.int64)
    joined = np.concatenate(tables) if tables else np.zeros(1)
    return joined, starts


class ScoreLayout(NamedTuple):
    """A compiled scheme's tables laid out flat for loops.score_part, in its argument order:
    each question's number of choices, the conditional questions (question, parent, and the
    run of the parent's choices that asks it, if they are a run) and their skip tables, the
    need and support groups' questions and radices (groups start at `need_starts` /
    `support_starts`), the need tables end to end with where each starts, its provisional
    table and its pattern offsets, whether it is never reduced, its pence table (cost-rate
    answers; -1 without), the capped domains, the support tables, and how many patterns of
    unmet outcomes there are."""

    counts: np.ndarray
    conditions: np.ndarray
    skip: np.ndarray
    questions: np.ndarray
    radices: np.ndarray
    need_starts: np.ndarray
    need_table: np.ndarray
    need_base: np.ndarray
    need_provisional: np.ndarray
    need_offsets: np.ndarray
    need_offset_base: np.ndarray
    need_fixed: np.ndarray
    need_pence: np.ndarray
    pence_base: np.ndarray
    capped: np.ndarray
    support_starts: np.ndarray
    support_table: np.ndarray
    support_base: np.ndarray
    mask_limit: int


def score_layout(scheme) -> ScoreLayout:
    """Everything `score_pass` needs from a compiled scheme, laid out flat (made once per
    scheme and kept beside it)."""
    need, support = scheme.need_groups, scheme.support_groups
    questions, radices, need_starts, support_starts = [], [], [], []
    for groups, starts in ((need, need_starts), (support, support_starts)):
        starts.append(len(questions))
        for group in groups:
            questions.extend(group.questions)
            radices.extend(group.radices)
            starts.append(len(questions))
    need_table, need_base = _flat([g.table.astype(np.int32) for g in need])
    offsets = [g.offsets for g in need if g.offsets is not None]
    need_offsets, _ = _flat([o.astype(np.int64) for o in offsets] or [np.zeros(1, np.int64)])
    offset_base, at = [], 0
    for group in need:
        if group.offsets is None:
            offset_base.append(-1)
        else:
            offset_base.append(at)
            at += group.offsets.size
    pence_tables = list(scheme.need_pence) if scheme.has_support else [None] * len(need)
    pence_base, pence, at = [], [], 0
    for table in pence_tables:  # laid out as the group's points tables, indexed the same way
        pence_base.append(-1 if table is None else at)
        if table is not None:
            pence.append(table.astype(np.int64))
            at += table.size
    support_table, support_base = _flat([g.table.astype(np.int32) for g in support])
    # -1 (every bit set) where the question is not asked: OR-ed into the choice, it makes
    # it -1, no answer, without a branch for each person.
    skip = -np.array([c[2] for c in scheme.conditions], dtype=np.int8).reshape(-1, 256)
    return ScoreLayout(
        counts=scheme.option_counts.astype(np.int64),
        # (question, parent, first, last): the parent's choices from first to last ask the
        # question (two comparisons, no lookup), or first -2 when they are not a run.
        conditions=np.array(
            [(c[0], c[1], *(c[3] or (-2, -2))) for c in scheme.conditions], dtype=np.int64
        ).reshape(-1, 4),
        skip=skip,
        questions=np.array(questions + [0], dtype=np.int64),
        radices=np.array(radices + [0], dtype=np.int32),
        need_starts=np.array(need_starts, dtype=np.int64),
        need_table=need_table.astype(np.int32),
        need_base=need_base[:-1],
        need_provisional=np.array([g.table.size - g.keys for g in need], dtype=np.int64),
        need_offsets=need_offsets.astype(np.int32),
        need_offset_base=np.array(offset_base, dtype=np.int64),
        need_fixed=np.array([not g.reducible for g in need], dtype=np.bool_),
        need_pence=np.concatenate(pence) if pence else np.zeros(1, dtype=np.int64),
        pence_base=np.array(pence_base, dtype=np.int64),
        capped=np.array(scheme.capped, dtype=np.int64).reshape(-1, 4),
        support_starts=np.array(support_starts, dtype=np.int64),
        support_table=support_table.astype(np.int32),
        support_base=support_base[:-1],
        mask_limit=1 << len(scheme.outcome_codes),
    )


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def score_pass(scheme, choices, masks, emit_words: bool):
    """Points for everyone in one compiled pass (engine.score's packing, lookups and
    unfolding): (need, reduction percent, reduction, net, reducible, costed plan) as
    engine.Scores holds them, each person's cost-rate support in pence, the packed words
    when `emit_words` (else empty), and how many choices of each question were out of
    range, then how many masks were (patterns of outcomes this version does not have)."""
    from allocation.domain import loops  # numba: imported by the first large caseload

    layout = _LAYOUTS.get(scheme)
    if layout is None:
        layout = _LAYOUTS[scheme] = score_layout(scheme)
    has_masks = masks is not None
    choices = np.asfortranarray(choices)  # one compiled layout: a question's answers together
    masks = None if masks is None else np.ascontiguousarray(masks, dtype=np.int32)
    people, questions = choices.shape
    need_groups = len(layout.need_starts) - 1
    support_groups = len(layout.support_starts) - 1
    reducible = np.zeros(people, dtype=np.int32)
    percent = np.zeros(people, dtype=np.int32)
    pence = np.zeros(people, dtype=np.int64)
    need = np.empty(people, dtype=np.int32)
    reduction = np.empty(people, dtype=np.int32)
    net = np.empty(people, dtype=np.int32)
    costed = np.zeros(people, dtype=np.bool_)
    folded = np.array([scheme.has_complex, scheme.has_stops], dtype=np.bool_)
    need_words = np.empty((need_groups if emit_words else 0, people), dtype=np.uint16)
    support_words = np.empty((support_groups if emit_words else 0, people), dtype=np.uint16)
    parts = slices(people)
    bad = np.zeros((parts, questions + 1), dtype=np.int64)  # the last: masks out of range
    masks = masks if has_masks else np.zeros(1, dtype=np.int32)
    _in_parallel(
        lambda part, start, stop: loops.score_part(
            choices,
            masks,
            has_masks,
            *layout,
            folded,
            scheme.informal_cap,
            start,
            stop,
            reducible,
            percent,
            pence,
            need,
            reduction,
            net,
            costed,
            need_words,
            support_words,
            bad[part],
        ),
        people,
        parts,
    )
    return (
        (need, percent, reduction, net, reducible, costed),
        pence,
        need_words,
        support_words,
        bad.sum(axis=0),
    )


# --- amounts ---------------------------------------------------------------------------------


def amounts_pass(rows, net, tables, support, low: int, high: int | None):
    """engine.amounts_pence for a large caseload in one pass over everyone, a slice a core:
    the amounts, and how many net points and how many table indexes were out of range."""
    from allocation.domain import loops  # numba: imported by the first large caseload

    rows = np.ascontiguousarray(rows, dtype=np.int64)
    net = np.ascontiguousarray(net)
    people = net.shape[0]
    by_table = tables is not None
    tables = np.ascontiguousarray(tables) if by_table else np.zeros(1, dtype=np.int64)
    with_support = support is not None
    support = (
        np.ascontiguousarray(support, dtype=np.int64) if with_support else np.zeros(1, np.int64)
    )
    out = np.empty(people, dtype=np.int64)
    parts = slices(people)
    bad = np.zeros((parts, 2), dtype=np.int64)
    _in_parallel(
        lambda part, start, stop: loops.amounts_part(
            rows,
            tables,
            by_table,
            net,
            support,
            with_support,
            low,
            -1 if high is None else high,
            start,
            stop,
            out,
            bad[part],
        ),
        people,
        parts,
    )
    net_bad, table_bad = bad.sum(axis=0).tolist()
    return out, net_bad, table_bad


def review_order(percent: np.ndarray, fall: np.ndarray) -> np.ndarray:
    """breakdown's review order (the largest percentage fall first, ties by the larger
    fall in pence, then by row) by a compiled radix sort: the same order as its sorts."""
    from allocation.domain import loops  # numba: imported by the first large caseload

    return loops.review_order(
        np.ascontiguousarray(percent, dtype=np.float64), np.ascontiguousarray(fall, np.int64)
    )


def percents_between(bucket, current, proposed, low: int, high: int) -> np.ndarray:
    """The percent changes (the same floats as the breakdown pass's) of the people whose
    bucket is from `low` to `high`, in row order, for the median: a pass a core."""
    from allocation.domain import loops  # numba: imported by the first large caseload

    people = bucket.shape[0]
    parts = slices(people)
    with small_pages():  # room for everyone, of which each slice writes only its few
        out = np.empty(people, dtype=np.float64)
    found = np.zeros(parts, dtype=np.int64)

    def work(part, start, stop):
        found[part] = loops.percents_part(
            bucket, current, proposed, np.uint16(low), np.uint16(high), start, stop, out
        )

    _in_parallel(work, people, parts)
    return np.concatenate(
        [out[people * p // parts : people * p // parts + int(found[p])] for p in range(parts)]
    )
