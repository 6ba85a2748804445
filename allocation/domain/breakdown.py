"""Who gains and who loses from a modelled change, overall and by group.

A council must show a change is fair before it decides (the public sector equality duty,
Equality Act 2010 s149), so the breakdown reports every group on the same footing, flags a
group whose budgets would change noticeably differently from everyone's (a possible
indirect discrimination, s19, which the council must be able to justify before it publishes),
and lists the people whose budgets would fall enough to need a review. It only ever sees
amounts and group codes: money is decided by the engine from points alone, never here.

Two measures of change, defined once and used everywhere:

- **Mean change** (money): the group's total change divided by its number of people, in
  pence, rounded half away from zero.
- **Change in the group's total** (percent): (proposed total − current total) ÷ current
  total. It always has the sign of the mean change (both are the sign of the total change),
  unlike a mean of each person's percentage, which small budgets can swing the other way.

A group of fewer than `SMALL_GROUP` people is shown only as "fewer than 10": its figures are
suppressed, and so are the next-smallest group's where a lone small group could otherwise be
worked out by subtracting the others from the total (complementary suppression). Suppressed
groups are never flagged.

Vectorised: the groups are combined into a few cell codes (blocks), so a whole caseload takes
three bincounts a block, and each group's figures are sums over its small cell table. Money
stays integer pence; percentages are floats, and the flag is decided exactly, in fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import partial

import numpy as np

from allocation.domain import kernels

DISTRIBUTION_LABELS = (
    "fall of more than 50%",
    "fall of 25–50%",
    "fall of 10–25%",
    "fall of 2–10%",
    "within 2%",
    "rise of 2–10%",
    "rise of 10–25%",
    "rise of 25–50%",
    "rise of more than 50%",
)
# A change of exactly 2%, 10%, 25% or 50% falls in the smaller bin, on both sides.
# Falls count edges b with pct >= b; rises count edges with pct > b, written as the next float.
_EDGES = np.array(
    [-50.0, -25.0, -10.0, -2.0] + [np.nextafter(b, np.inf) for b in (2.0, 10.0, 25.0, 50.0)]
)
# Outcome of each person, part of the count's cell code.
_SAME, _GAIN, _LOSS = range(3)
_OUTCOMES = 3
_MAX_CELLS = 1 << 19  # cells per combined code (with the outcome); more groups make more blocks
_FLOAT_EXACT = 1 << 53

# The compiled pass (from kernels.WORTH_IT people) keeps every block's cells, five figures
# each, in cache, a copy for each slice of the caseload, so its blocks are smaller.
_COMPILED_CELLS = 1 << 10
_NEGATIVE = "Amounts must not be negative"

SMALL_GROUP = 10  # fewer people than this: the group's figures are not shown
DEFAULT_FLAG_MARGIN = Decimal("5")  # percentage points


@dataclass(frozen=True)
class Overall:
    people: int
    current_total_pence: int
    proposed_total_pence: int
    gainers: int
    losers: int
    unchanged: int
    mean_change_pence: int  # the total change ÷ people, rounded half away from zero
    total_change_percent: float | None  # the change in the total, % of the current total
    median_percent_change: float | None  # of each person with a current budget


@dataclass(frozen=True)
class GroupRow:
    label: str
    people: int
    share: float  # of all people
    current_total_pence: int
    proposed_total_pence: int
    gainers: int
    gainer_share: float  # of the group
    losers: int
    loser_share: float
    mean_change_pence: int
    total_change_percent: float | None  # None when the group has nothing now
    difference_points: float | None  # total_change_percent less everyone's
    suppressed: bool = False  # a small group, or hidden so that one cannot be worked out
    flagged: bool = False  # differs from everyone's by more than the margin


@dataclass(frozen=True, eq=False)
class Breakdown:
    overall: Overall
    distribution: list[tuple[str, int]]
    groups: dict[str, list[GroupRow]]
    review_indices: np.ndarray  # rows falling by more than review_fall_percent, largest first
    review_fall_percent: Decimal
    flag_margin: Decimal  # percentage points

    @property
    def flagged(self) -> list[tuple[str, GroupRow]]:
        return [(name, row) for name, rows in self.groups.items() for row in rows if row.flagged]


def breakdown(
    current_pence: np.ndarray,
    proposed_pence: np.ndarray,
    groups: dict[str, tuple[np.ndarray, list[str]]],
    review_fall_percent: float | Decimal,
    *,
    flag_margin: float | Decimal = DEFAULT_FLAG_MARGIN,
) -> Breakdown:
    """Gains, losses and their spread for each group; rows to review, largest fall first.

    A person's percent change is (proposed - current) / current; people with nothing now
    count as a rise of more than 50% when they would get something, and within 2% otherwise,
    and are left out of the median. The review list is ordered by the percentage fall, then
    the fall in pence, then row. A group is flagged when its change in total differs from
    everyone's by more than `flag_margin` percentage points.
    """
    current = np.asarray(current_pence, dtype=np.int64)
    proposed = np.asarray(proposed_pence, dtype=np.int64)
    if current.shape != proposed.shape or current.ndim != 1:
        raise ValueError("Current and proposed amounts must be two lists of the same length")
    people = current.size
    small = 0 < people < kernels.WORTH_IT  # the compiled pass checks as it goes
    if small and (current.min() < 0 or proposed.min() < 0):
        raise ValueError(_NEGATIVE)
    threshold = _percent(review_fall_percent, "The review threshold")
    margin = _percent(flag_margin, "The margin")
    checked = {
        name: _codes(name, codes, labels, people) for name, (codes, labels) in groups.items()
    }

    if people >= kernels.WORTH_IT:
        result = _compiled(current, proposed, checked, threshold, margin)
        if result is not None:
            return result
    change = proposed - current
    from_zero = current == 0
    outcome = _outcomes(change)
    weights = _Weights(current, proposed)
    # Percent change; people with nothing now divide by 1, which lands them in the right bin.
    percent = _percent_change(change, current, from_zero, weights)
    whole = _whole_percents(percent)
    fine = np.bincount(whole, minlength=_WHOLE_SIZE)

    names = list(checked)
    totals: dict[str, list[_Totals]] = {}
    for block in _blocks([len(checked[name][1]) for name in names]):
        sizes = [len(checked[names[g]][1]) for g in block]
        # Built in 32 bits (half the memory to sweep for each group), then widened once:
        # np.bincount counts with intp indexes and would otherwise widen it for every count.
        narrow = math.prod(sizes) * _OUTCOMES < 2**31
        key = np.zeros(people, dtype=np.int32 if narrow else np.int64)
        for g in block:
            key *= len(checked[names[g]][1])
            key += checked[names[g]][0]
        key = key.astype(np.intp, copy=False)
        table = weights.table(key, outcome, sizes)
        for axis, g in enumerate(block):
            totals[names[g]] = table.marginals(axis)
    everyone = _Totals(
        counts=np.bincount(outcome, minlength=_OUTCOMES).tolist(),
        current_total=int(current.sum()),
        proposed_total=int(proposed.sum()),
    )
    # The same spread without people who have nothing now (exactly 0%, or rising > 51%).
    from_nothing = int(np.count_nonzero(from_zero))
    still_nothing = int(np.count_nonzero(proposed[from_zero] == 0)) if from_nothing else 0
    with_budget = _with_budget(fine, from_nothing, still_nothing)
    median = _median(with_budget, partial(_percents_in, percent, whole, from_zero))
    review = _review(current, proposed, percent, threshold)
    return _result(checked, totals, everyone, fine, median, review, threshold, margin)


def _compiled(current, proposed, checked, threshold: Decimal, margin: Decimal) -> Breakdown | None:
    """The same breakdown from one compiled pass over everyone (kernels.breakdown_pass), or
    None when the amounts are too large for its 64-bit totals (the numpy way then sums them)."""
    people = current.size
    names = list(checked)
    sizes = [len(checked[name][1]) for name in names]
    codes = [checked[name][0] for name in names]
    blocks = _blocks(sizes, _COMPILED_CELLS * _OUTCOMES)
    passed = kernels.breakdown_pass(
        current,
        proposed,
        codes or [np.zeros(people, dtype=np.int8)],
        blocks,
        sizes,
        -float(threshold) + 1e-6,
    )
    negatives, largest = passed.negatives, passed.largest
    for g in passed.outside:
        raise ValueError(_outside(names[g], checked[names[g]][1]))
    if negatives:
        raise ValueError(_NEGATIVE)
    if largest * max(people, 1) * 100 >= 2**62:
        return None
    in_floats = largest * max(people, 1) < _FLOAT_EXACT
    totals: dict[str, list[_Totals]] = {}
    for block, cells in zip(blocks, passed.tables, strict=True):
        shape = [sizes[g] for g in block]
        if in_floats:
            cells = cells.astype(np.float64)
        table = _Table(
            counts=cells[:, :_OUTCOMES].T.reshape(_OUTCOMES, *shape),
            current=cells[:, 3].reshape(shape),
            proposed=cells[:, 4].reshape(shape),
            in_floats=in_floats,
        )
        for axis, g in enumerate(block):
            totals[names[g]] = table.marginals(axis)
    everyone = _Totals(
        counts=passed.overall[:_OUTCOMES].tolist(),
        current_total=int(passed.overall[3]),
        proposed_total=int(passed.overall[4]),
    )
    median = _median(
        passed.buckets, partial(kernels.percents_between, passed.bucket, current, proposed)
    )
    candidates = passed.candidates
    review = _reviewed(
        candidates.rows,
        candidates.current,
        candidates.proposed,
        candidates.percents,
        threshold,
        compiled=True,
    )
    return _result(checked, totals, everyone, passed.wholes, median, review, threshold, margin)


def _with_budget(fine: np.ndarray, from_nothing: int, still_nothing: int) -> np.ndarray:
    """The whole-percent counts without people who have nothing now (exactly 0%, or rising
    more than 51%): the median is of people with a current budget."""
    with_budget = fine.copy()
    with_budget[_WHOLE_OFFSET] -= still_nothing
    with_budget[-1] -= from_nothing - still_nothing
    return with_budget


def _result(
    checked, totals, everyone: _Totals, fine, median, review, threshold, margin
) -> Breakdown:
    """The breakdown from its counted parts, however they were counted."""
    distribution = np.bincount(_WHOLE_BIN, weights=fine, minlength=len(DISTRIBUTION_LABELS))
    return Breakdown(
        overall=Overall(
            people=everyone.people,
            current_total_pence=everyone.current_total,
            proposed_total_pence=everyone.proposed_total,
            gainers=everyone.gainers,
            losers=everyone.losers,
            unchanged=everyone.unchanged,
            mean_change_pence=everyone.mean_change,
            total_change_percent=everyone.total_change_percent,
            median_percent_change=median,
        ),
        distribution=list(
            zip(DISTRIBUTION_LABELS, distribution.astype(np.int64).tolist(), strict=True)
        ),
        groups={
            name: _rows(labels, totals[name], everyone, margin)
            for name, (_codes, labels) in checked.items()
        },
        review_indices=review,
        review_fall_percent=threshold,
        flag_margin=margin,
    )


def _bins(percent: np.ndarray) -> np.ndarray:
    """Distribution bin of each percent change: the number of edges at or below it."""
    bins = np.zeros(percent.shape, dtype=np.uint8)
    above = np.empty(percent.shape, dtype=bool)
    for edge in _EDGES:
        np.greater_equal(percent, edge, out=above)
        bins += above
    return bins


# Each percent change rounded away from zero to a whole percent (a fall down, a rise up),
# and held between -51 and 51: a fall counts against an edge e exactly when its rounding
# does (x >= e iff floor(x) >= e, for a whole e), and a rise likewise (x > b iff ceil(x) > b),
# so these 103 whole percents decide the distribution bins, and narrow the median's search.
_WHOLE_LIMIT = 51
_WHOLE_OFFSET = _WHOLE_LIMIT  # the index of exactly 0%
_WHOLE_SIZE = 2 * _WHOLE_LIMIT + 1
_WHOLE_BIN = _bins(np.arange(-_WHOLE_LIMIT, _WHOLE_LIMIT + 1, dtype=np.float64)).astype(np.intp)


def _percent_change(change, current, from_zero, weights: _Weights) -> np.ndarray:
    """(proposed - current) * 100 / current, people with nothing now divided by 1: the same
    correctly rounded floats as the integer division, from the float copies when they are
    exact (whole numbers below 2**53), which saves converting twice."""
    if weights.exact_in_floats and weights.largest * 100 < _FLOAT_EXACT:
        now, then = weights.floats
        percent = np.subtract(then, now)
        percent *= 100
        percent /= now + from_zero
        return percent
    return change * 100 / (current + from_zero)


def _whole_percents(percent: np.ndarray) -> np.ndarray:
    """Each person's whole percent (see _WHOLE_BIN) as an index from 0 to 102."""
    whole = np.abs(percent)
    np.ceil(whole, out=whole)
    np.minimum(whole, _WHOLE_LIMIT, out=whole)
    np.copysign(whole, percent, out=whole)
    whole += _WHOLE_OFFSET
    return whole.astype(np.intp)


