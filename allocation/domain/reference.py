"""A deliberately plain, one-person-at-a-time RAS: the yardstick for the numpy engine.

Written straight from the rules with dicts, loops and exact fractions, sharing no code with
the engine, so tests can check that the fast path gives the same points and pence, and the
benchmark can show what the vectorisation buys. Tolerant like `engine.encode_many`: an
unknown or missing answer counts for nothing.

The rules, as definition.py describes them:

- an answer counts when its question names no outcome, or the decision is not made yet
  (`unable_outcomes` None), or one of its outcomes is among those found unmet (Care Act
  2014 s26);
- a domain with a `cap` counts at most that many points; when the cap bites, the needs
  family support never reduces keep their points first;
- support from family and friends adds its percentages, capped, and takes that share off
  the counted points of the questions it may reduce (`reducible`), rounded down; an answer
  marked `no_reduction` (the carer cannot or will not go on) means nothing is taken off;
- by domain (`informal_method` "by_domain"), each domain's family-support answers add up,
  capped at the domain's cap (a percentage or points), and reduce only that domain's
  reducible points (never below none); `no_reduction` anywhere still means nothing is taken off;
- a carer allocation (`carer_allocation`) reduces nothing: the family-support answers' carer
  points give the carer an amount of their own, by the carer's rule (`carer_one`);
- a counted answer marked `complex` puts its question on the costed-plan route;
- two answers where one `excludes` the other contradict each other;
- an answer's hours (days, nights...) of a service cost units × the reference rate, each
  rounded to the penny, added to the points-based amount before the limits.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

from allocation.domain.definition import Definition


def _asked(definition, question, answers) -> bool:
    """A conditional question is asked when its parent was asked and answered with one of
    the listed answers (the parent comes earlier, so this ends)."""
    if question.asked_when is None:
        return True
    for domain in definition.domains:
        for parent in domain.questions:
            if parent.code == question.asked_when.question:
                given = answers.get(parent.code)
                given = given if isinstance(given, list) else [given]
                if parent.multiple and _chosen(parent, answers) is None:
                    given = []  # not a usable answer
                return _asked(definition, parent, answers) and any(
                    code in question.asked_when.answers for code in given
                )
    return False


def _chosen(question, answers, definition=None):
    if definition is not None and not _asked(definition, question, answers):
        return None  # not asked: its answer is ignored
    if question.multiple:
        return _several(question, answers.get(question.code))
    chosen = None
    for option in question.options:
        if option.code == answers.get(question.code):
            chosen = option
    return chosen


class _Units:
    def __init__(self, service, units):
        self.service = service
        self.units = units


class _Several:
    """A multiple-choice answer: the chosen options' points added up, capped; complex when
    any chosen option is; each service's hours added up (the cap limits points only)."""

    def __init__(self, options, cap):
        self.options = tuple(options)
        total = sum(Fraction(o.points) for o in options)
        self.points = total if cap is None else min(total, Fraction(cap))
        self.complex = any(o.complex for o in options)
        self.code = None
        self.excludes = ()
        self.reduction_percent = 0
        self.no_reduction = False
        # each service's hours added up, then priced once (definition.added_support)
        units = {}
        for option in options:
            for item in option.support:
                units[item.service] = units.get(item.service, 0) + Fraction(item.units)
        self.support = tuple(_Units(service, total) for service, total in units.items())


def _several(question, value):
    """None unless the answer is a list of the question's option codes, each at most once."""
    if not isinstance(value, list):
        return None
    codes = [o.code for o in question.options]
    if len(set(value)) != len(value) or any(code not in codes for code in value):
        return None
    return _Several([o for o in question.options if o.code in value], question.cap)


def _counts(question, unable_outcomes) -> bool:
    if unable_outcomes is None or len(question.outcomes) == 0:
        return True
    return any(outcome in unable_outcomes for outcome in question.outcomes)


