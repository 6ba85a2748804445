"""A RAS version's definition: its questionnaire and how answers become an amount, as data.

This is the one format everything shares: the database stores it as JSON, the import and
export pages, `ras_export` and the API read and write it, and the engine compiles it. No
Django imports.

The format is `selfdirect-ras/2`, published as a JSON Schema (draft 2020-12) at
`/api/v1/ras/schema.json` (allocation/domain/schema.py). Reading a definition is strict:
the schema refuses any key it does not list and any value out of range, `parse` then checks
what a schema cannot (codes used once, references to other questions, band order, the rules
below), and every problem is listed with its JSON path, like
`$.domains[2].questions[0].options[1].points`. Nothing is kept from a definition with a
problem. `selfdirect-ras/1` (what Selfdirect wrote before) is still read: its own keys only,
converted to `selfdirect-ras/2`, with the conversion listed (`Definition.conversion`).

    {
      "format": "selfdirect-ras/2",
      "kind": "person" | "carer",
      "period": "week" | "year" | "once",         # a weekly, yearly or one-off amount
      "domains": [{
        "code", "title", "description",
        "cap": 40,                                 # optional: most points the domain adds up to
        "informal_support": {"cap_percent": 50} | {"cap_points": 6},   # method by_domain only
        "questions": [{
          "code", "text", "hint",
          "type": "single" | "multiple" | "informal_support",
          "outcomes": [outcome codes], "reducible": bool,                # need questions
          "asked_when": {"question": code, "answers": [option codes]},   # optional
          "cap": 12, "none_label": "None of these",                      # multiple only
          "options": [{"code", "label", "hint",
                       "points": 2.5,                                    # need questions
                       "support": [{"service": "home_care", "units": 7}],# cost-rate answers
                       "complex": bool, "excludes": {question: [options]},
                       "reduction_percent": 20 | "reduction_points": 3 | "carer_points": 4,
                       "no_reduction": bool, "not_more_than": option code}]}]}],
      "informal_support": {"method": "whole_scheme", "cap_percent": 30}
                        | {"method": "by_domain"}
                        | {"method": "carer_allocation", "carer_money": {"period": "year", <rule>}},
      "money_tables": [{"code", "title",
                        "applies_to": {"age_from": 65, "age_to": 130,
                                       "primary_support_reasons": [...], "client_types": [...]},
                        <rule>}],
      "limits": {"minimum": "0.00" | null, "maximum": "1500.00" | null}
    }
    <rule> = "method": "price_per_point", "fixed_amount": "12.50", "price_per_point": "2.875"
           | "method": "bands", "bands": [{"min_points": 0, "amount": null, "words": "..."},
                                          {"min_points": 10, "amount": "85.00"}, ...]

Money is a decimal string (exact). A price per point or a band amount may carry up to 14
decimal places (calibration solves them exactly); each amount is rounded to the penny when
issued. Points, hours and other units are JSON numbers with at most two decimal places.

What each part means (the engine, engine.py, and the plain reference, reference.py, follow it):

- **Need questions** (`single`, `multiple`) score points, hours of support, or both. A
  `multiple` question takes any number of its (up to 7) answers, or none: their points and
  hours add up, the points capped at the question's `cap`.
- **Conditional questions** (`asked_when`): asked only when an earlier question was given one
  of the listed answers. When it is not asked it is not required, and any answer it has is
  ignored: it scores nothing.
- **Eligible needs only** (`outcomes`; Care Act 2014 s26(1) and s24; statutory guidance
  11.7-11.10): once the eligibility decision is made, a question counts only when one of its
  outcomes was found unmet (the ten adult outcomes of the Eligibility Regulations 2015
  reg 2(2), or the carers' outcomes of reg 3(2), with `carer_health` for reg 3(1)(b)(i)).
  A question that names no outcome always counts; publishing needs every scoring question to
  name one.
- **Domain caps** (`cap`): a domain's counted points add up to at most its cap. When a cap
  bites, the needs support from family and friends never reduces keep their points first.
- **Cost-rate answers** (`support`, the FACE-style way some councils work): an answer carries
  units (hours, days, nights...) of a service each period, priced at the council's reference
  rate in force on the day (allocation.ReferenceRate). Each is its own line, rounded to the
  penny, and adds to the points-based part. Support from family and friends reduces
  points, never these units: an answer's units are the paid support the need calls for.
- **Support from family and friends** (`informal_support`):
  - `whole_scheme`: the percentages of the answers add up, capped at `cap_percent`, and take
    that share (rounded down) off the points support may reduce;
  - `by_domain`: each domain with informal-support questions says how they reduce it: a
    percentage (`cap_percent`) or points (`cap_points`), each capped; only that domain's
    points are reduced;
  - `carer_allocation`: nothing is taken off; the answers' `carer_points` give the carer an
    amount of their own (`carer_money`), as a council may fund the carer's support apart.
  In every method (statutory guidance 6.18, 10.26 and 11.x): needs marked `reducible: false`
  (keeping safe, work and learning, caring for a child) are never reduced; an answer marked
  `no_reduction` (the person helping cannot or will not go on) means nothing is taken off
  anywhere (and no carer amount); an answer `not_more_than` another (for example "yes, if
  they get breaks" and "yes") never takes off more than it.
- **Complex answers** (`complex`): a need a points scale cannot price sends the person to a
  costed plan: the final budget is the cost of the support plan, the amount only a guide.
- **Contradictions** (`excludes`): answers that cannot both be true are refused.
- **Money tables** (`money_tables`): each a points-to-money rule, a price per point with a
  fixed amount or bands. The first table whose `applies_to` fits the person is used (an age
  band in whole years, inclusive; primary support reasons; client types: the Client Level
  Data codes); a table with no `applies_to` fits everyone. A band whose `amount` is null
  gives no indicative amount (which is not £0), with `words` for the person.
- **Limits**: the minimum and maximum apply to the whole amount (points and support).

Points are kept exactly: a scheme whose points are all whole numbers counts in whole points;
one with any two-decimal points counts in hundredths, and a percentage reduction is rounded
down to that step (`Definition.points_scale`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import jsonschema

from assessment.domain import ADULT_OUTCOMES, CARER_OUTCOMES
from people import codes as person_codes

from . import rates as rate_catalogue
from . import schema as schemas

FORMAT = "selfdirect-ras/2"
FORMAT_V1 = "selfdirect-ras/1"
CODE = re.compile(schemas.CODE_PATTERN)
KINDS = ("person", "carer")
PERIODS = schemas.PERIODS
METHODS = ("price_per_point", "bands")
QUESTION_TYPES = schemas.QUESTION_TYPES
INFORMAL_METHODS = schemas.INFORMAL_METHODS
MAX_DECIMAL_PLACES = 14
MAX_MULTIPLE_OPTIONS = schemas.MAX_MULTIPLE_OPTIONS
# Bounds on what a definition may hold, so a hostile file is refused quickly with a message
# rather than exhausting memory: numbers are short, money is under a billion pounds, and the
# format nests 9 levels deep (the limit leaves room).
MAX_DEPTH = 12
MAX_NUMBER_CHARACTERS = 30
MAX_WHOLE_POUND_DIGITS = 9

MAX_TOTAL_POINTS = 10_000_000  # the highest points of every question, added up, in counting steps
MAX_TABLE_ENTRIES = 20_000_000  # money tables × (highest points + 1), in counting steps
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
PSR_LABELS = dict(person_codes.PRIMARY_SUPPORT_REASONS)
CLIENT_TYPE_LABELS = dict(person_codes.CLIENT_TYPES)


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
    """The definition is not valid. `items` lists every problem as {"path", "message"} (the
    path in JSONPath, `$` for the whole file); `problems` the same as sentences."""

    def __init__(self, problems: list):
        self.items = [
            p if isinstance(p, dict) else {"path": "$", "message": str(p)} for p in problems
        ]
        self.problems = [_sentence(item) for item in self.items]
        super().__init__("; ".join(self.problems))


def _sentence(item: dict) -> str:
    return item["message"] if item["path"] == "$" else f"{item['path']}: {item['message']}"


# --- the parsed form -----------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    """Units of a service each period (hours of home care, days at a day service, nights...),
    priced at the reference rate in force on the day."""

    service: str
    units: Decimal


def added_support(options) -> tuple[Support, ...]:
    """The support of several answers chosen together (a multiple-choice question): each
    service's units added up, in the order the services first appear, so each service is
    priced once, as one line. A question's cap limits its points, not its hours: the hours
    are the support the person needs."""
    units: dict[str, Decimal] = {}
    for option in options:
        for item in option.support:
            units[item.service] = units.get(item.service, Decimal(0)) + Decimal(item.units)
    return tuple(Support(service, total) for service, total in units.items())


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    hint: str = ""
    points: Decimal = Decimal(0)
    reduction_percent: int = 0
    complex: bool = False
    excludes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((question, (options...)), ...)
    no_reduction: bool = False
    not_more_than: str = ""
    reduction_points: Decimal = Decimal(0)
    carer_points: Decimal = Decimal(0)
    support: tuple[Support, ...] = ()


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier question was given one of these answers."""

    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""
    informal_support: bool = False
    outcomes: tuple[str, ...] = ()
    reducible: bool = True
    multiple: bool = False
    cap: Decimal | None = None  # multiple only: the most points its answers add up to
    none_label: str = ""
    asked_when: Condition | None = None

    @property
    def type(self) -> str:
        if self.informal_support:
            return "informal_support"
        return "multiple" if self.multiple else "single"

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def chosen(self, value) -> tuple[Option, ...] | None:
        """The options an answer picks (a code, or for a multiple-choice question a list of
        codes, perhaps empty), or None when it is not a usable answer to this question."""
        if self.multiple:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                return None
            if len(set(value)) != len(value):
                return None
            picked = [self.option(code) for code in value]
            if any(o is None for o in picked):
                return None
            order = {o.code: i for i, o in enumerate(self.options)}
            return tuple(sorted(picked, key=lambda o: order[o.code]))
        option = self.option(value) if isinstance(value, str) else None
        return None if option is None else (option,)


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    cap: Decimal | None = None
    informal_cap_percent: int | None = None  # by_domain: reductions are percentages
    informal_cap_points: Decimal | None = None  # by_domain: reductions are points


