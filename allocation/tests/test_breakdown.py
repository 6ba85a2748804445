"""Gains, losses and equality breakdowns against a person-by-person count with fractions."""

import math
import statistics
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.domain import breakdown as bd
from allocation.domain import engine
from allocation.tests.test_engine import definitions, full_answers

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bin(current: int, proposed: int) -> int:
    """Which of the nine bins, from the labels' words; boundaries go to the smaller change."""
    if current == 0:
        return 8 if proposed > 0 else 4
    change = Fraction(proposed - current, current) * 100
    if change < 0:
        fall = -change
        return 0 if fall > 50 else 1 if fall > 25 else 2 if fall > 10 else 3 if fall > 2 else 4
    return 8 if change > 50 else 7 if change > 25 else 6 if change > 10 else 5 if change > 2 else 4


def _mean_pence(total: int, people: int) -> int:
    mean = Fraction(total, people)
    whole = math.floor(abs(mean) + Fraction(1, 2))
    return -whole if mean < 0 else whole


def _hidden(people: list[int]) -> set[int]:
    """Which rows a group hides, worked out plainly: every row of 1 to 9 people; then, while
    fewer than two rows or fewer than 10 people in all are hidden, the smallest row shown."""
    hidden = [i for i, n in enumerate(people) if 0 < n < bd.SMALL_GROUP]
    shown = [i for i, n in enumerate(people) if n >= bd.SMALL_GROUP]
    while hidden and shown and (len(hidden) < 2 or sum(people[i] for i in hidden) < 10):
        smallest = min(shown, key=lambda i: (people[i], i))
        shown.remove(smallest)
        hidden.append(smallest)
    return set(hidden)


def _sign(value) -> int:
    return (value > 0) - (value < 0)


@st.composite
def caseloads(draw):
    size = draw(st.integers(1, 60))
    current, proposed = [], []
    for _ in range(size):
        now = draw(st.sampled_from([0, 100, 200, 1000, 5000]) | st.integers(0, 100_000))
        kind = draw(st.integers(0, 3))
        if kind == 0 and now % 100 == 0 and now:
            percent = draw(st.sampled_from([-100, -50, -25, -10, -2, 0, 2, 10, 25, 50]))
            later = now + now * percent // 100  # exactly on a boundary
        elif kind == 1:
            later = now
        else:
            later = draw(st.integers(0, 120_000))
        current.append(now)
        proposed.append(later)
    groups = {}
    for name in draw(st.lists(st.sampled_from(["sex", "age", "psr"]), unique=True, max_size=3)):
        labels = [f"{name} {i}" for i in range(draw(st.integers(1, 5)))]
        codes = draw(st.lists(st.integers(0, len(labels) - 1), min_size=size, max_size=size))
        groups[name] = (np.array(codes, dtype=np.int8), labels)
    threshold = draw(st.sampled_from([0, 2, 10, Decimal("12.5"), 25.5, 50, 100]))
    margin = draw(st.sampled_from([0, 1, Decimal("2.5"), 5, 20, 1000]))
    return np.array(current), np.array(proposed), groups, threshold, margin