def score_one(
    definition: Definition, answers: dict[str, str], unable_outcomes=None
) -> tuple[int, int, int, int]:
    """(need points, reduction percent, reduction points, net points) for one person."""
    need = 0
    reducible = 0
    percent = 0
    stopped = False
    by_domain = 0  # method by_domain: the domains' own reductions, added up
    for domain in definition.domains:
        may_reduce = 0  # this domain's counted points family support may reduce
        never_reduced = 0  # and those it never reduces
        given = []  # this domain's family-support answers
        for question in domain.questions:
            chosen = _chosen(question, answers, definition)
            if chosen is None:
                continue
            if question.informal_support:
                given.append(chosen)
                percent += chosen.reduction_percent
                if chosen.no_reduction:
                    stopped = True
            elif _counts(question, unable_outcomes):
                if question.reducible:
                    may_reduce += _exact(chosen.points)
                else:
                    never_reduced += _exact(chosen.points)
        if domain.cap is not None:
            # at most `cap` points; the needs never reduced keep theirs first
            never_reduced = min(never_reduced, _exact(domain.cap))
            may_reduce = min(may_reduce, _exact(domain.cap) - never_reduced)
        need += may_reduce + never_reduced
        reducible += may_reduce
        if definition.informal_method == "by_domain":
            by_domain += _domain_reduction_one(definition, domain, given, may_reduce)
    percent = min(percent, definition.informal_cap_percent)
    if stopped:
        percent = 0
        by_domain = 0
    # rounded down to a whole point, or to a hundredth when any points have two decimals
    if _two_decimals(definition):
        reduction = Fraction(floor(Fraction(reducible) * percent), 100)
    else:
        reduction = floor(Fraction(reducible * percent, 100))
    reduction += by_domain
    return _plain(need), percent, _plain(reduction), _plain(Fraction(need) - reduction)


_TWO_DECIMALS: dict[int, tuple[Definition, bool]] = {}


def _exact(points):
    """Whole points as they are (plain ints), others as exact fractions."""
    return points if isinstance(points, int | Fraction) else Fraction(points)


def _two_decimals(definition: Definition) -> bool:
    """Whether any points have two decimal places (remembered per definition)."""
    known = _TWO_DECIMALS.get(id(definition))
    if known is None or known[0] is not definition:
        known = (definition, _find_two_decimals(definition))
        _TWO_DECIMALS[id(definition)] = known
    return known[1]


def _find_two_decimals(definition: Definition) -> bool:
    return definition.points_scale != 1


def _plain(points):
    """Whole points as an int, others as the exact Fraction."""
    points = Fraction(points)
    return points.numerator if points.denominator == 1 else points


def _domain_reduction_one(definition: Definition, domain, given, may_reduce):
    """By domain: the domain's answers add up, as a percentage or as points, capped at the
    domain's own cap; a percentage is taken off its points support may reduce, rounded down
    (to the scheme's counting step); points are taken off, never more than there are."""
    if domain.informal_cap_points is not None:
        points = min(
            sum((Fraction(o.reduction_points) for o in given), Fraction(0)),
            Fraction(domain.informal_cap_points),
        )
        return _plain(min(points, Fraction(may_reduce)))
    percent = min(sum(o.reduction_percent for o in given), domain.informal_cap_percent or 0)
    step = definition.points_scale
    taken = Fraction(floor(Fraction(may_reduce) * step * percent / 100), step)
    return int(taken) if taken.denominator == 1 else taken


def costed_plan_route_one(
    definition: Definition, answers: dict[str, str], unable_outcomes=None
) -> tuple[str, ...]:
    """The questions whose counted answers are marked complex, in questionnaire order."""
    route = []
    for domain in definition.domains:
        for question in domain.questions:
            chosen = _chosen(question, answers, definition)
            if chosen is None or question.informal_support:
                continue
            if chosen.complex and _counts(question, unable_outcomes):
                route.append(question.code)
    return tuple(route)


def contradictions_one(definition: Definition, answers: dict[str, str]) -> set[frozenset]:
    """Each pair of answers that contradict each other, as {(question, option), (question, option)}."""
    pairs = set()
    for domain in definition.domains:
        for question in domain.questions:
            for option in _each_chosen(question, answers, definition):
                for other, excluded in option.excludes:
                    other_question = next(
                        q for d in definition.domains for q in d.questions if q.code == other
                    )
                    for theirs in _each_chosen(other_question, answers, definition):
                        if theirs.code in excluded:
                            pairs.add(
                                frozenset([(question.code, option.code), (other, theirs.code)])
                            )
    return pairs


