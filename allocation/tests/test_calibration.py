"""Fitting to package costs and scaling to the envelope, checked against independent sums."""

import itertools
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import calibration, engine, reference
from allocation.domain.calibration import CalibrationError
from allocation.domain.definition import parse, rule_dict, to_dict, with_rule
from allocation.tests.test_engine import decimals, definitions

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _noisy(seed=1, n=400, fixed=1250, price=287, noise=600.0):
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 250, n)
    costs = np.maximum(0, fixed + price * points + rng.normal(0, noise, n)).round()
    return points, costs.astype(np.int64)


def _deviation(points, costs, fixed, price) -> Fraction:
    """Total absolute deviation in pence, exactly, for a line in pence."""
    return sum(
        (
            abs(Fraction(int(c)) - fixed - price * int(p))
            for p, c in zip(points, costs, strict=True)
        ),
        Fraction(0),
    )


# --- fitting ---------------------------------------------------------------------------------


@SETTINGS
@given(
    fixed=st.integers(0, 5000),
    price=st.integers(1, 2000),
    points=st.lists(st.integers(0, 400), min_size=2, max_size=80).filter(lambda p: len(set(p)) > 1),
)
def test_fits_recover_a_noiseless_rule(fixed, price, points):
    x = np.array(points)
    costs = fixed + price * x
    for method in ("ols", "lad"):
        result = calibration.fit(method, x, costs)
        assert result.fixed_amount == Decimal(fixed).scaleb(-2)
        assert result.price_per_point == Decimal(price).scaleb(-2).quantize(Decimal("0.0001"))
        assert result.r2 == pytest.approx(1.0) and result.mape == pytest.approx(0.0)
        assert result.n == len(points)
    through_zero = calibration.fit("ols0", x, price * x)
    assert through_zero.fixed_amount == 0
    assert through_zero.price_per_point == Decimal(price).scaleb(-2)


def test_ols_agrees_with_statsmodels():
    points, costs = _noisy()
    model = sm.OLS(costs / 100, sm.add_constant(points.astype(float))).fit()
    result = calibration.fit("ols", points, costs)
    assert abs(float(result.fixed_amount) - model.params[0]) <= 0.005 + 1e-9
    assert abs(float(result.price_per_point) - model.params[1]) <= 0.00005 + 1e-9
    assert result.r2 == pytest.approx(model.rsquared, abs=1e-6)
    origin = calibration.fit("ols0", points, costs)
    model0 = sm.OLS(costs / 100, points.astype(float)).fit()
    assert abs(float(origin.price_per_point) - model0.params[0]) <= 0.00005 + 1e-9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lad_agrees_with_statsmodels_quantile_regression(seed):
    points, costs = _noisy(seed=seed)
    model = sm.QuantReg(costs.astype(float), sm.add_constant(points.astype(float))).fit(
        q=0.5, max_iter=5000
    )
    intercept, slope = calibration._lad(points, costs)
    ours = _deviation(points, costs, intercept, slope)
    theirs = np.abs(costs - model.params[0] - model.params[1] * points).sum()
    # Ours is an exact optimum; QuantReg's iterative answer can only be as good or a hair worse.
    assert float(ours) <= theirs + 1e-6
    assert float(ours) == pytest.approx(theirs, rel=1e-6)
    assert float(slope) == pytest.approx(model.params[1], rel=1e-3)
    assert float(intercept) == pytest.approx(model.params[0], rel=1e-2, abs=5)


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 5000)), min_size=2, max_size=14
    ).filter(lambda d: len({p for p, _c in d}) > 1)
)
def test_lad_is_the_exact_optimum(data):
    """An optimal LAD line passes through two packages: try every pair, by brute force."""
    points = np.array([p for p, _c in data])
    costs = np.array([c for _p, c in data])
    best = min(
        _deviation(
            points,
            costs,
            Fraction(c1) - Fraction(c2 - c1, p2 - p1) * p1,
            Fraction(c2 - c1, p2 - p1),
        )
        for (p1, c1), (p2, c2) in itertools.combinations(data, 2)
        if p1 != p2
    )
    intercept, slope = calibration._lad(points, costs)
    assert _deviation(points, costs, intercept, slope) == best


