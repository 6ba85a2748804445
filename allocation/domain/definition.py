"""A RAS version's definition: its questionnaire and its allocation rule, as plain data.

This is the one format everything shares: the database stores it as JSON, the import
and export pages read and write it, and the engine compiles it. No Django imports.

    {
      "format": "selfdirect-ras/1",
      "kind": "person" | "carer",
      "period": "week" | "year",              # what the amount is per
      "domains": [{"code", "title", "description",
                   "questions": [{"code", "text", "hint", "informal_support": bool,
                                  "options": [{"code", "label", "hint",
                                               "points": int, "reduction_percent": int}]}]}],
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
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

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


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""
    informal_support: bool = False

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
                options.append(
                    Option(
                        code=o_code,
                        label=_text(raw_o.get("label"), f"{o_where} label", problems),
                        hint=_text(raw_o.get("hint"), f"{o_where} hint", problems, required=False),
                        points=points,
                        reduction_percent=reduction,
                    )
                )
            if len(options) < 2:
                problems.append(f"Question {q_code!r} needs at least 2 options")
            questions.append(
                Question(
                    code=q_code,
                    text=_text(raw_q.get("text"), f"{where} text", problems),
                    hint=_text(raw_q.get("hint"), f"{where} hint", problems, required=False),
                    informal_support=informal,
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
                "questions": [
                    {
                        "code": q.code,
                        "text": q.text,
                        "hint": q.hint,
                        "informal_support": q.informal_support,
                        "options": [
                            {
                                "code": o.code,
                                "label": o.label,
                                "hint": o.hint,
                                "points": o.points,
                                "reduction_percent": o.reduction_percent,
                            }
                            for o in q.options
                        ],
                    }
                    for q in d.questions
                ],
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
            reductions = [o.reduction_percent for o in q.options]
            if reductions != sorted(reductions):
                problems.append(
                    (
                        "RAS-REDUCTIONS-ORDER",
                        f"Question {q.code!r}: list options from least to most support, so reductions never go down",
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