@dataclass(frozen=True)
class Band:
    min_points: Decimal
    amount: Decimal | None  # None: no indicative amount (not £0)
    words: str = ""


@dataclass(frozen=True)
class Allocation:
    """A points-to-money rule."""

    method: str
    fixed_amount: Decimal = Decimal("0")
    price_per_point: Decimal = Decimal("0")
    bands: tuple[Band, ...] = ()

    def band_for(self, points) -> Band | None:
        chosen = None
        for band in self.bands:
            if points >= band.min_points:
                chosen = band
        return chosen


@dataclass(frozen=True)
class AppliesTo:
    age_from: int | None = None
    age_to: int | None = None
    primary_support_reasons: tuple[str, ...] = ()
    client_types: tuple[str, ...] = ()

    @property
    def needs(self) -> tuple[str, ...]:
        """The person's details this condition reads."""
        found = []
        if self.age_from is not None or self.age_to is not None:
            found.append("age")
        if self.primary_support_reasons:
            found.append("primary_support_reason")
        if self.client_types:
            found.append("client_type")
        return tuple(found)

    def fits(self, person: dict) -> bool:
        age = person.get("age")
        if self.age_from is not None and (age is None or age < self.age_from):
            return False
        if self.age_to is not None and (age is None or age > self.age_to):
            return False
        if self.primary_support_reasons and (
            person.get("primary_support_reason") not in self.primary_support_reasons
        ):
            return False
        return not (self.client_types and person.get("client_type") not in self.client_types)

    def words(self) -> str:
        """'people aged 65 and over whose main support need is learning disability support'."""
        parts = []
        if self.age_from is not None and self.age_to is not None:
            parts.append(f"aged {self.age_from} to {self.age_to}")
        elif self.age_from is not None:
            parts.append(f"aged {self.age_from} and over")
        elif self.age_to is not None:
            parts.append(f"aged {self.age_to} and under")
        if self.primary_support_reasons:
            reasons = [plain_psr(code) for code in self.primary_support_reasons]
            parts.append("whose main support need is " + _or(reasons))
        if self.client_types:
            types = [CLIENT_TYPE_LABELS.get(c, c).lower() for c in self.client_types]
            parts.append("who are a " + _or(types))
        return "people " + " ".join(parts)


@dataclass(frozen=True)
class MoneyTable:
    code: str
    title: str
    rule: Allocation
    applies_to: AppliesTo | None = None  # None: everyone


@dataclass(frozen=True)
class CarerMoney:
    period: str
    rule: Allocation
    title: str = ""


@dataclass(frozen=True)
class Definition:
    kind: str
    period: str
    domains: tuple[Domain, ...]
    tables: tuple[MoneyTable, ...]
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    informal_method: str = "whole_scheme"
    informal_cap_percent: int = 0  # whole_scheme
    carer_money: CarerMoney | None = None  # carer_allocation
    converted_from: str = field(default="", compare=False)
    conversion: tuple[str, ...] = field(default=(), compare=False)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for d in self.domains for q in d.questions)

    @property
    def outcome_codes(self) -> tuple[str, ...]:
        return outcome_codes(self.kind)

    @property
    def allocation(self) -> Allocation:
        """The first money table's rule: the only one, in a scheme with one table."""
        return self.tables[0].rule

    @property
    def points_scale(self) -> int:
        """Counting steps per point: 1 when every number of points is whole, else 100."""
        return 100 if _has_hundredths(self) else 1

    @property
    def person_needs(self) -> tuple[str, ...]:
        """The person's details needed to choose a money table (age, primary_support_reason,
        client_type), in that order."""
        found = set()
        for table in self.tables:
            if table.applies_to is not None:
                found.update(table.applies_to.needs)
        return tuple(n for n in ("age", "primary_support_reason", "client_type") if n in found)

    @property
    def services(self) -> tuple[str, ...]:
        """The services cost-rate answers price at reference rates, in catalogue order."""
        used = {s.service for q in self.questions for o in q.options for s in o.support}
        return tuple(code for code in rate_catalogue.BY_CODE if code in used)

    def question(self, code: str) -> Question | None:
        if not self._index:
            self._index.update({q.code: q for q in self.questions})
        return self._index.get(code)

    def domain_of(self, question_code: str) -> Domain | None:
        return next(
            (d for d in self.domains if any(q.code == question_code for q in d.questions)), None
        )

    def is_asked(self, question: Question, answers: dict) -> bool:
        """Whether the answers so far lead to this question (its condition, and its parent's,
        hold)."""
        seen = set()
        while question.asked_when is not None and question.code not in seen:
            seen.add(question.code)
            parent = self.question(question.asked_when.question)
            if parent is None:
                return False
            chosen = parent.chosen(answers.get(parent.code))
            if not chosen or not any(o.code in question.asked_when.answers for o in chosen):
                return False
            question = parent
        return True

    def asked(self, answers: dict) -> tuple[Question, ...]:
        """The questions these answers lead to, in order: every question but the conditional
        ones whose condition does not hold."""
        return tuple(q for q in self.questions if self.is_asked(q, answers))

    def table_for(self, person: dict | None) -> MoneyTable | None:
        """The money table for a person ({"age", "primary_support_reason", "client_type"})."""
        person = person or {}
        for table in self.tables:
            if table.applies_to is None or table.applies_to.fits(person):
                return table
        return None


