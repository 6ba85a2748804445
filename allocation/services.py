"""Model runs and calibration runs: the work the background tasks (and the commands) do.

Each function takes its run record, recomputes everything from the database, and stores
the result on the run, so running it twice is harmless (the task backend never retries;
the reaper may re-queue a run whose worker died).
"""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from core import jobs
from core.money import annual_multiplier, format_pounds, pounds_text

from . import actions, population
from .domain import breakdown as breakdowns
from .domain import calibration, engine
from .domain.definition import to_dict, with_rule
from .domain.sample import Sample
from .models import CalibrationRun, ModelRun, RasVersion
from .models.runs import ReviewList

PENNY = Decimal("0.01")


def target_pence(envelope: Decimal, reserve_percent: Decimal) -> int:
    """What the allocations may cost a year: the envelope less the reserve, to the penny."""
    target = (
        Decimal(envelope) * (Decimal(100) - Decimal(reserve_percent)) / Decimal(100)
    ).quantize(PENNY, rounding=ROUND_HALF_UP)
    return int(target * 100)


annual_factor = annual_multiplier
_pounds = pounds_text


def _baseline(pop: population.Population, version: RasVersion) -> tuple[np.ndarray, str]:
    """Current cost: the person's budget, or, without one, what the live version gives them.

    Like with like: a version is compared only with amounts for its own period. The budgets
    are already read for the version's period (population._budgets), and the live version
    stands in for a missing budget only when it pays for the same period: a one-off
    version's amounts (definition period "once", issue 10) are never set against weekly
    amounts, which would show everyone's setting-up costs as a rise on their weekly support
    (Care Act 2014 s26: the personal budget states the cost of meeting the needs, and a
    one-off cost is not a weekly one). People with no current one-off budget then count as
    £0 one-off now, so the run shows what the one-off scheme adds.
    """
    current = pop.current_pence.copy()
    if pop.has_budget.all():
        return current, "Each person’s current personal budget"
    live = RasVersion.objects.live_on(version.scheme.kind)
    period = version.parsed.period
    if live is not None and live.parsed.period != period:
        live = None  # a live version for another period is not a like-for-like baseline
    if live is None:
        if period != "week":
            words = "one-off" if period == "once" else "yearly"
            return current, f"Current {words} personal budgets (people without one count as £0)"
        return current, "Current personal budgets (people without one count as £0)"
    live_scheme = live.compiled
    live_choices, _missing = engine.encode_many(live_scheme, pop.answers)
    live_scores = engine.score(live_scheme, live_choices, unable_masks=pop.unable_masks)
    live_amounts = engine.amounts_pence(
        live_scheme,
        live_scores.net,
        person_tables(live_scheme, pop),
        support_pence=live_scores.support_pence,
    )
    # a live band with no indicative amount: no amount now, as for someone with no budget
    current[~pop.has_budget] = np.maximum(live_amounts[~pop.has_budget], 0)
    if not pop.has_budget.any():
        return current, f"What {live} gives each person now"
    return current, f"Current personal budgets; for people without one, what {live} gives"


def person_tables(scheme, pop: population.Population) -> np.ndarray | None:
    """Each person's money table, chosen from their record, for a version with money tables
    by group; None for a version with one table."""
    if scheme.money_tables_pence is None:
        return None
    return engine.table_indexes(scheme, pop.details)


def modelled_totals(scheme, net: np.ndarray, tables: np.ndarray | None) -> tuple[Decimal, int]:
    """The version's annual cost over the caseload (exact, issued pence): with money tables
    by group, each table's people priced by their table, added up."""
    if tables is None:
        counts = np.bincount(net, minlength=1) if len(net) else np.zeros(1, dtype=np.int64)
        return calibration.modelled_annual_total(scheme, counts)
    exact, issued = Decimal(0), 0
    definition = scheme.definition
    for index, table in enumerate(definition.tables):
        mine = net[tables == index]
        if not len(mine):
            continue
        # priced per counting step, as the engine counts (a hundredth of a point, or a point)
        one = replace(
            definition,
            tables=(replace(table, rule=engine.per_step(table.rule, scheme.points_scale)),),
        )
        part_exact, part_issued = calibration.modelled_annual_total(
            one, np.bincount(mine, minlength=1)
        )
        exact += part_exact
        issued += part_issued
    return exact, issued


