"""A deliberately plain, one-person-at-a-time RAS: the yardstick for the numpy engine.

Written straight from the rules with dicts, loops and exact fractions, sharing no code with
the engine, so tests can check that the fast path gives the same points and pence, and the
benchmark can show what the vectorisation buys. Tolerant like `engine.encode_many`: an
unknown or missing answer counts for nothing.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

from allocation.domain.definition import Definition


def score_one(definition: Definition, answers: dict[str, str]) -> tuple[int, int, int, int]:
    """(need points, reduction percent, reduction points, net points) for one person."""
    need = 0
    percent = 0
    for domain in definition.domains:
        for question in domain.questions:
            chosen = None
            for option in question.options:
                if option.code == answers.get(question.code):
                    chosen = option
            if chosen is None:
                continue
            if question.informal_support:
                percent += chosen.reduction_percent
            else:
                need += chosen.points
    percent = min(percent, definition.informal_cap_percent)
    reduction = floor(Fraction(need * percent, 100))
    return need, percent, reduction, need - reduction


def amount_one(definition: Definition, net_points: int) -> int:
    """The issued amount in pence for net points: exact, clamped, rounded half-up."""
    allocation = definition.allocation
    if allocation.method == "bands":
        exact = Fraction(0)
        for band in allocation.bands:
            if net_points >= band.min_points:
                exact = Fraction(band.amount)
    else:
        exact = Fraction(allocation.fixed_amount) + net_points * Fraction(
            allocation.price_per_point
        )
    if definition.minimum is not None and exact < Fraction(definition.minimum):
        exact = Fraction(definition.minimum)
    if definition.maximum is not None and exact > Fraction(definition.maximum):
        exact = Fraction(definition.maximum)
    exact = max(exact, Fraction(0))
    return floor(exact * 100 + Fraction(1, 2))