def _has_hundredths(definition: Definition) -> bool:
    values = []
    for domain in definition.domains:
        values.append(domain.cap)
        values.append(domain.informal_cap_points)
        for question in domain.questions:
            values.append(question.cap)
            for option in question.options:
                values += [option.points, option.reduction_points, option.carer_points]
    rules = [t.rule for t in definition.tables]
    if definition.carer_money is not None:
        rules.append(definition.carer_money.rule)
    for rule in rules:
        values += [band.min_points for band in rule.bands]
    return any(_fractional(v) for v in values)


def plain_psr(code: str) -> str:
    """A primary support reason in words for a sentence: 'learning disability support',
    'personal care support' (the Client Level Data label, without its heading)."""
    label = PSR_LABELS.get(code, code)
    label = label.split(": ", 1)[-1].split(" (", 1)[0]
    return label.lower() if label else code


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


# --- reading JSON --------------------------------------------------------------------------


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
                f"The file has a number that is too long ({error}…): points are short numbers "
                "and amounts are under £1,000,000,000"
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


def _exact(data):
    """Floats (from a database's JSON) as the decimals they print as; everything else kept.
    Points have at most two decimal places, which a float's shortest repr keeps exactly."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, float):
                    item[key] = _float_decimal(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            for i, value in enumerate(item):
                if isinstance(value, float):
                    item[i] = _float_decimal(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
    return data


def _float_decimal(value: float) -> Decimal:
    try:
        return Decimal(repr(value))
    except InvalidOperation:  # nan, inf: not a number a scheme can use
        return Decimal(0) if value != value else Decimal("1e99")


def _copy(data):
    return copy.deepcopy(data)


# --- checking against the schema ----------------------------------------------------------


def _multiple_of(validator, step, instance, schema):
    """JSON Schema's multipleOf, exact for decimals and safe for huge ones: a number too large
    to matter is left to `maximum` (Decimal's % refuses it, and a Fraction of 1e99999999 would
    be a hundred million digits)."""
    if not validator.is_type(instance, "number"):
        return
    value = Decimal(instance) if not isinstance(instance, float) else Decimal(repr(instance))
    if not value.is_finite() or value.adjusted() > 15:
        return
    if (value / Decimal(str(step))) % 1 != 0:
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {step}")


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"multipleOf": _multiple_of}
)
_V2 = _Validator(schemas.SCHEMA_V2)
_V1 = _Validator(schemas.SCHEMA_V1)
_TYPE_WORDS = {
    "object": "an object ({…})",
    "array": "a list ([…])",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_NOT_HERE = {
    "points": "an answer about support from family and friends takes points off: it cannot "
    "score points",
    "support": "an answer about support from family and friends cannot carry hours of support",
    "complex": "an answer about support from family and friends cannot send someone to a "
    "costed plan",
    "reduction_percent": "only answers about support from family and friends take points off",
    "reduction_points": "only answers about support from family and friends take points off",
    "carer_points": "only answers about support from family and friends give carer points",
    "no_reduction": "‘no reduction’ is for answers about support from family and friends",
    "not_more_than": "‘not more than’ is for answers about support from family and friends",
    "outcomes": "a question about support from family and friends meets no outcome of its own",
    "reducible": "‘reducible’ does not apply to a question about support from family and friends",
    "cap": "only a multiple-choice question has a cap on its points",
    "none_label": "only a multiple-choice question has words for choosing none",
    "fixed_amount": "a table of bands has no fixed amount",
    "price_per_point": "a table of bands has no price per point",
    "bands": "a table with a price per point has no bands",
    "cap_percent": "‘cap_percent’ goes with the method whole_scheme (with by_domain, each "
    "domain has its own cap)",
    "carer_money": "‘carer_money’ goes with the method carer_allocation",
}


def _schema_problems(validator, data) -> list[dict]:
    found = []
    for error in validator.iter_errors(data):
        found.extend(_explain(error))
    return found


def _explain(error) -> list[dict]:  # noqa: C901 - one branch per JSON Schema keyword
    path = error.json_path
    kind = error.validator
    value = error.validator_value
    key = error.absolute_path[-1] if error.absolute_path else None
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        return [
            {
                "path": _join_path(path, extra),
                "message": f"‘{extra}’ is not a key of {_format_here(error)} here: remove it "
                "or correct it (nothing in a file is ever dropped without a word)",
            }
            for extra in sorted(set(error.instance) - known)
        ]
    if kind == "required":
        return [
            {"path": _join_path(path, name), "message": "is missing"}
            for name in value
            if name not in error.instance
        ]
    if kind == "not":
        return [{"path": path, "message": _NOT_HERE.get(str(key), "does not apply here")}]
    if kind == "type":
        expected = value if isinstance(value, list) else [value]
        return [
            {"path": path, "message": "must be " + " or ".join(_TYPE_WORDS[t] for t in expected)}
        ]
    if kind == "const":
        if key == "format":
            message = f"must be {value!r} (or leave the file as {FORMAT_V1!r} to have it converted)"
        else:
            message = f"must be {value!r}"
        return [{"path": path, "message": message}]
    if kind == "enum":
        shown = ", ".join(str(v) for v in value[:20]) + (" …" if len(value) > 20 else "")
        return [{"path": path, "message": f"{_shown(error.instance)} is not one of: {shown}"}]
    if kind == "pattern":
        if value == schemas.CODE_PATTERN:
            message = (
                f"{_shown(error.instance)} must start with a lower-case letter and use only a-z, 0-9 "
                "and _ (up to 40)"
            )
        elif value == schemas.MONEY_PATTERN:
            message = (
                f"{_shown(error.instance)} must be an amount of money as text with up to 2 decimal "
                'places, like "12.50", under £1,000,000,000'
            )
        else:
            message = (
                f'{_shown(error.instance)} must be an amount of money as text, like "4.6021" '
                "(up to 14 decimal places), under £1,000,000,000"
            )
        return [{"path": path, "message": message}]
    if kind == "multipleOf":
        return [{"path": path, "message": "must have no more than 2 decimal places"}]
    if kind == "minimum":
        return [{"path": path, "message": f"must be {value} or more"}]
    if kind == "exclusiveMinimum":
        return [{"path": path, "message": f"must be more than {value}"}]
    if kind == "maximum":
        return [{"path": path, "message": f"must be {value:,} or less"}]
    if kind == "minItems":
        return [{"path": path, "message": f"needs at least {value}"}]
    if kind == "maxItems":
        if error.schema_path and "then" in error.schema_path:
            return [
                {
                    "path": path,
                    "message": f"a multiple-choice question has at most {value} answers",
                }
            ]
        return [{"path": path, "message": f"has more than {value}: keep it to {value}"}]
    if kind == "maxLength":
        return [{"path": path, "message": f"must be {value} characters or fewer"}]
    if kind == "uniqueItems":
        return [{"path": path, "message": "lists something twice"}]
    if kind in ("minProperties", "maxProperties"):
        if key == "informal_support":
            message = "give either cap_percent or cap_points"
        else:
            message = "give at least one condition" if kind == "minProperties" else "too many keys"
        return [{"path": path, "message": message}]
    if kind == "anyOf":
        return [
            {
                "path": path,
                "message": 'must be an amount of money as text, like "12.50", or null',
            }
        ]
    if kind == "propertyNames":
        return [{"path": path, "message": "must map question codes to lists of option codes"}]
    return [{"path": path, "message": error.message}]


def _shown(value) -> str:
    """A value as a message shows it: short, so a hostile file is not echoed back whole."""
    text = repr(value)
    return text if len(text) <= 40 else text[:30] + "…" + text[-1]


def _format_here(error) -> str:
    return "the format"


def _join_path(path: str, key) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"


_PATH_PART = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


def _path_key(item: dict):
    parts = []
    for index, name in _PATH_PART.findall(item["path"]):
        parts.append((0, int(index), "") if index else (1, 0, name))
    return parts


def _sorted(items: list[dict]) -> list[dict]:
    unique = []
    for item in items:
        if item not in unique:
            unique.append(item)
    return sorted(unique, key=_path_key)


# --- selfdirect-ras/1 ----------------------------------------------------------------------


def convert_v1(data: dict) -> tuple[dict, list[str]]:
    """A selfdirect-ras/1 definition as selfdirect-ras/2, and what was changed, in words.

    Only v1's own keys are accepted (DefinitionError names any other with its path): a key
    v1 did not know, such as a domain cap, cannot be lost on the way."""
    problems = _schema_problems(_V1, data)
    for problem in problems:
        problem["message"] = problem["message"].replace("the format", FORMAT_V1)
        if "is not a key of" in problem["message"]:
            problem["message"] += f'; to use the newer keys, write the file as "format": "{FORMAT}"'
    if problems:
        raise DefinitionError(_sorted(problems))
    notes = [f"The file was in the older format {FORMAT_V1} and has been converted to {FORMAT}."]
    converted = {
        "format": FORMAT,
        "kind": data.get("kind", "person"),
        "period": data.get("period", "week"),
    }
    domains, informal_count = [], 0
    for raw in data.get("domains") or []:
        if not isinstance(raw, dict):
            domains.append(raw)
            continue
        domain = {
            "code": raw.get("code"),
            "title": raw.get("title"),
            "description": raw.get("description") or "",
        }
        questions = []
        for raw_q in raw.get("questions") or []:
            if not isinstance(raw_q, dict):
                questions.append(raw_q)
                continue
            informal = raw_q.get("informal_support") is True
            informal_count += informal
            question = {
                "code": raw_q.get("code"),
                "text": raw_q.get("text"),
                "hint": raw_q.get("hint") or "",
                "type": "informal_support" if informal else "single",
            }
            if raw_q.get("informal_support") not in (None, True, False):
                question["type"] = raw_q.get("informal_support")  # refused, with its path
            for key in ("outcomes", "reducible"):
                if key in raw_q and not (key == "outcomes" and raw_q[key] in (None, [])):
                    question[key] = raw_q[key]
            question["options"] = [_v1_option(o, informal) for o in (raw_q.get("options") or [])]
            questions.append(question)
        domain["questions"] = questions
        domains.append(domain)
    converted["domains"] = domains
    cap = (data.get("informal_support") or {}).get("cap_percent", 0)
    converted["informal_support"] = {"method": "whole_scheme", "cap_percent": _v1_int(cap)}
    allocation = dict(data.get("allocation") or {})
    allocation.setdefault("method", "price_per_point")
    if allocation.get("method") == "price_per_point":
        allocation.setdefault("fixed_amount", "0")
    for key in ("fixed_amount", "price_per_point"):
        if key in allocation:
            allocation[key] = _v1_money(allocation[key])
    if isinstance(allocation.get("bands"), list):
        allocation["bands"] = [
            {**b, "amount": _v1_money(b.get("amount"))} if isinstance(b, dict) else b
            for b in allocation["bands"]
        ]
    if allocation.get("method") == "price_per_point" and allocation.get("price_per_point") in (
        None,
        "",
    ):
        allocation.pop("price_per_point", None)
    converted["money_tables"] = [{"code": "everyone", "title": "Everyone", **allocation}]
    limits = data.get("limits") or {}
    converted["limits"] = {
        "minimum": _v1_money(limits.get("minimum")),
        "maximum": _v1_money(limits.get("maximum")),
    }
    notes.append(
        "Each question now has a type: questions about support from family and friends "
        f"({informal_count}) have the type ‘informal_support’, the others ‘single’."
    )
    notes.append(
        "The points-to-money rule is now the money table ‘everyone’, which applies to everyone."
    )
    notes.append(
        f"The cap on support from family and friends ({_v1_int(cap)}%) applies across the whole "
        "scheme, as before (method ‘whole_scheme’)."
    )
    return converted, notes


def _v1_option(raw, informal: bool):
    if not isinstance(raw, dict):
        return raw
    option = {"code": raw.get("code"), "label": raw.get("label"), "hint": raw.get("hint") or ""}
    points = _v1_int(raw.get("points", 0))
    reduction = _v1_int(raw.get("reduction_percent", 0))
    if informal:
        if points != 0:
            option["points"] = points  # refused: support cannot add points
        option["reduction_percent"] = reduction
    else:
        option["points"] = points
        if reduction != 0:
            option["reduction_percent"] = reduction  # refused: a need cannot reduce points
    for key in ("complex", "no_reduction"):
        if key in raw and raw[key] is not False:
            option[key] = raw[key]
    if raw.get("excludes") not in (None, {}):
        option["excludes"] = raw["excludes"]
    if raw.get("not_more_than"):
        option["not_more_than"] = raw["not_more_than"]
    return option


def _v1_int(value):
    """v1 read whole numbers written as text too ("5")."""
    if isinstance(value, str) and value.strip().isdigit() and len(value) <= MAX_NUMBER_CHARACTERS:
        return int(value.strip())
    return value


def _v1_money(value):
    """v1 read money written as a number too (12.5): v2 writes it as text ("12.5")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return format(value, "f") if not isinstance(value, Decimal) or value.is_finite() else value
    if isinstance(value, str):
        text = value.strip()
        try:
            amount = Decimal(text) if len(text) <= MAX_NUMBER_CHARACTERS else None
        except InvalidOperation:
            amount = None
        if amount is not None and amount.is_finite() and -9 < amount.adjusted() < 9:
            return format(amount, "f")  # v1 read "1E-7" and " 12.5 " as Decimal did
        return text
    return value


