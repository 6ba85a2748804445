"""The compiled loops behind allocation/domain/kernels.py, one slice of a caseload at a
time (numba, compiled on first use and cached on disk). Imported only when a caseload is
large enough (kernels.WORTH_IT), so that pages and commands never load numba."""

import math

import numpy as np
from numba import njit
from numba.typed import List

__all__ = ["List", "breakdown_part", "score_part"]

from allocation.domain import kernels
from allocation.domain.kernels import CHUNK as _CHUNK
from allocation.domain.kernels import FIELDS, NO_AMOUNT, NOTHING_BUCKET
from allocation.domain.kernels import WHOLE_LIMIT as _WHOLE_LIMIT

# numba's disk cache is keyed on this file alone (its path, time and size), and the constants
# these loops read from kernels.py are frozen into the machine code it keeps. So their values
# are written here too: changing one in kernels.py means changing this file, which makes numba
# compile afresh. Until both agree the loops refuse to load, rather than run a stale cache.
FROZEN = {"CHUNK": 8192, "FIELDS": 5, "NO_AMOUNT": -1, "NOTHING_BUCKET": 0, "WHOLE_LIMIT": 51}


def frozen_mismatches(module) -> list[str]:
    """The constants whose value in `module` (kernels) is not the one written in FROZEN."""
    return [
        f"{name} is {getattr(module, name)!r} in kernels.py but {value!r} in loops.py"
        for name, value in FROZEN.items()
        if getattr(module, name) != value
    ]


if frozen_mismatches(kernels):
    raise ImportError(
        "Change loops.FROZEN with the constant, so numba's cache is rebuilt: "
        + "; ".join(frozen_mismatches(kernels))
    )


@njit(cache=True, inline="always")
def _order_keys(values, keys, rows):
    """Unsigned keys in the same order as the floats (none is NaN)."""
    bits = values.view(np.uint64)
    sign = np.uint64(1) << np.uint64(63)
    for k in range(rows):
        b = bits[k]
        keys[k] = ~b if b & sign else b | sign


