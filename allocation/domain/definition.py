"""A RAS version's definition: its questionnaire and its allocation rule, as plain data.

This is the one format everything shares: the database stores it as JSON, the import
and export pages read and write it, and the engine compiles it. No Django imports.

    {
      "format": "selfdirect-ras/1",
      "kind": "person" | "carer",
      "period": "week" | "year",              # what the amount is per
      "domains": [{"code", "title", "description",
                   "questions": [{"code", "text", "hint", "informal_support": bool,
                                  "outcomes": [outcome codes],          # optional
                                  "reducible": bool,                    # optional, default true
                                  "options": [{"code", "label", "hint",
                                               "points": int, "reduction_percent": int,
                                               "complex": bool,                       # optional
                                               "excludes": {question: [options]},     # optional
                                               "no_reduction": bool,                  # optional
                                               "not_more_than": option code}]}]}],    # optional
      "informal_support": {"cap_percent": int},
      "allocation": {"method": "price_per_point", "fixed_amount": "12.50", "price_per_point": "2.875"}
                  | {"method": "bands", "bands": [{"min_points": 0, "amount": "85.00"}, ...]},
      "limits": {"minimum": "0.00" | null, "maximum": "1500.00" | null}
    }

Money is a decimal string (exact). A price per point or a band amount may carry more
than two decimal places: calibration solves them exactly so that a caseload's total hits
its target to the penny; each person's amount is rounded to the penny when it is issued.

Need questions carry points. Informal-support questions ("support from family and
friends") carry a reduction percentage instead: the chosen percentages add up (capped)
and reduce the need points, shown as a line of its own.

The optional keys (all still `selfdirect-ras/1`: a definition without them reads as before):

- `outcomes` (need questions): the codes of the eligibility outcomes the need serves: the
  ten adult outcomes of the Care and Support (Eligibility Criteria) Regulations 2015
  reg 2(2) for a person's scheme, the carers' outcomes of reg 3(2) (and `carer_health`, the
  carer's health "is, or is at risk of, deteriorating", reg 3(1)(b)(i)) for a carer's. Only
  eligible needs count towards a personal budget (Care Act 2014 s26(1) and s24; statutory
  guidance 11.7-11.10): once the eligibility decision is made, a question's points count only
  when at least one of its outcomes was found unmet. A question that names no outcome
  always counts; publishing needs every scoring question to name at least one.
- `reducible` (need questions, default true): false for needs that support from family and
  friends never reduces: keeping safe, work and learning, caring for a child (guidance
  10.26 and 11.x: the carer's willingness and ability, and the person's wishes about work and
  family, are judged separately).
- `complex` (options of need questions): the answer shows a need a points scale cannot price
  (two-to-one support, waking nights, 24-hour supervision, behaviour that challenges needing
  specialist support). Choosing it sends the person to a costed plan: the final budget is the
  cost of their support plan, and the RAS amount is only a guide.
- `excludes` (any option): answers to other questions that contradict this one, as
  `{"question_code": ["option_code", ...]}`; answers that contradict each other are refused
  with a message.
- `no_reduction` (options of informal-support questions): choosing it means no reduction at
  all, because the carer cannot or will not go on (guidance 6.18 and 10.26: support is counted
  only when the carer is willing and able to give it).
- `not_more_than` (options of informal-support questions): the code of another option of the
  same question that this one must never reduce more than (for example "yes, if they get
  breaks" never more than "yes"); publishing checks it.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from assessment.domain import ADULT_OUTCOMES, CARER_OUTCOMES

FORMAT = "selfdirect-ras/1"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KINDS = ("person", "carer")
PERIODS = ("week", "year")
METHODS = ("price_per_point", "bands")
MAX_DECIMAL_PLACES = 14
# Bounds on what a definition may hold, so a hostile file is refused quickly with a message
# rather than exhausting memory: points and percentages are small whole numbers, money is
# under a billion pounds, and the format nests 7 levels deep (the limit leaves room).
MAX_DEPTH = 12
MAX_NUMBER_CHARACTERS = 30
MAX_WHOLE_POUND_DIGITS = 9

MAX_TOTAL_POINTS = 10_000_000  # the highest points of every question, added up
MAX_COMPLEX_QUESTIONS = 100
MAX_INFORMAL_QUESTIONS = 1000

# A carer's eligibility also turns on their health (Eligibility Regulations 2015 reg
# 3(1)(b)(i)): a need linked to it counts when the decision found the health at risk.
CARER_HEALTH = "carer_health"
OUTCOMES = {
    "person": tuple(ADULT_OUTCOMES),
    "carer": (
        *CARER_OUTCOMES,
        (CARER_HEALTH, "The carer’s physical or mental health is, or is at risk of, deteriorating"),
    ),
}


def outcome_codes(kind: str) -> tuple[str, ...]:
    """The outcome codes a scheme of this kind may link its questions to, in a fixed order."""
    return tuple(code for code, _label in OUTCOMES.get(kind, ()))


def outcome_labels(kind: str) -> dict[str, str]:
    return dict(OUTCOMES.get(kind, ()))


def decided_unable(kind: str, unable_outcomes, *, health_at_risk: bool = False) -> frozenset[str]:
    """The outcome codes an eligibility decision found unmet, as the engine reads them: a
    carer's health at risk counts as `carer_health` (reg 3(1)(b)(i))."""
    found = set(unable_outcomes or ())
    if kind == "carer" and health_at_risk:
        found.add(CARER_HEALTH)
    return frozenset(found)