# --- parsing -------------------------------------------------------------------------------


def parse(data) -> Definition:
    """Check a definition (either format) and build it; raise DefinitionError listing every
    problem with its JSON path. A selfdirect-ras/1 definition comes back converted, with the
    conversion in `Definition.conversion`."""
    if not isinstance(data, dict):
        raise DefinitionError([{"path": "$", "message": "The definition must be a JSON object"}])
    data = _exact(_copy(data))
    converted_from, notes = "", ()
    if data.get("format", FORMAT_V1) == FORMAT_V1:
        data, notes = convert_v1(data)
        converted_from = FORMAT_V1
    problems = _schema_problems(_V2, data)
    for problem in problems:
        problem["message"] = problem["message"].replace("of the format here", f"of {FORMAT} here")
    builder = _Builder(data, problems)
    definition = builder.build()
    if converted_from:
        for problem in problems:
            problem["path"] = problem["path"].replace("$.money_tables[0]", "$.allocation")
    if problems:
        raise DefinitionError(_sorted(problems))
    return Definition(
        **{
            name: getattr(definition, name)
            for name in (
                "kind",
                "period",
                "domains",
                "tables",
                "minimum",
                "maximum",
                "informal_method",
                "informal_cap_percent",
                "carer_money",
            )
        },
        converted_from=converted_from,
        conversion=tuple(notes),
    )


