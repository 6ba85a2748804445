"""Who gains and who loses from a modelled change, overall and by group.

A council must show a change is fair before it decides (the public sector equality duty,
Equality Act 2010 s149), so the breakdown reports every group on the same footing and lists
the people whose budgets would fall enough to need a review. It only ever sees amounts and
group codes: money is decided by the engine from points alone, never here.

Vectorised: all groups are combined into one cell code, so a whole caseload takes four
bincounts, and each group's figures are sums over the small cell table. Money stays integer
pence; percentages are floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np

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
# Outcome of each person, part of the cell code.
_SAME, _GAIN, _LOSS, _SAME_FROM_ZERO, _GAIN_FROM_ZERO = range(5)
_OUTCOMES = 5
_MAX_CELLS = 1 << 21  # cells per combined code; more groups than this are split into blocks
_FLOAT_EXACT = 1 << 53


@dataclass(frozen=True)
class Overall:
    people: int
    current_total_pence: int
    proposed_total_pence: int
    gainers: int
    losers: int
    unchanged: int
    mean_change_pence: int  # rounded half away from zero
    mean_percent_change: float | None  # over people whose current budget is above zero
    median_percent_change: float | None  # likewise


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
    mean_percent_change: float | None  # over the group's people with a current budget


@dataclass(frozen=True, eq=False)
class Breakdown:
    overall: Overall
    distribution: list[tuple[str, int]]
    groups: dict[str, list[GroupRow]]
    review_indices: np.ndarray  # rows falling by more than review_fall_percent, largest first
    review_fall_percent: Decimal


def breakdown(
    current_pence: np.ndarray,
    proposed_pence: np.ndarray,
    groups: dict[str, tuple[np.ndarray, list[str]]],
    review_fall_percent: float | Decimal,
) -> Breakdown:
    """Gains, losses and their spread for each group; rows to review, largest fall first.

    A person's percent change is (proposed - current) / current; people with nothing now
    count as a rise of more than 50% when they would get something, and within 2% otherwise,
    and are left out of percent averages and the median. The review list is ordered by the
    percentage fall, then the fall in pence, then row.
    """
    current = np.asarray(current_pence, dtype=np.int64)
    proposed = np.asarray(proposed_pence, dtype=np.int64)
    if current.shape != proposed.shape or current.ndim != 1:
        raise ValueError("Current and proposed amounts must be two lists of the same length")
    people = current.size
    if people and (current.min() < 0 or proposed.min() < 0):
        raise ValueError("Amounts must not be negative")
    threshold = _percent(review_fall_percent)
    checked = {
        name: _codes(name, codes, labels, people) for name, (codes, labels) in groups.items()
    }

    change = proposed - current
    from_zero = current == 0
    # Percent change; people with nothing now divide by 1, which lands them in the right bin.
    percent = change * 100 / (current + from_zero)
    bins = _bins(percent)

    names = list(checked)
    blocks = _blocks([len(checked[name][1]) for name in names])
    rows: dict[str, list[GroupRow]] = {}
    cells = None
    for block in blocks or [[]]:
        sizes = [len(checked[names[g]][1]) for g in block]
        size = math.prod(sizes) * _OUTCOMES
        key = np.zeros(people, dtype=np.int32 if size < 2**31 else np.int64)
        for g in block:
            key *= len(checked[names[g]][1])
            key += checked[names[g]][0]
        key *= _OUTCOMES
        _add_outcome(key, change, from_zero)
        cells = _Cells(
            counts=np.bincount(key, minlength=size).reshape(*sizes, _OUTCOMES),
            current=_sums(key, current, size).reshape(*sizes, _OUTCOMES),
            proposed=_sums(key, proposed, size).reshape(*sizes, _OUTCOMES),
            percent=np.bincount(key, weights=percent, minlength=size).reshape(*sizes, _OUTCOMES),
        )
        for axis, g in enumerate(block):
            labels = checked[names[g]][1]
            rows[names[g]] = [
                _row(labels[i], cells.marginal(axis, i), people) for i in range(len(labels))
            ]
    assert cells is not None
    overall = cells.total()
    distribution = np.bincount(bins, minlength=len(DISTRIBUTION_LABELS))
    # The same spread without people who have nothing now (within 2% or rising > 50%).
    with_budget = distribution.copy()
    with_budget[4] -= overall.counts[_SAME_FROM_ZERO]
    with_budget[8] -= overall.counts[_GAIN_FROM_ZERO]
    median = _median(percent, bins, with_budget, from_zero if with_budget.sum() < people else None)
    return Breakdown(
        overall=Overall(
            people=people,
            current_total_pence=overall.current_total,
            proposed_total_pence=overall.proposed_total,
            gainers=overall.gainers,
            losers=overall.losers,
            unchanged=overall.unchanged,
            mean_change_pence=overall.mean_change,
            mean_percent_change=overall.mean_percent,
            median_percent_change=median,
        ),
        distribution=list(zip(DISTRIBUTION_LABELS, distribution.tolist(), strict=True)),
        groups={name: rows[name] for name in names},
        review_indices=_review(current, change, percent, threshold),
        review_fall_percent=threshold,
    )


def _bins(percent: np.ndarray) -> np.ndarray:
    """Distribution bin of each percent change: the number of edges at or below it."""
    bins = np.zeros(percent.shape, dtype=np.uint8)
    above = np.empty(percent.shape, dtype=bool)
    for edge in _EDGES:
        np.greater_equal(percent, edge, out=above)
        bins += above
    return bins


def _add_outcome(key: np.ndarray, change: np.ndarray, from_zero: np.ndarray) -> None:
    """key += outcome, in place: gain 1, loss 2, plus 3 for people with nothing now."""
    key += change > 0
    loss = change < 0
    key += loss
    key += loss
    key += from_zero
    key += from_zero
    key += from_zero


def _median(
    percent: np.ndarray, bins: np.ndarray, counts: np.ndarray, from_zero: np.ndarray | None
) -> float | None:
    """numpy's median of the people with a current budget, partitioning only the bin needed.

    When the middle falls in a bin holding most people, partitioning everything is cheaper.
    """
    size = int(counts.sum())
    if not size:
        return None
    ranks = [(size - 1) // 2, size // 2]
    ends = np.cumsum(counts)
    where = [int(np.searchsorted(ends, rank, side="right")) for rank in ranks]
    if where[0] == where[1] and (from_zero is not None or counts[where[0]] * 2 < size):
        b = where[0]
        chosen = bins == b
        if from_zero is not None:
            chosen &= ~from_zero
        before = int(ends[b - 1]) if b else 0
        values = np.partition(percent[chosen], [r - before for r in ranks])
        middle = [values[r - before] for r in ranks]
    else:
        values = np.partition(percent if from_zero is None else percent[~from_zero], ranks)
        middle = [values[r] for r in ranks]
    return float((middle[0] + middle[1]) / 2)


def _percent(value: float | Decimal) -> Decimal:
    try:
        threshold = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("The review threshold must be a percentage") from None
    if not threshold.is_finite() or threshold < 0:
        raise ValueError("The review threshold must be a percentage of zero or more")
    return threshold


def _codes(name: str, codes, labels, people: int) -> tuple[np.ndarray, list[str]]:
    codes = np.asarray(codes)
    labels = list(labels)
    if codes.shape != (people,) or not np.issubdtype(codes.dtype, np.integer):
        raise ValueError(f"Group {name!r} needs one whole-number code per person")
    if not labels:
        raise ValueError(f"Group {name!r} needs at least one label")
    if people and (codes.min() < 0 or codes.max() >= len(labels)):
        raise ValueError(f"Group {name!r} has codes outside its {len(labels)} labels")
    return codes, labels


def _blocks(sizes: list[int]) -> list[list[int]]:
    """Group indexes combined into cell codes small enough to count in one pass each."""
    blocks, current, cells = [], [], _OUTCOMES
    for g, size in enumerate(sizes):
        if current and cells * size > _MAX_CELLS:
            blocks.append(current)
            current, cells = [], _OUTCOMES
        current.append(g)
        cells *= size
    if current:
        blocks.append(current)
    return blocks


def _sums(key: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Exact int64 sums of pence per cell: float bincount is exact below 2**53."""
    if not values.size or int(values.max()) * values.size < _FLOAT_EXACT:
        return np.bincount(key, weights=values, minlength=size).astype(np.int64)
    low = values & ((1 << 26) - 1)
    high = values >> 26
    return (np.bincount(key, weights=high, minlength=size).astype(np.int64) << 26) + np.bincount(
        key, weights=low, minlength=size
    ).astype(np.int64)