def test_lad_shrugs_off_outliers_that_drag_least_squares():
    points, costs = _noisy(seed=4, noise=300.0)
    costs = costs.copy()
    worst = np.argsort(points)[-4:]
    costs[worst] = costs[worst] * 40  # four packages recorded in pence instead of pounds-ish
    lad = calibration.fit("lad", points, costs)
    ols = calibration.fit("ols", points, costs)
    assert abs(lad.price_per_point - Decimal("2.87")) < Decimal("0.05")
    assert abs(ols.price_per_point - Decimal("2.87")) > Decimal("0.5")


@pytest.mark.parametrize("method", ["ols", "lad"])
def test_a_negative_fixed_amount_is_refitted_through_zero(method):
    points = np.arange(30, 80)
    costs = 300 * points - 4000 + (points % 3) * 50  # a little noise, still no fixed part
    result = calibration.fit(method, points, costs)
    assert result.fixed_amount == 0
    assert result.note
    if method == "ols":
        model = sm.OLS(costs / 100, points.astype(float)).fit()
        assert abs(float(result.price_per_point) - model.params[0]) <= 0.00005 + 1e-9
    else:  # the best line through zero passes through a package: try each one
        best = min(
            _deviation(points, costs, 0, Fraction(int(c), int(p)))
            for p, c in zip(points, costs, strict=True)
        )
        slope = calibration._lad0(points, costs)
        assert _deviation(points, costs, 0, slope) == best
        assert result.price_per_point == calibration._round_half_up(slope / 100, 4)


def test_fit_explains_what_it_cannot_do():
    with pytest.raises(CalibrationError, match="same points"):
        calibration.fit("ols", np.array([5, 5, 5]), np.array([100, 200, 300]))
    with pytest.raises(CalibrationError, match="no packages"):
        calibration.fit("ols", np.array([], dtype=int), np.array([], dtype=int))
    with pytest.raises(CalibrationError, match="positive price"):
        calibration.fit("ols", np.array([1, 2, 3, 4]), np.array([900, 700, 500, 300]))
    with pytest.raises(CalibrationError, match="any points"):
        calibration.fit("ols0", np.array([0, 0]), np.array([100, 200]))
    with pytest.raises(CalibrationError, match="Unknown"):
        calibration.fit("magic", np.array([1, 2]), np.array([1, 2]))


def test_bands_are_equal_count_means_from_zero():
    points = np.repeat(np.arange(1, 101), 3)  # 300 packages, 3 at each score 1..100
    costs = 1000 + 200 * points
    result = calibration.fit("bands", points, costs, band_count=4)
    starts = [s for s, _a in result.bands]
    assert starts == [0, 26, 51, 76]
    for (start, amount), end in zip(result.bands, [*starts[1:], 101], strict=True):
        inside = costs[(points >= start) & (points < end)]
        assert amount == (Decimal(int(inside.sum())) / len(inside) / 100).quantize(Decimal("0.01"))
    assert result.fixed_amount == 0 and result.price_per_point is None
    assert calibration.allocation_dict(result)["bands"][0] == {
        "min_points": 0,
        "amount": format(result.bands[0][1], "f"),
    }
    parse({"allocation": calibration.allocation_dict(result)})  # a valid rule


def test_bands_pool_adjacent_violators():
    # Band means 100, 300, 200, 400 (pence): the middle two pool to 250.
    points = np.array([1, 1, 2, 2, 3, 3, 4, 4])
    costs = np.array([100, 100, 300, 300, 200, 200, 400, 400])
    result = calibration.fit("bands", points, costs, band_count=4)
    assert result.bands == (
        (0, Decimal("1.00")),
        (2, Decimal("2.50")),
        (4, Decimal("4.00")),
    )
    assert result.note


# --- scaling to the envelope -----------------------------------------------------------------


def _reference_total(definition, counts) -> tuple[Fraction, int, int, int]:
    """(exact annual pence, issued annual pence, at minimum, at maximum), person by person."""
    per_year = 52 if definition.period == "week" else 1
    exact, issued, at_min, at_max = Fraction(0), 0, 0, 0
    allocation = definition.allocation
    for n, count in enumerate(counts):
        if not count:
            continue
        if allocation.method == "bands":
            amount = Fraction(allocation.band_for(n).amount)
        else:
            amount = Fraction(allocation.fixed_amount) + n * Fraction(allocation.price_per_point)
        if definition.minimum is not None and amount < definition.minimum:
            amount, at_min = Fraction(definition.minimum), at_min + int(count)
        if definition.maximum is not None and amount > definition.maximum:
            amount, at_max = Fraction(definition.maximum), at_max + int(count)
        exact += count * per_year * amount * 100
        issued += int(count) * per_year * reference.amount_one(definition, n)
    return exact, issued, at_min, at_max


