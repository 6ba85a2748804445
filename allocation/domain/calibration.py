"""Calibration: fit the allocation rule to real package costs, then scale it to the envelope.

Fitting says what a point has been worth in practice; scaling makes the modelled annual total
for the whole caseload equal the money available to the penny, so a version can be published
knowing what it will cost. Pure numpy and exact rationals, no Django.

Fits are solved exactly in rationals from integer points and integer pence, so rounding the
parameters to pennies and to 4 decimal places is deterministic; floats appear only in the
statistics (R², MAPE) and the chart predictions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import numpy as np

from allocation.domain.definition import (
    MAX_DECIMAL_PLACES,
    Allocation,
    Band,
    Definition,
    parse,
    rule_dict,
)
from allocation.domain.engine import CompiledScheme, issued_pence_table, per_step
from core.money import annual_multiplier, format_pence

METHODS = ("ols", "ols0", "lad", "bands")
_BAND_DENOMINATOR = 10**MAX_DECIMAL_PLACES  # band amounts in 1e-14 pence are integers


class CalibrationError(ValueError):
    """The data or the target cannot give a rule; the message says why in plain English."""


@dataclass(frozen=True, eq=False)
class Fit:
    method: str
    n: int
    fixed_amount: Decimal  # 2 dp; 0 for ols0 and bands
    price_per_point: Decimal | None  # 4 dp, > 0; None for bands
    bands: tuple[tuple[int, Decimal], ...]  # (min_points, amount 2 dp); () unless bands
    predictions: np.ndarray  # float pounds per package, from the rounded parameters (charts)
    r2: float
    mape: float  # mean |prediction - cost| / cost over costs > 0, as a fraction
    note: str = ""


@dataclass(frozen=True)
class Scaled:
    allocation: dict  # the definition format's "allocation" shape
    scale_factor: Decimal  # new price / fitted price, or the band multiplier (6 dp, display)
    decimal_places: int
    modelled_annual_total: Decimal  # exact caseload total rounded to the penny: == target
    target_annual_pence: int
    issued_annual_total_pence: int  # sum of issued (penny-rounded) amounts: may differ a little
    people_at_minimum: int
    people_at_maximum: int


# --- exact helpers -----------------------------------------------------------------------


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """Round a rational half away from zero (Decimal's ROUND_HALF_UP) to `places`."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def _round_down(value: Fraction, places: int) -> Decimal:
    return Decimal(math.floor(value * 10**places)).scaleb(-places)


def _round_up(value: Fraction, places: int) -> Decimal:
    return Decimal(math.ceil(value * 10**places)).scaleb(-places)


def _pence(value: Fraction) -> int:
    """Half-up to a whole penny (totals are never negative)."""
    return math.floor(value + Fraction(1, 2))


def _exact_dot(a: np.ndarray, b: np.ndarray) -> int:
    """Sum of products as an exact Python int: int64 when it cannot overflow."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.size == 0:
        return 0
    bound = int(np.abs(a).max()) * int(np.abs(b).max()) * a.size
    if bound < 2**63:
        return int(np.dot(a, b))
    return sum(int(x) * int(y) for x, y in zip(a.tolist(), b.tolist(), strict=True))


# --- fitting -----------------------------------------------------------------------------


def fit(method: str, points: np.ndarray, costs_pence: np.ndarray, *, band_count: int = 10) -> Fit:
    """Fit the allocation function to packages: net points and actual weekly cost in pence."""
    if method not in METHODS:
        raise CalibrationError(f"Unknown fitting method {method!r}: use {', '.join(METHODS)}")
    x = np.asarray(points, dtype=np.int64).ravel()
    y = np.asarray(costs_pence, dtype=np.int64).ravel()
    if x.shape != y.shape:
        raise CalibrationError("Every package needs both its points and its cost")
    if x.size == 0:
        raise CalibrationError("There are no packages to fit to")
    if x.min() < 0 or y.min() < 0:
        raise CalibrationError("Points and costs must not be negative")
    if method == "bands":
        return _fit_bands(x, y, band_count)
    note = ""
    if method == "ols":
        intercept, slope = _ols(x, y)
    elif method == "lad":
        intercept, slope = _lad(x, y)
    else:
        intercept, slope = Fraction(0), _ols0(x, y)
    fixed = _round_half_up(intercept / 100, 2)
    if fixed < 0:
        # Least squares and least absolute deviations are convex, so the best fit with
        # fixed >= 0 lies on fixed = 0: the fit through the origin.
        slope = _ols0(x, y) if method == "ols" else _lad0(x, y)
        fixed = Decimal("0.00")
        note = "The fitted fixed amount was negative, so the rule was refitted through zero."
    price = _round_half_up(slope / 100, 4)
    if price <= 0:
        raise CalibrationError(
            "The package costs do not rise with points, so no positive price per point fits them"
        )
    predictions = (float(fixed) + float(price) * x).astype(np.float64)
    return _finish(method, x, y, predictions, fixed, price, (), note)


def _finish(method, x, y, predictions, fixed, price, bands, note) -> Fit:
    costs = y / 100.0
    residual = float(np.sum((costs - predictions) ** 2))
    total = float(np.sum((costs - costs.mean()) ** 2))
    r2 = 1.0 - residual / total if total > 0 else (1.0 if residual == 0 else 0.0)
    positive = costs > 0
    mape = (
        float(np.mean(np.abs(predictions[positive] - costs[positive]) / costs[positive]))
        if positive.any()
        else 0.0
    )
    return Fit(
        method=method,
        n=int(x.size),
        fixed_amount=fixed,
        price_per_point=price,
        bands=bands,
        predictions=predictions,
        r2=r2,
        mape=mape,
        note=note,
    )


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[Fraction, Fraction]:
    n = x.size
    sx, sy = int(x.sum()), int(y.sum())
    sxx, sxy = _exact_dot(x, x), _exact_dot(x, y)
    spread = n * sxx - sx * sx
    if spread == 0:
        raise CalibrationError(
            "Every package has the same points, so the packages cannot show what a point is worth"
        )
    slope = Fraction(n * sxy - sx * sy, spread)
    return (sy - slope * sx) / n, slope


def _ols0(x: np.ndarray, y: np.ndarray) -> Fraction:
    sxx = _exact_dot(x, x)
    if sxx == 0:
        raise CalibrationError("No package has any points, so a price per point cannot be fitted")
    return Fraction(_exact_dot(x, y), sxx)


def _lad(x: np.ndarray, y: np.ndarray) -> tuple[Fraction, Fraction]:
    """Least absolute deviations, exactly: a descent over lines through two packages.

    An optimal line passes through two data points (it is a vertex of the linear programme).
    From a line through points i and j, try the best line through each point the line passes
    through (a weighted median of slopes); move while the total absolute deviation falls. At
    a vertex where no such rotation helps, no direction helps, so the line is optimal.
    """
    if np.unique(x).size < 2:
        raise CalibrationError(
            "Every package has the same points, so the packages cannot show what a point is worth"
        )
    xs, ys = x.tolist(), y.tolist()
    mid = float(np.median(x))
    start = int(np.lexsort((np.abs(y - np.median(y)), np.abs(x - mid)))[0])
    i = start
    j = _best_partner(x, y, xs[i], ys[i])
    best = _deviation(x, y, xs[i], ys[i], xs[j], ys[j])
    for _ in range(10_000):
        if best == 0:
            break
        improved = False
        for r in _on_line(x, y, xs[i], ys[i], xs[j], ys[j]):
            k = _best_partner(x, y, xs[r], ys[r])
            deviation = _deviation(x, y, xs[r], ys[r], xs[k], ys[k])
            if deviation < best:
                i, j, best, improved = r, k, deviation, True
                break
        if not improved:
            break
    slope = Fraction(ys[j] - ys[i], xs[j] - xs[i])
    return ys[i] - slope * xs[i], slope


def _lad0(x: np.ndarray, y: np.ndarray) -> Fraction:
    """LAD through the origin: the weighted median of cost / points, weighted by points."""
    if not (x != 0).any():
        raise CalibrationError("No package has any points, so a price per point cannot be fitted")
    k = _best_partner(x, y, 0, 0)
    return Fraction(int(y[k]), int(x[k]))


def _best_partner(x: np.ndarray, y: np.ndarray, px: int, py: int) -> int:
    """The point q making the line through (px, py) and q the best line through (px, py).

    Sum |dy - b dx| = sum |dx| * |dy/dx - b|, minimised by a weighted median of the slopes.
    Slopes of integer data differ by far more than float resolution, so sorting floats is
    exact here.
    """
    dx = x - px
    usable = np.flatnonzero(dx != 0)
    slopes = (y[usable] - py) / dx[usable]
    order = np.argsort(slopes, kind="stable")
    weights = np.abs(dx[usable][order])
    cumulative = np.cumsum(weights)
    k = int(np.searchsorted(2 * cumulative, int(cumulative[-1]), side="left"))
    return int(usable[order[k]])


def _deviation(x, y, xi: int, yi: int, xj: int, yj: int) -> Fraction:
    """Exact total absolute deviation from the line through (xi, yi) and (xj, yj)."""
    run, rise = xj - xi, yj - yi
    terms = np.abs((y - yi) * run - rise * (x - xi))
    bound = int(terms.max()) * terms.size if terms.size else 0
    total = int(terms.sum()) if bound < 2**63 else sum(terms.tolist())
    return Fraction(total, abs(run))


def _on_line(x, y, xi: int, yi: int, xj: int, yj: int) -> list[int]:
    """Points with zero residual, one per distinct points value (rotations about them)."""
    run, rise = xj - xi, yj - yi
    hits = np.flatnonzero((y - yi) * run == rise * (x - xi))
    _values, first = np.unique(x[hits], return_index=True)
    return [int(h) for h in hits[first]]


def _fit_bands(x: np.ndarray, y: np.ndarray, band_count: int) -> Fit:
    """Equal-count bands from quantiles of points; amounts are band means, made monotone."""
    if band_count < 1:
        raise CalibrationError("Ask for at least one band")
    ordered = np.sort(x)
    n = ordered.size
    starts = [0]
    for k in range(1, band_count):
        value = int(ordered[(k * n) // band_count])
        if value > starts[-1]:
            starts.append(value)
    while len(starts) > 1 and not (x < starts[1]).any():  # first band must hold packages
        del starts[1]
    index = np.searchsorted(np.array(starts), x, side="right") - 1
    counts = np.bincount(index, minlength=len(starts))
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sums = np.add.reduceat(y[np.argsort(index, kind="stable")], offsets).tolist()
    counts = counts.tolist()
    # Pool adjacent violators: merge neighbouring bands until means never fall.
    blocks: list[list] = []  # [start, total pence, count]
    for start, total, count in zip(starts, sums, counts, strict=True):
        blocks.append([start, total, count])
        while len(blocks) > 1 and Fraction(blocks[-2][1], blocks[-2][2]) > Fraction(
            blocks[-1][1], blocks[-1][2]
        ):
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    bands = tuple(
        (int(start), _round_half_up(Fraction(total, count) / 100, 2))
        for start, total, count in blocks
    )
    amounts = np.array([float(a) for _s, a in bands])
    predictions = amounts[np.searchsorted(np.array([s for s, _a in bands]), x, side="right") - 1]
    note = "" if len(bands) == len(starts) else "Some bands were merged so amounts never fall."
    return _finish("bands", x, y, predictions, Decimal("0.00"), None, bands, note)


def allocation_dict(result: Fit) -> dict:
    """The fit as the definition format's "allocation"."""
    if result.method == "bands":
        return {
            "method": "bands",
            "bands": [{"min_points": s, "amount": format(a, "f")} for s, a in result.bands],
        }
    return {
        "method": "price_per_point",
        "fixed_amount": format(result.fixed_amount, "f"),
        "price_per_point": format(result.price_per_point, "f"),
    }


# --- scaling to the envelope -------------------------------------------------------------


class _Caseload:
    """The caseload's annual total as a function of one unknown x, exactly.

    Each bin (people with the same amount rule) pays clamp((base + slope * x) / denominator)
    pence, clamped to the limits: x is the price in pence per point (base = fixed amount in
    pence, slope = points) or the band multiplier (base = 0, slope = band amount in pence *
    denominator). The total is non-decreasing and piecewise linear in x.
    """

    def __init__(self, counts, bases, slopes, denominator, low, high, multiplier):
        self.counts, self.bases, self.slopes = counts, bases, slopes
        self.denominator, self.low, self.high = denominator, low, high
        self.multiplier = multiplier

    def total(self, x: Fraction) -> Fraction:
        """Annual pence, exact."""
        p, q = x.numerator, x.denominator
        scale = self.denominator * q
        low = None if self.low is None else self.low * scale
        high = None if self.high is None else self.high * scale
        acc = 0
        for count, base, slope in zip(self.counts, self.bases, self.slopes, strict=True):
            value = base * q + slope * p
            if low is not None and value < low:
                value = low
            elif high is not None and value > high:
                value = high
            acc += count * value
        return Fraction(acc * self.multiplier, scale)

    def breakpoints(self) -> list[Fraction]:
        """Where a bin reaches the minimum or the maximum, in increasing order."""
        found = set()
        for base, slope in zip(self.bases, self.slopes, strict=True):
            if slope <= 0:
                continue
            for limit in (self.low, self.high):
                if limit is not None and limit * self.denominator > base:
                    found.add(Fraction(limit * self.denominator - base, slope))
        # Sorted by the nearest float first (rounding keeps the order, never reverses it),
        # and exactly only between fractions that round to the same float.
        return sorted(found, key=lambda f: (f.numerator / f.denominator, f))

    def slope_after(self, x: Fraction) -> Fraction:
        """d total / dx just above x."""
        acc = 0
        for count, base, slope in zip(self.counts, self.bases, self.slopes, strict=True):
            if slope <= 0:
                continue
            value = Fraction(base, 1) + slope * x
            above_low = self.low is None or value >= self.low * self.denominator
            below_high = self.high is None or value < self.high * self.denominator
            if above_low and below_high:
                acc += count * slope
        return Fraction(acc * self.multiplier, self.denominator)

    def ceiling(self) -> Fraction | None:
        """The total as x grows without bound, or None when it has no bound."""
        if self.high is None and any(s > 0 for s in self.slopes):
            return None
        acc = Fraction(0)
        for count, base, slope in zip(self.counts, self.bases, self.slopes, strict=True):
            if slope > 0:
                acc += count * self.high
            else:
                acc += count * self._clamp(Fraction(base, self.denominator))
        return acc * self.multiplier

    def _clamp(self, value: Fraction) -> Fraction:
        if self.low is not None and value < self.low:
            return Fraction(self.low)
        if self.high is not None and value > self.high:
            return Fraction(self.high)
        return value

    def reach(self, level: Fraction) -> Fraction | None:
        """The smallest x >= 0 whose exact total is at least `level`; None if none is."""
        if self.total(Fraction(0)) >= level:
            return Fraction(0)
        ceiling = self.ceiling()
        if ceiling is not None and ceiling < level:
            return None
        points = self.breakpoints()
        totals: dict[int, Fraction] = {}

        def at(k: int) -> Fraction:
            if k not in totals:
                totals[k] = self.total(points[k])
            return totals[k]

        lo, hi = 0, len(points)
        while lo < hi:  # the first breakpoint whose total reaches the level
            mid = (lo + hi) // 2
            if at(mid) >= level:
                hi = mid
            else:
                lo = mid + 1
        start = points[lo - 1] if lo > 0 else Fraction(0)
        start_total = at(lo - 1) if lo > 0 else self.total(start)
        if lo < len(points):  # the total is linear between the two breakpoints
            end, end_total = points[lo], at(lo)
            return start + (level - start_total) * (end - start) / (end_total - start_total)
        return start + (level - start_total) / self.slope_after(start)

    def window(self, target: int) -> tuple[Fraction, Fraction | None, Fraction | None]:
        """The x whose total rounds half-up to `target`: [low, high), high None if unbounded.

        Also the x whose total is exactly the target (None if only rounding reaches it).
        """
        if not any(c > 0 and s > 0 for c, s in zip(self.counts, self.slopes, strict=True)):
            raise CalibrationError(
                "Nobody in the caseload has an amount that the rule can change (nobody has "
                "points, or every band they are in pays nothing), so it cannot reach the target"
            )
        half = Fraction(1, 2)
        floor_total = self.total(Fraction(0))
        if floor_total >= target + half:
            raise CalibrationError(
                f"The target of {format_pence(target)} a year is less than the caseload would cost "
                f"with nothing paid per point ({format_pence(_pence(floor_total))}: fixed amounts "
                "and minimums alone)"
            )
        low = self.reach(target - half)
        if low is None:
            raise CalibrationError(
                f"The target of {format_pence(target)} a year is more than the caseload would cost "
                f"with everyone at the maximum ({format_pence(_pence(self.ceiling()))})"
            )
        return low, self.reach(target + half), self.reach(Fraction(target))


def _limits(limits) -> tuple[object, object]:
    if isinstance(limits, dict):
        return limits.get("minimum"), limits.get("maximum")
    if limits is None:
        return None, None
    minimum, maximum = limits
    return minimum, maximum


def _rule(allocation: dict, limits, period: str) -> Definition:
    """Check the rule and limits with the definition format's own validation."""
    minimum, maximum = _limits(limits)
    return parse(
        {
            "period": period,
            "allocation": allocation,
            "limits": {
                "minimum": None if minimum is None else str(minimum),
                "maximum": None if maximum is None else str(maximum),
            },
        }
    )


def _bins(net_counts: np.ndarray) -> tuple[list[int], list[int]]:
    counts = np.asarray(net_counts)
    if counts.ndim != 1 or (counts.size and counts.min() < 0):
        raise CalibrationError("The caseload must be counts of people by net points")
    present = np.flatnonzero(counts)
    return present.tolist(), counts[present].astype(np.int64).tolist()


def _caseload(definition: Definition, net_counts: np.ndarray) -> _Caseload:
    """The caseload with the rule's own unknown set to 1: x = 1 reproduces the rule."""
    points, counts = _bins(net_counts)
    low = None if definition.minimum is None else int(definition.minimum * 100)
    high = None if definition.maximum is None else int(definition.maximum * 100)
    multiplier = annual_multiplier(definition.period)
    allocation = definition.allocation
    if allocation.method == "price_per_point":
        fixed = int(allocation.fixed_amount * 100)
        price = Fraction(allocation.price_per_point) * 100
        return _Caseload(
            counts,
            [fixed * price.denominator] * len(points),
            [n * price.numerator for n in points],
            price.denominator,
            low,
            high,
            multiplier,
        )
    band_of = (
        np.searchsorted(
            np.array([b.min_points for b in allocation.bands]),
            np.array(points, dtype=np.int64),
            "right",
        )
        - 1
    )
    grouped: dict[int, int] = {}
    for band, count in zip(band_of.tolist(), counts, strict=True):
        if allocation.bands[band].amount is None:
            continue  # no indicative amount: these people cost nothing here, and are not £0
        grouped[band] = grouped.get(band, 0) + count
    return _Caseload(
        list(grouped.values()),
        [0] * len(grouped),
        [int(allocation.bands[b].amount.scaleb(MAX_DECIMAL_PLACES + 2)) for b in grouped],
        _BAND_DENOMINATOR,
        low,
        high,
        multiplier,
    )


def scale_to_target(
    allocation: dict,
    limits,
    period: str,
    net_counts: np.ndarray,
    target_annual_pence: int,
) -> Scaled:
    """Scale the rule so the caseload's exact annual total equals the target, to the penny.

    Solves on the histogram of net points, exactly, then rounds the price (or the band
    amounts) to the fewest decimal places, 2 to 14, that still hit the target penny.
    `limits` is (minimum, maximum) or the definition format's "limits" dict.
    """
    target = int(target_annual_pence)
    if target < 0:
        raise CalibrationError("The target must not be negative")
    definition = _rule(allocation, limits, period)
    rule = definition.allocation
    if rule.method == "price_per_point":  # x is the price in pence per point
        window = _price_unknown(definition, net_counts).window(target)
    else:  # x is the band multiplier
        window = _caseload(definition, net_counts).window(target)
    places, new_rule = _fewest_places(window, definition, net_counts, target)
    if rule.method == "price_per_point":
        old = Fraction(rule.price_per_point)
        factor = Fraction(new_rule.price_per_point) / old if old else Fraction(0)
    else:
        factor = window[2] if window[2] is not None else window[0]
    scaled = _with_allocation(definition, new_rule)
    exact, issued = modelled_annual_total(scaled, net_counts)
    at_minimum, at_maximum = _people_at_limits(scaled, net_counts)
    return Scaled(
        allocation=rule_dict(scaled.allocation),
        scale_factor=_round_half_up(factor, 6),
        decimal_places=places,
        modelled_annual_total=exact,
        target_annual_pence=target,
        issued_annual_total_pence=issued,
        people_at_minimum=at_minimum,
        people_at_maximum=at_maximum,
    )


def _price_unknown(definition: Definition, net_counts: np.ndarray) -> _Caseload:
    points, counts = _bins(net_counts)
    fixed = int(definition.allocation.fixed_amount * 100)
    return _Caseload(
        counts,
        [fixed] * len(points),
        points,
        1,
        None if definition.minimum is None else int(definition.minimum * 100),
        None if definition.maximum is None else int(definition.maximum * 100),
        annual_multiplier(definition.period),
    )


def _fewest_places(
    window: tuple[Fraction, Fraction | None, Fraction | None],
    definition: Definition,
    net_counts: np.ndarray,
    target: int,
) -> tuple[int, Allocation]:
    """Round the solution to the fewest decimal places whose exact total hits the target.

    A price hits it exactly when it lies in the window [low, high), so at each number of
    places try the value nearest the exact solution, then the first one at or above `low`:
    if neither lies in the window, no price with that many places does. Band amounts are
    rounded one by one, so each candidate is checked by its exact total.
    """
    low, high, exact = window
    anchor = exact if exact is not None else low
    rule = definition.allocation
    for places in range(2, MAX_DECIMAL_PLACES + 1):
        if rule.method == "bands":
            candidates = [
                Allocation(
                    method="bands",
                    bands=tuple(
                        Band(
                            min_points=b.min_points,
                            amount=None
                            if b.amount is None  # no indicative amount stays so
                            else rounding(x * Fraction(b.amount), places),
                            words=b.words,
                        )
                        for b in rule.bands
                    ),
                )
                for rounding, x in (
                    (_round_half_up, anchor),
                    (_round_up, low),
                    (_round_down, anchor),
                )
            ]
        else:
            candidates = []
            for price in (_round_half_up(anchor / 100, places), _round_up(low / 100, places)):
                price = max(price, Decimal(1).scaleb(-places))  # a price must be above zero
                inside = Fraction(price) * 100 >= low and (
                    high is None or Fraction(price) * 100 < high
                )
                if inside:
                    candidates.append(
                        Allocation(
                            method="price_per_point",
                            fixed_amount=rule.fixed_amount,
                            price_per_point=price,
                        )
                    )
        for candidate in candidates:
            trial = _with_allocation(definition, candidate)
            if _pence(_caseload(trial, net_counts).total(Fraction(1))) == target:
                return places, candidate
    raise CalibrationError(
        f"The target cannot be hit to the penny with up to {MAX_DECIMAL_PLACES} decimal places"
    )


def _people_at_limits(definition: Definition, net_counts: np.ndarray) -> tuple[int, int]:
    caseload = _caseload(definition, net_counts)
    at_minimum = at_maximum = 0
    for count, base, slope in zip(caseload.counts, caseload.bases, caseload.slopes, strict=True):
        value = base + slope  # x = 1, in pence * denominator
        if caseload.low is not None and value < caseload.low * caseload.denominator:
            at_minimum += count
        elif caseload.high is not None and value > caseload.high * caseload.denominator:
            at_maximum += count
    return at_minimum, at_maximum


def modelled_annual_total(
    scheme: CompiledScheme | Definition, net_counts: np.ndarray
) -> tuple[Decimal, int]:
    """A version's annual cost for a caseload: (exact total to the penny, issued total pence).

    The exact total uses each person's unrounded amount; the issued total adds up the amounts
    actually paid, each rounded to the penny, so the two can differ by rounding.
    """
    definition = scheme.definition if isinstance(scheme, CompiledScheme) else scheme
    if isinstance(scheme, CompiledScheme) and scheme.points_scale != 1:
        # the counts are by counting step (a hundredth of a point): price each step
        definition = _with_allocation(
            definition, per_step(definition.allocation, scheme.points_scale)
        )
    counts = np.asarray(net_counts, dtype=np.int64)
    exact = _pence(_caseload(definition, counts).total(Fraction(1)))
    if isinstance(scheme, CompiledScheme):
        if counts.size > scheme.money_pence.size and counts[scheme.money_pence.size :].any():
            raise CalibrationError("The caseload has more points than this version can give")
        table = scheme.money_pence[: counts.size]
        counts = counts[: table.size]
    else:
        table = issued_pence_table(
            definition.allocation, definition.minimum, definition.maximum, max(counts.size - 1, 0)
        )[: counts.size]
    table = np.maximum(table, 0)  # NO_AMOUNT (-1): no indicative amount adds nothing
    issued = _exact_dot(counts, table) * annual_multiplier(definition.period)
    return Decimal(exact).scaleb(-2), issued


def _with_allocation(definition: Definition, rule: Allocation) -> Definition:
    """The definition with its (only) money table's rule replaced."""
    return replace(definition, tables=(replace(definition.tables[0], rule=rule),))