@dataclass(frozen=True)
class _Totals:
    counts: list[int]  # by outcome
    current_total: int
    proposed_total: int
    percent_sum: float  # over people with a current budget

    @property
    def people(self) -> int:
        return sum(self.counts)

    @property
    def gainers(self) -> int:
        return self.counts[_GAIN] + self.counts[_GAIN_FROM_ZERO]

    @property
    def losers(self) -> int:
        return self.counts[_LOSS]

    @property
    def unchanged(self) -> int:
        return self.counts[_SAME] + self.counts[_SAME_FROM_ZERO]

    @property
    def with_budget(self) -> int:
        return self.counts[_SAME] + self.counts[_GAIN] + self.counts[_LOSS]

    @property
    def mean_percent(self) -> float | None:
        return self.percent_sum / self.with_budget if self.with_budget else None

    @property
    def mean_change(self) -> int:
        if not self.people:
            return 0
        mean = Fraction(self.proposed_total - self.current_total, self.people)
        whole = math.floor(abs(mean) + Fraction(1, 2))
        return -whole if mean < 0 else whole


@dataclass(frozen=True, eq=False)
class _Cells:
    counts: np.ndarray  # (*labels, outcome)
    current: np.ndarray
    proposed: np.ndarray
    percent: np.ndarray

    def _totals(self, select) -> _Totals:
        def by_outcome(array):
            return array[select].reshape(-1, _OUTCOMES).sum(axis=0)

        percent = by_outcome(self.percent)
        return _Totals(
            counts=[int(c) for c in by_outcome(self.counts)],
            current_total=int(by_outcome(self.current).sum()),
            proposed_total=int(by_outcome(self.proposed).sum()),
            percent_sum=float(percent[[_SAME, _GAIN, _LOSS]].sum()),
        )

    def marginal(self, axis: int, index: int) -> _Totals:
        select = (slice(None),) * axis + (index,)
        return self._totals(select)

    def total(self) -> _Totals:
        return self._totals(Ellipsis)