def _half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


@st.composite
def envelopes(draw):
    """A rule, limits, a caseload histogram and a reachable target (from another rule)."""
    definition = draw(definitions(max_points=20, max_questions=6))
    counts = np.array(draw(st.lists(st.integers(0, 5000), min_size=2, max_size=80)))
    counts[draw(st.integers(1, counts.size - 1))] += 1  # someone has points
    allocation = definition.allocation
    if allocation.method == "price_per_point":
        other = {
            "method": "price_per_point",
            "fixed_amount": format(allocation.fixed_amount, "f"),
            "price_per_point": format(draw(decimals(0, 30).filter(lambda d: d > 0)), "f"),
        }
    else:
        factor = draw(st.fractions(Fraction(1, 4), 4, max_denominator=1000))
        other = {
            "method": "bands",
            "bands": [
                {
                    "min_points": b.min_points,
                    "amount": format(
                        Decimal(int(Fraction(b.amount) * factor * 10**6)).scaleb(-6), "f"
                    ),
                }
                for b in allocation.bands
            ],
        }
    target_rule = parse(
        {
            "period": definition.period,
            "allocation": other,
            "limits": {
                "minimum": None if definition.minimum is None else str(definition.minimum),
                "maximum": None if definition.maximum is None else str(definition.maximum),
            },
        }
    )
    exact, *_rest = _reference_total(target_rule, counts)
    return definition, counts, _half_up(exact)


@SETTINGS
@given(case=envelopes())
def test_scaled_total_hits_the_target_to_the_penny(case):
    definition, counts, target = case
    limits = (definition.minimum, definition.maximum)
    try:
        scaled = calibration.scale_to_target(
            rule_dict(definition.allocation), limits, definition.period, counts, target
        )
    except CalibrationError as error:
        # Only when every band the caseload uses pays nothing (nothing to scale).
        assert definition.allocation.method == "bands", error
        assert "cannot reach" in str(error)
        return
    assert scaled.modelled_annual_total == Decimal(target).scaleb(-2)
    result = parse(
        {
            "period": definition.period,
            "allocation": scaled.allocation,
            "limits": {
                "minimum": None if definition.minimum is None else str(definition.minimum),
                "maximum": None if definition.maximum is None else str(definition.maximum),
            },
        }
    )
    exact, issued, at_min, at_max = _reference_total(result, counts)
    assert _half_up(exact) == target
    assert scaled.issued_annual_total_pence == issued
    assert (scaled.people_at_minimum, scaled.people_at_maximum) == (at_min, at_max)
    assert 2 <= scaled.decimal_places <= 14
    if definition.allocation.method == "price_per_point":
        assert result.allocation.fixed_amount == definition.allocation.fixed_amount
        price = result.allocation.price_per_point
        assert -price.as_tuple().exponent <= scaled.decimal_places
        assert price > 0
        # Fewest places: the prices that hit the target form an interval around `price`, so
        # if any price with one place fewer hit it, rounding `price` down or up would.
        if scaled.decimal_places > 2:
            fewer = scaled.decimal_places - 1
            for rounding in ("ROUND_FLOOR", "ROUND_CEILING"):
                near = price.quantize(Decimal(1).scaleb(-fewer), rounding=rounding)
                if near > 0:
                    other = parse(
                        with_rule(
                            to_dict(result),
                            {**scaled.allocation, "price_per_point": format(near, "f")},
                        )
                    )
                    assert _half_up(_reference_total(other, counts)[0]) != target
    else:
        assert [b.min_points for b in result.allocation.bands] == [
            b.min_points for b in definition.allocation.bands
        ]
    assert calibration.modelled_annual_total(result, counts) == (
        scaled.modelled_annual_total,
        issued,
    )