def _each_chosen(question, answers, definition) -> list:
    """The options an answer picks, one by one (several for a multiple-choice question)."""
    chosen = _chosen(question, answers, definition)
    if chosen is None:
        return []
    return list(chosen.options) if question.multiple else [chosen]


def table_one(definition: Definition, person: dict | None = None):
    """The first money table whose group fits the person (age in whole years, inclusive;
    primary support reason; client type); a table with no group fits everyone. None if
    none fits."""
    person = person or {}
    age = person.get("age")
    for table in definition.tables:
        group = table.applies_to
        if group is None:
            return table
        if group.age_from is not None and (age is None or age < group.age_from):
            continue
        if group.age_to is not None and (age is None or age > group.age_to):
            continue
        reasons = group.primary_support_reasons
        if reasons and person.get("primary_support_reason") not in reasons:
            continue
        if group.client_types and person.get("client_type") not in group.client_types:
            continue
        return table
    return None


def amount_one(
    definition: Definition, net_points, person: dict | None = None, support_pence: int = 0
) -> int | None:
    """The issued amount in pence for net points, with the person's money table, plus any
    cost-rate support (`support_pence_one`): exact, clamped, rounded half-up. A band with no
    indicative amount gives no money of its own: None (not £0, and no limit applies) unless
    the answers also carry hours of support, which are then the whole amount."""
    allocation = table_one(definition, person).rule
    if allocation.method == "bands":
        exact = Fraction(0)
        for band in allocation.bands:
            if net_points >= band.min_points:
                exact = None if band.amount is None else Fraction(band.amount)
        if exact is None:
            if not support_pence:
                return None
            exact = Fraction(0)
    else:
        exact = Fraction(allocation.fixed_amount) + net_points * Fraction(
            allocation.price_per_point
        )
    exact += Fraction(support_pence, 100)
    if definition.minimum is not None and exact < Fraction(definition.minimum):
        exact = Fraction(definition.minimum)
    if definition.maximum is not None and exact > Fraction(definition.maximum):
        exact = Fraction(definition.maximum)
    exact = max(exact, Fraction(0))
    return floor(exact * 100 + Fraction(1, 2))


def support_pence_one(
    definition: Definition, answers: dict[str, str], rates: dict[str, int], unable_outcomes=None
) -> int:
    """The cost-rate part in pence: for each counted answer, each service it carries, its
    units times the reference rate (pence a unit), rounded half-up to the penny, added up."""
    total = 0
    for domain in definition.domains:
        for question in domain.questions:
            chosen = _chosen(question, answers, definition)
            if chosen is None or question.informal_support:
                continue
            if not _counts(question, unable_outcomes):
                continue
            for item in chosen.support:
                total += floor(Fraction(item.units) * rates[item.service] + Fraction(1, 2))
    return total


def carer_one(definition: Definition, answers: dict[str, str]) -> tuple[int, int | None]:
    """Carer allocation: (carer points, the carer's amount in pence, or None for no amount).
    The answers' carer points add up; there is no carer amount when nobody gives support
    that scores, when an answer says the person helping cannot or will not go on, or when
    the carer's band gives no amount. Each amount is exact, rounded half-up, no limits."""
    points = 0
    stopped = False
    for domain in definition.domains:
        for question in domain.questions:
            chosen = _chosen(question, answers, definition)
            if chosen is None or not question.informal_support:
                continue
            points += Fraction(chosen.carer_points)
            stopped = stopped or chosen.no_reduction
    if stopped or points == 0:
        return 0, None
    points = _plain(points)
    rule = definition.carer_money.rule
    if rule.method == "bands":
        amount = None
        for band in rule.bands:
            if points >= band.min_points:
                amount = band.amount
        if amount is None:
            return points, None
        exact = Fraction(amount)
    else:
        exact = Fraction(rule.fixed_amount) + points * Fraction(rule.price_per_point)
    return points, floor(exact * 100 + Fraction(1, 2))


def at_maximum_one(definition: Definition, net_points: int, person: dict | None = None) -> bool:
    """Whether the issued amount is the scheme's maximum."""
    if definition.maximum is None:
        return False
    return amount_one(definition, net_points, person) == floor(Fraction(definition.maximum) * 100)
