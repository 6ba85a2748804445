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
than the first call's compilation, which is cached on disk after that.
"""

from __future__ import annotations

import math
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit
from numba.typed import List

WORTH_IT = 200_000  # people: from here on the compiled loops pay for themselves
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
_LOCK = threading.Lock()
_POOL: ThreadPoolExecutor | None = None

# Cell layout in the breakdown totals: three outcome counts, then the current and the
# proposed pence.
_FIELDS = 5
_WHOLE_LIMIT = 51
_CHUNK = 8192  # people a chunk: their cell keys stay in cache
_WHOLE_SIZE = 2 * _WHOLE_LIMIT + 1
FROM_NOTHING = 255  # whole-percent code of a person with nothing now (left out of the median)


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
    global _POOL
    with _LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=_CORES, thread_name_prefix="kernels")
        return _POOL


@njit(cache=True, nogil=True, error_model="numpy")
def _breakdown_part(
    current,
    proposed,
    codes,
    members,
    block_starts,
    sizes,
    offsets,
    review_below,
    start,
    stop,
    whole,
    percent,
    candidates,
    mine,
    outcomes,
    counts,
    extras,
):
    """One slice [start, stop) of the breakdown pass, into its own totals (`mine`, `outcomes`,
    `counts`, `extras`) and its own stretch of the per-person arrays."""
    blocks = block_starts.shape[0] - 1
    outcome = np.empty(_CHUNK, dtype=np.int64)
    keys = np.empty(_CHUNK, dtype=np.int64)
    from_nothing = 0
    still_nothing = 0
    negatives = 0
    largest = 0
    count = 0
    for first in range(start, stop, _CHUNK):
        last = min(stop, first + _CHUNK)
        # Each person's own figures: their outcome, percent change and its whole percent.
        for i in range(first, last):
            now = current[i]
            then = proposed[i]
            change = then - now
            result = 0 if change == 0 else (1 if change > 0 else 2)
            outcome[i - first] = result
            if now < 0 or then < 0:
                negatives += 1
            largest = max(largest, now, then)
            nothing = now == 0
            pct = (change * 100) / (now + (1 if nothing else 0))
            percent[i] = pct
            size = abs(pct)
            rounded = _WHOLE_LIMIT if size > _WHOLE_LIMIT else int(math.ceil(size))
            code = (rounded if pct >= 0 else -rounded) + _WHOLE_LIMIT
            counts[code] += 1
            if nothing:
                whole[i] = FROM_NOTHING
                from_nothing += 1
                if then == 0:
                    still_nothing += 1
            else:
                whole[i] = code
            if pct < review_below:
                candidates[start + count] = i
                count += 1
            outcomes[result] += 1
            outcomes[3] += now
            outcomes[4] += then
        # Then each block of groups: the cell of every person in this chunk, and its sums.
        for b in range(blocks):
            keys[:] = 0
            for m in range(block_starts[b], block_starts[b + 1]):
                column = codes[members[m]]
                size = sizes[m]
                for i in range(first, last):
                    keys[i - first] = keys[i - first] * size + column[i]
            base = offsets[b]
            for i in range(first, last):
                at = (base + keys[i - first]) * _FIELDS
                mine[at + outcome[i - first]] += 1
                mine[at + 3] += current[i]
                mine[at + 4] += proposed[i]
    extras[0] = from_nothing
    extras[1] = still_nothing
    extras[2] = negatives
    extras[3] = largest
    extras[4] = count


def breakdown_pass(current, proposed, codes, blocks, sizes, review_below):
    """One pass over everyone for the breakdown (see breakdown.breakdown for what each part
    means). `codes` lists each group's codes, `blocks` lists the groups
    combined into each cell table, `review_below` the percent below which a person is a
    candidate for review. Returns the whole-percent code of each person (FROM_NOTHING for
    those with nothing now), each percent change, each block's cell table as
    (cells, 5) int64 [same, gain, loss, current, proposed], the same for everyone, the
    whole-percent histogram, (from nothing, still nothing, negatives, largest), and the
    review candidates in row order."""
    if all(c.dtype == np.int8 and c.flags.c_contiguous for c in codes):
        codes = List(codes)  # one compiled signature, however many groups
    else:
        codes = List([np.ascontiguousarray(c, dtype=np.int32) for c in codes])
    members = np.array([g for block in blocks for g in block], dtype=np.int64)
    block_starts = np.cumsum([0] + [len(block) for block in blocks]).astype(np.int64)
    cell_counts = [math.prod(sizes[g] for g in block) for block in blocks]
    offsets = np.cumsum([0] + cell_counts).astype(np.int64)
    people = current.shape[0]
    parts = slices(people)
    cells = int(offsets[-1])
    whole = np.empty(people, dtype=np.uint8)
    percent = np.empty(people, dtype=np.float64)
    candidates = np.empty(people, dtype=np.int64)
    totals = np.zeros((parts, cells * _FIELDS), dtype=np.int64)
    overall = np.zeros((parts, _FIELDS), dtype=np.int64)
    histogram = np.zeros((parts, _WHOLE_SIZE), dtype=np.int64)
    extras = np.zeros((parts, 5), dtype=np.int64)  # see _breakdown_part's end
    block_sizes = np.array([sizes[g] for g in members], dtype=np.int64)
    _in_parallel(
        lambda part, start, stop: _breakdown_part(
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
            whole,
            percent,
            candidates,
            totals[part],
            overall[part],
            histogram[part],
            extras[part],
        ),
        people,
        parts,
    )
    found = extras[:, 4]
    picked = [
        candidates[people * p // parts : people * p // parts + int(found[p])] for p in range(parts)
    ]
    table = totals.sum(axis=0).reshape(-1, _FIELDS)
    return (
        whole,
        percent,
        [table[offsets[b] : offsets[b + 1]] for b in range(len(blocks))],
        overall.sum(axis=0),
        histogram.sum(axis=0),
        extras[:, :3].sum(axis=0).tolist() + [int(extras[:, 3].max(initial=0))],
        np.concatenate(picked) if picked else np.empty(0, dtype=np.int64),
    )


# --- scoring ---------------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _keys(buf, questions, radices, start, stop, keys, rows):
    """Each person's key in a group (engine's packed layout): Horner's rule on the digits
    (choice + 1), the group's first question the least significant."""
    last = stop - 1
    column = buf[questions[last]]
    for i in range(rows):
        keys[i] = column[i] + 1
    for j in range(last - 1, start - 1, -1):
        column = buf[questions[j]]
        radix = radices[j]
        for i in range(rows):
            keys[i] = keys[i] * radix + column[i] + 1