@njit(cache=True, nogil=True, error_model="numpy")
def breakdown_part(
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
    bucket,
    candidates,
    candidate_percents,
    candidate_amounts,
    mine,
    outcomes,
    counts,
    fine,
    extras,
    bad,
):
    """One slice [start, stop) of the breakdown pass, into its own totals (`mine`, `outcomes`,
    `counts`, `fine`, `extras`, and `bad`, chunks with codes outside their group's labels, by
    group) and its own stretch of the per-person arrays."""
    blocks = block_starts.shape[0] - 1
    outcome = np.empty(_CHUNK, dtype=np.int64)
    percents = np.empty(_CHUNK, dtype=np.float64)
    order_keys = np.empty(_CHUNK, dtype=np.uint64)
    had_nothing = np.empty(_CHUNK, dtype=np.bool_)
    whole_codes = np.empty(_CHUNK, dtype=np.uint8)
    keys = np.empty(_CHUNK, dtype=np.int16)  # a block has at most 2**15 cells
    negatives = 0
    largest = 0
    count = 0
    for first in range(start, stop, _CHUNK):
        last = min(stop, first + _CHUNK)
        rows = last - first
        # This chunk's stretch of each array, indexed from 0: no index needs a check for
        # negatives, and the loops over a column run as vector instructions.
        now_amounts = current[first:last]
        then_amounts = proposed[first:last]
        buckets = bucket[first:last]
        # Each person's own figures: their outcome, percent change and its whole percent,
        # with the chunk's sums kept in registers (a loop with no store into the totals
        # and no branch runs as vector instructions).
        gains = 0
        losses = 0
        now_sum = 0
        then_sum = 0
        for i in range(rows):
            now = now_amounts[i]
            then = then_amounts[i]
            change = then - now
            gain = change > 0
            loss = change < 0
            outcome[i] = gain + 2 * loss
            gains += gain
            losses += loss
            negatives += (now < 0) | (then < 0)
            largest = max(largest, max(now, then))
            nothing = now == 0
            pct = (change * 100) / (now + nothing)
            percents[i] = pct
            had_nothing[i] = nothing
            rounded = min(math.ceil(abs(pct)), float(_WHOLE_LIMIT))
            whole_codes[i] = np.uint8((rounded if pct >= 0 else -rounded) + _WHOLE_LIMIT)
            now_sum += now
            then_sum += then
        outcomes[0] += rows - gains - losses
        outcomes[1] += gains
        outcomes[2] += losses
        outcomes[3] += now_sum
        outcomes[4] += then_sum
        for i in range(rows):
            counts[whole_codes[i]] += 1
            if percents[i] < review_below:
                candidates[start + count] = first + i
                candidate_percents[start + count] = percents[i]
                candidate_amounts[start + count, 0] = now_amounts[i]
                candidate_amounts[start + count, 1] = then_amounts[i]
                count += 1
        # Each percent's top 16 bits (of a key in the order of the floats), counted for the
        # median among the people with a budget now; NOTHING_BUCKET marks the others.
        _order_keys(percents, order_keys, rows)
        for i in range(rows):
            if had_nothing[i]:
                buckets[i] = NOTHING_BUCKET
            else:
                top = order_keys[i] >> np.uint64(48)
                buckets[i] = top
                fine[top] += 1
        # Then each block of groups: the cell of every person in this chunk, and its sums.
        for b in range(blocks):
            keys[:rows] = 0
            wrong = False
            for m in range(block_starts[b], block_starts[b + 1]):
                column = codes[members[m]][first:last]
                size = column.dtype.type(sizes[m])
                lowest = column.dtype.type(0)
                highest = column.dtype.type(0)
                for i in range(rows):
                    code = column[i]
                    lowest = min(lowest, code)
                    highest = max(highest, code)
                    keys[i] = np.int16(keys[i] * size + code)
                if lowest < 0 or highest >= size:
                    bad[members[m]] += 1
                    wrong = True
            if wrong:  # the caller refuses the codes: count nothing outside the cells
                continue
            base = offsets[b]
            for i in range(rows):
                at = np.uintp((base + keys[i]) * FIELDS)
                mine[at + outcome[i]] += 1
                mine[at + 3] += now_amounts[i]
                mine[at + 4] += then_amounts[i]
    extras[0] = negatives
    extras[1] = largest
    extras[2] = count


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
def _local(keys, mask, has_masks, index, rows, offsets, offset_base, provisional):
    """Where each person's entry is in a group's tables: in the table for their pattern of
    unmet outcomes when the group has patterns (`offset_base` >= 0), else the provisional.
    (Indexes are unsigned: every key and mask is in range by now, and a signed index would
    cost a check for negatives on every read.)"""
    if has_masks and offset_base >= 0:
        for i in range(rows):
            index[i] = offsets[np.uintp(offset_base + mask[i])] + keys[i]
    else:
        for i in range(rows):
            index[i] = provisional + keys[i]