def _check_against_rows(
    current, proposed, groups, threshold, result, margin=bd.DEFAULT_FLAG_MARGIN
):
    rows = list(zip(current.tolist(), proposed.tolist(), strict=True))
    people = len(rows)
    overall = result.overall
    assert overall.people == people
    assert overall.current_total_pence == sum(c for c, _p in rows)
    assert overall.proposed_total_pence == sum(p for _c, p in rows)
    assert overall.gainers == sum(p > c for c, p in rows)
    assert overall.losers == sum(p < c for c, p in rows)
    assert overall.unchanged == sum(p == c for c, p in rows)
    assert overall.mean_change_pence == _mean_pence(sum(p - c for c, p in rows), people)
    everyone_current = sum(c for c, _p in rows)
    everyone_change = sum(p - c for c, p in rows)
    everyone = Fraction(everyone_change, everyone_current) if everyone_current else None
    if everyone is None:
        assert overall.total_change_percent is None
    else:
        assert overall.total_change_percent == pytest.approx(float(everyone * 100))
        assert _sign(overall.total_change_percent) == _sign(everyone_change)
    percents = [(p - c) / c * 100 for c, p in rows if c > 0]
    if percents:
        assert overall.median_percent_change == pytest.approx(statistics.median(percents))
    else:
        assert overall.median_percent_change is None

    bins = [0] * 9
    for c, p in rows:
        bins[_bin(c, p)] += 1
    assert [label for label, _n in result.distribution] == list(bd.DISTRIBUTION_LABELS)
    assert [n for _label, n in result.distribution] == bins

    limit = Fraction(Decimal(str(margin)))
    flagged = []
    for name, (codes, labels) in groups.items():
        assert [row.label for row in result.groups[name]] == labels
        members = [
            [rows[i] for i in range(people) if codes[i] == code] for code in range(len(labels))
        ]
        hidden = _hidden([len(mine) for mine in members])
        for code, row in enumerate(result.groups[name]):
            mine = members[code]
            assert row.people == len(mine)
            assert row.share == pytest.approx(len(mine) / people)
            assert row.current_total_pence == sum(c for c, _p in mine)
            assert row.proposed_total_pence == sum(p for _c, p in mine)
            assert row.gainers == sum(p > c for c, p in mine)
            assert row.losers == sum(p < c for c, p in mine)
            if mine:
                assert row.gainer_share == pytest.approx(row.gainers / len(mine))
                assert row.loser_share == pytest.approx(row.losers / len(mine))
                assert row.mean_change_pence == _mean_pence(sum(p - c for c, p in mine), len(mine))
            group_current = sum(c for c, _p in mine)
            group_change = sum(p - c for c, p in mine)
            if group_current:
                exact = Fraction(group_change, group_current)
                assert row.total_change_percent == pytest.approx(float(exact * 100))
                # The two measures of change never point different ways: the percentage has
                # the total change's sign exactly, and the mean is that sign or rounds to 0.
                assert _sign(row.total_change_percent) == _sign(group_change)
                assert _sign(row.mean_change_pence) in (0, _sign(group_change))
                if abs(group_change) * 2 >= len(mine):
                    assert _sign(row.mean_change_pence) == _sign(group_change)
            else:
                assert row.total_change_percent is None
            if group_current and everyone is not None:
                assert row.difference_points == pytest.approx(
                    float((Fraction(group_change, group_current) - everyone) * 100), abs=1e-9
                )
            else:
                assert row.difference_points is None
            assert row.suppressed == (code in hidden)
            should_flag = (
                code not in hidden
                and bool(mine)
                and group_current > 0
                and everyone is not None
                and abs(Fraction(group_change, group_current) - everyone) * 100 > limit
            )
            assert row.flagged == should_flag
            if should_flag:
                flagged.append((name, row.label))
    assert [(name, row.label) for name, row in result.flagged] == flagged
    assert result.flag_margin == Decimal(str(margin))

    limit = Fraction(Decimal(str(threshold)))
    falling = [i for i, (c, p) in enumerate(rows) if c > 0 and Fraction(c - p, c) * 100 > limit]
    falling.sort(
        key=lambda i: (Fraction(rows[i][1] - rows[i][0], rows[i][0]), rows[i][1] - rows[i][0], i)
    )
    assert result.review_indices.tolist() == falling


@SETTINGS
@given(case=caseloads())
def test_breakdown_matches_a_person_by_person_count(case):
    current, proposed, groups, threshold, margin = case
    result = bd.breakdown(current, proposed, groups, threshold, flag_margin=margin)
    _check_against_rows(current, proposed, groups, threshold, result, margin)


@SETTINGS
@given(case=caseloads())
def test_groups_too_many_to_combine_are_counted_in_blocks(case):
    current, proposed, groups, threshold, margin = case
    original = bd._MAX_CELLS
    bd._MAX_CELLS = 6  # force one block per group
    try:
        result = bd.breakdown(current, proposed, groups, threshold, flag_margin=margin)
    finally:
        bd._MAX_CELLS = original
    _check_against_rows(current, proposed, groups, threshold, result, margin)


def test_amounts_too_large_for_exact_float_sums_are_summed_exactly_in_integers():
    big = 2**52  # pence: sums of these pass 2**53, past what a float holds exactly
    current = np.array([big, big + 1, 3, big - 7] * 4, dtype=np.int64)
    proposed = np.array([big + 5, big - 3, 3, big + 11] * 4, dtype=np.int64)
    groups = {"sex": (np.array([0, 1, 1, 0] * 4, dtype=np.int8), ["a", "b"])}
    result = bd.breakdown(current, proposed, groups, 10)
    _check_against_rows(current, proposed, groups, 10, result)
    assert result.groups["sex"][0].current_total_pence == 4 * (2 * big - 7)


def test_boundaries_fall_in_the_smaller_change():
    current = np.array([100, 100, 100, 100, 100, 100, 100, 100, 0, 0, 300, 100])
    proposed = np.array([98, 90, 50, 49, 102, 110, 150, 151, 5, 0, 294, 75])
    result = bd.breakdown(current, proposed, {}, 25)
    counts = dict(result.distribution)
    assert counts == {
        "fall of more than 50%": 1,  # 49
        "fall of 25–50%": 1,  # 50 (exactly 50%)
        "fall of 10–25%": 1,  # 75 (exactly 25%)
        "fall of 2–10%": 1,  # 90 (exactly 10%)
        "within 2%": 4,  # 98, 102, 294 of 300 (exactly 2%), and 0 -> 0
        "rise of 2–10%": 1,  # 110
        "rise of 10–25%": 0,
        "rise of 25–50%": 1,  # 150
        "rise of more than 50%": 2,  # 151, and 0 -> 5
    }
    # Falls of more than 25%: 49 (51%) then 50 (50%); exactly 25% is not more than 25%.
    assert result.review_indices.tolist() == [3, 2]


