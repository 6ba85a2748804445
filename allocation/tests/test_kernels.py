"""The compiled loops (allocation/domain/kernels.py) give exactly what the numpy code gives.

A model run of a large caseload scores and breaks down in compiled passes; these tests run
the engine's and the breakdown's property tests against the plain references again with the
compiled passes taking every caseload, however small, and check that bad input is refused
the same way."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation.domain import breakdown as bd
from allocation.domain import definition as ras
from allocation.domain import engine, kernels
from allocation.tests import (
    test_all_parts_together,
    test_breakdown,
    test_carer_allocation,
    test_conditional_questions,
    test_cost_rate,
    test_engine,
    test_informal_by_domain,
    test_money_tables,
    test_multiple_questions,
    test_no_indicative_amount,
)


@pytest.fixture(autouse=True)
def compiled_for_everyone(monkeypatch):
    monkeypatch.setattr(kernels, "WORTH_IT", 0)


def test_compiled_scoring_matches_the_reference():
    test_engine.test_engine_matches_the_reference()


def test_compiled_scoring_gives_the_same_for_every_layout_of_the_answers():
    test_engine.test_every_layout_scores_the_same()


def test_compiled_scoring_counts_eligible_needs_only():
    test_engine.test_counting_eligible_needs_only_never_gives_more_than_the_provisional_amount()
    test_engine.test_an_answer_linked_only_to_met_outcomes_never_changes_the_amount()


def test_compiled_scoring_takes_the_costed_plan_route_when_the_numpy_way_does():
    test_engine.test_the_costed_plan_route_is_taken_exactly_when_a_counted_complex_answer_is_chosen()


def test_compiled_scoring_never_reduces_needs_family_support_may_not_reduce():
    test_engine.test_support_from_family_and_friends_never_reduces_needs_it_may_not_reduce()


def test_compiled_scoring_matches_the_reference_whichever_parts_a_scheme_combines():
    test_all_parts_together.test_the_engine_matches_the_reference_whichever_parts_a_scheme_combines()


def test_compiled_scoring_skips_questions_not_asked():
    test_conditional_questions.test_the_engine_skips_questions_not_asked_as_the_reference_does()


def test_compiled_scoring_adds_hours_at_the_reference_rates():
    test_cost_rate.test_the_engine_matches_the_reference_with_cost_rate_answers()


def test_compiled_scoring_reduces_by_domain_as_the_reference_does():
    test_informal_by_domain.test_the_engine_matches_the_reference_by_domain()


def test_compiled_scoring_gives_the_reference_carer_amount():
    test_carer_allocation.test_the_engine_matches_the_reference_for_the_carer_and_the_person()


def test_compiled_amounts_leave_the_hours_as_the_amount_in_a_band_with_no_money():
    test_no_indicative_amount.test_a_band_with_no_money_of_its_own_leaves_the_hours_of_support_as_the_amount()
    test_no_indicative_amount.test_with_hours_the_engine_and_explanation_give_no_amount_exactly_where_the_reference_does()


def test_compiled_scoring_adds_up_multiple_answers():
    test_multiple_questions.test_the_engine_adds_up_multiple_answers_as_the_reference_does()


def test_compiled_scoring_refuses_choices_the_numpy_way_refuses():
    test_engine.test_pack_rejects_choices_outside_the_options()
    test_engine.test_an_empty_caseload_scores_to_nothing()
    scheme = engine.compile_scheme(test_engine._tiny())
    with pytest.raises(ValueError, match="must be -1 to"):
        engine.score(scheme, np.array([[0, -2, 0]], dtype=np.int8))


def test_compiled_scoring_refuses_masks_out_of_range_whatever_their_type():
    """The compiled pass checks int32 masks as it reads them; wider ones are checked before
    they are narrowed, so 2**32 + 1 is never read as 1."""
    scheme = engine.compile_scheme(test_engine._tiny())
    people = kernels.CHUNK * 2 + 5  # the bad ones in a later chunk than the first
    choices = np.zeros((people, len(scheme.question_codes)), dtype=np.int8)
    top = (1 << len(scheme.outcome_codes)) - 1
    for bad, dtype in ((-1, np.int32), (top + 1, np.int32), (2**32 + 1, np.int64)):
        masks = np.ones(people, dtype=dtype)
        masks[-3] = bad
        with pytest.raises(ValueError, match=f"between 0 and {top}"):
            engine.score(scheme, choices, unable_masks=masks)
    assert engine.score(scheme, choices, unable_masks=np.full(people, top, np.int32)).net.size


def test_compiled_scoring_refuses_choices_far_out_of_range_without_reading_past_its_tables():
    scheme = engine.compile_scheme(test_engine._tiny())
    choices = np.zeros((kernels.CHUNK + 9, len(scheme.question_codes)), dtype=np.int8)
    choices[-1, 0] = 127
    choices[-2, 1] = -128
    with pytest.raises(ValueError, match="must be -1 to"):
        engine.score(scheme, choices)


def test_compiled_amounts_match_the_numpy_gather_and_refuse_what_it_refuses(monkeypatch):
    test_money_tables.test_a_version_with_tables_by_group_needs_each_persons_table_to_model_amounts()
    scheme = engine.compile_scheme(ras.parse(test_money_tables.grouped_scheme()))
    rng = np.random.default_rng(7)
    people = kernels.CHUNK + 11
    net = rng.integers(0, scheme.max_net_points + 1, people).astype(np.int32)
    tables = rng.integers(0, len(scheme.definition.tables), people).astype(np.int8)
    compiled = engine.amounts_pence(scheme, net, tables)
    monkeypatch.setattr(kernels, "WORTH_IT", 10**12)
    assert compiled.tolist() == engine.amounts_pence(scheme, net, tables).tolist()
    monkeypatch.setattr(kernels, "WORTH_IT", 0)
    wrong_net, wrong_table = net.copy(), tables.copy()
    wrong_net[-1] = scheme.max_net_points + 1
    wrong_table[-2] = len(scheme.definition.tables)
    with pytest.raises(ValueError, match="Net points must be between 0 and"):
        engine.amounts_pence(scheme, wrong_net, tables)
    with pytest.raises(ValueError, match="No money table of this version fits"):
        engine.amounts_pence(scheme, net, wrong_table)


@test_breakdown.SETTINGS
@given(
    pairs=st.lists(
        st.tuples(st.integers(1, 40), st.integers(0, 40)).filter(lambda p: p[1] < p[0]),
        max_size=300,
    ),
    scale=st.sampled_from([1, 7, 2**40]),
)
def test_the_compiled_review_order_matches_two_stable_sorts(pairs, scale):
    now = np.array([p[0] for p in pairs], dtype=np.int64) * scale
    then = np.array([p[1] for p in pairs], dtype=np.int64) * scale
    percent = (then - now) * 100 / np.maximum(now, 1)
    fall = now - then
    assert kernels.review_order(percent, fall).tolist() == (
        test_breakdown._two_stable_sorts(percent, fall).tolist()
    )


def test_compiled_breakdown_matches_a_person_by_person_count():
    test_breakdown.test_breakdown_matches_a_person_by_person_count()


def test_compiled_breakdown_counts_groups_in_blocks_as_small_as_one_group(monkeypatch):
    monkeypatch.setattr(bd, "_COMPILED_CELLS", 1)
    test_breakdown.test_breakdown_matches_a_person_by_person_count()


def test_compiled_breakdown_leaves_amounts_too_large_for_its_totals_to_the_numpy_way():
    big = 2**60
    current = np.array([big, 3, big - 7], dtype=np.int64)
    proposed = np.array([big - 5, 3, big + 11], dtype=np.int64)
    groups = {"sex": (np.array([0, 1, 0], dtype=np.int8), ["a", "b"])}
    result = bd.breakdown(current, proposed, groups, 0)
    assert result.groups["sex"][0].current_total_pence == 2 * big - 7
    assert result.overall.proposed_total_pence == 2 * big + 9
    assert result.review_indices.tolist() == [0]


def test_compiled_breakdown_puts_boundaries_in_the_smaller_change_and_orders_ties():
    test_breakdown.test_boundaries_fall_in_the_smaller_change()
    test_breakdown.test_review_ties_go_to_the_larger_fall_in_pence_then_the_row()
    test_breakdown.test_codes_and_amounts_are_checked()


def test_compiled_breakdown_gives_the_same_whatever_the_codes_types():
    rng = np.random.default_rng(7)
    current = rng.integers(0, 50_000, 500)
    proposed = rng.integers(0, 60_000, 500)
    narrow = {"a": (rng.integers(0, 3, 500).astype(np.int8), ["x", "y", "z"])}
    wide = {"a": (narrow["a"][0].astype(np.int64), ["x", "y", "z"])}
    one, other = (
        bd.breakdown(current, proposed, narrow, 10),
        bd.breakdown(current, proposed, wide, 10),
    )
    assert one.groups == other.groups
    assert one.overall == other.overall


def test_compiled_breakdown_refuses_codes_outside_a_group_s_labels_naming_the_group():
    current = np.array([100, 200, 300])
    for wrong in ([0, 2, 1], [0, -1, 1]):
        groups = {"sex": (np.array([0, 1, 0], dtype=np.int8), ["a", "b"])}
        groups["age"] = (np.array(wrong, dtype=np.int8), ["young", "old"])
        with pytest.raises(ValueError, match="'age' has codes outside its 2 labels"):
            bd.breakdown(current, current, groups, 10)
    wide = {"age": (np.array([0, 2**33, 1]), ["young", "old"])}  # would wrap if narrowed first
    with pytest.raises(ValueError, match="'age' has codes outside its 2 labels"):
        bd.breakdown(current, current, wide, 10)


def test_the_compiled_loops_load_only_when_the_constants_they_freeze_match_kernels():
    """numba's cache is keyed on loops.py alone, so the constants frozen into it are written
    there too, and a change to one in kernels.py alone is refused rather than run stale."""
    import types

    from allocation.domain import loops

    assert loops.frozen_mismatches(kernels) == []
    changed = types.SimpleNamespace(**{name: getattr(kernels, name) for name in loops.FROZEN})
    changed.CHUNK = kernels.CHUNK * 2
    assert loops.frozen_mismatches(changed) == [
        f"CHUNK is {kernels.CHUNK * 2} in kernels.py but {kernels.CHUNK} in loops.py"
    ]
