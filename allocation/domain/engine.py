"""The RAS engine: answers to points, points to money, and the explanation a person can follow.

Pure numpy and Decimal, no Django: the same code scores one person on a page and two million
in a modelling run, so the two can never disagree.

Money is exact. A person's amount depends only on their net points (R (KM) v Cambridgeshire
[2012] UKSC 23 asks that it be explicable), so every amount the engine can issue for a version
is computed once, exactly, into a lookup table in integer pence; scoring a caseload is then a
few gathers.

Choice matrix: `(N, Q)` int8, one column per question in questionnaire order, holding the
chosen option's index, or -1 for no usable answer. `encode_many` returns it column-major
(Fortran order) because the scorer reads one question at a time; any layout is accepted.

Packed layout (what `pack` produces and `score` reads): questions are grouped, in
questionnaire order and separately for need and informal-support questions, so that the
product of (options + 1) in a group is at most 65,536. A group's word is a uint16
`key = sum(digit_j * prod(radix_i for i < j))` with `digit = choice + 1` (0 = unanswered)
and `radix = options + 1`; the first question of the group is the least significant digit.
One lookup table per group gives the group's points (or reduction percent) for every key,
so 40 questions cost about 7 gathers instead of 40. Need questions that support from family
and friends may reduce are grouped apart from those it never reduces (`reducible: false`),
so both sums come from the same gathers.

Folded counts: a need group's table holds `points + (complex answers << 24)`, and an
informal-support group's `percent + (no-reduction answers << 20)`, so the costed-plan route
and the "carer cannot go on" rule cost nothing extra; `definition.parse` keeps the sums
small enough (`MAX_TOTAL_POINTS`, `MAX_COMPLEX_QUESTIONS`) that the fields never meet.

Eligible needs only (Care Act 2014 s26; statutory guidance 11.7-11.10): each person may
come with an `unable_masks` bitmask, bit i set when the eligibility decision found them
unable to achieve `scheme.outcome_codes[i]`. An answer to a question linked to outcomes,
none of them unmet, is packed as unanswered: it scores nothing and cannot lead to a
costed plan. Without masks (before the decision) every need counts: a provisional amount.

Parts beside the points (`_with_parts`, scored in `_with_part_scores`; a version without
them spends nothing on them): cost-rate answers, a pence table a need group priced at the
reference rates given to `compile_scheme` (`Scores.support_pence`, added before the limits
by `amounts_pence`); informal support by domain, each such domain's need groups kept apart
and its own support tables read from the same packed words; and a carer allocation, carer
points from the support words (`Scores.carer_points`, `carer_amounts_pence`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import (
    ROUND_FLOOR,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import partial

import numpy as np

from allocation.domain import kernels
from allocation.domain import rates as rate_catalogue
from allocation.domain.definition import (
    CLIENT_TYPE_LABELS,
    Allocation,
    Definition,
    MoneyTable,
    Option,
    Question,
    added_support,
    outcome_labels,
    plain_psr,
)
from core.money import PENNY, annual_multiplier, format_pounds, round_pence

MAX_OPTIONS = 127  # choices are int8
_WORD_SPACE = 1 << 16
_TABLE_SPACE = 1 << 18  # entries in a group's tables, all patterns together (1 MB of int32)
_INT64_LIMIT = 2**62  # products below this are safe in int64
_CHUNK = 131_072  # rows per block: keeps a block's columns in cache while packing
_COMPLEX_SHIFT = 24  # need tables: points in the low 24 bits, complex answers above
_STOP_SHIFT = 20  # support tables: percent in the low 20 bits, no-reduction answers above

# In a pence table: a band with no indicative amount (which is not £0; no limit applies).
NO_AMOUNT = kernels.NO_AMOUNT

# Every money sum is exact: any rounding the engine did not ask for raises.
EXACT = Context(prec=120, traps=[InvalidOperation, Inexact, DivisionByZero, Overflow])


class AnswerError(ValueError):
    """Answers that do not fit the version; `problems` names every one, for the person to fix."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


@dataclass(frozen=True, eq=False)
class _Group:
    """Questions packed into one uint16 word, with the lookup table for their joint answers."""

    questions: tuple[int, ...]
    radices: tuple[int, ...]
    table: np.ndarray  # int32, one entry per key per pattern (folded counts: module docstring)
    reducible: bool = True  # need groups: may support from family and friends reduce it?
    keys: int = 0  # entries in one pattern's table
    offsets: np.ndarray | None = None  # int32 by unable mask: where that pattern's table starts

    @property
    def provisional(self) -> np.ndarray:
        """The table counting every answer (the last pattern)."""
        return self.table[self.table.size - self.keys :]


@dataclass(frozen=True, eq=False)
class _DomainReduction:
    """A domain whose support from family and friends reduces its own points."""

    capped: (
        int  # its entry in CompiledScheme.capped (a domain with no cap gets one that never bites)
    )
    cap_percent: int | None  # reductions are percentages, capped at this
    cap_steps: int | None  # or counting steps of points, capped at this
    tables: tuple[tuple[int, np.ndarray], ...]  # (support group, int64 table of its answers)


@dataclass(frozen=True, eq=False)
class CompiledScheme:
    """A version compiled for scoring: build once per version and keep it."""

    definition: Definition
    question_codes: tuple[str, ...]
    question_index: dict[str, int]
    option_index: tuple[dict[str, int], ...]
    option_counts: np.ndarray  # (Q,) int16
    points: np.ndarray  # (Q, max_options) int32; 0 past a question's options
    reduction_percents: np.ndarray  # (Q, max_options) int32
    need_mask: np.ndarray  # (Q,) bool
    informal_mask: np.ndarray  # (Q,) bool
    informal_cap: int
    max_net_points: int
    money_pence: np.ndarray  # (max_net_points + 1,) int64: issued amount per period
    need_groups: tuple[_Group, ...] = field(repr=False)
    support_groups: tuple[_Group, ...] = field(repr=False)
    outcome_codes: tuple[str, ...] = ()  # bit i of an unable mask is outcome_codes[i]
    question_outcomes: np.ndarray | None = None  # (Q,) int64 bitmask; 0 = counts always
    reducible_mask: np.ndarray | None = None  # (Q,) bool: need questions informal support reduces
    complex_options: np.ndarray | None = None  # (Q, max_options) bool
    has_complex: bool = False
    has_stops: bool = False
    # Domains with a cap: (cap, first need group, end of its reducible groups, end of its
    # groups), indexes into need_groups; their groups come after every uncapped domain's.
    capped: tuple[tuple[int, int, int, int], ...] = ()
    # Money tables by group: (T, max_net_points + 1) int64, table t's issued amounts; None
    # when the version has one table (`money_pence`, which is always the first table's).
    money_tables_pence: np.ndarray | None = None
    # Cost-rate answers (`_with_support`): the reference rates they were priced at, those
    # the version needs but was not given, each need group's pence table (laid out as
    # its points table; None when its answers carry no support), and each table's points
    # part in pence before the limits, (T, max_net_points + 1) int64.
    has_support: bool = False
    rates: tuple[tuple[str, int], ...] = ()
    missing_rates: tuple[str, ...] = ()
    option_pence: np.ndarray | None = None  # (Q, max_options) int64
    need_pence: tuple[np.ndarray | None, ...] = field(default=(), repr=False)
    points_pence: np.ndarray | None = None
    # Informal support by domain (`_with_domain_reductions`): one entry a domain whose family
    # support reduces it, each with its own support tables laid out as `support_groups`.
    domain_reductions: tuple[_DomainReduction, ...] = field(default=(), repr=False)
    # Carer allocation (`_with_carer`): each support group's int64 table of carer points
    # (laid out as `support_groups`), and the carer's issued pence for 0..max carer points.
    carer_tables: tuple[tuple[int, np.ndarray], ...] = field(default=(), repr=False)
    carer_pence: np.ndarray | None = None
    # Counting steps per point (Definition.points_scale): 1, or 100 when any points have two
    # decimal places. Every points array (tables, Scores, max_net_points, the index of
    # money_pence) counts in steps; `points_of` turns steps back into points.
    points_scale: int = 1
    # Conditional questions: (question, parent, skip table, asked run), in order (`_conditions`;
    # pack sets the choices of questions not asked to -1); () when there are none.
    conditions: tuple = ()

    @property
    def annual_multiplier(self) -> int:
        return annual_multiplier(self.definition.period)


@dataclass(frozen=True, eq=False)
class PackedChoices:
    """A caseload's answers in the packed layout described in the module docstring."""

    need_words: np.ndarray  # (len(need_groups), N) uint16
    support_words: np.ndarray  # (len(support_groups), N) uint16

    def __len__(self) -> int:
        return self.need_words.shape[1]


@dataclass(frozen=True, eq=False)
class Scores:
    """Points for each person, all int32: net = need - reduction.

    `need` counts eligible needs only when unable masks were given; `reducible` is the part
    of it that support from family and friends may reduce; `costed_plan` (bool) is True
    for each person with a counted answer marked complex."""

    need: np.ndarray
    reduction_percent: np.ndarray
    reduction: np.ndarray
    net: np.ndarray
    reducible: np.ndarray | None = None
    costed_plan: np.ndarray | None = None
    support_pence: np.ndarray | None = None  # int64: cost-rate answers at reference rates
    carer_points: np.ndarray | None = None  # int32, carer_allocation: 0 means no carer amount


@dataclass(frozen=True)
class AmountResult:
    exact: Decimal | None  # None: a band with no indicative amount (not £0)
    issued: Decimal | None
    limit: str | None  # "minimum" or "maximum" when a limit changed the exact amount


@dataclass(frozen=True)
class Line:
    # "answer" | "not_eligible_need" | "domain_cap" | "informal_support"
    # | "informal_support_not_counted" | "fixed_amount" | "band" | "money_table" | "limit"
    # | "costed_plan" | "support" (cost-rate) | "carer_allocation"
    # | "no_amount" (a band with no indicative amount: its words, no money) | "not_asked"
    kind: str
    domain_title: str | None = None
    question_code: str | None = None
    question_text: str | None = None
    option_code: str | None = None
    answer_label: str | None = None
    points: int | Decimal | None = None  # Decimal only for two-decimal points
    amount: Decimal | None = None  # to the penny; None when the line carries no money
    text: str = ""  # one plain-English sentence
    service: str | None = None  # "support" lines: units of a service at its reference rate
    units: Decimal | None = None
    rate: Decimal | None = None  # pounds a unit


@dataclass(frozen=True)
class CarerAmount:
    """The carer's own amount (method carer_allocation), apart from the person's."""

    points: int
    amount: Decimal | None  # None: no amount (the band gives none, or nobody can go on)
    period: str
    rule_text: str
    title: str = ""
    words: str = ""  # a band with no amount: what it means
    stopped: bool = False  # an answer says the person helping cannot or will not go on


@dataclass(frozen=True)
class Explanation:
    lines: list[Line]
    need_points: int | Decimal  # the needs that count (all of them while provisional)
    reduction_percent: int
    reduction_points: int | Decimal
    total_points: int | Decimal
    method: str
    rule_text: str
    limit: str | None
    exact_amount: Decimal | None  # None: no indicative amount (no_amount_words says why)
    amount: Decimal | None
    period: str
    provisional: bool = True  # made before the eligibility decision: every need counted
    at_maximum: bool = False  # the amount is the scheme's maximum
    costed_plan_route: tuple[str, ...] = ()  # questions whose (counted) answers are complex
    not_eligible_points: int | Decimal = 0  # points of answers whose outcomes were all found met
    money_table: str = ""  # the code of the money table that gave the amount
    money_table_title: str = ""
    support_amount: Decimal | None = None  # the cost-rate answers' part, when there is one
    carer: CarerAmount | None = None  # carer_allocation: the carer's own amount, apart
    # A band with no indicative amount (amount and exact_amount None, which is not £0): the
    # band's words for the person.
    no_amount_words: str = ""