def execute_model_run(run: ModelRun) -> dict:
    """The work of a model run (core.jobs.execute starts and finishes the run around it)."""
    version = run.version
    pop = population.load(
        version, on_progress=lambda done, total: run.beat("Reading assessments", done, total + 2)
    )
    total = pop.size + 2
    run.beat("Scoring everyone with the new version", pop.size, total)
    scheme = version.compiled
    tables = person_tables(scheme, pop)
    try:
        scores = engine.score(scheme, pop.choices, unable_masks=pop.unable_masks)
        proposed = engine.amounts_pence(
            scheme, scores.net, tables, support_pence=scores.support_pence
        )
    except ValueError as error:  # money tables by group that leave someone out; no rate
        raise jobs.RunFailed(str(error)) from None
    current, baseline = _baseline(pop, version)
    factor = annual_factor(scheme.definition.period)
    if scores.support_pence is None:
        exact_total, issued_total = modelled_totals(scheme, scores.net, tables)
    else:  # cost-rate support is whole pence: the totals are the issued amounts added up
        issued_total = int(proposed.sum()) * factor
        exact_total = Decimal(issued_total).scaleb(-2)
    run.beat("Working out gains and losses by group", pop.size + 1, total)
    priced, groups = _with_amount(proposed, pop.groups)
    result = breakdowns.breakdown(
        current[priced] if priced is not None else current,
        proposed[priced] if priced is not None else proposed,
        groups,
        run.review_fall_percent,
        flag_margin=run.flag_margin_percent,
    )
    envelope_pence = run.envelope_pence
    target = target_pence(run.envelope, run.reserve_percent)
    # the people with an indicative amount, when a band gives some none (they are left out)
    rows = result.review_indices if priced is None else priced[result.review_indices]
    review = ReviewList.encode(
        pop.person_ids[rows].tolist(),
        [pop.refs[i] for i in rows.tolist()],
        [pop.teams[i] for i in rows.tolist()],
        current[rows].tolist(),
        proposed[rows].tolist(),
    )
    summary = {
        "people": pop.size,
        "period": scheme.definition.period,
        "baseline": baseline,
        "envelope": _pounds(envelope_pence),
        "reserve_percent": str(run.reserve_percent),
        "target": _pounds(target),
        "proposed_annual_total": f"{exact_total:.2f}",
        "proposed_issued_annual_total": _pounds(issued_total),
        "current_annual_total": _pounds(int(current.sum()) * factor),
        "reserve_left": _pounds(envelope_pence - int(Decimal(exact_total) * 100)),
        "reserve_left_percent": round(
            float((envelope_pence - Decimal(exact_total) * 100) * 100 / envelope_pence), 2
        )
        if envelope_pence
        else None,
        "over_target": _pounds(int(Decimal(exact_total) * 100) - target),
        "people_missing_answers": int((pop.missing > 0).sum()),
        "people_at_minimum": _at_limit(scheme, proposed, "minimum"),
        "people_at_maximum": _at_limit(scheme, proposed, "maximum"),
        "people_costed_plan": int(scores.costed_plan.sum()),
        "people_no_amount": 0 if priced is None else pop.size - len(priced),
        **_carer_totals(scheme, scores),
    }
    return {"result": {"summary": summary, **breakdown_json(result)}, "review_columns": review}


def _carer_totals(scheme, scores) -> dict:
    """A version with a carer allocation: what the carers' own amounts would cost a year,
    apart from the people's budgets (never in their total, nor set against the envelope,
    which is for the people's budgets: a carer's support is the carer's own, Care Act 2014
    s20); nothing for another version."""
    if scores.carer_points is None or scheme.carer_pence is None:
        return {}
    amounts = engine.carer_amounts_pence(scheme, scores.carer_points)
    period = scheme.definition.carer_money.period
    return {
        "carer_period": period,
        "carers_with_amount": int(np.count_nonzero(amounts > 0)),
        "carer_annual_total": _pounds(int(amounts.sum()) * annual_factor(period)),
    }