def _row(label: str, totals: _Totals, people: int) -> GroupRow:
    count = totals.people
    return GroupRow(
        label=label,
        people=count,
        share=count / people if people else 0.0,
        current_total_pence=totals.current_total,
        proposed_total_pence=totals.proposed_total,
        gainers=totals.gainers,
        gainer_share=totals.gainers / count if count else 0.0,
        losers=totals.losers,
        loser_share=totals.losers / count if count else 0.0,
        mean_change_pence=totals.mean_change,
        mean_percent_change=totals.mean_percent,
    )


def _review(
    current: np.ndarray, change: np.ndarray, percent: np.ndarray, threshold: Decimal
) -> np.ndarray:
    """Rows whose fall is more than the threshold, decided exactly in integers."""
    # Floats first, with a margin, to find the few candidates; then the exact test.
    candidates = np.flatnonzero(percent < -float(threshold) + 1e-6)
    numerator, denominator = threshold.as_integer_ratio()
    fall = -change[candidates]
    base = current[candidates]
    if candidates.size and (
        int(np.abs(fall).max()) * 100 * denominator >= 2**62 or int(base.max()) * numerator >= 2**62
    ):
        keep = np.array(
            [
                f * 100 * denominator > numerator * b
                for f, b in zip(fall.tolist(), base.tolist(), strict=True)
            ],
            dtype=bool,
        )
    else:
        keep = fall * (100 * denominator) > base * numerator
    chosen = candidates[keep]
    # Largest percentage fall first; ties by larger fall in pence, then by row (lexsort is
    # stable and rows are ascending). Sort the floats quickly, then re-sort only the ties.
    order = chosen[np.argsort(percent[chosen])]
    values = percent[order]
    tied = np.flatnonzero(values[1:] == values[:-1])
    if tied.size:
        members = np.unique(np.concatenate((tied, tied + 1)))
        run = np.cumsum(np.concatenate(([0], values[1:] != values[:-1])))[members]
        rows = order[members]
        order[members] = rows[np.lexsort((rows, change[rows], run))]
    return order