# --- compiling ---------------------------------------------------------------------------


def compile_scheme(
    definition: Definition, *, rates: dict[str, int] | None = None
) -> CompiledScheme:
    """Turn a definition into lookup tables, so scoring needs no Python per person.

    `rates` ({service: pence a unit}, the reference rates in force on the day) price the
    cost-rate answers of a version that has them (`_with_support`)."""
    questions = definition.questions
    q_count = len(questions)
    for q in questions:
        if len(q.options) > MAX_OPTIONS:
            raise ValueError(f"Question {q.code!r} has more than {MAX_OPTIONS} options")
    choosable = [choice_options(q) for q in questions]  # a multiple question: every set
    width = max((len(c) for c in choosable), default=0)
    scale = definition.points_scale
    points = np.zeros((q_count, width), dtype=np.int32)
    reductions = np.zeros((q_count, width), dtype=np.int32)
    complex_options = np.zeros((q_count, width), dtype=bool)
    stops = np.zeros((q_count, width), dtype=bool)
    for i, q in enumerate(questions):
        for j, o in enumerate(choosable[i]):
            points[i, j] = 0 if q.informal_support else _steps(o.points, scale)
            reductions[i, j] = o.reduction_percent if q.informal_support else 0
            complex_options[i, j] = o.complex and not q.informal_support
            stops[i, j] = o.no_reduction and q.informal_support
    informal = np.array([q.informal_support for q in questions], dtype=bool)
    counts = np.array([len(c) for c in choosable], dtype=np.int16)
    tops = [int(points[i].max(initial=0)) for i in range(q_count)]
    position_of = {id(q): i for i, q in enumerate(questions)}
    max_net = 0
    for domain in definition.domains:
        top = sum(tops[position_of[id(q)]] for q in domain.questions)
        max_net += top if domain.cap is None else min(top, _steps(domain.cap, scale))
    codes = definition.outcome_codes
    bit = {code: 1 << i for i, code in enumerate(codes)}
    linked = np.array(
        [
            0 if q.informal_support else sum(bit[c] for c in q.outcomes if c in bit)
            for q in questions
        ],
        dtype=np.int64,
    )
    reducible = np.array([q.reducible and not q.informal_support for q in questions], dtype=bool)
    need_tables = points + (complex_options.astype(np.int32) << _COMPLEX_SHIFT)
    support_tables = reductions + (stops.astype(np.int32) << _STOP_SHIFT)
    uncapped = {
        position_of[id(q)] for d in definition.domains if d.cap is None for q in d.questions
    }
    reducible_positions = [
        i for i in range(q_count) if not informal[i] and reducible[i] and i in uncapped
    ]
    fixed_positions = [
        i for i in range(q_count) if not informal[i] and not reducible[i] and i in uncapped
    ]
    support_positions = [i for i in range(q_count) if informal[i]]
    key = (definition.kind, scale)
    known = _LAST_GROUPS
    if known is not None and known[0] is definition.domains and known[1] == key:
        # The same questions as the last scheme compiled (a calibrated or modelled copy of a
        # version differs only in its money): its tables are reused, not built again.
        need_groups, support_groups, capped = known[2]
    else:
        need_kwargs = {"linked": linked, "outcome_count": len(codes)}
        need_groups = _groups(reducible_positions, counts, need_tables, **need_kwargs) + _groups(
            fixed_positions, counts, need_tables, reducible=False, **need_kwargs
        )
        capped = []
        for domain in definition.domains:
            if domain.cap is None:
                continue
            here = [position_of[id(q)] for q in domain.questions if not q.informal_support]
            start = len(need_groups)
            need_groups += _groups(
                [i for i in here if reducible[i]], counts, need_tables, **need_kwargs
            )
            middle = len(need_groups)
            need_groups += _groups(
                [i for i in here if not reducible[i]],
                counts,
                need_tables,
                reducible=False,
                **need_kwargs,
            )
            capped.append((_steps(domain.cap, scale), start, middle, len(need_groups)))
        support_groups = _groups(support_positions, counts, support_tables)
        _remember_groups(definition.domains, key, (need_groups, support_groups, tuple(capped)))
    money_tables = [
        issued_pence_table(
            per_step(table.rule, scale), definition.minimum, definition.maximum, max_net
        )
        for table in definition.tables
    ]
    scheme = CompiledScheme(
        definition=definition,
        question_codes=tuple(q.code for q in questions),
        question_index={q.code: i for i, q in enumerate(questions)},
        option_index=tuple({o.code: j for j, o in enumerate(q.options)} for q in questions),
        option_counts=counts,
        points=points,
        reduction_percents=reductions,
        need_mask=~informal,
        informal_mask=informal,
        informal_cap=definition.informal_cap_percent,
        max_net_points=max_net,
        money_pence=money_tables[0],
        money_tables_pence=np.stack(money_tables) if len(money_tables) > 1 else None,
        need_groups=need_groups,
        support_groups=support_groups,
        outcome_codes=codes,
        question_outcomes=linked,
        reducible_mask=reducible,
        complex_options=complex_options,
        has_complex=bool(complex_options.any()),
        has_stops=bool(stops.any()),
        capped=tuple(capped),
        points_scale=scale,
        conditions=_conditions(definition, {q.code: i for i, q in enumerate(questions)}),
    )
    return _with_parts(scheme, rates)


# The question groups of the last scheme compiled: (domains, (kind, scale), groups). Domains
# are frozen, so the same object always means the same questions.
_LAST_GROUPS: tuple | None = None


def _remember_groups(domains, key, groups) -> None:
    global _LAST_GROUPS
    _LAST_GROUPS = (domains, key, groups)


def choice_options(question: Question) -> tuple[Option, ...]:
    """What the choice matrix can hold for a question: its options, or for a multiple-choice
    question every set of its (up to 7) options as one option, by bitmask (bit j: option j
    chosen; 0: none of them), whose points are the chosen options' points added up and
    capped at the question's cap, which is complex when any chosen option is, and whose
    hours of support are the chosen options' added up (definition.added_support)."""
    if not question.multiple:
        return question.options
    found = []
    for mask in range(1 << len(question.options)):
        chosen = [o for j, o in enumerate(question.options) if mask >> j & 1]
        total = sum((o.points for o in chosen), Decimal(0))
        if question.cap is not None:
            total = min(total, question.cap)
        found.append(
            Option(
                code=",".join(o.code for o in chosen),
                label=_and([o.label for o in chosen]) or question.none_label or "None of these",
                points=int(total) if total == int(total) else total,
                complex=any(o.complex for o in chosen),
                support=added_support(chosen),
            )
        )
    return tuple(found)


def _and(labels: list[str]) -> str:
    return (
        labels[0]
        if len(labels) == 1
        else ", ".join(labels[:-1]) + " and " + labels[-1]
        if labels
        else ""
    )


def _multi_choice(question: Question, value) -> int | None:
    """A multiple-choice answer (a list of option codes, each once) as its bitmask, or None
    when it is not a usable answer."""
    chosen = question.chosen(value)
    if chosen is None:
        return None
    position = {o.code: j for j, o in enumerate(question.options)}
    return sum(1 << position[o.code] for o in chosen)


def _steps(points, scale: int) -> int:
    """Points in counting steps (hundredths when the scheme has any two-decimal points):
    exact, since points have at most two decimal places."""
    steps = Decimal(points) * scale
    if steps != steps.to_integral_value():
        raise ValueError(f"{points} points is not a whole number of counting steps")
    return int(steps)


def per_step(rule: Allocation, scale: int) -> Allocation:
    """The points-to-money rule for net points counted in steps of 1/scale point: the price
    of a step (exact) and bands starting at whole steps."""
    if scale == 1:
        return rule
    return replace(
        rule,
        price_per_point=rule.price_per_point.scaleb(-2),  # scale is 100
        bands=tuple(replace(b, min_points=_steps(b.min_points, scale)) for b in rule.bands),
    )


def points_of(steps, scale: int):
    """Counting steps as points: an int when whole, else the exact Decimal (2 places)."""
    steps = int(steps)
    if scale == 1 or steps % scale == 0:
        return steps // scale
    return Decimal(steps).scaleb(-2)


def _groups(
    positions: list[int],
    counts: np.ndarray,
    values: np.ndarray,
    *,
    reducible: bool = True,
    linked: np.ndarray | None = None,
    outcome_count: int = 0,
) -> tuple[_Group, ...]:
    """Pack questions while their joint answers fit a 16-bit key and their tables (one per
    pattern of outcomes found unmet) stay small; questions sharing outcomes go together."""
    if linked is not None:
        positions = sorted(positions, key=lambda q: int(linked[q]))  # stable: same links meet
    groups, current, size, masks = [], [], 1, set()
    for q in positions:
        radix = int(counts[q]) + 1
        mask = 0 if linked is None else int(linked[q])
        patterns = len((masks | {mask}) - {0})
        if current and (size * radix > _WORD_SPACE or (size * radix << patterns) > _TABLE_SPACE):
            groups.append(_group(current, counts, values, reducible, linked, outcome_count))
            current, size, masks = [], 1, set()
        current.append(q)
        size *= radix
        masks.add(mask)
    if current:
        groups.append(_group(current, counts, values, reducible, linked, outcome_count))
    return tuple(groups)


def _group(
    questions: list[int],
    counts: np.ndarray,
    values: np.ndarray,
    reducible: bool = True,
    linked: np.ndarray | None = None,
    outcome_count: int = 0,
    dtype=np.int32,
) -> _Group:
    """One table per pattern of the group's distinct outcome links (bit k of the pattern set
    when the k-th link has an outcome found unmet), laid end to end; the last pattern counts
    every answer (the provisional table). `offsets[unable mask]` is where a person's table starts."""
    radices = tuple(int(counts[q]) + 1 for q in questions)
    keys = int(np.prod(radices, dtype=np.int64))
    masks = [] if linked is None else sorted({int(linked[q]) for q in questions} - {0})
    tables = []
    for pattern in range(1 << len(masks)):
        counted = {m for k, m in enumerate(masks) if pattern >> k & 1}
        # Axis k-1-j holds question j's digit, so C-order ravel gives key = sum(digit_j * m_j).
        table = np.zeros(radices[::-1], dtype=np.int64)
        for j, q in enumerate(questions):
            if linked is not None and int(linked[q]) and int(linked[q]) not in counted:
                continue
            by_digit = np.concatenate(([0], values[q, : counts[q]])).astype(np.int64)
            shape = [1] * len(questions)
            shape[len(questions) - 1 - j] = radices[j]
            table += by_digit.reshape(shape)
        tables.append(table.ravel())
    offsets = None
    if masks:
        unable = np.arange(1 << outcome_count, dtype=np.int64)
        pattern = np.zeros(unable.size, dtype=np.int64)
        for k, m in enumerate(masks):
            pattern |= ((unable & m) != 0).astype(np.int64) << k
        offsets = (pattern * keys).astype(np.int32)
    return _Group(
        tuple(questions),
        radices,
        np.concatenate(tables).astype(dtype),
        reducible,
        keys=keys,
        offsets=offsets,
    )