def _with_amount(proposed: np.ndarray, groups: dict) -> tuple[np.ndarray | None, dict]:
    """The people the version gives an amount (indexes, or None for everyone) and their
    groups: people in a band with no indicative amount (engine.NO_AMOUNT) are counted apart,
    never as £0 (selfdirect-ras/2)."""
    if not (proposed == engine.NO_AMOUNT).any():
        return None, groups
    priced = np.flatnonzero(proposed != engine.NO_AMOUNT)
    return priced, {name: (codes[priced], labels) for name, (codes, labels) in groups.items()}


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _round(value, places=1):
    return None if value is None else round(float(value), places)


def _exact_percent(value: float | None) -> float | None:
    """A percentage to 2 decimal places for storing: pages show 1, and say "less than 0.1%"
    rather than "0.0%" when a change is real but small, so its sign is never lost."""
    return None if value is None else round(float(value), 2)


def breakdown_json(result) -> dict:
    """The breakdown as JSON for the run's page and downloads: pounds as strings, shares in %.

    A suppressed group (fewer than 10 people, or hidden so that one cannot be worked out) is
    stored as its label alone: its figures never leave this function, so no page, download
    or later reader can show them.
    """
    overall = result.overall
    return {
        "overall": {
            "people": overall.people,
            "current_total": _pounds(overall.current_total_pence),
            "proposed_total": _pounds(overall.proposed_total_pence),
            "gainers": overall.gainers,
            "gainer_share": _share(overall.gainers, overall.people),
            "losers": overall.losers,
            "loser_share": _share(overall.losers, overall.people),
            "unchanged": overall.unchanged,
            "mean_change": _pounds(overall.mean_change_pence),
            "total_change_percent": _exact_percent(overall.total_change_percent),
            "median_change_percent": _round(overall.median_percent_change),
        },
        "small_group": breakdowns.SMALL_GROUP,
        "flag_margin": str(result.flag_margin),
        "distribution": [
            {"label": label, "people": int(people)} for label, people in result.distribution
        ],
        "groups": {
            name: [_group_row(row) for row in rows if row.people]
            for name, rows in result.groups.items()
        },
        # PostgreSQL's jsonb keeps an object's keys in its own order: this keeps ours.
        "group_order": list(result.groups),
        "flags": [{"group": name, "label": row.label} for name, row in result.flagged],
    }


def ordered_groups(result: dict) -> list[tuple[str, list[dict]]]:
    """A stored result's groups in the order the breakdown made them."""
    groups = result.get("groups", {})
    order = result.get("group_order") or list(groups)
    return [(name, groups[name]) for name in order if name in groups]


def _group_row(row) -> dict:
    if row.suppressed:
        return {
            "label": row.label,
            "suppressed": True,
            "small": row.people < breakdowns.SMALL_GROUP,
        }
    return {
        "label": row.label,
        "people": row.people,
        "share": _round(100 * row.share),
        "current_total": _pounds(row.current_total_pence),
        "proposed_total": _pounds(row.proposed_total_pence),
        "gainers": row.gainers,
        "gainer_share": _round(100 * row.gainer_share),
        "losers": row.losers,
        "loser_share": _round(100 * row.loser_share),
        "mean_change": _pounds(row.mean_change_pence),
        "total_change_percent": _exact_percent(row.total_change_percent),
        "difference_points": _exact_percent(row.difference_points),
        "flagged": row.flagged,
    }


def _at_limit(scheme, proposed: np.ndarray, which: str) -> int:
    limit = getattr(scheme.definition, which)
    if limit is None:
        return 0
    return int(np.count_nonzero(proposed == int(limit * 100)))