def test_scaling_a_simple_caseload_by_hand():
    # 10 people on 10 points and 10 on 30: 20 x 5.00 fixed + 400 points x price, x 52 weeks.
    counts = np.zeros(31, dtype=np.int64)
    counts[10] = counts[30] = 10
    target = 52 * (20 * 500 + 400 * 300)  # a price of exactly £3.00
    scaled = calibration.scale_to_target(
        {"method": "price_per_point", "fixed_amount": "5.00", "price_per_point": "2.00"},
        (None, None),
        "week",
        counts,
        target,
    )
    assert scaled.allocation == {
        "method": "price_per_point",
        "fixed_amount": "5.00",
        "price_per_point": "3.00",
    }
    assert scaled.scale_factor == Decimal("1.5")
    assert scaled.decimal_places == 2
    assert scaled.issued_annual_total_pence == target


def test_scaling_uses_more_places_only_when_needed():
    counts = np.zeros(8, dtype=np.int64)
    counts[7] = 3  # 21 points a week in all
    # £100.00 a year = 10,000p: price = 10,000 / (52 x 21 x 100) = 0.0915750915... pounds.
    scaled = calibration.scale_to_target(
        {"method": "price_per_point", "fixed_amount": "0", "price_per_point": "1"},
        {"minimum": None, "maximum": None},
        "week",
        counts,
        10_000,
    )
    price = Decimal(scaled.allocation["price_per_point"])
    assert scaled.decimal_places == -price.as_tuple().exponent
    exact = Fraction(price) * 21 * 52 * 100
    assert _half_up(exact) == 10_000
    # One place fewer cannot hit the penny: each step of the last place moves the total by
    # 21 x 52 x 100 / 10**(places - 1) pence, more than a penny.
    assert 21 * 52 * 100 / 10 ** (scaled.decimal_places - 1) > 1


def test_scaling_bands_multiplies_every_band():
    counts = np.array([0, 5, 5, 0, 10])
    scaled = calibration.scale_to_target(
        {
            "method": "bands",
            "bands": [{"min_points": 0, "amount": "100"}, {"min_points": 3, "amount": "200"}],
        },
        (None, None),
        "year",
        counts,
        2 * (10 * 10_000 + 10 * 20_000),  # twice the current cost
    )
    assert [b["amount"] for b in scaled.allocation["bands"]] == ["200.00", "400.00"]
    assert scaled.scale_factor == Decimal(2)


def test_unreachable_targets_are_explained():
    counts = np.array([0, 10, 10])
    rule = {"method": "price_per_point", "fixed_amount": "10.00", "price_per_point": "1"}
    with pytest.raises(CalibrationError, match="less than"):
        calibration.scale_to_target(rule, (None, None), "week", counts, 52 * 20 * 1000 - 1)
    with pytest.raises(CalibrationError, match="maximum"):
        calibration.scale_to_target(rule, (None, Decimal("50")), "week", counts, 52 * 20 * 5000 + 1)
    with pytest.raises(CalibrationError, match="Nobody"):
        calibration.scale_to_target(rule, (None, None), "week", np.array([40]), 10**9)
    # With a maximum, exactly everyone at the maximum is reachable.
    at_max = calibration.scale_to_target(
        rule, (None, Decimal("50")), "week", counts, 52 * 20 * 5000
    )
    # The smallest such price is £40: 1 point is then exactly £50 (not cut), 2 points are cut.
    assert at_max.allocation["price_per_point"] == "40.00"
    assert at_max.people_at_maximum == 10


def test_modelled_total_of_a_compiled_version_matches_person_by_person():
    definition = parse(
        {
            "domains": [
                {
                    "code": "d",
                    "title": "D",
                    "questions": [
                        {
                            "code": "q",
                            "text": "Q?",
                            "options": [
                                {"code": f"o{j}", "label": "L", "points": 7 * j} for j in range(4)
                            ],
                        }
                    ],
                }
            ],
            "allocation": {"fixed_amount": "1.01", "price_per_point": "0.333333"},
            "limits": {"minimum": "2.00", "maximum": "7.00"},
        }
    )
    scheme = engine.compile_scheme(definition)
    counts = np.bincount(np.array([0, 7, 7, 14, 21, 21, 21]), minlength=22)
    exact, issued, _lo, _hi = _reference_total(definition, counts)
    assert calibration.modelled_annual_total(scheme, counts) == (
        Decimal(_half_up(exact)).scaleb(-2),
        issued,
    )
    assert calibration.modelled_annual_total(definition, counts)[1] == issued