def test_review_ties_go_to_the_larger_fall_in_pence_then_the_row():
    current = np.array([100, 200, 100, 400])
    proposed = np.array([50, 100, 50, 380])
    result = bd.breakdown(current, proposed, {}, 10)
    assert result.review_indices.tolist() == [1, 0, 2]


def _two_stable_sorts(percent, fall):
    """The review order as plainly as numpy says it: by fall in pence (largest first), then
    a stable sort by percentage, so ties keep the larger fall first, then the row."""
    by_fall = np.argsort(-fall, kind="stable")
    return by_fall[np.argsort(percent[by_fall], kind="stable")]


@SETTINGS
@given(
    pairs=st.lists(
        st.tuples(st.integers(1, 40), st.integers(0, 40)).filter(lambda p: p[1] < p[0]),
        max_size=300,
    ),
    scale=st.sampled_from([1, 7, 2**40, 2**58]),
)
def test_the_review_order_with_many_exact_ties_matches_two_stable_sorts(pairs, scale):
    """Small amounts repeat, so many percentages tie exactly; the largest scale leaves no
    room for the whole-number key, so the other way is checked too."""
    now = np.array([p[0] for p in pairs], dtype=np.int64) * scale
    then = np.array([p[1] for p in pairs], dtype=np.int64) * scale
    percent = (then - now) * 100 / np.maximum(now, 1)
    fall = now - then
    assert bd._largest_fall_first(percent, fall).tolist() == (
        _two_stable_sorts(percent, fall).tolist()
    )


def test_codes_and_amounts_are_checked():
    with pytest.raises(ValueError, match="margin"):
        bd.breakdown(np.array([1]), np.array([1]), {}, 5, flag_margin=-1)
    with pytest.raises(ValueError, match="outside"):
        bd.breakdown(np.array([1, 2]), np.array([1, 2]), {"sex": (np.array([0, 3]), ["a", "b"])}, 5)
    with pytest.raises(ValueError, match="same length"):
        bd.breakdown(np.array([1, 2]), np.array([1]), {}, 5)
    with pytest.raises(ValueError, match="negative"):
        bd.breakdown(np.array([1, -2]), np.array([1, 2]), {}, 5)
    with pytest.raises(ValueError, match="percentage"):
        bd.breakdown(np.array([1]), np.array([1]), {}, -1)


def test_the_download_has_everyone_then_each_group_and_hides_small_groups():
    from allocation.services import breakdown_json, breakdown_rows

    # 20 women, 12 men, 3 people whose sex is not known.
    current = np.array([1000] * 20 + [2000] * 12 + [500] * 3)
    proposed = np.array([1100] * 20 + [1500] * 12 + [500] * 3)
    codes = np.array([0] * 20 + [1] * 12 + [2] * 3)
    groups = {"Sex": (codes, ["Female", "Male", "Unknown"])}
    rows = list(breakdown_rows(breakdown_json(bd.breakdown(current, proposed, groups, 10))))
    everyone = ["Everyone", "Everyone", "35", "100.0", "455.00", "415.00"]
    assert [str(v) for v in rows[0][:6]] == everyone
    # Women are shown. The 3 people not known are fewer than 10; the men, the smallest group
    # left, are hidden too, or the 3 could be worked out as everyone less women and men.
    assert [str(v) for v in rows[1][:6]] == ["Sex", "Female", "20", "57.1", "200.00", "220.00"]
    assert rows[2][:3] == ["Sex", "Male", "not shown"] and set(rows[2][3:]) == {None}
    assert rows[3][:3] == ["Sex", "Unknown", "fewer than 10"] and set(rows[3][3:]) == {None}
    assert len({len(row) for row in rows}) == 1


def test_the_stored_result_keeps_no_figures_of_a_hidden_group():
    from allocation.services import breakdown_json

    current = np.array([1000] * 20 + [1000] * 4)
    proposed = np.array([900] * 20 + [2000] * 4)
    groups = {"Autism": (np.array([0] * 20 + [1] * 4), ["No autism recorded", "Autism"])}
    stored = breakdown_json(bd.breakdown(current, proposed, groups, 10))
    assert stored["groups"]["Autism"] == [
        {"label": "No autism recorded", "suppressed": True, "small": False},
        {"label": "Autism", "suppressed": True, "small": True},
    ]
    assert stored["flags"] == []  # a hidden group is never flagged: it would say too much