def fit_and_scale(
    version: RasVersion,
    *,
    method: str,
    band_count: int,
    sample_net: np.ndarray,
    sample_costs: np.ndarray,
    envelope: Decimal,
    reserve_percent: Decimal,
    population_net: np.ndarray,
) -> dict:
    """Fit to the sample, scale to the envelope over the population; everything as JSON."""
    definition = version.parsed
    fit = calibration.fit(method, sample_net, sample_costs, band_count=band_count)
    fitted = calibration.allocation_dict(fit)
    target = target_pence(envelope, reserve_percent)
    counts = (
        np.bincount(population_net, minlength=1)
        if len(population_net)
        else np.zeros(1, dtype=np.int64)
    )
    scaled = calibration.scale_to_target(
        fitted, (definition.minimum, definition.maximum), definition.period, counts, target
    )
    return {
        "method": method,
        "fitted": fitted,
        "scaled": scaled.allocation,
        "subtotals": money_subtotals(
            scaled.allocation, definition.period, population_net, scaled.modelled_annual_total
        ),
        "scale_factor": str(scaled.scale_factor),
        "decimal_places": scaled.decimal_places,
        "statistics": {
            "r2": round(float(fit.r2), 4),
            "mape": round(float(fit.mape), 4),
            "n": int(fit.n),
        },
        "target": _pounds(target),
        "envelope": f"{Decimal(envelope):.2f}",
        "reserve_percent": str(reserve_percent),
        "modelled_annual_total": f"{scaled.modelled_annual_total:.2f}",
        "issued_annual_total": _pounds(scaled.issued_annual_total_pence),
        "people": int(len(population_net)),
        "people_at_minimum": int(scaled.people_at_minimum),
        "people_at_maximum": int(scaled.people_at_maximum),
        "_fit": fit,
    }


def money_subtotals(allocation: dict, period: str, net: np.ndarray, modelled_total) -> list[dict]:
    """How the modelled annual total is made up: the fixed amounts, the points turned into
    money (each band, for bands), and what the limits add or take away. The lines add up to
    the modelled total to the penny. Amounts as API strings ("1250.50")."""
    factor = annual_factor(period)
    people = int(len(net))
    rows = []
    if allocation["method"] == "price_per_point":
        fixed, price = Decimal(allocation["fixed_amount"]), Decimal(allocation["price_per_point"])
        points = int(np.asarray(net, dtype=np.int64).sum())
        rows.append(
            {
                "label": "Fixed amounts",
                "detail": f"{people:,} people × {format_pounds(fixed)} × {factor}",
                "amount": fixed * people * factor,
            }
        )
        rows.append(
            {
                "label": "Points to money",
                "detail": f"{points:,} points × £{price} × {factor}",
                "amount": price * points * factor,
            }
        )
    else:
        bands = sorted(allocation["bands"], key=lambda band: band["min_points"])
        starts = np.array([band["min_points"] for band in bands])
        counts = np.bincount(
            np.searchsorted(starts, np.asarray(net, dtype=np.int64), side="right") - 1,
            minlength=len(bands),
        )
        for band, count in zip(bands, counts.tolist(), strict=True):
            amount = Decimal(band["amount"])
            rows.append(
                {
                    "label": f"From {band['min_points']:,} points",
                    "detail": f"{count:,} people × £{amount} × {factor}",
                    "amount": amount * count * factor,
                }
            )
    for row in rows:
        row["amount"] = row["amount"].quantize(PENNY, rounding=ROUND_HALF_UP)
    total = Decimal(modelled_total).quantize(PENNY)
    limits = total - sum((row["amount"] for row in rows), Decimal(0))
    rows.append(
        {
            "label": "Minimum and maximum",
            "detail": "What the limits add or take away, with rounding to the penny",
            "amount": limits,
        }
    )
    return [{**row, "amount": f"{row['amount']:.2f}"} for row in rows]


def residual_tables(fit, sample_net, sample_costs, groups: dict) -> dict:
    """Mean residual and error by group: where the formula is wrong, and for whom."""
    predictions = np.asarray(fit.predictions, dtype=float)
    costs = sample_costs.astype(float) / 100
    residual = costs - predictions
    tables = {}
    for name, (group_codes, labels) in groups.items():
        rows = []
        for index, label in enumerate(labels):
            mask = group_codes == index
            n = int(mask.sum())
            if not n:
                continue
            positive = mask & (costs > 0)
            rows.append(
                {
                    "group": label,
                    "people": n,
                    "mean_cost": round(float(costs[mask].mean()), 2),
                    "mean_fitted": round(float(predictions[mask].mean()), 2),
                    "mean_residual": round(float(residual[mask].mean()), 2),
                    "mape": round(float(np.abs(residual[positive] / costs[positive]).mean()), 4)
                    if positive.any()
                    else None,
                }
            )
        tables[name] = rows
    return tables