@njit(cache=True, inline="always")
def _local(keys, masks, has_masks, index, rows, offsets, offset_base, provisional):
    """Where each person's entry is in a group's tables: in the table for their pattern of
    unmet outcomes when the group has patterns (`offset_base` >= 0), else the provisional."""
    if has_masks and offset_base >= 0:
        for i in range(rows):
            index[i] = offsets[offset_base + masks[i]] + keys[i]
    else:
        for i in range(rows):
            index[i] = provisional + keys[i]


@njit(cache=True, nogil=True, error_model="numpy")
def _score_part(
    choices,
    counts,
    masks,
    has_masks,
    conditions,
    skip,
    questions,
    radices,
    need_starts,
    need_table,
    need_base,
    need_provisional,
    need_offsets,
    need_offset_base,
    need_fixed,
    need_pence,
    pence_base,
    capped,
    support_starts,
    support_table,
    support_base,
    folded,
    informal_cap,
    start,
    stop,
    reducible,
    fixed,
    percent,
    pence,
    need,
    reduction,
    net,
    costed,
    need_words,
    support_words,
    bad,
):
    """One slice [start, stop) of the scoring pass, into its stretch of the outputs; `bad`
    counts this slice's out-of-range choices by question."""
    question_count = choices.shape[1]
    need_groups = need_starts.shape[0] - 1
    support_groups = support_starts.shape[0] - 1
    emit_words = need_words.shape[0] > 0 or support_words.shape[0] > 0
    uncapped = capped[0, 1] if capped.shape[0] else need_groups
    low = (1 << 24) - 1
    buf = np.empty((question_count, _CHUNK), dtype=np.int8)
    keys = np.empty(_CHUNK, dtype=np.int32)
    value = np.empty(_CHUNK, dtype=np.int32)
    index = np.empty(_CHUNK, dtype=np.int32)
    mask = np.zeros(_CHUNK, dtype=np.int32)
    domain_r = np.empty(_CHUNK, dtype=np.int32)
    domain_f = np.empty(_CHUNK, dtype=np.int32)
    for first in range(start, stop, _CHUNK):
        rows = min(stop, first + _CHUNK) - first
        # This chunk's answers, a question at a time, checked against its options.
        for q in range(question_count):
            row = buf[q]
            row[:rows] = choices[first : first + rows, q]
            lowest = 0
            highest = 0
            for i in range(rows):
                lowest = min(lowest, row[i])
                highest = max(highest, row[i])
            if lowest < -1 or highest >= counts[q]:
                for i in range(rows):
                    if row[i] < -1 or row[i] >= counts[q]:
                        bad[q] += 1
        # Conditional questions not asked count as not answered, in questionnaire order.
        for c in range(conditions.shape[0]):
            position = conditions[c, 0]
            parent = conditions[c, 1]
            for i in range(rows):
                if skip[c, buf[parent, i] & 0xFF]:
                    buf[position, i] = -1
        if has_masks:
            for i in range(rows):
                mask[i] = masks[first + i]
        r = reducible[first : first + rows]
        f = fixed[first : first + rows]
        p = pence[first : first + rows]
        for g in range(need_groups):
            _keys(buf, questions, radices, need_starts[g], need_starts[g + 1], keys, rows)
            if emit_words:
                for i in range(rows):
                    need_words[g, first + i] = keys[i]
            _local(
                keys,
                mask,
                has_masks,
                index,
                rows,
                need_offsets,
                need_offset_base[g],
                need_provisional[g],
            )
            base = need_base[g]
            for i in range(rows):
                value[i] = need_table[base + index[i]]
            if pence_base[g] >= 0:
                base = pence_base[g]
                for i in range(rows):
                    p[i] += need_pence[base + index[i]]
            if g < uncapped:
                target = f if need_fixed[g] else r
                for i in range(rows):
                    target[i] += value[i]
                continue
            # A capped domain's groups (capped: cap, first, middle, end), summed apart.
            for d in range(capped.shape[0]):
                if capped[d, 1] <= g < capped[d, 3]:
                    if g == capped[d, 1]:
                        domain_r[:rows] = 0
                        domain_f[:rows] = 0
                    if g < capped[d, 2]:
                        for i in range(rows):
                            domain_r[i] += value[i]
                    else:
                        for i in range(rows):
                            domain_f[i] += value[i]
                    if g == capped[d, 3] - 1:
                        cap = capped[d, 0]
                        for i in range(rows):
                            complex_count = (domain_r[i] >> 24) + (domain_f[i] >> 24)
                            kept_f = min(domain_f[i] & low, cap)
                            kept_r = min(domain_r[i] & low, cap - kept_f)
                            r[i] += kept_r + (complex_count << 24)
                            f[i] += kept_f
        for g in range(support_groups):
            _keys(buf, questions, radices, support_starts[g], support_starts[g + 1], keys, rows)
            base = support_base[g]
            for i in range(rows):
                percent[first + i] += support_table[base + keys[i]]
            if emit_words:
                for i in range(rows):
                    support_words[g, first + i] = keys[i]
        # Unfold the sums (engine._scores_from does the same in numpy): complex answers and
        # "cannot go on" answers, the cap on the reduction, then need, reduction and net.
        for i in range(first, first + rows):
            kept = reducible[i]
            never = fixed[i]
            share = percent[i]
            if folded[0]:
                costed[i] = (kept >> 24) + (never >> 24) > 0
                kept &= low
                never &= low
            if folded[1]:
                share = share & ((1 << 20) - 1) if share >> 20 == 0 else 0
            share = min(share, informal_cap)
            taken = np.int32((np.int64(kept) * share) // 100)
            reducible[i] = kept
            fixed[i] = never
            percent[i] = share
            need[i] = kept + never
            reduction[i] = taken
            net[i] = kept + never - taken


def _flat(tables):
    """Tables laid end to end, and where each starts."""
    starts = np.cumsum([0] + [t.size for t in tables]).astype(np.int64)
    joined = np.concatenate(tables) if tables else np.zeros(1)
    return joined, starts


def score_layout(scheme):
    """Everything `score_pass` needs from a compiled scheme, laid out flat (made once per
    scheme and kept on it)."""
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
    skip = np.array([c[2] for c in scheme.conditions], dtype=np.bool_).reshape(-1, 256)
    return {
        "counts": scheme.option_counts.astype(np.int64),
        "conditions": np.array([(c[0], c[1]) for c in scheme.conditions], dtype=np.int64).reshape(
            -1, 2
        ),
        "skip": skip,
        "questions": np.array(questions + [0], dtype=np.int64),
        "radices": np.array(radices + [0], dtype=np.int32),
        "need_starts": np.array(need_starts, dtype=np.int64),
        "need_table": need_table.astype(np.int32),
        "need_base": need_base[:-1],
        "need_provisional": np.array(
            [group.table.size - group.keys for group in need],
            dtype=np.int64,
        ),
        "need_offsets": need_offsets.astype(np.int32),
        "need_offset_base": np.array(offset_base, dtype=np.int64),
        "need_fixed": np.array([not g.reducible for g in need], dtype=np.bool_),
        "need_pence": np.concatenate(pence) if pence else np.zeros(1, dtype=np.int64),
        "pence_base": np.array(pence_base, dtype=np.int64),
        "capped": np.array(scheme.capped, dtype=np.int64).reshape(-1, 4),
        "support_starts": np.array(support_starts, dtype=np.int64),
        "support_table": support_table.astype(np.int32),
        "support_base": support_base[:-1],
    }


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def score_pass(scheme, choices, masks, emit_words: bool):
    """Points for everyone in one compiled pass (engine.score's packing, lookups and
    unfolding): (need, reduction percent, reduction, net, reducible, costed plan) as
    engine.Scores holds them, each person's cost-rate support in pence, the packed words
    when `emit_words` (else empty), and how many choices of each question were out of
    range."""
    layout = _LAYOUTS.get(scheme)
    if layout is None:
        layout = _LAYOUTS[scheme] = score_layout(scheme)
    has_masks = masks is not None
    choices = np.asfortranarray(choices)  # one compiled layout: a question's answers together
    masks = None if masks is None else np.ascontiguousarray(masks, dtype=np.int32)
    people, questions = choices.shape
    words = emit_words
    need_groups = len(layout["need_starts"]) - 1
    support_groups = len(layout["support_starts"]) - 1
    reducible = np.zeros(people, dtype=np.int32)
    fixed = np.zeros(people, dtype=np.int32)
    percent = np.zeros(people, dtype=np.int32)
    pence = np.zeros(people, dtype=np.int64)
    need = np.empty(people, dtype=np.int32)
    reduction = np.empty(people, dtype=np.int32)
    net = np.empty(people, dtype=np.int32)
    costed = np.zeros(people, dtype=np.bool_)
    folded = np.array([scheme.has_complex, scheme.has_stops], dtype=np.bool_)
    need_words = np.empty((need_groups if words else 0, people), dtype=np.uint16)
    support_words = np.empty((support_groups if words else 0, people), dtype=np.uint16)
    parts = slices(people)
    bad = np.zeros((parts, questions), dtype=np.int64)
    masks = masks if has_masks else np.zeros(1, dtype=np.int32)
    _in_parallel(
        lambda part, start, stop: _score_part(
            choices,
            layout["counts"],
            masks,
            has_masks,
            layout["conditions"],
            layout["skip"],
            layout["questions"],
            layout["radices"],
            layout["need_starts"],
            layout["need_table"],
            layout["need_base"],
            layout["need_provisional"],
            layout["need_offsets"],
            layout["need_offset_base"],
            layout["need_fixed"],
            layout["need_pence"],
            layout["pence_base"],
            layout["capped"],
            layout["support_starts"],
            layout["support_table"],
            layout["support_base"],
            folded,
            scheme.informal_cap,
            start,
            stop,
            reducible,
            fixed,
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