def _outcomes(change: np.ndarray) -> np.ndarray:
    """Each person's outcome code: same 0, gain 1, loss 2."""
    outcome = (change > 0).astype(np.uint8)
    loss = change < 0
    outcome += loss
    outcome += loss
    return outcome


def _median(counts: np.ndarray, percents_in) -> float | None:
    """numpy's median of the people with a current budget, from their counts by bins in
    the order of their percent changes (whole percents, or the compiled pass's buckets):
    `percents_in(low, high)` gives the percent changes in bins low to high, in any order,
    and only those are partitioned."""
    size = int(counts.sum())
    if not size:
        return None
    ranks = [(size - 1) // 2, size // 2]
    ends = np.cumsum(counts)
    low, high = (int(np.searchsorted(ends, rank, side="right")) for rank in ranks)
    before = int(ends[low - 1]) if low else 0
    values = np.partition(percents_in(low, high), [r - before for r in ranks])
    middle = [values[r - before] for r in ranks]
    return float((middle[0] + middle[1]) / 2)


def _percents_in(percent, whole, from_zero, low: int, high: int) -> np.ndarray:
    """The percent changes of the people with a current budget in these whole percents."""
    chosen = whole == low
    if high != low:
        chosen |= whole == high
    chosen &= ~from_zero
    return percent[chosen]


def _percent(value: float | Decimal, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{what} must be a percentage") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{what} must be a percentage of zero or more")
    return number


def _codes(name: str, codes, labels, people: int) -> tuple[np.ndarray, list[str]]:
    codes = np.asarray(codes)
    # The compiled pass checks the range of byte codes as it reads them; wider codes are
    # checked here, before it narrows them.
    in_range = people < kernels.WORTH_IT or codes.dtype != np.int8 or not codes.flags.c_contiguous
    labels = list(labels)
    if codes.shape != (people,) or not np.issubdtype(codes.dtype, np.integer):
        raise ValueError(f"Group {name!r} needs one whole-number code per person")
    if not labels:
        raise ValueError(f"Group {name!r} needs at least one label")
    if in_range and people and (codes.min() < 0 or codes.max() >= len(labels)):
        raise ValueError(_outside(name, labels))
    return codes, labels


def _outside(name: str, labels) -> str:
    return f"Group {name!r} has codes outside its {len(labels)} labels"


def _blocks(sizes: list[int], cells: int | None = None) -> list[list[int]]:
    """Groups combined into cell codes small enough to count in one pass each: as few blocks
    as first-fit (largest groups first) finds, since each block is a pass over everyone."""
    capacity = max(1, (cells or _MAX_CELLS) // _OUTCOMES)
    blocks: list[list] = []  # [cells, group indexes]
    for g in sorted(range(len(sizes)), key=lambda g: (-sizes[g], g)):
        for block in blocks:
            if block[0] * sizes[g] <= capacity:
                block[0] *= sizes[g]
                block[1].append(g)
                break
        else:
            blocks.append([sizes[g], [g]])
    return [sorted(members) for _cells, members in blocks]


class _Weights:
    """Current and proposed pence, summed per cell exactly (float bincount is exact below
    2**53, so the float copies are made once, when every sum fits)."""

    def __init__(self, current: np.ndarray, proposed: np.ndarray):
        self.current, self.proposed = current, proposed
        largest = max(int(current.max()), int(proposed.max())) if current.size else 0
        self.largest = largest
        self.exact_in_floats = largest * max(current.size, 1) < _FLOAT_EXACT
        if self.exact_in_floats:
            self.floats = (current.astype(np.float64), proposed.astype(np.float64))

    def _sums(self, key: np.ndarray, which: int, size: int) -> np.ndarray:
        if self.exact_in_floats:  # kept as floats: every sum is a whole number below 2**53
            return np.bincount(key, weights=self.floats[which], minlength=size)
        values = (self.current, self.proposed)[which]
        low = values & ((1 << 26) - 1)
        high = values >> 26
        return (
            np.bincount(key, weights=high, minlength=size).astype(np.int64) << 26
        ) + np.bincount(key, weights=low, minlength=size).astype(np.int64)

    def table(self, key: np.ndarray, outcome: np.ndarray, sizes: list[int]) -> _Table:
        cells = math.prod(sizes)
        with_outcome = outcome.astype(np.intp)
        with_outcome *= cells
        with_outcome += key
        counts = np.bincount(with_outcome, minlength=cells * _OUTCOMES)
        if self.exact_in_floats:
            counts = counts.astype(np.float64)
        return _Table(
            counts=counts.reshape(_OUTCOMES, *sizes),
            current=self._sums(key, 0, cells).reshape(sizes),
            proposed=self._sums(key, 1, cells).reshape(sizes),
            in_floats=self.exact_in_floats,
        )


@dataclass(frozen=True, eq=False)
class _Table:
    counts: np.ndarray  # (outcome, *labels)
    current: np.ndarray  # (*labels)
    proposed: np.ndarray
    in_floats: bool  # every figure a whole number below 2**53, held as a float

    def marginals(self, axis: int) -> list[_Totals]:
        """Each label of one group, summed over every other group in the block.

        The table is read as (groups before, this group, groups after) and folded with two
        matrix products, which numpy does quickly whatever the shape (a sum over many small
        axes is slow). Floats are exact here: every partial sum is a whole number below 2**53.
        """
        sizes = self.current.shape
        before, size = math.prod(sizes[:axis]), sizes[axis]
        after = math.prod(sizes[axis + 1 :])
        if self.in_floats:
            ones_before, ones_after = np.ones(before), np.ones(after)

            def fold(table):
                across = ones_before @ table.reshape(before, size * after)
                return across.reshape(size, after) @ ones_after
        else:

            def fold(table):
                return table.reshape(before, size, after).sum(axis=(0, 2))

        counts = [fold(self.counts[o]) for o in range(_OUTCOMES)]
        current, proposed = fold(self.current), fold(self.proposed)
        return [
            _Totals(
                counts=[int(by_outcome[i]) for by_outcome in counts],
                current_total=int(current[i]),
                proposed_total=int(proposed[i]),
            )
            for i in range(size)
        ]


@dataclass(frozen=True)
class _Totals:
    counts: list[int]  # by outcome
    current_total: int
    proposed_total: int

    @property
    def people(self) -> int:
        return sum(self.counts)

    @property
    def gainers(self) -> int:
        return self.counts[_GAIN]

    @property
    def losers(self) -> int:
        return self.counts[_LOSS]

    @property
    def unchanged(self) -> int:
        return self.counts[_SAME]

    @property
    def mean_change(self) -> int:
        if not self.people:
            return 0
        mean = Fraction(self.proposed_total - self.current_total, self.people)
        whole = math.floor(abs(mean) + Fraction(1, 2))
        return -whole if mean < 0 else whole

    @property
    def total_change(self) -> Fraction | None:
        """The change in the total as a fraction of the current total (None from nothing)."""
        if not self.current_total:
            return None
        return Fraction(self.proposed_total - self.current_total, self.current_total)

    @property
    def total_change_percent(self) -> float | None:
        # int / int is correctly rounded, so the float keeps the exact value's sign.
        if not self.current_total:
            return None
        return (self.proposed_total - self.current_total) * 100 / self.current_total


def _suppressed(people: list[int]) -> set[int]:
    """Which rows of one group to hide: every group of 1 to 9 people, and then the smallest
    others until at least two rows of at least SMALL_GROUP people in all are hidden, so that
    no small group can be worked out by subtracting the rows shown from the total."""
    hidden = {i for i, n in enumerate(people) if 0 < n < SMALL_GROUP}
    if not hidden:
        return hidden
    while len(hidden) < 2 or sum(people[i] for i in hidden) < SMALL_GROUP:
        rest = [i for i, n in enumerate(people) if n > 0 and i not in hidden]
        if not rest:
            break
        hidden.add(min(rest, key=lambda i: (people[i], i)))
    return hidden


def _rows(
    labels: list[str], totals: list[_Totals], everyone: _Totals, margin: Decimal
) -> list[GroupRow]:
    hidden = _suppressed([t.people for t in totals])
    overall = everyone.total_change
    limit = Fraction(margin) / 100
    rows = []
    for index, (label, t) in enumerate(zip(labels, totals, strict=True)):
        mine = t.total_change
        difference = (
            None
            if mine is None or overall is None
            else t.total_change_percent - everyone.total_change_percent
        )
        suppressed = index in hidden
        flagged = (
            not suppressed
            and t.people > 0
            and mine is not None
            and overall is not None
            and abs(mine - overall) > limit
        )
        rows.append(
            GroupRow(
                label=label,
                people=t.people,
                share=t.people / everyone.people if everyone.people else 0.0,
                current_total_pence=t.current_total,
                proposed_total_pence=t.proposed_total,
                gainers=t.gainers,
                gainer_share=t.gainers / t.people if t.people else 0.0,
                losers=t.losers,
                loser_share=t.losers / t.people if t.people else 0.0,
                mean_change_pence=t.mean_change,
                total_change_percent=t.total_change_percent,
                difference_points=difference,
                suppressed=suppressed,
                flagged=flagged,
            )
        )
    return rows


def _review(
    current: np.ndarray, proposed: np.ndarray, percent: np.ndarray, threshold: Decimal
) -> np.ndarray:
    """Rows whose fall is more than the threshold, largest first (see `_reviewed`)."""
    # Floats first, with a margin, to find the few candidates; then the exact test.
    rows = np.flatnonzero(percent < -float(threshold) + 1e-6)
    return _reviewed(rows, current[rows], proposed[rows], percent[rows], threshold)


def _reviewed(
    rows: np.ndarray,
    now: np.ndarray,
    then: np.ndarray,
    percent: np.ndarray,
    threshold: Decimal,
    *,
    compiled: bool = False,
) -> np.ndarray:
    """Of the candidate rows (in row order, with their amounts now and proposed and their
    percent change), those whose fall is more than the threshold, decided exactly in
    integers; in review order (`_largest_fall_first`), by a compiled sort when `compiled`."""
    numerator, denominator = threshold.as_integer_ratio()
    fall = now - then
    if rows.size and (
        int(np.abs(fall).max()) * 100 * denominator >= 2**62 or int(now.max()) * numerator >= 2**62
    ):
        keep = np.array(
            [
                f * 100 * denominator > numerator * b
                for f, b in zip(fall.tolist(), now.tolist(), strict=True)
            ],
            dtype=bool,
        )
    else:
        keep = fall * (100 * denominator) > now * numerator
    order = kernels.review_order if compiled else _largest_fall_first
    return rows[keep][order(percent[keep], fall[keep])]


def _largest_fall_first(percent: np.ndarray, fall: np.ndarray) -> np.ndarray:
    """The order of the review list (positions in row order): the largest percentage fall
    first, ties by the larger fall in pence, then by row. One sort by percentage; then the
    people whose percentages tie exactly (often many: the same amounts before and after)
    are put in order among themselves, in one sort of a whole-number key where it fits."""
    order = np.argsort(percent)
    ranked = percent[order]
    tied = ranked[1:] == ranked[:-1]
    if not tied.any():
        return order
    in_tie = np.zeros(order.size, dtype=bool)
    in_tie[1:] |= tied
    in_tie[:-1] |= tied
    places = np.flatnonzero(in_tie)  # each tie's places are together, in percent order
    members = order[places]
    falls = fall[members]
    lowest, highest = int(falls.min()), int(falls.max())
    # Key: which tie (in percent order), then the fall from the largest down, then the row.
    row_bits = int(order.size).bit_length()
    fall_bits = (highest - lowest).bit_length()
    starts = ~np.concatenate(([False], tied))[places]
    tie = np.cumsum(starts, dtype=np.int64) - 1
    if int(tie[-1]).bit_length() + fall_bits + row_bits < 63:
        key = tie << (fall_bits + row_bits)
        key |= (highest - falls) << row_bits
        key |= members
        key.sort()
        order[places] = key & ((1 << row_bits) - 1)
    else:
        order[places] = members[np.lexsort((members, -falls, percent[members]))]
    return order