def issued_pence_table(
    allocation: Allocation, minimum: Decimal | None, maximum: Decimal | None, top: int
) -> np.ndarray:
    """Issued amount in pence for each net-points value 0..top, computed exactly in integers.

    Limits are whole pence, so clamping then rounding equals rounding then clamping.
    """
    n = np.arange(top + 1, dtype=np.int64)
    if allocation.method == "bands":
        band_pence = np.array(
            [
                NO_AMOUNT if b.amount is None else _clamped_pence(b.amount, minimum, maximum)
                for b in allocation.bands
            ],
            dtype=np.int64,
        )
        mins = np.array([b.min_points for b in allocation.bands], dtype=np.int64)
        return band_pence[np.searchsorted(mins, n, side="right") - 1]
    fixed = int(allocation.fixed_amount * 100)  # 2 dp, so exact
    places = max(0, -allocation.price_per_point.as_tuple().exponent - 2)
    scale = 10**places
    # price in pence = whole + part / scale, so n * price = n * whole + n * part / scale
    price_units = int(allocation.price_per_point.scaleb(places + 2, EXACT))
    whole, part = divmod(price_units, scale)
    if top * max(part, 1) < _INT64_LIMIT and top * (whole + 1) + fixed < _INT64_LIMIT:
        carry, rest = np.divmod(n * part, scale)
        pence = fixed + n * whole + carry + (2 * rest >= scale)
    else:  # beyond int64: same arithmetic on Python integers
        pence = np.array(
            [fixed + (2 * k * price_units + scale) // (2 * scale) for k in range(top + 1)],
            dtype=np.int64,
        )
    low = 0 if minimum is None else int(minimum * 100)
    high = None if maximum is None else int(maximum * 100)
    return np.clip(pence, low, high)


def _clamped_pence(amount: Decimal, minimum: Decimal | None, maximum: Decimal | None) -> int:
    exact, _limit = _clamp(amount, minimum, maximum)
    return int(round_pence(exact) * 100)


def _clamp(
    exact: Decimal, minimum: Decimal | None, maximum: Decimal | None
) -> tuple[Decimal, str | None]:
    if minimum is not None and exact < minimum:
        return minimum, "minimum"
    if maximum is not None and exact > maximum:
        return maximum, "maximum"
    if exact < 0:  # cannot happen for a valid definition; an amount is never negative
        return Decimal("0"), "minimum"
    return exact, None


# --- encoding ----------------------------------------------------------------------------


def encode(scheme: CompiledScheme, answers: dict[str, str]) -> np.ndarray:
    """One person's answers as option indexes; strict, because their budget depends on it.

    Refuses unknown questions and answers, missing answers, and answers that contradict
    each other (`contradictions`), naming every one."""
    problems = []
    for code, value in answers.items():
        position = scheme.question_index.get(code)
        if position is None:
            problems.append(
                {
                    "code": code,
                    "question": code,
                    "type": "unknown_question",
                    "message": f"There is no question {code!r} in this version of the RAS",
                }
            )
        elif value is not None and _choice(scheme, position, value) < 0:
            problems.append(
                {
                    "code": str(value),
                    "question": code,
                    "type": "unknown_option",
                    "message": f"{value!r} is not one of the answers to question {code!r}",
                }
            )
    choices = np.empty(len(scheme.question_codes), dtype=np.int8)
    for position, question in enumerate(scheme.definition.questions):
        code = question.code
        value = answers.get(code)
        if question.asked_when is not None and not scheme.definition.is_asked(question, answers):
            choices[position] = -1  # not asked: not required, and any answer is ignored
            continue
        if value is None:
            problems.append(
                {
                    "code": code,
                    "question": code,
                    "type": "missing_answer",
                    "message": f"Question {code!r} has not been answered: “{question.text}”",
                }
            )
            continue
        choices[position] = _choice(scheme, position, value)
    problems += contradictions(scheme, answers)
    if problems:
        raise AnswerError(problems)
    return choices


def contradictions(scheme: CompiledScheme | Definition, answers: dict) -> list[dict]:
    """Answers that cannot both be true (an option's `excludes`), each once, in plain words;
    on a multiple-choice question, each answer chosen is compared on its own.

    Works on partial answers too (only questions answered on both sides are compared), so
    the answer-recording path can refuse a contradiction as soon as it is made. Each item
    has `type` "contradictory_answers", `question` and `code` (the answer that excludes),
    `other_question` and `other_code`, and a `message`."""
    definition = scheme.definition if isinstance(scheme, CompiledScheme) else scheme
    answers = asked_answers(definition, answers)  # an answer not asked contradicts nothing
    found, seen = [], set()
    for question in definition.questions:
        for option in question.chosen(answers.get(question.code)) or ():
            for other_code, excluded in option.excludes:
                other = definition.question(other_code)
                if other is None:
                    continue
                for other_option in other.chosen(answers.get(other_code)) or ():
                    if other_option.code not in excluded:
                        continue
                    pair = frozenset(
                        {(question.code, option.code), (other_code, other_option.code)}
                    )
                    if pair in seen:
                        continue
                    seen.add(pair)
                    found.append(
                        {
                            "type": "contradictory_answers",
                            "question": question.code,
                            "code": option.code,
                            "other_question": other_code,
                            "other_code": other_option.code,
                            "message": (
                                f"The answer “{option.label}” to “{question.text}” does not fit "
                                f"the answer “{other_option.label}” to “{other.text}”. Change "
                                "one of them."
                            ),
                        }
                    )
    return found


def encode_many(
    scheme: CompiledScheme, answer_dicts: Iterable[dict]
) -> tuple[np.ndarray, np.ndarray]:
    """A caseload's answers, tolerantly: assessments may predate the version being modelled.

    Unknown or missing answers become -1 (no points, no reduction) and are counted per person.
    Returns the (N, Q) int8 choice matrix in column-major order, and the missing counts.
    """
    maps = scheme.option_index
    codes = scheme.question_codes
    if any(q.multiple for q in scheme.definition.questions):  # answers may be lists
        maps = [_LooseChoice(scheme, i) for i in range(len(codes))]
    rows = [
        [maps[i].get(answers.get(code), -1) for i, code in enumerate(codes)]
        for answers in answer_dicts
    ]
    choices = np.asfortranarray(np.array(rows, dtype=np.int8).reshape(len(rows), len(codes)))
    missing = (choices < 0).sum(axis=1, dtype=np.int32)
    return choices, missing


def _choice(scheme: CompiledScheme, position: int, value) -> int:
    """An answer's entry in the choice matrix: the option's index, or for a multiple-choice
    question the bitmask of the options chosen (`choice_options`); -1 when not usable."""
    question = scheme.definition.questions[position]
    if question.multiple:
        mask = _multi_choice(question, value)
        return -1 if mask is None else mask
    if not isinstance(value, str):
        return -1
    return scheme.option_index[position].get(value, -1)


class _LooseChoice:
    """`dict.get` for one question's answers, lists included (encode_many)."""

    def __init__(self, scheme: CompiledScheme, position: int):
        self.scheme, self.position = scheme, position

    def get(self, value, default: int = -1) -> int:
        found = _choice(self.scheme, self.position, value)
        return default if found < 0 else found


def unable_mask(scheme: CompiledScheme, outcomes: Iterable[str]) -> int:
    """One decision's unmet outcomes as a bitmask (bit i = scheme.outcome_codes[i]);
    codes the scheme does not know are ignored, as a model run must read old decisions."""
    bits = {code: 1 << i for i, code in enumerate(scheme.outcome_codes)}
    return sum(bits[code] for code in set(outcomes or ()) if code in bits)


def unable_masks(scheme: CompiledScheme, decisions: Iterable[Iterable[str]]) -> np.ndarray:
    """Many decisions' unmet outcomes as an (N,) int32 array of bitmasks (see unable_mask)."""
    return np.fromiter((unable_mask(scheme, d) for d in decisions), dtype=np.int32)


# --- scoring -----------------------------------------------------------------------------


def _checked_choices(scheme: CompiledScheme, choices) -> np.ndarray:
    """A choice matrix of this version's shape and int8 option indexes, or refused."""
    choices = np.asarray(choices)
    if choices.ndim != 2 or choices.shape[1] != len(scheme.question_codes):
        raise ValueError(
            f"Expected choices of shape (N, {len(scheme.question_codes)}), got {choices.shape}"
        )
    if choices.dtype != np.int8:
        raise ValueError("Choices must be int8 option indexes (-1 for no answer)")
    return choices


def pack(scheme: CompiledScheme, choices: np.ndarray) -> PackedChoices:
    """Pack a choice matrix into per-group words (layout in the module docstring)."""
    choices = _checked_choices(scheme, choices)
    rows = choices.shape[0]
    need = np.empty((len(scheme.need_groups), rows), dtype=np.uint16)
    support = np.empty((len(scheme.support_groups), rows), dtype=np.uint16)
    counts = scheme.option_counts
    for start in range(0, rows, _CHUNK):
        block = choices[start : start + _CHUNK]
        if block.strides[0] != 1:  # make each question's column contiguous, a block at a time
            block = np.asfortranarray(block)
        for q in range(block.shape[1]):
            column = block[:, q]
            if column.size and (column.min() < -1 or column.max() >= counts[q]):
                raise ValueError(
                    f"Choices for question {scheme.question_codes[q]!r} must be -1 to "
                    f"{counts[q] - 1}"
                )
        if scheme.conditions:
            block = _not_asked(scheme, block)
        for words, groups in ((need, scheme.need_groups), (support, scheme.support_groups)):
            for g, group in enumerate(groups):
                _pack_block(block, group, words[g, start : start + _CHUNK])
    return PackedChoices(need_words=need, support_words=support)


def _not_asked(scheme: CompiledScheme, block: np.ndarray) -> np.ndarray:
    """A copy of a block of choices with every conditional question that was not asked set to
    -1 (no answer): one lookup per condition, in questionnaire order, so a question whose
    parent was not asked is not asked either."""
    block = np.array(block, order="F", copy=True)
    for position, parent, skip, asked in scheme.conditions:
        choice = block[:, parent]
        if asked is not None:  # asked for a run of choices: two comparisons, no lookup
            not_asked = (choice < asked[0]) | (choice > asked[1])
        else:  # any other set: the parent's choices read as bytes (-1 is 255) index the table
            not_asked = skip[choice.view(np.uint8)]
        np.copyto(block[:, position], -1, where=not_asked)
    return block


def _conditions(definition: Definition, index: dict[str, int]) -> tuple:
    """(question, parent question, skip, asked) for each conditional question, in order:
    skip[c] is True when the parent's choice c, read as a byte (-1, no answer, is 255), does
    not ask the question; asked is (first, last) when the choices that ask it are a run
    (as "some need or more" is), else None."""
    found = []
    for position, question in enumerate(definition.questions):
        condition = question.asked_when
        if condition is None:
            continue
        parent = definition.question(condition.question)
        parent_choices = choice_options(parent)
        allowed = np.zeros(len(parent_choices) + 1, dtype=bool)
        for j, option in enumerate(parent_choices):  # a set of options: any of them
            allowed[j + 1] = any(code in condition.answers for code in option.code.split(","))
        # By the parent's choice as a byte (0..126, and 255 for -1, no answer): True where
        # the question is not asked.
        skip = np.ones(256, dtype=bool)
        skip[: len(parent_choices)] = ~allowed[1:]
        skip[255] = not allowed[0]
        choices = [c for c in range(len(parent_choices)) if allowed[c + 1]]
        run = choices and choices == list(range(choices[0], choices[-1] + 1))
        asked = (choices[0], choices[-1]) if run else None
        found.append((position, index[parent.code], skip, asked))
    return tuple(found)


def asked_answers(definition: Definition, answers: dict) -> dict:
    """The answers to questions the answers lead to: those to conditional questions that were
    not asked are left out (they are ignored, and contradict nothing)."""
    if not any(q.asked_when is not None for q in definition.questions):
        return answers
    skipped = {q.code for q in definition.questions if not definition.is_asked(q, answers)}
    return {code: value for code, value in answers.items() if code not in skipped}


def _not_asked_lines(definition: Definition, answers: dict, choices: np.ndarray) -> list[Line]:
    """A line for each answer given to a question that was not asked: it counts for nothing."""
    lines = []
    for position, question in enumerate(definition.questions):
        if question.asked_when is None or choices[position] >= 0:
            continue
        chosen = question.chosen(answers.get(question.code))
        if not chosen:
            continue
        option = Option(
            code=",".join(o.code for o in chosen), label=_and([o.label for o in chosen])
        )
        parent = definition.question(question.asked_when.question)
        lines.append(
            Line(
                kind="not_asked",
                domain_title=definition.domain_of(question.code).title,
                question_code=question.code,
                question_text=question.text,
                option_code=option.code,
                answer_label=option.label,
                points=0,
                text=(
                    f"{question.text} You answered “{option.label}”, but this question is "
                    f"only asked after some answers to “{parent.text}”, and yours was not one "
                    "of them, so the answer does not count."
                ),
            )
        )
    return lines


def _pack_block(block: np.ndarray, group: _Group, out: np.ndarray) -> None:
    """Horner's rule on choices (not digits), then add sum(m_j) once: choice + 1 = digit.

    Works in int16 with wrap-around; the true key is < 65,536, so the uint16 view is exact.
    """
    word = out.view(np.int16)
    questions, radices = group.questions, group.radices
    word[...] = block[:, questions[-1]]
    for j in range(len(questions) - 2, -1, -1):
        np.multiply(word, radices[j], out=word, casting="unsafe")
        np.add(word, block[:, questions[j]], out=word, casting="unsafe")
    offset, weight = 0, 1
    for radix in radices:
        offset += weight
        weight *= radix
    np.add(out, offset % _WORD_SPACE, out=out)


def _checked_masks(
    scheme: CompiledScheme, unable_masks, rows: int, *, in_kernel: bool = False
) -> np.ndarray | None:
    """The masks as int32, refused unless each is a pattern of this version's outcomes. With
    `in_kernel` the range of int32 masks is left to the compiled pass, which checks it as it
    reads them (kernels.score_pass)."""
    if unable_masks is None:
        return None
    masks = np.asarray(unable_masks)
    if masks.shape != (rows,):
        raise ValueError(f"Expected unable masks of shape ({rows},), got {masks.shape}")
    if masks.size and not np.issubdtype(masks.dtype, np.integer):
        raise ValueError("Unable masks must be integers (bit i = outcome_codes[i])")
    checked_later = in_kernel and masks.dtype == np.int32
    if masks.size and not checked_later and (masks.min() < 0 or masks.max() >= _mask_top(scheme)):
        raise ValueError(_MASKS_RANGE.format(top=_mask_top(scheme) - 1))
    return masks.astype(np.int32, copy=False)


_MASKS_RANGE = "Unable masks must be between 0 and {top}"


def _mask_top(scheme: CompiledScheme) -> int:
    return 1 << len(scheme.outcome_codes)


def score(
    scheme: CompiledScheme,
    choices: np.ndarray | PackedChoices,
    *,
    unable_masks: np.ndarray | None = None,
) -> Scores:
    """Need, reduction and net points for every person; -1 choices count for nothing.

    `unable_masks` ((N,) integers, bit i set when the decision found the person unable to
    achieve `scheme.outcome_codes[i]`) counts eligible needs only; None counts every need
    (provisional). Each need group looks its points up in the table for the person's
    pattern of unmet outcomes: two more array operations a group than a provisional score."""
    if not isinstance(choices, PackedChoices) and len(choices) >= kernels.WORTH_IT:
        return _score_compiled(scheme, choices, unable_masks)
    packed = choices if isinstance(choices, PackedChoices) else pack(scheme, choices)
    if len(packed.need_words) != len(scheme.need_groups) or len(packed.support_words) != len(
        scheme.support_groups
    ):
        raise ValueError("These packed choices were made for a different version")
    rows = len(packed)
    masks = _checked_masks(scheme, unable_masks, rows)
    reducible = np.zeros(rows, dtype=np.int32)
    fixed_groups = any(not g.reducible for g in scheme.need_groups)
    fixed = np.zeros(rows, dtype=np.int32) if fixed_groups else None
    percent = np.zeros(rows, dtype=np.int32)
    block = min(rows, _CHUNK * 2)
    scratch = np.empty(block, dtype=np.int32)
    index = np.empty(block, dtype=np.int32) if masks is not None else None
    uncapped = scheme.capped[0][1] if scheme.capped else len(scheme.need_groups)
    if scheme.capped:
        domain_reducible = np.empty(block, dtype=np.int32)
        domain_fixed = np.empty(block, dtype=np.int32)
        low = (1 << _COMPLEX_SHIFT) - 1

    def gather(g: int, start: int, stop: int, out: np.ndarray) -> None:
        group = scheme.need_groups[g]
        words = packed.need_words[g, start:stop]
        if masks is None or group.offsets is None:
            np.take(group.provisional, words, out=out, mode="clip")
        else:
            where = index[: stop - start]
            np.take(group.offsets, masks[start:stop], out=where, mode="clip")
            np.add(where, words, out=where)
            np.take(group.table, where, out=out, mode="clip")

    for start in range(0, rows, _CHUNK * 2):
        stop = min(rows, start + _CHUNK * 2)
        tmp = scratch[: stop - start]
        for g in range(uncapped):
            gather(g, start, stop, tmp)
            part = (reducible if scheme.need_groups[g].reducible else fixed)[start:stop]
            part += tmp
        for cap, first, middle, end in scheme.capped:
            # A capped domain: its points add up to at most `cap`, the needs family support
            # never reduces keeping theirs first (definition.py).
            r = domain_reducible[: stop - start]
            f = domain_fixed[: stop - start]
            r[...] = 0
            f[...] = 0
            for g in range(first, end):
                gather(g, start, stop, tmp)
                target = r if g < middle else f
                target += tmp
            complex_count = (r >> _COMPLEX_SHIFT) + (f >> _COMPLEX_SHIFT)
            r &= low
            f &= low
            np.minimum(f, cap, out=f)
            np.minimum(r, cap - f, out=r)
            reducible[start:stop] += r + (complex_count << _COMPLEX_SHIFT)
            if fixed is not None:
                fixed[start:stop] += f
        part = percent[start:stop]
        for g, group in enumerate(scheme.support_groups):
            np.take(group.table, packed.support_words[g, start:stop], out=tmp, mode="clip")
            part += tmp
    scores = _scores_from(scheme, reducible, fixed, percent)
    return _with_part_scores(scheme, packed, masks, scores)


def _score_compiled(scheme: CompiledScheme, choices, unable_masks) -> Scores:
    """`score` for a large caseload: packing and every need and support lookup in one
    compiled pass (kernels.score_pass), which gives the same points; the packed words are
    kept only when a part beside the points reads them again."""
    choices = _checked_choices(scheme, choices)
    rows = choices.shape[0]
    masks = _checked_masks(scheme, unable_masks, rows, in_kernel=True)
    if scheme.has_support:
        _require_rates(scheme)
    words = bool(scheme.domain_reductions) or scheme.carer_pence is not None
    points, pence, need_words, support_words, bad = kernels.score_pass(
        scheme, choices, masks, words
    )
    for q in np.flatnonzero(bad[:-1]):
        raise ValueError(
            f"Choices for question {scheme.question_codes[q]!r} must be -1 to "
            f"{scheme.option_counts[q] - 1}"
        )
    if bad[-1]:
        raise ValueError(_MASKS_RANGE.format(top=_mask_top(scheme) - 1))
    need, percent, reduction, net, reducible, costed = points
    scores = Scores(
        need=need,
        reduction_percent=percent,
        reduction=reduction,
        net=net,
        reducible=reducible,
        costed_plan=costed,
    )
    packed = PackedChoices(need_words=need_words, support_words=support_words)
    return _with_part_scores(scheme, packed, masks, scores, support_pence=pence)


def _scores_from(scheme: CompiledScheme, reducible, fixed, percent) -> Scores:
    """Need, reduction and net points from the folded sums of the need and support
    lookups (module docstring: folded counts)."""
    rows = reducible.shape[0]
    big = scheme.max_net_points * 100 >= 2**31  # need * percent must not overflow int32
    if scheme.has_complex:
        low = (1 << _COMPLEX_SHIFT) - 1
        complex_count = reducible >> _COMPLEX_SHIFT
        reducible &= low
        if fixed is not None:
            complex_count += fixed >> _COMPLEX_SHIFT
            fixed &= low
        costed = complex_count > 0
    else:
        costed = np.zeros(rows, dtype=bool)
    if scheme.has_stops:
        going_on = (percent >> _STOP_SHIFT) == 0
        percent &= (1 << _STOP_SHIFT) - 1
        np.multiply(percent, going_on, out=percent)
    np.minimum(percent, scheme.informal_cap, out=percent)
    need = reducible + fixed if fixed is not None else reducible.copy()
    if big:
        reduction = (reducible.astype(np.int64) * percent // 100).astype(np.int32)
    else:
        reduction = reducible * percent
        reduction //= 100
    return Scores(
        need=need,
        reduction_percent=percent,
        reduction=reduction,
        net=need - reduction,
        reducible=reducible,
        costed_plan=costed,
    )


def table_indexes(scheme: CompiledScheme | Definition, people: Iterable[dict | None]) -> np.ndarray:
    """Each person's money table (`Definition.table_for`: the first whose group fits them),
    as an (N,) int16 array of indexes into `definition.tables`, -1 where none fits. A person
    is {"age", "primary_support_reason", "client_type"}."""
    definition = scheme.definition if isinstance(scheme, CompiledScheme) else scheme
    position = {id(table): i for i, table in enumerate(definition.tables)}
    found = {}
    out = []
    for person in people:
        person = person or {}
        key = tuple(person.get(need) for need in definition.person_needs)
        if key not in found:
            table = definition.table_for(person)
            found[key] = -1 if table is None else position[id(table)]
        out.append(found[key])
    return np.asarray(out, dtype=np.int16)


def amounts_pence(
    scheme: CompiledScheme,
    net: np.ndarray,
    tables: np.ndarray | None = None,
    *,
    support_pence: np.ndarray | None = None,
) -> np.ndarray:
    """Issued amounts (per period, int64 pence) for net points: one gather from the table;
    NO_AMOUNT (-1) for a band with no indicative amount, which is not £0: count those apart.

    A version with money tables by group needs each person's table (`table_indexes`): its
    amounts are gathered from that table's row. A version with cost-rate answers needs each
    person's `support_pence` (`Scores.support_pence`), added before the limits."""
    if scheme.has_support:
        return _amounts_with_support(scheme, net, tables, support_pence)
    by_table = scheme.money_tables_pence
    return _by_table(
        scheme, scheme.money_pence[None] if by_table is None else by_table, net, tables
    )


def _by_table(
    scheme: CompiledScheme, rows: np.ndarray, net, tables, support=None, limits=None
) -> np.ndarray:
    """Each person's entry for their net points in their money table's row of `rows`
    ((T, max_net_points + 1)), the only row when the version has one table; with `support`
    (pence), that added and then `limits` (low, high or None) applied. A large caseload
    takes one compiled pass (kernels.amounts_pass), which refuses the same things."""
    net = np.asarray(net)
    by_table = scheme.money_tables_pence is not None
    if by_table:
        if tables is None:
            raise ValueError(
                "This version chooses its money table by group: give each person's table "
                "(engine.table_indexes)"
            )
        tables = np.asarray(tables)
        if tables.shape != net.shape:
            raise ValueError(f"Expected one money table per person, shape {net.shape}")
    if (
        net.ndim == 1
        and net.size >= kernels.WORTH_IT
        and np.issubdtype(net.dtype, np.integer)
        and (not by_table or np.issubdtype(tables.dtype, np.integer))
    ):
        low, high = limits or (0, None)
        amounts, net_bad, table_bad = kernels.amounts_pass(
            rows, net, tables if by_table else None, support, low, high
        )
        if net_bad:
            raise ValueError(_NET_RANGE.format(top=scheme.max_net_points))
        if table_bad:
            raise ValueError(_NO_TABLE_FITS)
        return amounts
    if net.size and (net.min() < 0 or net.max() > scheme.max_net_points):
        raise ValueError(_NET_RANGE.format(top=scheme.max_net_points))
    if not by_table:
        amounts = np.take(rows[0], net)
    else:
        if tables.size and (tables.min() < 0 or tables.max() >= len(rows)):
            raise ValueError(_NO_TABLE_FITS)
        amounts = rows[tables, net]
    if support is None:
        return amounts
    low, high = limits
    if not (rows == NO_AMOUNT).any():
        return np.clip(amounts + support, low, high)
    # A band with no indicative amount adds no money: the hours are the whole amount, and
    # only a person with no hours either has no indicative amount (`_amount_with_support`).
    nothing = amounts == NO_AMOUNT
    total = np.clip(np.where(nothing, 0, amounts) + support, low, high)
    return np.where(nothing & (support == 0), NO_AMOUNT, total)


_NET_RANGE = "Net points must be between 0 and {top}"
_NO_TABLE_FITS = "No money table of this version fits some people: add a table for everyone else"


def amount_for_points(
    scheme: CompiledScheme | Definition, net_points: int, table: MoneyTable | None = None
) -> AmountResult:
    """The Decimal path: the exact amount, its limit, and the issued amount to the penny,
    with the given money table (the first, by default)."""
    definition = scheme.definition if isinstance(scheme, CompiledScheme) else scheme
    rule = (table or definition.tables[0]).rule
    exact = _exact_amount(rule, net_points)
    if exact is None:
        return AmountResult(exact=None, issued=None, limit=None)
    clamped, limit = _clamp(exact, definition.minimum, definition.maximum)
    return AmountResult(exact=exact, issued=round_pence(clamped), limit=limit)


def _exact_amount(allocation: Allocation, net_points: int) -> Decimal:
    if allocation.method == "bands":
        band = allocation.band_for(net_points)
        return band.amount if band else Decimal("0")  # None: no indicative amount
    with localcontext(EXACT):
        return allocation.fixed_amount + net_points * allocation.price_per_point


# --- explaining --------------------------------------------------------------------------


def explain(
    scheme: CompiledScheme,
    answers: dict[str, str],
    *,
    unable_outcomes: frozenset[str] | None = None,
    person: dict | None = None,
) -> Explanation:
    """ "Your budget explained": every scoring answer, the reduction, the rule and any limit.

    `unable_outcomes` are the outcomes the eligibility decision found the person unable to
    achieve: only answers linked to one of them count (Care Act 2014 s26; statutory guidance
    11.7-11.10), and each answer that does not is shown as a line of its own with no money.
    None means the decision is not made yet: every need counts, and the amount is provisional.

    Line amounts are rounded with the largest-remainder method so they add up exactly to the
    amount, which itself depends only on the total points.
    """
    choices = encode(scheme, answers)
    definition = scheme.definition
    table = definition.table_for(person)
    if table is None:
        raise AnswerError(
            [
                {
                    "type": "no_money_table",
                    "code": "person",
                    "question": None,
                    "message": "No money table of this version fits this person: the "
                    "version needs a table for everyone else",
                }
            ]
        )
    allocation = table.rule
    period = definition.period
    provisional = unable_outcomes is None
    if not provisional:
        unable_outcomes = frozenset(unable_outcomes)
        unknown = unable_outcomes - set(scheme.outcome_codes)
        if unknown:
            raise ValueError(
                f"Outcomes this scheme does not know: {', '.join(sorted(unknown))} "
                f"(it knows {', '.join(scheme.outcome_codes)})"
            )
    labels = outcome_labels(definition.kind)
    domain_titles = {q.code: d.title for d in definition.domains for q in d.questions}
    domain_codes = {q.code: d.code for d in definition.domains for q in d.questions}

    need = reducible_need = not_eligible = 0
    domain_points: dict[str, list[int]] = {}  # domain code: [reducible, fixed] counted points
    # (question, option, counts?) for every need answer that scores
    scored: list[tuple[Question, Option, bool]] = []
    supports: list[tuple[Question, Option]] = []
    stops: list[tuple[Question, Option]] = []
    route: list[str] = []
    percent_sum = 0
    for position, question in enumerate(definition.questions):
        if choices[position] < 0:
            continue  # a conditional question that was not asked (encode)
        option = choice_options(question)[int(choices[position])]
        if question.informal_support:
            if option.no_reduction:
                stops.append((question, option))
            if option.reduction_percent > 0:
                supports.append((question, option))
                percent_sum += option.reduction_percent
            continue
        counts = (
            provisional or not question.outcomes or bool(unable_outcomes & set(question.outcomes))
        )
        if option.points > 0:
            scored.append((question, option, counts))
            if counts:
                sums = domain_points.setdefault(domain_codes[question.code], [0, 0])
                sums[0 if question.reducible else 1] += option.points
            else:
                not_eligible += option.points
        if counts and option.complex:
            route.append(question.code)
    # Domain caps: the needs family support never reduces keep their points first.
    capped: dict[str, tuple[int, int, int]] = {}  # code: (points, cap, points not counted)
    for domain in definition.domains:
        r, f = domain_points.get(domain.code, (0, 0))
        if domain.cap is not None and r + f > domain.cap:
            kept_f = min(f, domain.cap)
            kept_r = min(r, domain.cap - kept_f)
            capped[domain.code] = (r + f, domain.cap, r + f - kept_r - kept_f)
            r, f = kept_r, kept_f
        need += r + f
        reducible_need += r
    percent = 0 if stops else min(scheme.informal_cap, percent_sum)
    reduction = _reduction(reducible_need, percent, scheme.points_scale)
    net = need - reduction
    by_domain = _domain_reductions_explained(definition, domain_points, choices, bool(stops))
    net -= sum(item[1] for item in by_domain)
    result = amount_for_points(scheme, net, table)

    price = allocation.price_per_point if allocation.method == "price_per_point" else None
    # (line fields, exact money or None, text given the line's money as words or None);
    # exact money "zero" marks a line shown with £0.00 that takes no part in the rounding.
    pending: list[tuple[dict, Decimal | None | str, Callable[[str | None], str]]] = []
    for position, (question, option, counts) in enumerate(scored):
        fields = {
            "domain_title": domain_titles[question.code],
            "question_code": question.code,
            "question_text": question.text,
            "option_code": option.code,
            "answer_label": option.label,
        }
        if counts:
            pending.append(
                (
                    {"kind": "answer", **fields, "points": option.points},
                    _times(option.points, price),
                    partial(_answer_text, question.text, option.label, option.points),
                )
            )
        else:
            met = [labels.get(code, code) for code in question.outcomes]
            text = (
                f"{question.text} You answered “{option.label}”, which would score "
                f"{_points(option.points)}. It does not count towards the amount, because the "
                f"eligibility decision found that you can achieve "
                f"{_join([m[0].lower() + m[1:] for m in met])}: only eligible needs count "
                "(Care Act 2014 section 26)."
            )
            pending.append(
                (
                    {"kind": "not_eligible_need", **fields, "points": 0},
                    "zero" if price is not None else None,
                    lambda _money, t=text: t,
                )
            )
        here = domain_codes[question.code]
        last_here = position + 1 == len(scored) or (
            domain_codes[scored[position + 1][0].code] != here
        )
        if last_here and here in capped:
            total, cap, excess = capped[here]
            title = domain_titles[question.code]
            pending.append(
                (
                    {"kind": "domain_cap", "domain_title": title, "points": -excess},
                    _times(-excess, price),
                    partial(_cap_text, title, total, cap, excess),
                )
            )
    if reduction > 0:
        pending.append(
            (
                {"kind": "informal_support", "points": -reduction},
                _times(-reduction, price),
                partial(
                    _informal_text,
                    _informal_prefix(
                        supports, percent_sum, percent, reducible_need, need, reduction, scored
                    ),
                    _informal_suffix(scored, domain_titles),
                ),
            )
        )
    elif stops and percent_sum > 0:
        question, option = stops[0]
        text = (
            f"Family and friends give some support, but you answered “{option.label}” to "
            f"“{question.text}”, so nothing is taken off for it: support counts only when "
            "the person giving it is able and willing to go on (statutory guidance 6.18 and "
            "10.26). They can ask the council for a carer’s assessment of their own needs "
            "(Care Act 2014 section 10)."
        )
        pending.append(
            (
                {"kind": "informal_support_not_counted", "points": 0},
                "zero" if price is not None else None,
                lambda _money, t=text: t,
            )
        )
    pending += _domain_reduction_pending(definition, by_domain, stops, price, choices)
    if price is not None and allocation.fixed_amount > 0:
        fixed_text = (
            f"Everyone receives a fixed {format_pounds(allocation.fixed_amount)} {_per(period)}."
        )
        pending.append(
            ({"kind": "fixed_amount"}, allocation.fixed_amount, lambda _money, t=fixed_text: t)
        )

    if price is not None:
        rule_text = f"Each point is worth {_price(price)}"
        if allocation.fixed_amount > 0:
            rule_text += f", plus a fixed {format_pounds(allocation.fixed_amount)}"
        with localcontext(EXACT):
            before_limits = round_pence(allocation.fixed_amount + net * price)
        shares = largest_remainder(
            [exact if isinstance(exact, Decimal) else None for _f, exact, _t in pending],
            before_limits,
        )
        lines = [
            Line(
                **fields,
                amount=PENNY * 0 if exact == "zero" else share,
                text=text(format_pounds(abs(share)) if share is not None else None),
            )
            for (fields, exact, text), share in zip(pending, shares, strict=True)
        ]
    elif result.exact is None:
        rule_text, before_limits = _no_amount(allocation, net)
        lines = [Line(**fields, text=text(None)) for fields, _exact, text in pending]
        lines.append(Line(kind="no_amount", text=rule_text))
    else:
        rule_text = _band_text(allocation, net, period)
        before_limits = round_pence(result.exact)
        lines = [Line(**fields, text=text(None)) for fields, _exact, text in pending]
        lines.append(
            Line(
                kind="band",
                amount=before_limits,
                text=f"Your {_points(net)} fall in the band {rule_text}.",
            )
        )
    if scheme.has_support:  # cost-rate answers: hours at reference rates, added to the points
        support_lines, support_total = _support_lines(scheme, choices, unable_outcomes, period)
        lines.extend(support_lines)
        result = _amount_with_support(definition, table, net, support_total)
        if before_limits is not None:
            before_limits += support_total
        elif result.exact is not None:  # a band with no money of its own, and hours
            before_limits = support_total
            rule_text = _no_money_of_its_own(net)
            lines = [
                Line(kind="band", text=rule_text) if line.kind == "no_amount" else line
                for line in lines
            ]
    carer = _carer_explained(scheme, choices, stops)
    if carer is not None:
        lines.append(Line(kind="carer_allocation", points=carer.points, text=_carer_text(carer)))
    if len(definition.tables) > 1:
        lines.append(Line(kind="money_table", text=_table_text(definition, table, person or {})))
    lines += _not_asked_lines(definition, answers, choices)
    if result.limit is not None:
        difference = result.issued - before_limits
        which = "smallest" if result.limit == "minimum" else "largest"
        lines.append(
            Line(
                kind="limit",
                amount=difference,
                text=(
                    f"The {which} budget this RAS gives is {format_pounds(result.issued)} {_per(period)}, "
                    f"so your amount is {'raised' if difference >= 0 else 'lowered'} "
                    f"by {format_pounds(abs(difference))}."
                ),
            )
        )
    if route:
        asked = [definition.question(code).text for code in route]
        lines.append(
            Line(
                kind="costed_plan",
                text=(
                    "Some of your needs are complex (your answers to: "
                    f"{'; '.join(asked)}), so your final budget will be the cost of the support "
                    "plan that meets them, agreed with you. The amount here is only a guide "
                    "(statutory guidance 11.22 to 11.28)."
                ),
            )
        )
    at_maximum = definition.maximum is not None and result.issued == definition.maximum
    tidy = partial(_tidy, scale=scheme.points_scale)
    return Explanation(
        lines=lines,
        need_points=tidy(need),
        reduction_percent=percent,
        reduction_points=tidy(need - net),
        total_points=tidy(net),
        method=allocation.method,
        rule_text=rule_text,
        limit=result.limit,
        exact_amount=result.exact,
        amount=result.issued,
        period=period,
        provisional=provisional,
        at_maximum=at_maximum,
        costed_plan_route=tuple(route),
        not_eligible_points=tidy(not_eligible),
        money_table=table.code,
        money_table_title=table.title,
        support_amount=support_total if scheme.has_support else None,
        carer=carer,
        no_amount_words=allocation.band_for(net).words if result.exact is None else "",
    )


def _no_money_of_its_own(net) -> str:
    """A band with no indicative amount when the answers also carry hours of support."""
    return (
        f"Your {_points(net)} fall in a band that gives no money of its own, so your amount "
        "is the cost of your hours of support."
    )


def _no_amount(allocation: Allocation, net) -> tuple[str, None]:
    """A band with no indicative amount: its words for the person, after the points."""
    band = allocation.band_for(net)
    return f"Your {_points(net)} give no indicative amount. {band.words}", None


def _table_text(definition: Definition, table: MoneyTable, person: dict) -> str:
    """Which money table gave the amount, and why: its group and the person's details."""
    name = f"the money table ‘{table.title or table.code}’"
    if table.applies_to is None:
        earlier = [t for t in definition.tables if t is not table and t.applies_to is not None]
        why = (
            f"which is for everyone not in an earlier table ({_join([t.applies_to.words() for t in earlier])})"
            if earlier
            else "which is for everyone"
        )
    else:
        yours = []
        if person.get("age") is not None and "age" in table.applies_to.needs:
            yours.append(f"you are {person['age']}")
        if table.applies_to.primary_support_reasons:
            reason = person.get("primary_support_reason")
            yours.append(
                "your main support need is recorded as "
                + (plain_psr(reason) if reason else "not known")
            )
        if table.applies_to.client_types:
            yours.append(
                "you are recorded as a "
                + CLIENT_TYPE_LABELS.get(person.get("client_type"), "not known").lower()
            )
        why = f"which is for {table.applies_to.words()}, and {_join(yours)}"
    return f"Your amount comes from {name}, {why}."


def _informal_prefix(supports, percent_sum, percent, reducible_need, need, reduction, scored):
    given = "; ".join(f"{q.text} “{o.label}” {o.reduction_percent}%" for q, o in supports)
    capped = f", capped at {percent}%" if percent < percent_sum else ""
    these = "your" if reducible_need == need else "the"
    which = "" if reducible_need == need else " for the needs they can help with"
    return (
        f"Support from family and friends ({given}) adds up to {percent_sum}%{capped}, "
        f"so {these} {_points(reducible_need)}{which} are reduced by {percent}%: "
        f"{_points(reduction)} fewer"
    )


def _informal_suffix(scored, domain_titles) -> str:
    """Which needs the carer meets, that they stay eligible needs, and the carer's assessment."""
    met, kept = [], []
    for question, _option, counts in scored:
        if not counts:
            continue
        title = domain_titles[question.code]
        target = met if question.reducible else kept
        if title not in target:
            target.append(title)
    text = (
        f" Family and friends help with your needs for {_join([t.lower() for t in met])}. "
        "These are still your eligible needs (Care Act 2014 section 18(7)), and if the help "
        "stops, the council will look at your budget again."
    )
    if kept:
        text += (
            f" Your needs for {_join([t.lower() for t in kept])} are not reduced for help "
            "from family and friends."
        )
    return (
        text + " The person who helps you can ask the council for a carer’s assessment of "
        "their own needs (Care Act 2014 section 10)."
    )


def _cap_text(title: str, total: int, cap: int, excess: int, money: str | None) -> str:
    taken = "" if money is None else f", taking off {money}"
    return (
        f"Your answers about {title.lower()} add up to {_points(total)}, but this RAS counts "
        f"at most {_points(cap)} for {title.lower()}, so {_points(excess)} are not "
        f"counted{taken}."
    )


def _informal_text(prefix: str, suffix: str, money: str | None) -> str:
    return f"{prefix}{'' if money is None else ', taking off ' + money}.{suffix}"


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a; b; and c' (semicolons, because titles such as "Communication and
    decisions" have their own "and")."""
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return (
            f"{items[0]}, and {items[1]}" if " and " in items[0] + items[1] else " and ".join(items)
        )
    return "; ".join(items[:-1]) + "; and " + items[-1]


def largest_remainder(exacts: list[Decimal | None], total: Decimal) -> list[Decimal | None]:
    """Round each exact amount to the penny so the rounded amounts add up to `total` exactly.

    Floor every amount, then give the missing pennies to the largest remainders (ties go to
    the earlier line). `total` must be within a penny per line of the exact sum.
    """
    with localcontext(EXACT):
        present = [i for i, e in enumerate(exacts) if e is not None]
        pennies = {i: exacts[i] * 100 for i in present}
        floors = {i: pennies[i].to_integral_value(rounding=ROUND_FLOOR) for i in present}
        short = int(total * 100 - sum(floors.values(), Decimal(0)))
        if not 0 <= short <= len(present):
            raise ValueError("The total is not within a penny per line of the exact amounts")
        order = sorted(present, key=lambda i: (-(pennies[i] - floors[i]), i))
        bumped = set(order[:short])
        out: list[Decimal | None] = [None] * len(exacts)
        for i in present:
            out[i] = ((floors[i] + (1 if i in bumped else 0)) / 100).quantize(PENNY)
        return out


def _answer_text(question: str, label: str, points: int, money: str | None) -> str:
    worth = "" if money is None else f", worth {money}"
    return f"{question} You answered “{label}”, which scores {_points(points)}{worth}."


def _times(points: int, price: Decimal | None) -> Decimal | None:
    if price is None:
        return None
    with localcontext(EXACT):
        return points * price


def _band_text(allocation: Allocation, net: int, period: str) -> str:
    bands = allocation.bands
    index = max(i for i, b in enumerate(bands) if b.min_points <= net)
    band = bands[index]
    amount = f"{format_pounds(round_pence(band.amount))} {_per(period)}"
    return f"{_band_span(bands, index, 'points')}: {amount}"


def _band_span(bands, index: int, noun: str) -> str:
    """'10 to 19 points', '2.5 to 4.99 points' or '20 points or more': the points of band
    `index` (a whole point below the next band, or a hundredth when it starts at one)."""
    band = bands[index]
    if index + 1 < len(bands):
        following = bands[index + 1].min_points
        step = Decimal(1) if _number(following).isdigit() else PENNY
        return f"{_number(band.min_points)} to {_number(following - step)} {noun}"
    return f"{_number(band.min_points)} {noun} or more"


def _tidy(points, scale: int):
    """Points as an int when whole, else a Decimal with two places."""
    return points_of(_steps(points, scale), scale)


def _reduction(points, percent: int, scale: int):
    """A percentage of points, rounded down to the scheme's counting step (a whole point,
    or a hundredth in a scheme with two-decimal points)."""
    return points_of(_steps(points, scale) * percent // 100, scale)


def _points(n) -> str:
    """'1 point', '14 points', '2.5 points' (two-decimal points without trailing zeros)."""
    text = _number(n)
    return f"{text} point" if text == "1" else f"{text} points"


def _number(n) -> str:
    value = Decimal(n)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _per(period: str) -> str:
    """'a week', 'a year', or 'as a one-off amount' (paid once: period "once")."""
    return {"week": "a week", "year": "a year"}.get(period, "as a one-off amount")


def _price(value: Decimal) -> str:
    places = max(4, -value.as_tuple().exponent)
    return f"£{value:,.{places}f}"


# --- cost-rate answers ---------------------------------------------------------------------


def _with_parts(scheme: CompiledScheme, rates: dict[str, int] | None) -> CompiledScheme:
    """The compiled scheme with the parts of the format that sit beside the points tables."""
    definition = scheme.definition
    if definition.informal_method == "by_domain":
        virtual = _with_own_groups(definition)
        if virtual is not None:  # compile again with each such domain's groups apart
            return replace(compile_scheme(virtual, rates=rates), definition=definition)
        scheme = _with_domain_reductions(scheme)
    if definition.services:
        scheme = _with_support(scheme, rates)
    if definition.carer_money is not None:
        scheme = _with_carer(scheme)
    return scheme


def _with_support(scheme: CompiledScheme, rates: dict[str, int] | None) -> CompiledScheme:
    """Price the cost-rate answers (FACE-style: `Option.support`, units of a service each
    period) at the reference rates in force on the day, each line to the penny (half up,
    rates.weekly_cost_pence), into an int64 pence table for each need group, laid out as its
    points table so one more gather a group gives each person's support in pence.

    The amount is the points-based part plus the support (statutory guidance 11.22-11.28:
    the personal budget must be enough to meet the needs, and the council's reference rates
    are what that support costs it); the scheme's minimum and maximum apply to the total,
    so `points_pence` keeps each table's points part before the limits."""
    definition = scheme.definition
    rates = dict(rates or {})
    missing = tuple(code for code in definition.services if code not in rates)
    if missing:  # scoring refuses, naming them (`_require_rates`)
        return replace(scheme, has_support=True, missing_rates=missing)
    pence = np.zeros(scheme.points.shape, dtype=np.int64)
    for i, question in enumerate(definition.questions):
        if question.informal_support:
            continue
        for j, option in enumerate(choice_options(question)):
            pence[i, j] = sum(
                rate_catalogue.weekly_cost_pence(s.units, rates[s.service]) for s in option.support
            )
    outcome_count = len(scheme.outcome_codes)
    tables = []
    for group in scheme.need_groups:
        if not pence[list(group.questions)].any():
            tables.append(None)
            continue
        priced = _group(
            list(group.questions),
            scheme.option_counts,
            pence,
            group.reducible,
            scheme.question_outcomes,
            outcome_count,
            dtype=np.int64,
        )
        tables.append(priced.table)
    # Kept in int32 when every sum fits (it does for any real scheme: under £21 million a
    # period), which halves the memory each gather reads.
    if sum(int(t.max(initial=0)) for t in tables if t is not None) < 2**31:
        tables = [None if t is None else t.astype(np.int32) for t in tables]
    points_pence = np.stack(
        [
            issued_pence_table(
                per_step(t.rule, scheme.points_scale), None, None, scheme.max_net_points
            )
            for t in definition.tables
        ]
    )
    return replace(
        scheme,
        has_support=True,
        rates=tuple(sorted((code, int(rates[code])) for code in definition.services)),
        option_pence=pence,
        need_pence=tuple(tables),
        points_pence=points_pence,
    )


def _require_rates(scheme: CompiledScheme) -> None:
    if scheme.missing_rates:
        labels = [rate_catalogue.BY_CODE[code].label.lower() for code in scheme.missing_rates]
        raise MissingRates(
            "This version prices hours of support at the council's reference rates, and "
            f"there is no reference rate in force for {_join(labels)}: add one first"
        )


class MissingRates(ValueError):
    """A version with cost-rate answers was compiled without a reference rate it needs."""


def _support_pence(
    scheme: CompiledScheme, packed: PackedChoices, masks: np.ndarray | None
) -> np.ndarray:
    """Each person's cost-rate support in pence: a gather from each priced group's table,
    counting eligible needs only when unable masks are given (as the points do)."""
    _require_rates(scheme)
    rows = len(packed)
    priced = [(g, table) for g, table in enumerate(scheme.need_pence) if table is not None]
    # Blocks that stay in cache, as `score` does, in the tables' own width.
    kind = priced[0][1].dtype if priced else np.int64
    tables = priced
    total = np.zeros(rows, dtype=kind)
    block = min(rows, _CHUNK * 2)
    scratch = np.empty(block, dtype=kind)
    where = np.empty(block, dtype=np.int32)
    for start in range(0, rows, _CHUNK * 2):
        stop = min(rows, start + _CHUNK * 2)
        tmp = scratch[: stop - start]
        for g, table in tables:
            group = scheme.need_groups[g]
            words = packed.need_words[g, start:stop]
            if masks is None or group.offsets is None:
                np.take(table[table.size - group.keys :], words, out=tmp, mode="clip")
            else:
                index = where[: stop - start]
                np.take(group.offsets, masks[start:stop], out=index, mode="clip")
                np.add(index, words, out=index)
                np.take(table, index, out=tmp, mode="clip")
            total[start:stop] += tmp
    return total.astype(np.int64, copy=False)


def _with_part_scores(
    scheme: CompiledScheme,
    packed: PackedChoices,
    masks: np.ndarray | None,
    scores: Scores,
    *,
    support_pence: np.ndarray | None = None,
) -> Scores:
    """The scores with the parts that sit beside the points: nothing to do (and nothing
    spent) for a version that has none. `support_pence` is the cost-rate support when the
    caller has already added it up."""
    if scheme.has_support:
        _require_rates(scheme)
        if support_pence is None:
            support_pence = _support_pence(scheme, packed, masks)
        scores = replace(scores, support_pence=support_pence)
    if scheme.domain_reductions:
        reduction = _domain_reduction(scheme, packed, masks)
        scores = replace(scores, reduction=reduction, net=scores.need - reduction)
    if scheme.carer_pence is not None:
        scores = replace(scores, carer_points=_carer_points(scheme, packed))
    return scores


def _amounts_with_support(
    scheme: CompiledScheme, net: np.ndarray, tables: np.ndarray | None, support_pence
) -> np.ndarray:
    """Issued amounts with cost-rate support: the points part (rounded to the penny) plus
    the support (whole pence), then the limits, which are whole pence, so this is the exact
    total clamped and rounded."""
    if support_pence is None:
        raise ValueError(
            "This version prices hours of support at reference rates: give each person's "
            "support in pence (Scores.support_pence)"
        )
    net = np.asarray(net)
    support = np.asarray(support_pence, dtype=np.int64)
    if support.shape != net.shape:
        raise ValueError(f"Expected one support amount per person, shape {net.shape}")
    definition = scheme.definition
    low = 0 if definition.minimum is None else int(definition.minimum * 100)
    high = None if definition.maximum is None else int(definition.maximum * 100)
    return _by_table(scheme, scheme.points_pence, net, tables, support, (low, high))


def _amount_with_support(
    definition: Definition, table: MoneyTable, net: int, support: Decimal
) -> AmountResult:
    """The Decimal path with cost-rate support: the limits apply to the whole amount. A band
    with no indicative amount adds no money of its own: the hours of support at reference
    rates are then the whole amount (they are what meeting those needs costs: statutory
    guidance 11.22 to 11.28), and only with no hours is there no indicative amount."""
    points_part = _exact_amount(table.rule, net)
    if points_part is None:
        if not support:
            return AmountResult(exact=None, issued=None, limit=None)
        points_part = Decimal("0")
    with localcontext(EXACT):
        exact = points_part + support
    clamped, limit = _clamp(exact, definition.minimum, definition.maximum)
    return AmountResult(exact=exact, issued=round_pence(clamped), limit=limit)


def _support_lines(
    scheme: CompiledScheme, choices: np.ndarray, unable_outcomes, period: str
) -> tuple[list[Line], Decimal]:
    """One line for each service a counted answer carries: the units, the reference rate and
    their cost to the penny; and the support's total."""
    try:
        _require_rates(scheme)
    except MissingRates as error:
        raise AnswerError(
            [
                {
                    "type": "no_reference_rate",
                    "code": "rates",
                    "question": None,
                    "message": str(error),
                }
            ]
        ) from None
    rates = dict(scheme.rates)
    definition = scheme.definition
    lines, total = [], Decimal("0.00")
    for position, question in enumerate(definition.questions):
        if question.informal_support or int(choices[position]) < 0:
            continue
        option = choice_options(question)[int(choices[position])]
        if not option.support:
            continue
        counts = (
            unable_outcomes is None
            or not question.outcomes
            or bool(unable_outcomes & set(question.outcomes))
        )
        domain = definition.domain_of(question.code)
        for item in option.support:
            service = rate_catalogue.BY_CODE[item.service]
            rate = Decimal(rates[item.service]).scaleb(-2)
            amount = Decimal(rate_catalogue.weekly_cost_pence(item.units, rates[item.service]))
            amount = amount.scaleb(-2).quantize(PENNY)
            unit = service.units if item.units != 1 else service.per.split(" ", 1)[1]
            if service.unit == period and item.units == 1:
                hours = f"{service.label.lower()} every {period}"
            else:
                hours = f"{service.label.lower()}: {_number(item.units)} {unit} {_per(period)}"
            what = f"{question.text} You answered “{option.label}”, which means {hours}"
            if counts:
                text = (
                    f"{what}. At the council’s reference rate of {format_pounds(rate)} "
                    f"{service.per}, that costs {format_pounds(amount)}."
                )
                total += amount
            else:
                amount = PENNY * 0
                text = (
                    f"{what}. It does not count towards the amount, because the eligibility "
                    "decision found that this is not an eligible need (Care Act 2014 section 26)."
                )
            lines.append(
                Line(
                    kind="support" if counts else "not_eligible_need",
                    domain_title=domain.title if domain else None,
                    question_code=question.code,
                    question_text=question.text,
                    option_code=option.code,
                    answer_label=option.label,
                    amount=amount,
                    text=text,
                    service=item.service,
                    units=Decimal(item.units),
                    rate=rate,
                )
            )
    return lines, total


# --- support from family and friends, by domain ---------------------------------------------


def _informal_domains(definition: Definition) -> list:
    """The domains whose family-support questions reduce their own points (method by_domain)."""
    return [d for d in definition.domains if any(q.informal_support for q in d.questions)]


def _with_own_groups(definition: Definition) -> Definition | None:
    """For by_domain, the definition with a cap that never bites (the domain's highest
    points) on each domain with family-support questions and no cap, so that compiling
    gives its need questions groups of their own; None when every such domain has a cap."""
    found = False
    domains = []
    for domain in definition.domains:
        if domain.cap is None and any(q.informal_support for q in domain.questions):
            top = sum((_top(q) for q in domain.questions if not q.informal_support), Decimal(0))
            domain = replace(domain, cap=top)
            found = True
        domains.append(domain)
    return replace(definition, domains=tuple(domains)) if found else None


def _top(question: Question) -> Decimal:
    if question.multiple:
        total = sum((o.points for o in question.options), Decimal(0))
        return total if question.cap is None else min(total, question.cap)
    return max((Decimal(o.points) for o in question.options), default=Decimal(0))


def _with_domain_reductions(scheme: CompiledScheme) -> CompiledScheme:
    """Informal support by domain (statutory guidance 6.18, 10.26 and 11.x; the method
    `by_domain`): each domain's answers about support from family and friends add up, as a
    percentage or as points, capped at the domain's own cap, and reduce only that domain's
    counted points that support may reduce (after its cap). Their tables are laid out as
    `support_groups`, so the same packed words are read."""
    definition = scheme.definition
    capped_domains = [d for d in definition.domains if d.cap is not None]
    scale = definition.points_scale
    positions = {q.code: i for i, q in enumerate(definition.questions)}
    entries = []
    for domain in _informal_domains(definition):
        here = {positions[q.code] for q in domain.questions if q.informal_support}
        values = np.zeros(scheme.points.shape, dtype=np.int64)
        for question in domain.questions:
            if not question.informal_support:
                continue
            for j, option in enumerate(question.options):
                values[positions[question.code], j] = (
                    option.reduction_percent
                    if domain.informal_cap_points is None
                    else int(Decimal(option.reduction_points) * scale)
                )
        tables = tuple(
            (g, _group(list(group.questions), scheme.option_counts, values, dtype=np.int64).table)
            for g, group in enumerate(scheme.support_groups)
            if here & set(group.questions) and values[list(group.questions)].any()
        )
        entries.append(
            _DomainReduction(
                capped=next(k for k, d in enumerate(capped_domains) if d.code == domain.code),
                cap_percent=None
                if domain.informal_cap_points is not None
                else domain.informal_cap_percent or 0,
                cap_steps=None
                if domain.informal_cap_points is None
                else int(Decimal(domain.informal_cap_points) * scale),
                tables=tables,
            )
        )
    return replace(scheme, domain_reductions=tuple(entries))


def _gather_need(scheme, packed, masks, g: int) -> np.ndarray:
    """A need group's points for everyone (complex answers' count taken off)."""
    group = scheme.need_groups[g]
    words = packed.need_words[g]
    if masks is None or group.offsets is None:
        values = group.provisional[words]
    else:
        values = group.table[group.offsets[masks] + words]
    return values & ((1 << _COMPLEX_SHIFT) - 1)


def _domain_reduction(
    scheme: CompiledScheme, packed: PackedChoices, masks: np.ndarray | None
) -> np.ndarray:
    """Each person's reduction for support from family and friends, domain by domain: a
    domain's percentage (rounded down) or points, each capped, of its counted points that
    support may reduce, and never more than them; nothing at all when any answer says the
    person helping cannot or will not go on (statutory guidance 6.18 and 10.26)."""
    rows = len(packed)
    total = np.zeros(rows, dtype=np.int64)
    for entry in scheme.domain_reductions:
        cap, first, middle, end = scheme.capped[entry.capped]
        r = np.zeros(rows, dtype=np.int64)
        f = np.zeros(rows, dtype=np.int64)
        for g in range(first, end):
            (r if g < middle else f)[...] += _gather_need(scheme, packed, masks, g)
        np.minimum(f, cap, out=f)
        np.minimum(r, cap - f, out=r)
        given = np.zeros(rows, dtype=np.int64)
        for g, table in entry.tables:
            given += table[packed.support_words[g]]
        if entry.cap_percent is not None:
            total += r * np.minimum(given, entry.cap_percent) // 100
        else:
            total += np.minimum(np.minimum(given, entry.cap_steps), r)
    if scheme.has_stops:
        stopped = np.zeros(rows, dtype=bool)
        for g, group in enumerate(scheme.support_groups):
            stopped |= (group.table[packed.support_words[g]] >> _STOP_SHIFT) > 0
        total[stopped] = 0
    return total.astype(np.int32)


def _domain_reductions_explained(
    definition: Definition, domain_points: dict, choices: np.ndarray, stopped: bool
) -> list[tuple]:
    """For by_domain: (domain, reduction, reducible points, given, capped at, answers) for each
    domain whose family support takes something off; [] for the other methods, or when an
    answer says the person helping cannot go on."""
    if definition.informal_method != "by_domain" or stopped:
        return []
    scale = definition.points_scale
    position = {q.code: i for i, q in enumerate(definition.questions)}
    found = []
    for domain in _informal_domains(definition):
        r, f = domain_points.get(domain.code, (0, 0))
        if domain.cap is not None and r + f > domain.cap:
            f = min(f, domain.cap)
            r = min(r, domain.cap - f)
        r_steps = _steps(r, scale)  # counting steps: hundredths in a two-decimal scheme
        answers = []
        for question in domain.questions:
            if question.informal_support and int(choices[position[question.code]]) >= 0:
                answers.append((question, question.options[int(choices[position[question.code]])]))
        if domain.informal_cap_points is None:
            given = sum(o.reduction_percent for _q, o in answers)
            cap = domain.informal_cap_percent or 0
            reduction = points_of(r_steps * min(given, cap) // 100, scale)
        else:
            given_steps = sum(_steps(o.reduction_points, scale) for _q, o in answers)
            cap_steps = _steps(domain.informal_cap_points, scale)
            reduction = points_of(min(given_steps, cap_steps, r_steps), scale)
            given, cap = points_of(given_steps, scale), points_of(cap_steps, scale)
        if reduction > 0:
            found.append((domain, reduction, r, given, cap, answers))
    return found


def _domain_reduction_pending(definition, by_domain, stops, price, choices) -> list:
    """The explanation's line for each domain's reduction (as `explain` keeps them before
    rounding), and, when someone helping cannot go on, the line that says nothing is taken
    off for answers given in points (answers in percent have the method's own line)."""
    pending = []
    for domain, reduction, reducible, given, cap, answers in by_domain:
        percent = domain.informal_cap_points is None
        unit = "%" if percent else " points"
        listed = "; ".join(
            f"{q.text} “{o.label}” "
            + (f"{o.reduction_percent}%" if percent else _points(o.reduction_points))
            for q, o in answers
            if (o.reduction_percent if percent else o.reduction_points)
        )
        applied = min(given, cap)
        capped = f", capped at {_number(cap)}{unit}" if given > cap else ""
        title = domain.title.lower()
        if percent:
            how = f"so the {_points(reducible)} for {title} are reduced by {applied}%"
        else:
            how = f"so the {_points(reducible)} for {title} are reduced by {_points(applied)}"
        prefix = (
            f"Support from family and friends with {title} ({listed}) adds up to "
            f"{_number(given)}{unit}{capped}, {how}: {_points(reduction)} fewer"
        )
        suffix = (
            " These are still your eligible needs (Care Act 2014 section 18(7)), and if the "
            "help stops, the council will look at your budget again. The person who helps you "
            "can ask the council for a carer’s assessment of their own needs (Care Act 2014 "
            "section 10)."
        )
        pending.append(
            (
                {"kind": "informal_support", "domain_title": domain.title, "points": -reduction},
                _times(-reduction, price),
                partial(_informal_text, prefix, suffix),
            )
        )
    if stops and definition.informal_method == "by_domain":
        given = [
            option
            for question, choice in zip(definition.questions, choices.tolist(), strict=True)
            if question.informal_support and choice >= 0
            for option in (question.options[choice],)
        ]
        if any(o.reduction_points for o in given) and not any(o.reduction_percent for o in given):
            question, option = stops[0]
            text = (
                f"Family and friends give some support, but you answered “{option.label}” to "
                f"“{question.text}”, so nothing is taken off for it: support counts only when "
                "the person giving it is able and willing to go on (statutory guidance 6.18 "
                "and 10.26). They can ask the council for a carer’s assessment of their own "
                "needs (Care Act 2014 section 10)."
            )
            pending.append(
                (
                    {"kind": "informal_support_not_counted", "points": 0},
                    "zero" if price is not None else None,
                    lambda _money, t=text: t,
                )
            )
    return pending


# --- a carer allocation ----------------------------------------------------------------------


def _with_carer(scheme: CompiledScheme) -> CompiledScheme:
    """Carer allocation (method `carer_allocation`): the answers about support from family
    and friends give carer points, and the carer's own rule (`carer_money`) turns them into
    an amount of the carer's own, for its own period, as a council may fund the carer's
    support apart from the person's (Care Act 2014 s20, and statutory guidance 11.x on
    personal budgets for carers). The person's amount is not reduced for it."""
    definition = scheme.definition
    scale = definition.points_scale
    values = np.zeros(scheme.points.shape, dtype=np.int64)
    top = 0
    for i, question in enumerate(definition.questions):
        if not question.informal_support:
            continue
        for j, option in enumerate(question.options):
            values[i, j] = int(Decimal(option.carer_points) * scale)
        top += int(values[i].max(initial=0))
    tables = tuple(
        (g, _group(list(group.questions), scheme.option_counts, values, dtype=np.int64).table)
        for g, group in enumerate(scheme.support_groups)
        if values[list(group.questions)].any()
    )
    rule = definition.carer_money.rule
    if rule.method == "bands":  # a band with no amount pays nothing
        rule = replace(
            rule,
            bands=tuple(replace(b, amount=b.amount or Decimal(0)) for b in rule.bands),
        )
    return replace(
        scheme,
        carer_tables=tables,
        carer_pence=issued_pence_table(per_step(rule, scale), None, None, top),
    )


def _carer_points(scheme: CompiledScheme, packed: PackedChoices) -> np.ndarray:
    """Each person's carer points; 0 when an answer says the person helping cannot or will
    not go on (statutory guidance 6.18 and 10.26: then there is no carer amount)."""
    rows = len(packed)
    points = np.zeros(rows, dtype=np.int64)
    for g, table in scheme.carer_tables:
        points += table[packed.support_words[g]]
    if scheme.has_stops:
        for g, group in enumerate(scheme.support_groups):
            points[(group.table[packed.support_words[g]] >> _STOP_SHIFT) > 0] = 0
    return points.astype(np.int32)


def carer_amounts_pence(scheme: CompiledScheme, carer_points: np.ndarray) -> np.ndarray:
    """The carers' issued amounts (int64 pence, for `carer_money.period`): nothing where
    there are no carer points (nobody helps, or the person helping cannot go on)."""
    if scheme.carer_pence is None:
        raise ValueError("This version gives no carer allocation")
    points = np.asarray(carer_points)
    if points.size and (points.min() < 0 or points.max() >= scheme.carer_pence.size):
        raise ValueError(f"Carer points must be between 0 and {scheme.carer_pence.size - 1}")
    return np.where(points > 0, scheme.carer_pence[points], 0)


def _carer_explained(scheme: CompiledScheme, choices: np.ndarray, stops) -> CarerAmount | None:
    """The carer's amount for these answers, or None when the version gives none or nobody
    gives support that counts."""
    definition = scheme.definition
    money = definition.carer_money
    if money is None:
        return None
    scale = definition.points_scale
    points = 0
    for position, question in enumerate(definition.questions):
        if question.informal_support and int(choices[position]) >= 0:
            option = question.options[int(choices[position])]
            points += _steps(option.carer_points, scale)
    if points == 0:
        return None
    points = points_of(points, scale)
    rule = money.rule
    if stops:
        return CarerAmount(
            points=0,
            amount=None,
            period=money.period,
            rule_text="",
            title=money.title,
            stopped=True,
        )
    if rule.method == "bands":
        band = rule.band_for(points)
        amount = None if band is None or band.amount is None else round_pence(band.amount)
        words = band.words if band is not None else ""
        rule_text = _carer_band_text(rule, points, money.period)
    else:
        with localcontext(EXACT):
            amount = round_pence(rule.fixed_amount + points * rule.price_per_point)
        words = ""
        rule_text = f"Each carer point is worth {_price(rule.price_per_point)}"
        if rule.fixed_amount > 0:
            rule_text += f", plus a fixed {format_pounds(rule.fixed_amount)}"
    return CarerAmount(
        points=points,
        amount=amount,
        period=money.period,
        rule_text=rule_text,
        title=money.title,
        words=words,
    )


def _carer_band_text(rule: Allocation, points: int, period: str) -> str:
    bands = rule.bands
    index = max(i for i, b in enumerate(bands) if b.min_points <= points)
    band = bands[index]
    amount = (
        "no amount"
        if band.amount is None
        else f"{format_pounds(round_pence(band.amount))} {_carer_per(period)}"
    )
    return f"{_band_span(bands, index, 'carer points')}: {amount}"


def _carer_per(period: str) -> str:
    return {"week": "a week", "year": "a year"}.get(period, "once")


def _carer_text(carer: CarerAmount) -> str:
    """The explanation's sentence about the carer's own amount."""
    assessment = (
        " The person who helps you can ask the council for a carer’s assessment of their own "
        "needs (Care Act 2014 section 10)."
    )
    if carer.stopped:
        return (
            "Family and friends give some support, but one of your answers says the person "
            "helping cannot or will not go on, so there is no carer’s amount: support counts "
            "only when the person giving it is able and willing to go on (statutory guidance "
            "6.18 and 10.26). Your own amount is not reduced." + assessment
        )
    name = carer.title or "the carer’s allocation"
    if carer.amount is None:
        money = f"gives no amount for {_carer_points_words(carer.points)}"
        if carer.words:
            money += f": {carer.words}"
    else:
        money = (
            f"gives the carer {format_pounds(carer.amount)} {_carer_per(carer.period)} "
            f"({carer.rule_text})"
        )
    return (
        f"The support family and friends give you scores {_carer_points_words(carer.points)}. "
        f"This council funds the carer’s own support apart from yours: {name} {money}. "
        "Your own amount is not reduced for their help." + assessment
    )


def _carer_points_words(n: int) -> str:
    return "1 carer point" if n == 1 else f"{_number(n)} carer points"