class DefinitionError(ValueError):
    """The definition is not valid; `problems` lists every problem found, in words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    hint: str = ""
    points: int = 0
    reduction_percent: int = 0
    complex: bool = False
    excludes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((question, (options...)), ...)
    no_reduction: bool = False
    not_more_than: str = ""


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""
    informal_support: bool = False
    outcomes: tuple[str, ...] = ()
    reducible: bool = True

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""


@dataclass(frozen=True)
class Band:
    min_points: int
    amount: Decimal


@dataclass(frozen=True)
class Allocation:
    method: str
    fixed_amount: Decimal = Decimal("0")
    price_per_point: Decimal = Decimal("0")
    bands: tuple[Band, ...] = ()

    def band_for(self, points: int) -> Band | None:
        chosen = None
        for band in self.bands:
            if points >= band.min_points:
                chosen = band
        return chosen


@dataclass(frozen=True)
class Definition:
    kind: str
    period: str
    domains: tuple[Domain, ...]
    allocation: Allocation
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    informal_cap_percent: int = 0
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for d in self.domains for q in d.questions)

    @property
    def outcome_codes(self) -> tuple[str, ...]:
        return outcome_codes(self.kind)

    def question(self, code: str) -> Question | None:
        if not self._index:
            self._index.update({q.code: q for q in self.questions})
        return self._index.get(code)

    def domain_of(self, question_code: str) -> Domain | None:
        return next(
            (d for d in self.domains if any(q.code == question_code for q in d.questions)), None
        )


def _money(value, where: str, problems: list[str], places: int = 2) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        problems.append(f"{where} must be an amount of money, like 12.50")
        return None
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARACTERS:
        problems.append(f"{where} must be an amount of money, like 12.50 (it is too long)")
        return None
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        problems.append(f"{where} must be an amount of money, like 12.50")
        return None
    if not amount.is_finite() or amount < 0:
        problems.append(f"{where} must be zero or more")
        return None
    # adjusted() is the power of ten of the first digit: "1E+99999999" is refused here,
    # before anything writes it out in full.
    if amount and amount.adjusted() >= MAX_WHOLE_POUND_DIGITS:
        problems.append(f"{where} must be less than £1,000,000,000")
        return None
    if -amount.as_tuple().exponent > places:
        problems.append(f"{where} must have no more than {places} decimal places")
        return None
    return amount


def _int(value, where: str, problems: list[str], low: int = 0, high: int = 10_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        problems.append(f"{where} must be a whole number")
        return 0
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_CHARACTERS:
            problems.append(f"{where} must be between {low} and {high}")
            return 0
        try:
            value = int(text)
        except ValueError:
            problems.append(f"{where} must be a whole number")
            return 0
    if not low <= value <= high:
        problems.append(f"{where} must be between {low} and {high}")
        return 0
    return value


def _code(value, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not CODE.match(value):
        problems.append(
            f"{where} code {value!r} must start with a lower-case letter and use only a-z, 0-9 and _ (up to 40)"
        )
        return str(value)
    return value


def _text(value, where: str, problems: list[str], required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"{where} must be text")
        return ""
    if required and not value.strip():
        problems.append(f"{where} is missing")
    return value.strip()


class _TooLong(ValueError):
    pass


def _bounded_number(text: str):
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise _TooLong(text[:12])
    return Decimal(text) if any(c in text for c in ".eE") else int(text)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a scheme can use")


def _depth(data) -> int:
    """How deeply lists and objects nest (1 for a flat object), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def load_json(text: str):
    """Read a scheme file's JSON with bounds: no number longer than 30 characters, nesting no
    deeper than 12 levels. Raise DefinitionError with a plain message otherwise.

    Numbers with a point or exponent are read as exact decimals (never floats), so money in
    a file keeps its pennies; `parse` checks every value's range.
    """
    try:
        data = json.loads(
            text,
            parse_int=_bounded_number,
            parse_float=_bounded_number,
            parse_constant=_no_constant,
        )
    except _TooLong as error:
        raise DefinitionError(
            [
                f"The file has a number that is too long ({error}…): points and percentages are "
                "whole numbers and amounts are under £1,000,000,000"
            ]
        ) from None
    except RecursionError:
        raise DefinitionError(
            [f"The file nests lists or objects too deeply (more than {MAX_DEPTH} levels)"]
        ) from None
    except ValueError as error:  # json.JSONDecodeError is one
        raise DefinitionError([f"The file must be JSON: {error}"]) from None
    if _depth(data) > MAX_DEPTH:
        raise DefinitionError(
            [f"The file nests lists or objects too deeply (more than {MAX_DEPTH} levels)"]
        )
    return data