_PARSED: dict[str, Definition] = {}


def parse_cached(data) -> Definition:
    """`parse`, remembered by the definition's JSON text: a stored definition is read on many
    pages, and checking it against the schema each time costs tens of milliseconds. Only
    plain JSON is remembered (a definition holding Decimals, fresh from a file, is parsed
    each time), and nothing that fails."""
    try:
        key = json.dumps(data, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return parse(data)
    found = _PARSED.get(key)
    if found is None:
        found = parse(data)
        _PARSED[key] = found
        if len(_PARSED) > 128:
            _PARSED.pop(next(iter(_PARSED)))
    return found


def _obj(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _num(value) -> int | Decimal:
    """A number of points or units: a whole number as int (so whole-point schemes count in
    plain integers, as the engine's arrays and the reference's fractions need), else the
    exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return 0
    value = Decimal(value)
    if not value.is_finite() or (value and value.adjusted() >= 12):
        return 0
    return int(value) if value == value.to_integral_value() else value


def _fractional(value) -> bool:
    """Whether a number of points has decimal places."""
    if value is None:
        return False
    value = Decimal(value)
    return value != value.to_integral_value()


def _opt_num(value) -> Decimal | None:
    return None if value is None else _num(value)


def _money(value) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or (amount and amount.adjusted() >= 9):
        return None
    return amount


class _Builder:
    """Builds the parsed definition from (perhaps invalid) data, adding every problem the
    schema cannot see; defensive, so it runs even where the schema found problems."""

    def __init__(self, data: dict, problems: list[dict]):
        self.data = data
        self.problems = problems

    def add(self, path: str, message: str) -> None:
        self.problems.append({"path": path, "message": message})

    def build(self) -> Definition:
        data = self.data
        kind = data.get("kind") if data.get("kind") in KINDS else "person"
        period = data.get("period") if data.get("period") in PERIODS else "week"
        informal = _obj(data.get("informal_support"))
        method = informal.get("method", "whole_scheme")
        method = method if method in INFORMAL_METHODS else "whole_scheme"
        domains = self._domains(kind, method)
        self._check_references(domains)
        self._check_size(domains)
        tables = self._tables(_list(data.get("money_tables")))
        carer_money = None
        if method == "carer_allocation":
            raw = _obj(informal.get("carer_money"))
            carer_money = CarerMoney(
                period=raw.get("period") if raw.get("period") in PERIODS else "year",
                rule=self._rule(raw, "$.informal_support.carer_money"),
                title=_str(raw.get("title")),
            )
        limits = _obj(data.get("limits"))
        minimum, maximum = _money(limits.get("minimum")), _money(limits.get("maximum"))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add("$.limits.minimum", "The minimum amount must not be more than the maximum")
        cap = informal.get("cap_percent", 0)
        definition = Definition(
            kind=kind,
            period=period,
            domains=tuple(domains),
            tables=tuple(tables) or (MoneyTable("everyone", "Everyone", Allocation("bands")),),
            minimum=minimum,
            maximum=maximum,
            informal_method=method,
            informal_cap_percent=cap if isinstance(cap, int) and not isinstance(cap, bool) else 0,
            carer_money=carer_money,
        )
        self._check_tables_size(definition)
        return definition

    # domains, questions and options

    def _domains(self, kind: str, method: str) -> list[Domain]:
        domains, seen_domains, seen_questions = [], set(), set()
        for d_index, raw in enumerate(_list(self.data.get("domains"))):
            where = f"$.domains[{d_index}]"
            raw = _obj(raw)
            code = _str(raw.get("code"))
            if code and code in seen_domains:
                self.add(f"{where}.code", f"the domain code {code!r} is used twice")
            seen_domains.add(code)
            questions = []
            for q_index, raw_q in enumerate(_list(raw.get("questions"))):
                question = self._question(_obj(raw_q), f"{where}.questions[{q_index}]", kind)
                if question.code and question.code in seen_questions:
                    self.add(
                        f"{where}.questions[{q_index}].code",
                        f"the question code {question.code!r} is used twice",
                    )
                seen_questions.add(question.code)
                questions.append(question)
            settings = _obj(raw.get("informal_support"))
            cap_percent = settings.get("cap_percent")
            cap_points = _opt_num(settings.get("cap_points"))
            informal_here = [(i, q) for i, q in enumerate(questions) if q.informal_support]
            if method == "by_domain":
                if informal_here and not settings:
                    self.add(
                        f"{where}.informal_support",
                        "this domain has questions about support from family and friends: say "
                        "how they reduce its points, with cap_percent or cap_points",
                    )
                for i, question in informal_here:
                    self._check_domain_reductions(
                        question, f"{where}.questions[{i}]", bool(cap_points is not None)
                    )
            else:
                if settings:
                    self.add(
                        f"{where}.informal_support",
                        "a domain has its own informal-support cap only with the method by_domain",
                    )
                for i, question in informal_here:
                    self._check_method_reductions(question, f"{where}.questions[{i}]", method)
            domains.append(
                Domain(
                    code=code,
                    title=_str(raw.get("title")),
                    description=_str(raw.get("description")),
                    questions=tuple(questions),
                    cap=_opt_num(raw.get("cap")),
                    informal_cap_percent=cap_percent
                    if isinstance(cap_percent, int) and not isinstance(cap_percent, bool)
                    else None,
                    informal_cap_points=cap_points,
                )
            )
        return domains

    def _check_method_reductions(self, question: Question, where: str, method: str) -> None:
        allowed = "reduction_percent" if method == "whole_scheme" else "carer_points"
        for o_index, option in enumerate(question.options):
            for key, value in (
                ("reduction_percent", option.reduction_percent),
                ("reduction_points", option.reduction_points),
                ("carer_points", option.carer_points),
            ):
                if key != allowed and value:
                    self.add(
                        f"{where}.options[{o_index}].{key}",
                        f"with the informal-support method {method}, answers give "
                        f"{allowed}, not {key}",
                    )

    def _check_domain_reductions(self, question: Question, where: str, points: bool) -> None:
        allowed = "reduction_points" if points else "reduction_percent"
        for o_index, option in enumerate(question.options):
            for key, value in (
                ("reduction_percent", option.reduction_percent),
                ("reduction_points", option.reduction_points),
                ("carer_points", option.carer_points),
            ):
                if key != allowed and value:
                    self.add(
                        f"{where}.options[{o_index}].{key}",
                        f"this domain's family support takes off "
                        f"{'points' if points else 'a percentage'}: give {allowed}, not {key}",
                    )

    def _question(self, raw: dict, where: str, kind: str) -> Question:
        code = _str(raw.get("code"))
        qtype = raw.get("type") if raw.get("type") in QUESTION_TYPES else "single"
        informal = qtype == "informal_support"
        outcomes = tuple(c for c in _list(raw.get("outcomes")) if isinstance(c, str))
        known = outcome_codes(kind)
        unknown = [c for c in outcomes if c not in known]
        if unknown:
            self.add(
                f"{where}.outcomes",
                f"names outcomes that a {kind}’s eligibility does not use: "
                f"{', '.join(map(repr, unknown))} (use {', '.join(known)})",
            )
        outcomes = tuple(c for c in known if c in outcomes)  # the regulations' order
        options, seen = [], set()
        for o_index, raw_o in enumerate(_list(raw.get("options"))):
            option = self._option(_obj(raw_o))
            if option.code and option.code in seen:
                self.add(
                    f"{where}.options[{o_index}].code",
                    f"the option code {option.code!r} is used twice in this question",
                )
            seen.add(option.code)
            options.append(option)
            services = [s.service for s in option.support]
            for s_index, service in enumerate(services):
                if service in services[:s_index]:
                    self.add(
                        f"{where}.options[{o_index}].support[{s_index}].service",
                        f"the service {service!r} is given twice on this answer: put all its "
                        "units in one entry",
                    )
        codes = {o.code for o in options}
        for o_index, option in enumerate(options):
            if option.not_more_than:
                target = f"{where}.options[{o_index}].not_more_than"
                if option.not_more_than == option.code:
                    self.add(target, "an option cannot be compared with itself")
                elif option.not_more_than not in codes:
                    self.add(
                        target,
                        f"names option {option.not_more_than!r}, which this question does not have",
                    )
        condition = None
        raw_condition = _obj(raw.get("asked_when"))
        if raw_condition:
            condition = Condition(
                question=_str(raw_condition.get("question")),
                answers=tuple(a for a in _list(raw_condition.get("answers")) if isinstance(a, str)),
            )
        multiple = qtype == "multiple"
        cap = _opt_num(raw.get("cap"))
        if multiple and cap is not None and options:
            top = sum((o.points for o in options), Decimal(0))
            if cap >= top:
                self.add(
                    f"{where}.cap",
                    f"the cap ({_number_text(cap)}) is not below the points of every answer "
                    f"added up ({_number_text(top)}), so it never applies: lower it or remove it",
                )
        return Question(
            code=code,
            text=_str(raw.get("text")),
            hint=_str(raw.get("hint")),
            options=tuple(options),
            informal_support=informal,
            outcomes=() if informal else outcomes,
            reducible=raw.get("reducible", True) is not False,
            multiple=multiple,
            cap=cap if multiple else None,
            none_label=_str(raw.get("none_label")) if multiple else "",
            asked_when=condition,
        )

    def _option(self, raw: dict) -> Option:
        # Sorted by question: a JSON object has no order (PostgreSQL's jsonb reorders keys), so
        # the same definition always parses to the same value wherever it was stored.
        excludes = tuple(
            sorted(
                (question, tuple(o for o in codes if isinstance(o, str)))
                for question, codes in _obj(raw.get("excludes")).items()
                if isinstance(codes, list) and codes
            )
        )
        support = tuple(
            Support(service=_str(item.get("service")), units=_num(item.get("units")))
            for item in map(_obj, _list(raw.get("support")))
        )
        percent = raw.get("reduction_percent", 0)
        return Option(
            code=_str(raw.get("code")),
            label=_str(raw.get("label")),
            hint=_str(raw.get("hint")),
            points=_num(raw.get("points", 0)),
            reduction_percent=percent
            if isinstance(percent, int) and not isinstance(percent, bool)
            else 0,
            reduction_points=_num(raw.get("reduction_points", 0)),
            carer_points=_num(raw.get("carer_points", 0)),
            support=support,
            complex=raw.get("complex") is True,
            excludes=excludes,
            no_reduction=raw.get("no_reduction") is True,
            not_more_than=_str(raw.get("not_more_than")),
        )

    def _check_references(self, domains: list[Domain]) -> None:
        """Excluded answers and conditions name answers to other (earlier) questions."""
        order = {}
        questions = {}
        paths = {}
        for d_index, domain in enumerate(domains):
            for q_index, question in enumerate(domain.questions):
                order.setdefault(question.code, len(order))
                questions.setdefault(question.code, question)
                paths[id(question)] = f"$.domains[{d_index}].questions[{q_index}]"
        for domain in domains:
            for question in domain.questions:
                where = paths[id(question)]
                for o_index, option in enumerate(question.options):
                    for other_code, option_codes in option.excludes:
                        target = f"{where}.options[{o_index}].excludes.{other_code}"
                        other = questions.get(other_code)
                        if other is None:
                            self.add(target, f"{other_code!r} is not a question of this scheme")
                            continue
                        if other is question:
                            self.add(target, "an answer cannot exclude answers to its own question")
                            continue
                        known = {o.code for o in other.options}
                        for code in option_codes:
                            if code not in known:
                                self.add(target, f"{code!r} is not an answer to {other_code!r}")
                condition = question.asked_when
                if condition is None:
                    continue
                target = f"{where}.asked_when"
                parent = questions.get(condition.question)
                if parent is None:
                    self.add(
                        f"{target}.question",
                        f"{condition.question!r} is not a question of this scheme",
                    )
                    continue
                if order[parent.code] >= order.get(question.code, 0):
                    self.add(
                        f"{target}.question",
                        f"a question can only depend on a question asked before it, and "
                        f"{parent.code!r} is not before {question.code!r}",
                    )
                known = {o.code for o in parent.options}
                for code in condition.answers:
                    if code not in known:
                        self.add(
                            f"{target}.answers", f"{code!r} is not an answer to {parent.code!r}"
                        )

    def _check_size(self, domains: list[Domain]) -> None:
        questions = [q for d in domains for q in d.questions]
        scale = (
            100
            if any(
                _fractional(v)
                for q in questions
                for o in q.options
                for v in (o.points, o.reduction_points, o.carer_points)
            )
            else 1
        )
        top = sum(_top_points(q) for q in questions if not q.informal_support) * scale
        if top > MAX_TOTAL_POINTS:
            self.add(
                "$.domains",
                f"the highest answers add up to {int(top / scale):,} points: keep it to "
                f"{MAX_TOTAL_POINTS // scale:,}",
            )
        informal = sum(1 for q in questions if q.informal_support)
        if informal > MAX_INFORMAL_QUESTIONS:
            self.add(
                "$.domains",
                f"{informal} questions are about support from family and friends: keep it to "
                f"{MAX_INFORMAL_QUESTIONS}",
            )
        complex_questions = sum(
            1 for q in questions if not q.informal_support and any(o.complex for o in q.options)
        )
        if complex_questions > MAX_COMPLEX_QUESTIONS:
            self.add(
                "$.domains",
                f"{complex_questions} questions have answers that lead to a costed plan: keep "
                f"it to {MAX_COMPLEX_QUESTIONS}",
            )

    def _check_tables_size(self, definition: Definition) -> None:
        scale = definition.points_scale
        top = int(
            sum(_top_points(q) for q in definition.questions if not q.informal_support) * scale
        )
        if (top + 1) * len(definition.tables) > MAX_TABLE_ENTRIES:
            self.add(
                "$.money_tables",
                f"{len(definition.tables)} money tables for up to {top / scale:,} points are "
                "more than the engine keeps: use fewer tables or fewer points",
            )

    # money

    def _tables(self, raw_tables: list) -> list[MoneyTable]:
        tables, seen = [], set()
        everyone_at = None
        for index, raw in enumerate(raw_tables):
            where = f"$.money_tables[{index}]"
            raw = _obj(raw)
            code = _str(raw.get("code"))
            if code and code in seen:
                self.add(f"{where}.code", f"the table code {code!r} is used twice")
            seen.add(code)
            applies = None
            raw_applies = raw.get("applies_to")
            if isinstance(raw_applies, dict):
                age_from = raw_applies.get("age_from")
                age_to = raw_applies.get("age_to")
                age_from = (
                    age_from
                    if isinstance(age_from, int) and not isinstance(age_from, bool)
                    else None
                )
                age_to = (
                    age_to if isinstance(age_to, int) and not isinstance(age_to, bool) else None
                )
                if age_from is not None and age_to is not None and age_from > age_to:
                    self.add(
                        f"{where}.applies_to.age_to",
                        "the highest age must not be below the lowest",
                    )
                applies = AppliesTo(
                    age_from=age_from,
                    age_to=age_to,
                    primary_support_reasons=tuple(
                        c
                        for c in _list(raw_applies.get("primary_support_reasons"))
                        if isinstance(c, str)
                    ),
                    client_types=tuple(
                        c for c in _list(raw_applies.get("client_types")) if isinstance(c, str)
                    ),
                )
            elif everyone_at is None:
                everyone_at = index
            else:
                self.add(
                    f"{where}.applies_to",
                    f"only one table may apply to everyone (the table at $.money_tables[{everyone_at}] "
                    "already does): say whom this one is for",
                )
            tables.append(
                MoneyTable(
                    code=code,
                    title=_str(raw.get("title")),
                    rule=self._rule(raw, where),
                    applies_to=applies,
                )
            )
        if everyone_at is not None and everyone_at != len(raw_tables) - 1:
            self.add(
                f"$.money_tables[{everyone_at}]",
                "the table for everyone must come last: tables after it would never be used",
            )
        return tables

    def _rule(self, raw: dict, where: str) -> Allocation:
        method = raw.get("method") if raw.get("method") in METHODS else "price_per_point"
        if method == "price_per_point":
            return Allocation(
                method=method,
                fixed_amount=_money(raw.get("fixed_amount", "0")) or Decimal(0),
                price_per_point=_money(raw.get("price_per_point")) or Decimal(0),
            )
        bands = []
        for index, raw_band in enumerate(_list(raw.get("bands"))):
            raw_band = _obj(raw_band)
            amount = raw_band.get("amount")
            words = _str(raw_band.get("words"))
            band_where = f"{where}.bands[{index}]"
            if amount is None and "amount" in raw_band and not words:
                self.add(
                    f"{band_where}.words",
                    "a band with no indicative amount needs words for the person: what it "
                    "means and what happens next",
                )
            if amount is not None and words:
                self.add(
                    f"{band_where}.words",
                    "only a band with no indicative amount (amount null) has words",
                )
            bands.append(
                Band(
                    min_points=_num(raw_band.get("min_points")),
                    amount=None if amount is None else (_money(amount) or Decimal(0)),
                    words=words,
                )
            )
        if bands and bands[0].min_points != 0:
            self.add(
                f"{where}.bands[0].min_points",
                "the first band must start at 0 points, so every score has a band",
            )
        for index, (before, after) in enumerate(zip(bands, bands[1:], strict=False), start=1):
            band_where = f"{where}.bands[{index}]"
            if after.min_points <= before.min_points:
                self.add(
                    f"{band_where}.min_points",
                    "bands must be in order of points, each starting above the one before",
                )
            if before.amount is not None and after.amount is None:
                self.add(
                    f"{band_where}.amount",
                    "only the lowest bands may give no indicative amount: a band for more "
                    "points than a band with money must give money too",
                )
            if (
                before.amount is not None
                and after.amount is not None
                and after.amount < before.amount
            ):
                self.add(
                    f"{band_where}.amount",
                    "a band for more points must not give less money than the band below it",
                )
        return Allocation(method="bands", bands=tuple(bands))


def _top_points(question: Question) -> Decimal:
    if question.multiple:
        total = sum((o.points for o in question.options), Decimal(0))
        return min(total, question.cap) if question.cap is not None else total
    return max((o.points for o in question.options), default=Decimal(0))


def _number_text(value) -> str:
    text = format(Decimal(value).normalize(), "f") if value else "0"
    return text


# --- writing -------------------------------------------------------------------------------


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def number_json(value: Decimal):
    """Points and units as JSON numbers: whole numbers as int, others as the float whose
    shortest form is the same two-decimal number (never used for money)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def rule_dict(rule: Allocation) -> dict:
    if rule.method == "price_per_point":
        return {
            "method": "price_per_point",
            "fixed_amount": _money_text(rule.fixed_amount),
            "price_per_point": _money_text(rule.price_per_point),
        }
    bands = []
    for band in rule.bands:
        item = {"min_points": number_json(band.min_points), "amount": _money_text(band.amount)}
        if band.words:
            item["words"] = band.words
        bands.append(item)
    return {"method": "bands", "bands": bands}


def to_dict(definition: Definition) -> dict:
    """The JSON form of a definition, always selfdirect-ras/2 (what `parse` reads)."""
    informal = {"method": definition.informal_method}
    if definition.informal_method == "whole_scheme":
        informal["cap_percent"] = definition.informal_cap_percent
    if definition.carer_money is not None:
        money = {"period": definition.carer_money.period}
        if definition.carer_money.title:
            money["title"] = definition.carer_money.title
        informal["carer_money"] = {**money, **rule_dict(definition.carer_money.rule)}
    return {
        "format": FORMAT,
        "kind": definition.kind,
        "period": definition.period,
        "domains": [_domain_dict(d) for d in definition.domains],
        "informal_support": informal,
        "money_tables": [_table_dict(t) for t in definition.tables],
        "limits": {
            "minimum": _money_text(definition.minimum),
            "maximum": _money_text(definition.maximum),
        },
    }


def _table_dict(table: MoneyTable) -> dict:
    data = {"code": table.code, "title": table.title}
    if table.applies_to is not None:
        applies = {}
        for key in ("age_from", "age_to"):
            if getattr(table.applies_to, key) is not None:
                applies[key] = getattr(table.applies_to, key)
        if table.applies_to.primary_support_reasons:
            applies["primary_support_reasons"] = list(table.applies_to.primary_support_reasons)
        if table.applies_to.client_types:
            applies["client_types"] = list(table.applies_to.client_types)
        data["applies_to"] = applies
    return {**data, **rule_dict(table.rule)}


def _domain_dict(domain: Domain) -> dict:
    data = {"code": domain.code, "title": domain.title, "description": domain.description}
    if domain.cap is not None:
        data["cap"] = number_json(domain.cap)
    if domain.informal_cap_percent is not None:
        data["informal_support"] = {"cap_percent": domain.informal_cap_percent}
    elif domain.informal_cap_points is not None:
        data["informal_support"] = {"cap_points": number_json(domain.informal_cap_points)}
    data["questions"] = [_question_dict(q) for q in domain.questions]
    return data


def _question_dict(question: Question) -> dict:
    """A question as JSON; the optional keys appear only when they say something."""
    data = {
        "code": question.code,
        "text": question.text,
        "hint": question.hint,
        "type": question.type,
    }
    if question.outcomes:
        data["outcomes"] = list(question.outcomes)
    if not question.reducible and not question.informal_support:
        data["reducible"] = False
    if question.asked_when is not None:
        data["asked_when"] = {
            "question": question.asked_when.question,
            "answers": list(question.asked_when.answers),
        }
    if question.multiple:
        if question.cap is not None:
            data["cap"] = number_json(question.cap)
        if question.none_label:
            data["none_label"] = question.none_label
    data["options"] = [_option_dict(o, question.informal_support) for o in question.options]
    return data


def _option_dict(option: Option, informal: bool) -> dict:
    data = {"code": option.code, "label": option.label, "hint": option.hint}
    if informal:
        if option.reduction_points:
            data["reduction_points"] = number_json(option.reduction_points)
        elif option.carer_points:
            data["carer_points"] = number_json(option.carer_points)
        else:
            data["reduction_percent"] = option.reduction_percent
        if option.no_reduction:
            data["no_reduction"] = True
        if option.not_more_than:
            data["not_more_than"] = option.not_more_than
        return data
    data["points"] = number_json(option.points)
    if option.support:
        data["support"] = [
            {"service": s.service, "units": number_json(s.units)} for s in option.support
        ]
    if option.complex:
        data["complex"] = True
    if option.excludes:
        data["excludes"] = {question: list(codes) for question, codes in option.excludes}
    return data


def with_rule(data: dict, rule: dict) -> dict:
    """A copy of a selfdirect-ras/2 definition whose (only) money table has this points-to-
    money rule (`rule_dict`'s form), keeping the table's code, title and group."""
    data = copy.deepcopy(data)
    table = data["money_tables"][0]
    kept = {key: table[key] for key in ("code", "title", "applies_to") if key in table}
    data["money_tables"][0] = {**kept, **rule}
    return data


def to_v1_dict(definition: Definition) -> dict:
    """The definition in the older `selfdirect-ras/1` shape (tests use it to write v1 files).
    Only for a definition that uses nothing v1 could not say: no domain caps, one money
    table for everyone."""
    allocation = rule_dict(definition.allocation)
    domains = []
    for domain in definition.domains:
        questions = []
        for question in domain.questions:
            item = {
                "code": question.code,
                "text": question.text,
                "hint": question.hint,
                "informal_support": question.informal_support,
            }
            if question.outcomes:
                item["outcomes"] = list(question.outcomes)
            if not question.reducible and not question.informal_support:
                item["reducible"] = False
            options = []
            for option in question.options:
                o = {
                    "code": option.code,
                    "label": option.label,
                    "hint": option.hint,
                    "points": 0 if question.informal_support else int(option.points),
                    "reduction_percent": option.reduction_percent,
                }
                if option.complex:
                    o["complex"] = True
                if option.excludes:
                    o["excludes"] = {q: list(codes) for q, codes in option.excludes}
                if option.no_reduction:
                    o["no_reduction"] = True
                if option.not_more_than:
                    o["not_more_than"] = option.not_more_than
                options.append(o)
            item["options"] = options
            questions.append(item)
        domains.append(
            {
                "code": domain.code,
                "title": domain.title,
                "description": domain.description,
                "questions": questions,
            }
        )
    return {
        "format": FORMAT_V1,
        "kind": definition.kind,
        "period": definition.period,
        "domains": domains,
        "informal_support": {"cap_percent": definition.informal_cap_percent},
        "allocation": allocation,
        "limits": {
            "minimum": _money_text(definition.minimum),
            "maximum": _money_text(definition.maximum),
        },
    }


# --- publishing ----------------------------------------------------------------------------


def publication_problems(definition: Definition) -> list[tuple[str, str]]:  # noqa: C901
    """What stops a (valid) definition going live, as (code, message) pairs: things a draft may
    lack while it is built. allocation/rules.py turns them into business-rule problems."""
    problems = []
    if not definition.questions:
        problems.append(("RAS-NO-QUESTIONS", "Add at least one question"))
    if not any(not q.informal_support for q in definition.questions):
        problems.append(("RAS-NO-SCORING-QUESTION", "Add at least one question that scores points"))
    for q in definition.questions:
        if q.informal_support:
            stops = [o.no_reduction for o in q.options]
            if stops != sorted(stops, reverse=True):
                problems.append(
                    (
                        "RAS-NO-REDUCTION-ORDER",
                        f"Question {q.code!r}: list the answers that mean no reduction (the "
                        "person cannot or will not go on giving support) first, as the least support",
                    )
                )
            reductions = [_reduction_value(o) for o in q.options]
            if reductions != sorted(reductions):
                problems.append(
                    (
                        "RAS-REDUCTIONS-ORDER",
                        f"Question {q.code!r}: list options from least to most support, so reductions never go down",
                    )
                )
        elif not q.multiple:
            points = [o.points for o in q.options]
            if points != sorted(points):
                problems.append(
                    (
                        "RAS-POINTS-ORDER",
                        f"Question {q.code!r}: list options from least to most need, so points never go down",
                    )
                )
            if any(_less_support(b, a) for a, b in zip(q.options, q.options[1:], strict=False)):
                problems.append(
                    (
                        "RAS-SUPPORT-ORDER",
                        f"Question {q.code!r}: list options from least to most need, so the "
                        "support each gives never goes down",
                    )
                )
    for q in definition.questions:
        scores = any(o.points > 0 or o.support for o in q.options)
        if not q.informal_support and not q.outcomes and scores:
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
                if limit is not None and _reduction_value(option) > _reduction_value(limit):
                    problems.append(
                        (
                            "RAS-CONDITIONAL-SUPPORT-REDUCES-MORE",
                            f"Question {q.code!r}: “{option.label}” must not reduce points more "
                            f"than “{limit.label}”",
                        )
                    )
    informal = [q for q in definition.questions if q.informal_support]
    if definition.informal_method == "whole_scheme":
        if definition.informal_cap_percent == 0 and informal:
            problems.append(
                (
                    "RAS-NO-INFORMAL-CAP",
                    "Set a cap on the informal-support reduction (it is 0%, so those questions do nothing)",
                )
            )
    elif definition.informal_method == "by_domain":
        for domain in definition.domains:
            here = [q for q in domain.questions if q.informal_support]
            if not here:
                continue
            if (domain.informal_cap_percent or 0) == 0 and (domain.informal_cap_points or 0) == 0:
                problems.append(
                    (
                        "RAS-NO-INFORMAL-CAP",
                        f"Domain {domain.code!r}: set a cap on what support from family and "
                        "friends takes off it (it is 0, so its questions do nothing)",
                    )
                )
            if not any(q.reducible and not q.informal_support for q in domain.questions):
                problems.append(
                    (
                        "RAS-INFORMAL-NOTHING-TO-REDUCE",
                        f"Domain {domain.code!r}: support from family and friends never reduces "
                        "its needs (keeping safe, work and learning, caring for a child), so "
                        "its family-support questions do nothing: move or remove them",
                    )
                )
    for domain in definition.domains:
        reducible = [q for q in domain.questions if not q.informal_support]
        if domain.cap is not None and reducible:
            top = sum((_top_points(q) for q in reducible), Decimal(0))
            if domain.cap >= top:
                problems.append(
                    (
                        "RAS-DOMAIN-CAP-UNUSED",
                        f"Domain {domain.code!r}: its cap ({_number_text(domain.cap)}) is not "
                        f"below its highest points ({_number_text(top)}), so it never applies",
                    )
                )
    for index, table in enumerate(definition.tables):
        rule = table.rule
        if rule.method == "price_per_point" and rule.price_per_point <= 0:
            problems.append(
                (
                    "RAS-NO-PRICE",
                    f"Money table {table.title or index + 1}: set a price per point above zero",
                )
            )
    if definition.tables[-1].applies_to is not None:
        problems.append(
            (
                "RAS-TABLES-GAP",
                "Add a money table for everyone else (with no conditions) as the last table, "
                "so every person has one",
            )
        )
    if (
        definition.carer_money is not None
        and definition.carer_money.rule.method == "price_per_point"
        and definition.carer_money.rule.price_per_point <= 0
    ):
        problems.append(("RAS-NO-PRICE", "Carer’s allocation: set a price per point above zero"))
    return problems


def _reduction_value(option: Option) -> Decimal:
    return Decimal(option.reduction_percent) + option.reduction_points + option.carer_points


def _less_support(option: Option, before: Option) -> bool:
    """Whether an option gives fewer units of some service than the option before it."""
    units = {s.service: s.units for s in option.support}
    return any(units.get(s.service, Decimal(0)) < s.units for s in before.support)