@njit(cache=True, nogil=True, error_model="numpy")
def score_part(
    choices,
    masks,
    has_masks,
    counts,
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
    mask_limit,
    folded,
    informal_cap,
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
    bad,
):
    """One slice [start, stop) of the scoring pass, into its stretch of the outputs (the
    arguments from `counts` to `mask_limit` are a kernels.ScoreLayout); `bad` counts this
    slice's out-of-range choices by question, then its out-of-range masks."""
    question_count = choices.shape[1]
    need_groups = need_starts.shape[0] - 1
    support_groups = support_starts.shape[0] - 1
    emit_words = need_words.shape[0] > 0 or support_words.shape[0] > 0
    uncapped = capped[0, 1] if capped.shape[0] else need_groups
    low = (1 << 24) - 1
    columns = choices.T  # a question's answers together (choices are column-major)
    buf = np.empty((question_count, _CHUNK), dtype=np.int8)
    keys = np.empty(_CHUNK, dtype=np.int32)
    value = np.empty(_CHUNK, dtype=np.int32)
    index = np.empty(_CHUNK, dtype=np.int32)
    mask = np.zeros(_CHUNK, dtype=np.int32)
    domain_r = np.empty(_CHUNK, dtype=np.int32)
    domain_f = np.empty(_CHUNK, dtype=np.int32)
    never_sums = np.empty(_CHUNK, dtype=np.int32)
    for first in range(start, stop, _CHUNK):
        rows = min(stop, first + _CHUNK) - first
        # Each person's figures are read and written through this chunk's stretch of the
        # arrays, indexed from 0, so no index needs a check for negatives (which would stop
        # the loops from running as vector instructions).
        last = first + rows
        r = reducible[first:last]
        f = never_sums[:rows]  # needs never reduced: summed here, then into the need
        f[:] = 0
        p = pence[first:last]
        share = percent[first:last]
        # This chunk's answers, a question at a time, checked against its options; a
        # choice out of range is counted (the caller refuses them all) and read as no
        # answer, so every lookup below stays inside its table. int8 throughout, so the
        # copy and its checks are vector instructions.
        for q in range(question_count):
            column = columns[q][first:last]
            row = buf[q]
            lowest = np.int8(0)
            highest = np.int8(0)
            for i in range(rows):
                choice = column[i]
                row[i] = choice
                lowest = min(lowest, choice)
                highest = max(highest, choice)
            if lowest < -1 or highest >= counts[q]:
                for i in range(rows):
                    if row[i] < -1 or row[i] >= counts[q]:
                        bad[q] += 1
                        row[i] = -1
        # Conditional questions not asked count as not answered, in questionnaire order.
        for c in range(conditions.shape[0]):
            position = buf[conditions[c, 0]]
            parent = buf[conditions[c, 1]]
            first_asking = conditions[c, 2]
            if first_asking >= 0:  # a run of choices: two comparisons, vector instructions
                asks_from = np.int8(first_asking)
                asks_to = np.int8(conditions[c, 3])
                for i in range(rows):
                    position[i] |= -np.int8((parent[i] < asks_from) | (parent[i] > asks_to))
            else:
                not_asked = skip[c]
                for i in range(rows):
                    position[i] |= not_asked[np.uint8(parent[i])]
        if has_masks:
            # Unmet-outcome masks out of range are counted (in `bad`'s last place) and
            # read as none found unmet.
            given = masks[first:last]
            for i in range(rows):
                mask[i] = given[i]
            lowest_mask = np.int32(0)
            highest_mask = np.int32(0)
            for i in range(rows):
                lowest_mask = min(lowest_mask, mask[i])
                highest_mask = max(highest_mask, mask[i])
            if lowest_mask < 0 or highest_mask >= mask_limit:
                for i in range(rows):
                    if mask[i] < 0 or mask[i] >= mask_limit:
                        bad[question_count] += 1
                        mask[i] = 0
        for g in range(need_groups):
            _keys(buf, questions, radices, need_starts[g], need_starts[g + 1], keys, rows)
            if emit_words:
                words = need_words[g, first:last]
                for i in range(rows):
                    words[i] = keys[i]
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
                value[i] = need_table[np.uintp(base + index[i])]
            if pence_base[g] >= 0:
                base = pence_base[g]
                for i in range(rows):
                    p[i] += need_pence[np.uintp(base + index[i])]
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
                share[i] += support_table[np.uintp(base + keys[i])]
            if emit_words:
                words = support_words[g, first:last]
                for i in range(rows):
                    words[i] = keys[i]
        # Unfold the sums (engine._scores_from does the same in numpy): complex answers and
        # "cannot go on" answers, the cap on the reduction, then need, reduction and net.
        total = need[first:last]
        taken_out = reduction[first:last]
        left = net[first:last]
        plan = costed[first:last]
        for i in range(rows):
            kept = r[i]
            never = f[i]
            part = share[i]
            if folded[0]:
                plan[i] = (kept >> 24) + (never >> 24) > 0
                kept &= low
                never &= low
            if folded[1]:
                part = part & ((1 << 20) - 1) if part >> 20 == 0 else 0
            part = min(part, informal_cap)
            taken = np.int32((np.int64(kept) * part) // 100)
            r[i] = kept
            share[i] = part
            total[i] = kept + never
            taken_out[i] = taken
            left[i] = kept + never - taken


@njit(cache=True, nogil=True, error_model="numpy")
def amounts_part(
    rows, tables, by_table, net, support, with_support, low, high, start, stop, out, bad
):
    """One slice [start, stop) of engine.amounts_pence: each person's entry for their net
    points in their money table's row of `rows` (the first row when not `by_table`), plus
    their support in pence and then the limits `low` and `high` (high < 0: none) when
    `with_support`. Net points and tables out of range are counted in `bad` (the caller
    refuses them) and read as row 0, entry 0, so nothing is read outside the rows. With
    support, a band with no indicative amount (NO_AMOUNT) adds no money: the support is the
    whole amount, and only with none is there no amount (engine._amount_with_support)."""
    top = rows.shape[1]
    row_count = rows.shape[0]
    points = net[start:stop]
    written = out[start:stop]
    for i in range(stop - start):
        n = points[i]
        if n < 0 or n >= top:
            bad[0] += 1
            n = 0
        t = 0
        if by_table:
            t = tables[start + i]
            if t < 0 or t >= row_count:
                bad[1] += 1
                t = 0
        amount = rows[t, n]
        if with_support:
            if amount == NO_AMOUNT:  # no money of its own: the hours are the whole amount
                if support[start + i] == 0:
                    written[i] = NO_AMOUNT
                    continue
                amount = 0
            amount += support[start + i]
            amount = max(amount, low)
            if high >= 0:
                amount = min(amount, high)
        written[i] = amount


@njit(cache=True, nogil=True)
def review_order(percent, fall):
    """The review list's order (kernels.review_order): positions sorted by the percentage
    (ascending: the largest fall first), ties by the larger fall, then by position. A
    least-significant-digit radix sort, which keeps ties in order: first by the fall from
    the largest down, then by the percentage's bits (as an unsigned key in the same order
    as the floats), 11 bits a pass over only the bits that vary."""
    n = percent.shape[0]
    order = np.arange(n)
    if n < 2:
        return order
    by_percent = np.empty(n, dtype=np.uint64)
    _order_keys(percent, by_percent, n)
    by_fall = np.empty(n, dtype=np.uint64)
    largest = fall.max()
    for i in range(n):
        by_fall[i] = np.uint64(largest - fall[i])
    spare = np.empty(n, dtype=np.int64)
    for keys in (by_fall, by_percent):
        low = keys.min()
        span = keys.max() - low
        shift = np.uint64(0)
        while span >> shift:
            counts = np.zeros(2048 + 1, dtype=np.int64)
            for j in range(n):
                counts[((keys[order[j]] - low) >> shift & np.uint64(2047)) + 1] += 1
            for d in range(2048):
                counts[d + 1] += counts[d]
            for j in range(n):
                at = order[j]
                d = (keys[at] - low) >> shift & np.uint64(2047)
                spare[counts[d]] = at
                counts[d] += 1
            order, spare = spare, order
            shift += np.uint64(11)
    return order


@njit(cache=True, nogil=True, error_model="numpy")
def percents_part(bucket, current, proposed, low, high, start, stop, out):
    """One slice [start, stop) of kernels.percents_in: the percent change of each person
    whose bucket is from `low` to `high`, written from out[start] on; returns how many."""
    found = 0
    rows = np.empty(_CHUNK, dtype=np.int64)
    for first in range(start, stop, _CHUNK):
        last = min(stop, first + _CHUNK)
        buckets = bucket[first:last]
        now_amounts = current[first:last]
        then_amounts = proposed[first:last]
        # Which rows, without a branch for each: few are wanted, at random.
        count = 0
        span = np.uint64(high - low)
        for i in range(last - first):
            rows[count] = i
            count += np.uint64(buckets[i]) - np.uint64(low) <= span  # wraps below low
        for k in range(count):
            now = now_amounts[rows[k]]
            out[start + found + k] = ((then_amounts[rows[k]] - now) * 100) / now
        found += count
    return found