def test_a_group_changing_differently_from_everyone_is_flagged_past_the_margin():
    # Everyone's total falls 10% (2,000 of 20,000); group A's falls 20% (1,000 of 5,000):
    # 10 percentage points apart. Group B's falls 6.67%, 3.33 points from everyone's.
    current = np.array([500] * 10 + [1000] * 15)
    proposed = np.array([400] * 10 + [933] * 15)
    proposed[-1] = 938  # B: 15,000 -> 14,000 exactly
    groups = {"Group": (np.array([0] * 10 + [1] * 15), ["A", "B"])}
    result = bd.breakdown(current, proposed, groups, 10, flag_margin=5)
    a, b = result.groups["Group"]
    assert a.total_change_percent == pytest.approx(-20.0) and a.flagged
    assert b.flagged is False and b.difference_points == pytest.approx(10 - 20 / 3)
    assert (
        bd.breakdown(current, proposed, groups, 10, flag_margin=10).groups["Group"][0].flagged
        is False
    )
    assert [
        row.flagged
        for row in bd.breakdown(current, proposed, groups, 10, flag_margin=3).groups["Group"]
    ] == [True, True]


def test_the_mean_change_and_the_change_in_total_agree_where_each_person_s_mean_did_not():
    # Nine small budgets rise 50%, one large one falls 10%: the mean of each person's
    # percentage is +44%, but the group's money falls. Both measures shown now say "fall".
    current = np.array([1000] * 9 + [100_000])
    proposed = np.array([1500] * 9 + [90_000])
    result = bd.breakdown(current, proposed, {"All": (np.zeros(10, dtype=np.int8), ["all"])}, 10)
    row = result.groups["All"][0]
    assert statistics.mean((p - c) / c * 100 for c, p in zip(current, proposed, strict=True)) > 40
    assert row.mean_change_pence < 0 and row.total_change_percent < 0
    assert result.overall.total_change_percent == pytest.approx(-5500 / 1090)


# --- fairness: money follows answers, never who someone is -----------------------------------


PERSON_ATTRIBUTES = {
    "client_group": ["older people", "learning disability", "mental health", "physical disability"],
    "sex": ["female", "male", "not known"],
    "ethnicity": ["white", "black", "asian", "mixed", "other"],
}


@SETTINGS
@given(data=st.data())
def test_equal_answers_give_equal_money_whoever_the_person_is(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answer_sets = data.draw(st.lists(full_answers(definition), min_size=1, max_size=5))
    population, which, attributes = [], [], {name: [] for name in PERSON_ATTRIBUTES}
    for index, answers in enumerate(answer_sets):
        for _copy in range(data.draw(st.integers(2, 6))):
            person = dict(answers)
            for name, labels in PERSON_ATTRIBUTES.items():
                code = data.draw(st.integers(0, len(labels) - 1))
                attributes[name].append(code)
                person[name] = labels[code]  # attributes sitting beside the answers
            population.append(person)
            which.append(index)
    choices, _missing = engine.encode_many(scheme, population)
    amounts = engine.amounts_pence(scheme, engine.score(scheme, choices).net)
    which = np.array(which)
    for index, answers in enumerate(answer_sets):
        same = amounts[which == index]
        assert (same == same[0]).all()
        alone, _ = engine.encode_many(scheme, [answers])
        assert same[0] == engine.amounts_pence(scheme, engine.score(scheme, alone).net)[0]
        assert same[0] == engine.explain(scheme, answers).amount * 100

    # Relabelling people changes how the change is reported by group, never the money.
    current = amounts + data.draw(st.integers(-50, 50))
    current = np.maximum(current, 0)
    groups = {
        name: (np.array(codes, dtype=np.int8), labels)
        for name, (codes, labels) in zip(
            PERSON_ATTRIBUTES,
            [(attributes[n], PERSON_ATTRIBUTES[n]) for n in PERSON_ATTRIBUTES],
            strict=True,
        )
    }
    shuffled = {
        name: (np.random.default_rng(7).permutation(codes), labels)
        for name, (codes, labels) in groups.items()
    }
    first = bd.breakdown(current, amounts, groups, 10)
    second = bd.breakdown(current, amounts, shuffled, 10)
    floats = ("total_change_percent", "median_percent_change")
    for field in fields(first.overall):
        mine, theirs = getattr(first.overall, field.name), getattr(second.overall, field.name)
        if field.name in floats and mine is not None:
            assert mine == pytest.approx(theirs)  # summed in a different order
        else:
            assert mine == theirs
    assert first.distribution == second.distribution
    for name in groups:
        assert sum(row.proposed_total_pence for row in first.groups[name]) == int(amounts.sum())
        assert sum(row.people for row in second.groups[name]) == len(population)