def parse(data: dict) -> Definition:
    """Check a definition and build it; raise DefinitionError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["The definition must be a JSON object"])
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"Unknown format {data.get('format')!r}: expected {FORMAT}")
    kind = data.get("kind", "person")
    if kind not in KINDS:
        problems.append(f"Kind must be one of {', '.join(KINDS)}")
    period = data.get("period", "week")
    if period not in PERIODS:
        problems.append(f"Period must be one of {', '.join(PERIODS)}")

    domains = []
    seen_domains, seen_questions = set(), set()
    raw_domains = data.get("domains") or []
    if not isinstance(raw_domains, list):
        raw_domains = []
        problems.append("Domains must be a list")
    for d_index, raw in enumerate(raw_domains, start=1):
        if not isinstance(raw, dict):
            problems.append(f"Domain {d_index} must be an object")
            continue
        d_code = _code(raw.get("code"), f"Domain {d_index}", problems)
        if d_code in seen_domains:
            problems.append(f"Domain code {d_code!r} is used twice")
        seen_domains.add(d_code)
        questions = []
        for q_index, raw_q in enumerate(raw.get("questions") or [], start=1):
            where = f"Question {q_index} of domain {d_code!r}"
            if not isinstance(raw_q, dict):
                problems.append(f"{where} must be an object")
                continue
            q_code = _code(raw_q.get("code"), where, problems)
            if q_code in seen_questions:
                problems.append(f"Question code {q_code!r} is used twice")
            seen_questions.add(q_code)
            informal = bool(raw_q.get("informal_support", False))
            outcomes = _outcomes(raw_q.get("outcomes"), where, kind, informal, problems)
            reducible = raw_q.get("reducible", True)
            if not isinstance(reducible, bool):
                problems.append(f"{where}: ‘reducible’ must be true or false")
                reducible = True
            if informal and not reducible:
                problems.append(
                    f"{where} is about informal support, so ‘reducible’ does not apply to it"
                )
            options, seen_options = [], set()
            for o_index, raw_o in enumerate(raw_q.get("options") or [], start=1):
                o_where = f"Option {o_index} of question {q_code!r}"
                if not isinstance(raw_o, dict):
                    problems.append(f"{o_where} must be an object")
                    continue
                o_code = _code(raw_o.get("code"), o_where, problems)
                if o_code in seen_options:
                    problems.append(f"Option code {o_code!r} is used twice in question {q_code!r}")
                seen_options.add(o_code)
                points = _int(raw_o.get("points", 0), f"{o_where} points", problems)
                reduction = _int(
                    raw_o.get("reduction_percent", 0), f"{o_where} reduction", problems, high=100
                )
                if informal and points:
                    problems.append(
                        f"{o_where} is about informal support, so it reduces points and cannot add them"
                    )
                if not informal and reduction:
                    problems.append(f"{o_where} adds points, so it cannot also reduce them")
                flags = {}
                for key in ("complex", "no_reduction"):
                    value = raw_o.get(key, False)
                    if not isinstance(value, bool):
                        problems.append(f"{o_where}: ‘{key}’ must be true or false")
                        value = False
                    flags[key] = value
                if informal and flags["complex"]:
                    problems.append(
                        f"{o_where} is about informal support, so it cannot send someone to a costed plan"
                    )
                if not informal and flags["no_reduction"]:
                    problems.append(
                        f"{o_where} adds points, so ‘no reduction’ (for support from family "
                        "and friends) does not apply to it"
                    )
                not_more_than = raw_o.get("not_more_than") or ""
                if not_more_than:
                    if not informal:
                        problems.append(
                            f"{o_where} adds points, so ‘not more than’ (for support from family "
                            "and friends) does not apply to it"
                        )
                    elif not isinstance(not_more_than, str):
                        problems.append(f"{o_where}: ‘not more than’ must be an option code")
                        not_more_than = ""
                options.append(
                    Option(
                        code=o_code,
                        label=_text(raw_o.get("label"), f"{o_where} label", problems),
                        hint=_text(raw_o.get("hint"), f"{o_where} hint", problems, required=False),
                        points=points,
                        reduction_percent=reduction,
                        complex=flags["complex"],
                        excludes=_excludes(raw_o.get("excludes"), o_where, problems),
                        no_reduction=flags["no_reduction"],
                        not_more_than=not_more_than,
                    )
                )
            if len(options) < 2:
                problems.append(f"Question {q_code!r} needs at least 2 options")
            codes_here = {o.code for o in options}
            for option in options:
                if option.not_more_than and option.not_more_than not in codes_here:
                    problems.append(
                        f"Option {option.code!r} of question {q_code!r} is not to reduce more "
                        f"than option {option.not_more_than!r}, which the question does not have"
                    )
                if option.not_more_than == option.code:
                    problems.append(
                        f"Option {option.code!r} of question {q_code!r} cannot be compared with itself"
                    )
            questions.append(
                Question(
                    code=q_code,
                    text=_text(raw_q.get("text"), f"{where} text", problems),
                    hint=_text(raw_q.get("hint"), f"{where} hint", problems, required=False),
                    informal_support=informal,
                    outcomes=outcomes,
                    reducible=reducible,
                    options=tuple(options),
                )
            )
        domains.append(
            Domain(
                code=d_code,
                title=_text(raw.get("title"), f"Domain {d_code!r} title", problems),
                description=_text(
                    raw.get("description"),
                    f"Domain {d_code!r} description",
                    problems,
                    required=False,
                ),
                questions=tuple(questions),
            )
        )

    _check_excludes(domains, problems)
    _check_size(domains, problems)
    cap = _int(
        (data.get("informal_support") or {}).get("cap_percent", 0),
        "Informal support cap",
        problems,
        high=100,
    )
    allocation = _parse_allocation(data.get("allocation") or {}, problems)
    limits = data.get("limits") or {}
    minimum = _money(limits.get("minimum"), "Minimum amount", problems)
    maximum = _money(limits.get("maximum"), "Maximum amount", problems)
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append("Minimum amount must not be more than the maximum")
    if problems:
        raise DefinitionError(problems)
    return Definition(
        kind=kind,
        period=period,
        domains=tuple(domains),
        allocation=allocation,
        minimum=minimum,
        maximum=maximum,
        informal_cap_percent=cap,
    )


def _outcomes(raw, where: str, kind: str, informal: bool, problems: list[str]) -> tuple[str, ...]:
    if raw is None or raw == []:
        return ()
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        problems.append(f"{where}: ‘outcomes’ must be a list of outcome codes")
        return ()
    if informal:
        problems.append(
            f"{where} is about informal support, so it meets no outcome of its own: "
            "remove its outcomes"
        )
        return ()
    known = outcome_codes(kind)
    unknown = [code for code in raw if code not in known]
    if unknown:
        problems.append(
            f"{where} names outcomes that a {kind}’s eligibility does not use: "
            f"{', '.join(map(repr, unknown))} (use {', '.join(known)})"
        )
    if len(set(raw)) != len(raw):
        problems.append(f"{where} names an outcome twice")
    return tuple(code for code in known if code in raw)  # the regulations' order


def _excludes(raw, where: str, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if raw is None or raw == {}:
        return ()
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(o, str) for o in v)
        for k, v in raw.items()
    ):
        problems.append(
            f"{where}: ‘excludes’ must map question codes to lists of their option codes"
        )
        return ()
    return tuple((question, tuple(options)) for question, options in raw.items() if options)


def _check_excludes(domains: list[Domain], problems: list[str]) -> None:
    """Each excluded answer must exist, in another question."""
    questions = {q.code: q for d in domains for q in d.questions}
    for question in questions.values():
        for option in question.options:
            for other_code, option_codes in option.excludes:
                other = questions.get(other_code)
                where = f"Option {option.code!r} of question {question.code!r}"
                if other is None:
                    problems.append(
                        f"{where} excludes answers to {other_code!r}, which is not a question"
                    )
                    continue
                if other is question:
                    problems.append(f"{where} cannot exclude answers to its own question")
                    continue
                known = {o.code for o in other.options}
                for code in option_codes:
                    if code not in known:
                        problems.append(
                            f"{where} excludes {code!r}, which is not an answer to {other_code!r}"
                        )


def _check_size(domains: list[Domain], problems: list[str]) -> None:
    questions = [q for d in domains for q in d.questions if not q.informal_support]
    top = sum(max((o.points for o in q.options), default=0) for q in questions)
    if top > MAX_TOTAL_POINTS:
        problems.append(
            f"The highest answers add up to {top:,} points: keep it to {MAX_TOTAL_POINTS:,}"
        )
    informal = sum(1 for d in domains for q in d.questions if q.informal_support)
    if informal > MAX_INFORMAL_QUESTIONS:
        problems.append(
            f"{informal} questions are about support from family and friends: keep it to "
            f"{MAX_INFORMAL_QUESTIONS}"
        )
    complex_questions = sum(1 for q in questions if any(o.complex for o in q.options))
    if complex_questions > MAX_COMPLEX_QUESTIONS:
        problems.append(
            f"{complex_questions} questions have answers that lead to a costed plan: "
            f"keep it to {MAX_COMPLEX_QUESTIONS}"
        )


def _parse_allocation(raw: dict, problems: list[str]) -> Allocation:
    method = raw.get("method", "price_per_point")
    if method not in METHODS:
        problems.append(f"Allocation method must be one of {', '.join(METHODS)}")
        return Allocation(method="price_per_point")
    if method == "price_per_point":
        fixed = _money(raw.get("fixed_amount", "0"), "Fixed amount", problems) or Decimal("0")
        price = _money(raw.get("price_per_point"), "Price per point", problems, MAX_DECIMAL_PLACES)
        if price is None:
            problems.append("Price per point is missing")
            price = Decimal("0")
        return Allocation(method=method, fixed_amount=fixed, price_per_point=price)
    bands = []
    for index, raw_band in enumerate(raw.get("bands") or [], start=1):
        if not isinstance(raw_band, dict):
            problems.append(f"Band {index} must be an object")
            continue
        amount = _money(
            raw_band.get("amount"), f"Band {index} amount", problems, MAX_DECIMAL_PLACES
        )
        bands.append(
            Band(
                min_points=_int(
                    raw_band.get("min_points"),
                    f"Band {index} lowest points",
                    problems,
                    high=100_000,
                ),
                amount=amount if amount is not None else Decimal("0"),
            )
        )
    if not bands:
        problems.append("Bands need at least one band")
    elif bands[0].min_points != 0:
        problems.append("The first band must start at 0 points, so every score has an amount")
    for before, after in zip(bands, bands[1:], strict=False):
        if after.min_points <= before.min_points:
            problems.append("Bands must be in order of points, each starting above the one before")
        if after.amount < before.amount:
            problems.append(
                "A band for more points must not give less money than the band below it"
            )
    return Allocation(method="bands", bands=tuple(bands))


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def to_dict(definition: Definition) -> dict:
    """The JSON form of a definition (what `parse` reads)."""
    allocation = definition.allocation
    if allocation.method == "price_per_point":
        rule = {
            "method": "price_per_point",
            "fixed_amount": _money_text(allocation.fixed_amount),
            "price_per_point": _money_text(allocation.price_per_point),
        }
    else:
        rule = {
            "method": "bands",
            "bands": [
                {"min_points": b.min_points, "amount": _money_text(b.amount)}
                for b in allocation.bands
            ],
        }
    return {
        "format": FORMAT,
        "kind": definition.kind,
        "period": definition.period,
        "domains": [
            {
                "code": d.code,
                "title": d.title,
                "description": d.description,
                "questions": [_question_dict(q) for q in d.questions],
            }
            for d in definition.domains
        ],
        "informal_support": {"cap_percent": definition.informal_cap_percent},
        "allocation": rule,
        "limits": {
            "minimum": _money_text(definition.minimum),
            "maximum": _money_text(definition.maximum),
        },
    }


def _question_dict(question: Question) -> dict:
    """A question as JSON; the optional keys appear only when they say something."""
    data = {
        "code": question.code,
        "text": question.text,
        "hint": question.hint,
        "informal_support": question.informal_support,
    }
    if question.outcomes:
        data["outcomes"] = list(question.outcomes)
    if not question.reducible:
        data["reducible"] = False
    data["options"] = [_option_dict(o) for o in question.options]
    return data


def _option_dict(option: Option) -> dict:
    data = {
        "code": option.code,
        "label": option.label,
        "hint": option.hint,
        "points": option.points,
        "reduction_percent": option.reduction_percent,
    }
    if option.complex:
        data["complex"] = True
    if option.excludes:
        data["excludes"] = {question: list(codes) for question, codes in option.excludes}
    if option.no_reduction:
        data["no_reduction"] = True
    if option.not_more_than:
        data["not_more_than"] = option.not_more_than
    return data


def publication_problems(definition: Definition) -> list[tuple[str, str]]:
    """What stops a (valid) definition going live, as (code, message) pairs: things a draft may
    lack while it is built. allocation/rules.py turns them into business-rule problems."""
    problems = []
    if not definition.questions:
        problems.append(("RAS-NO-QUESTIONS", "Add at least one question"))
    if not any(not q.informal_support for q in definition.questions):
        problems.append(("RAS-NO-SCORING-QUESTION", "Add at least one question that scores points"))
    for q in definition.questions:
        if not q.informal_support:
            points = [o.points for o in q.options]
            if points != sorted(points):
                problems.append(
                    (
                        "RAS-POINTS-ORDER",
                        f"Question {q.code!r}: list options from least to most need, so points never go down",
                    )
                )
        else:
            stops = [o.no_reduction for o in q.options]
            if stops != sorted(stops, reverse=True):
                problems.append(
                    (
                        "RAS-NO-REDUCTION-ORDER",
                        f"Question {q.code!r}: list the answers that mean no reduction (the "
                        "person cannot or will not go on giving support) first, as the least support",
                    )
                )
            reductions = [o.reduction_percent for o in q.options]
            if reductions != sorted(reductions):
                problems.append(
                    (
                        "RAS-REDUCTIONS-ORDER",
                        f"Question {q.code!r}: list options from least to most support, so reductions never go down",
                    )
                )
    for q in definition.questions:
        if not q.informal_support and not q.outcomes and any(o.points > 0 for o in q.options):
            problems.append(
                (
                    "RAS-NEED-NO-OUTCOME",
                    f"Question {q.code!r} scores points but names no eligibility outcome: link it "
                    "to the outcomes it serves, so only eligible needs count (Care Act 2014 s26)",
                )
            )
        for option in q.options:
            if option.not_more_than:
                limit = q.option(option.not_more_than)
                if limit is not None and option.reduction_percent > limit.reduction_percent:
                    problems.append(
                        (
                            "RAS-CONDITIONAL-SUPPORT-REDUCES-MORE",
                            f"Question {q.code!r}: “{option.label}” must not reduce points more "
                            f"than “{limit.label}”",
                        )
                    )
    if definition.informal_cap_percent == 0 and any(
        q.informal_support for q in definition.questions
    ):
        problems.append(
            (
                "RAS-NO-INFORMAL-CAP",
                "Set a cap on the informal-support reduction (it is 0%, so those questions do nothing)",
            )
        )
    allocation = definition.allocation
    if allocation.method == "price_per_point" and allocation.price_per_point <= 0:
        problems.append(("RAS-NO-PRICE", "Set a price per point above zero"))
    return problems