def predict(allocation: dict, points) -> list[Decimal]:
    """The fitted rule's amount at each number of points (before limits), for the chart's line."""
    if allocation["method"] == "price_per_point":
        fixed, price = Decimal(allocation["fixed_amount"]), Decimal(allocation["price_per_point"])
        return [fixed + price * p for p in points]
    bands = sorted(allocation["bands"], key=lambda band: band["min_points"])
    return [
        Decimal(next(b["amount"] for b in reversed(bands) if b["min_points"] <= p)) for p in points
    ]


def chart_data(fit, sample_net, sample_costs, limit: int = 1500) -> dict:
    """A sample of points for the scatter, the fitted line, and a binned table of the same."""
    costs = sample_costs.astype(float) / 100
    rng = np.random.default_rng(0)
    order = rng.permutation(len(costs))[:limit] if len(costs) > limit else np.arange(len(costs))
    top = int(sample_net.max()) if len(sample_net) else 0
    line_x = list(range(0, top + 1, max(1, top // 60 or 1)))
    fitted_fn = predict(calibration.allocation_dict(fit), line_x)
    width = max(10, (top // 12) or 10)
    bins = []
    for low in range(0, top + 1, width):
        mask = (sample_net >= low) & (sample_net < low + width)
        if mask.any():
            bins.append(
                {
                    "points": f"{low}–{low + width - 1}",
                    "people": int(mask.sum()),
                    "mean_cost": round(float(costs[mask].mean()), 2),
                    "mean_fitted": round(float(np.asarray(fit.predictions)[mask].mean()), 2),
                }
            )
    return {
        "scatter": [[int(sample_net[i]), round(float(costs[i]), 2)] for i in order],
        "line": [[x, round(float(y), 2)] for x, y in zip(line_x, fitted_fn, strict=True)],
        "bins": bins,
    }


def calibration_sample(pop_scores, pop: population.Population):
    """The packages a fit learns from: current people with a budget, less those whose
    answers send them to a costed plan (their budget is the cost of their plan, and complex
    answers are priced from the reference rates, not fitted). Returns (keep mask, left out)."""
    keep = pop.has_budget & ~pop_scores.costed_plan
    return keep, int((pop.has_budget & pop_scores.costed_plan).sum())


MANY_TABLES = (
    "This version has money tables by group, and calibration fits one points-to-money rule: "
    "it cannot calibrate a version with several tables yet. Calibrate a version with one "
    "table, or set each table's amounts by hand and model the version"
)


WITH_SUPPORT = (
    "This version prices hours of support at the council's reference rates, and calibration "
    "fits only the points-to-money rule: set the rates and the points' prices by hand and "
    "model the version"
)


HUNDREDTHS = (
    "This version has points with decimal places, and calibration fits whole points: it "
    "cannot calibrate it yet. Set the money rule by hand and model the version"
)


def execute_calibration(run: CalibrationRun) -> dict:
    """The work of a calibration: fit, scale, and save the result as a new draft."""
    version = run.version
    scheme = version.compiled
    if len(scheme.definition.tables) > 1:
        raise jobs.RunFailed(MANY_TABLES)
    if scheme.has_support:
        raise jobs.RunFailed(WITH_SUPPORT)
    if scheme.points_scale != 1:
        raise jobs.RunFailed(HUNDREDTHS)
    run.beat("Reading the current caseload", 0, 4)
    pop = population.load(version)
    pop_scores = engine.score(scheme, pop.choices, unable_masks=pop.unable_masks)
    pop_net = pop_scores.net
    run.beat("Scoring the sample", 1, 4)
    if run.source == CalibrationRun.Source.DATABASE:
        keep, left_out = calibration_sample(pop_scores, pop)
        sample_net = pop_net[keep]
        sample_costs = pop.current_pence[keep]
        groups = {
            name: (codes_[keep], labels)
            for name, (codes_, labels) in pop.groups.items()
            if name in ("Primary support reason", "Age band")
        }
    else:
        sample_net, sample_costs, groups, left_out = _csv_sample(scheme, run.sample)
    if len(sample_net) < 10:
        raise jobs.RunFailed("The sample has fewer than 10 packages: add more before calibrating")
    run.beat("Fitting and scaling to the envelope", 2, 4)
    try:
        result = fit_and_scale(
            version,
            method=run.method,
            band_count=run.band_count,
            sample_net=sample_net,
            sample_costs=sample_costs,
            envelope=run.envelope,
            reserve_percent=run.reserve_percent,
            population_net=pop_net,
        )
    except calibration.CalibrationError as error:
        raise jobs.RunFailed(str(error)) from None
    fit = result.pop("_fit")
    result["residuals"] = residual_tables(fit, sample_net, sample_costs, groups)
    result["chart"] = chart_data(fit, sample_net, sample_costs)
    result["sample_size"] = int(len(sample_net))
    result["costed_plan_left_out"] = left_out
    run.beat("Saving the new draft", 3, 4)
    data = with_rule(to_dict(version.parsed), result["scaled"])
    draft = actions.copy_version(
        version,
        acting_user=run.created_by,
        label=f"Calibrated ({run.get_method_display().lower()})",
        origin=RasVersion.Origin.CALIBRATED,
        definition=data,
        notes=(
            f"Calibrated on {result['sample_size']:,} packages ({run.get_source_display().lower()}), "
            f"scaled to £{result['target']} a year (envelope £{result['envelope']} less a "
            f"{result['reserve_percent']}% reserve)."
        ),
    )
    return {"result": result, "draft": draft}


def _csv_sample(scheme, stored: dict):
    """The uploaded sample (checked and stored compactly when it was uploaded), less the
    packages on the costed-plan route. Scored with every need counted: a sample carries no
    eligibility decisions."""
    sample = Sample.from_json(stored)
    if sample.questions != scheme.question_codes:
        raise jobs.RunFailed(
            "The sample was read against a different set of questions: upload it again"
        )
    scores = engine.score(scheme, np.asfortranarray(sample.choices))
    keep = ~scores.costed_plan
    groups = {}
    for column, name in (
        ("primary_support_reason", "Primary support reason"),
        ("age_band", "Age band"),
    ):
        labels = sample.groups.get(column)
        if labels:
            names = sorted(set(labels))
            codes_ = np.asarray([names.index(v) for v in labels])
            groups[name] = (codes_[keep], names)
    return scores.net[keep], sample.costs_pence[keep], groups, int((~keep).sum())


BREAKDOWN_HEADER = [
    "Group",
    "Value",
    "People",
    "Share of people (%)",
    "Current total (£)",
    "Proposed total (£)",
    "Gain",
    "Gain share (%)",
    "Lose",
    "Lose share (%)",
    "Mean change (£)",
    "Change in the group’s total (%)",
    "Difference from everyone (percentage points)",
    "Flagged",
]
SUPPRESSED = "fewer than 10"
HIDDEN = "not shown"


def breakdown_rows(result: dict):
    """The model run's breakdown for its CSV download: everyone first, then each group.

    Money and percentages are numbers (a spreadsheet adds them up); a suppressed group shows
    "fewer than 10" (or "not shown", when it is hidden so a smaller one cannot be worked out)
    and no figures.
    """
    overall = result["overall"]
    yield [
        "Everyone",
        "Everyone",
        overall["people"],
        100.0 if overall["people"] else 0.0,
        Decimal(overall["current_total"]),
        Decimal(overall["proposed_total"]),
        overall["gainers"],
        overall["gainer_share"],
        overall["losers"],
        overall["loser_share"],
        Decimal(overall["mean_change"]),
        _total_change(overall),
        0.0 if _total_change(overall) is not None else None,
        "",
    ]
    for group, rows in ordered_groups(result):
        for row in rows:
            if row.get("suppressed"):
                words = SUPPRESSED if row.get("small", True) else HIDDEN
                yield [group, row["label"], words] + [None] * (len(BREAKDOWN_HEADER) - 3)
                continue
            yield [
                group,
                row["label"],
                row["people"],
                row["share"],
                Decimal(row["current_total"]),
                Decimal(row["proposed_total"]),
                row["gainers"],
                row["gainer_share"],
                row["losers"],
                row["loser_share"],
                Decimal(row["mean_change"]),
                _total_change(row),
                row.get("difference_points"),
                "Yes" if row.get("flagged") else "",
            ]


def _total_change(row: dict):
    """The change in the total as a %, from a result of any age (older runs stored a mean of
    each person's %, which is not the same figure: those show no value)."""
    return row.get("total_change_percent")
