"""Forms for building RAS versions, calibrating them and modelling them."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from people import codes as person_codes
from ui.forms import GovUKDateField, GovUKForm, MoneyField, govuk_field

from .domain import definition as ras
from .domain import rates as rate_catalogue
from .domain import sample as sample_rules
from .domain.sample import Sample
from .models import RasScheme

CODE_HELP = "Lower-case letters, numbers and underscores, starting with a letter. It never changes once used."
MAX_UPLOAD = 20 * 1024 * 1024
MAX_IMPORT = 2 * 1024 * 1024  # a scheme of hundreds of questions is well under 1 MB


def code_field(label="Code"):
    return forms.RegexField(
        label=label,
        regex=ras.CODE,
        max_length=40,
        help_text=CODE_HELP,
        error_messages={
            "invalid": f"{label} must start with a lower-case letter and use only a–z, 0–9 and _"
        },
    )


POINTS_HELP = "Up to 2 decimal places, for example 2.5"


def points_field(label, *, required=False, help_text="", minimum="0"):
    """Points (or units) as the format keeps them: a number with up to 2 decimal places."""
    field = forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(minimum),
        max_value=Decimal(ras.schemas.MAX_OPTION_POINTS * 100),
        help_text=help_text,
    )
    field.widget.input_type = "text"
    field.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
    field.govuk = {"width": 5}
    return field


def number_text(value) -> str:
    """A number of points as the pages show it: '2.5', '10', '' for none."""
    if value in (None, ""):
        return ""
    return format(Decimal(str(value)).normalize(), "f")


class DomainForm(GovUKForm):
    code = code_field()
    title = forms.CharField(label="Title", max_length=100)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to people answering, in plain English",
    )
    cap = points_field(
        "Most points this domain can add up to (optional)",
        minimum="0.01",
        help_text="A cap on the domain’s points: above it, more need in this domain adds no "
        "more money. Leave blank for no cap. " + POINTS_HELP,
    )

    def domain(self) -> dict:
        """The domain's own keys, as selfdirect-ras/2 writes them (a cap only when set)."""
        data = self.cleaned_data
        domain = {"code": data["code"], "title": data["title"], "description": data["description"]}
        if data.get("cap") is not None:
            domain["cap"] = ras.number_json(data["cap"])
        return domain

    @staticmethod
    def initial_for(domain: dict) -> dict:
        return {**domain, "cap": number_text(domain.get("cap"))}


# Which key an answer about support from family and friends fills, by the scheme's method
# (and, with `by_domain`, by whether its domain takes off a percentage or points).
REDUCTION_KEYS = ("reduction_percent", "reduction_points", "carer_points")
REDUCTION_WORDS = {
    "reduction_percent": "percentage taken off",
    "reduction_points": "points taken off",
    "carer_points": "carer points",
}


def reduction_key(data: dict, domain_code: str) -> str:
    """The key an informal-support answer uses in this scheme (a selfdirect-ras/2 dict)."""
    method = (data.get("informal_support") or {}).get("method", "whole_scheme")
    if method == "carer_allocation":
        return "carer_points"
    if method == "by_domain":
        domain = next((d for d in data.get("domains", []) if d.get("code") == domain_code), {})
        if "cap_points" in (domain.get("informal_support") or {}):
            return "reduction_points"
    return "reduction_percent"


def _codes(text: str) -> list[str]:
    return [item for item in re.split(r"[\s,;]+", (text or "").strip()) if item]


SUPPORT_LIMIT = 10  # the most services one answer carries (selfdirect-ras/2: support maxItems)
UNITS_WORDS = "hours, days, nights, weeks or meals"
# Each service with the unit its units count: 'Home care (hours)', 'Waking night (nights)'.
SERVICE_CHOICES = [("", "None")] + [
    (s.code, f"{s.label} ({s.units})") for s in rate_catalogue.SERVICES
]


def most_services(question: dict | None) -> int:
    """The most services any one answer of a question (selfdirect-ras/2) carries."""
    if not question:
        return 0
    return max((len(o.get("support") or ()) for o in question.get("options", [])), default=0)


class QuestionForm(GovUKForm):
    OPTION_ROWS = ras.MAX_MULTIPLE_OPTIONS
    SERVICE_ROWS = 3  # service rows each answer has, at least (one more than the most used)
    service_limit = SUPPORT_LIMIT
    OPTION_PARTS_BEFORE = ("code", "label", "hint", "value")
    OPTION_PARTS_AFTER = ("complex", "no_reduction", "not_more_than", "excludes")

    domain = forms.ChoiceField(label="Domain")
    code = code_field()
    text = forms.CharField(
        label="Question", max_length=300, help_text="Ask it as you would ask the person"
    )
    hint = forms.CharField(
        label="Hint", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    type = forms.ChoiceField(
        label="What kind of question is it?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("single", "One answer: the person chooses one"),
            (
                "multiple",
                "Several answers: the person ticks all that apply, and their points add up",
            ),
            (
                "informal_support",
                "Support from family and friends: the answer reduces points (or gives carer points)",
            ),
        ],
    )
    outcomes = forms.MultipleChoiceField(
        label="Which eligibility outcomes does this need serve?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Once the eligibility decision is made, the question's points count only if "
        "one of these outcomes was found unmet (Care Act 2014 section 26). Leave them all "
        "unticked for a question about support from family and friends.",
    )
    never_reduced = forms.BooleanField(
        label="Support from family and friends never reduces this need (for example keeping "
        "safe, work and learning, or caring for a child)",
        required=False,
    )
    asked_when_question = forms.ChoiceField(
        label="Ask this question only when an earlier question is answered (optional)",
        required=False,
        help_text="Leave as ‘Always ask it’ unless the question only makes sense after a "
        "certain answer. When it is not asked it is not required and scores nothing.",
    )
    asked_when_answers = forms.CharField(
        label="…with one of these answers (their codes, separated by spaces)",
        required=False,
        max_length=500,
        help_text="For example: some_help lot_of_help",
    )
    cap = points_field(
        "Most points the answers can add up to (several answers only, optional)",
        minimum="0.01",
        help_text="Leave blank for no cap. " + POINTS_HELP,
    )
    none_label = forms.CharField(
        label="Words for choosing none of the answers (several answers only, optional)",
        required=False,
        max_length=200,
        help_text="For example: None of these",
    )

    def __init__(
        self,
        *args,
        domains,
        kind="person",
        questions=(),
        reduction="",
        rows=0,
        services=0,
        **kwargs,
    ):
        """`rows`: how many answers the page has room for (at least OPTION_ROWS), so a
        question with more answers than that keeps them all. `services`: the most services
        one answer of the question carries now; every answer gets a row for each of them
        and one more (at least SERVICE_ROWS, at most the format's SUPPORT_LIMIT), so an
        answer never loses a service by being saved."""
        super().__init__(*args, **kwargs)
        self.rows = max(rows, self.OPTION_ROWS)
        self.service_rows = max(services, min(max(services + 1, self.SERVICE_ROWS), SUPPORT_LIMIT))
        self.fields["domain"].choices = [(d.code, d.title) for d in domains]
        self.fields["outcomes"].choices = list(ras.OUTCOMES.get(kind, ()))
        self.fields["asked_when_question"].choices = [("", "Always ask it")] + [
            (q.code, f"{q.text} ({q.code})") for q in questions
        ]
        self.reduction_words = REDUCTION_WORDS.get(reduction, "percentage taken off")
        for i in range(self.rows):
            n = i + 1
            self.fields[f"option_{i}_code"] = forms.CharField(
                label=f"Option {n} code", required=False, max_length=40
            )
            self.fields[f"option_{i}_label"] = forms.CharField(
                label=f"Option {n} answer", required=False, max_length=300
            )
            self.fields[f"option_{i}_hint"] = forms.CharField(
                label=f"Option {n} hint", required=False, max_length=500
            )
            self.fields[f"option_{i}_value"] = points_field(
                f"Option {n} points, or {self.reduction_words} for family and friends"
            )
            for j in range(self.service_rows):
                self.fields[f"option_{i}_service_{j}"] = forms.ChoiceField(
                    label=f"Option {n} service {j + 1} at reference rates",
                    required=False,
                    choices=SERVICE_CHOICES,
                )
                self.fields[f"option_{i}_units_{j}"] = points_field(
                    f"Option {n} service {j + 1} units ({UNITS_WORDS} each period)",
                    minimum="0.01",
                )
            self.fields[f"option_{i}_complex"] = forms.BooleanField(
                label=f"Option {n} is a complex need that leads to a costed plan", required=False
            )
            self.fields[f"option_{i}_no_reduction"] = forms.BooleanField(
                label=f"Option {n} means no reduction: the person helping cannot or will not go on",
                required=False,
            )
            self.fields[f"option_{i}_not_more_than"] = forms.CharField(
                label=f"Option {n} never reduces more than the option with this code",
                required=False,
                max_length=40,
            )
            self.fields[f"option_{i}_excludes"] = forms.CharField(
                label=f"Option {n} contradicts these answers (question:option, separated by spaces)",
                required=False,
                max_length=500,
            )
            self.fields[f"option_{i}_code"].govuk = {"width": 10, "spellcheck": False}
            for name in self._option_field_names(i):
                govuk_field(self.fields[name])
            for j in range(self.service_rows):
                units = self.fields[f"option_{i}_units_{j}"]
                units.error_messages["min_value"] = (
                    f"Option {n} service {j + 1}: enter more than 0 {UNITS_WORDS}, or choose "
                    "‘None’ for the service and leave its units empty"
                )
                units.error_messages["max_value"] = self._too_many(n, j)
                units.error_messages["max_decimal_places"] = (
                    f"Option {n} service {j + 1}: {UNITS_WORDS} must have no more than "
                    "%(max)s decimal places"
                )

    @staticmethod
    def _too_many(n: int, j: int) -> str:
        return (
            f"Option {n} service {j + 1}: {ras.schemas.MAX_UNITS:,} {UNITS_WORDS} each period "
            "is the most one row can hold"
        )

    def _option_field_names(self, i: int) -> list[str]:
        """An answer's fields in the order the page shows them (and the error summary lists)."""
        services = [
            f"option_{i}_{part}_{j}"
            for j in range(self.service_rows)
            for part in ("service", "units")
        ]
        return [
            *(f"option_{i}_{part}" for part in self.OPTION_PARTS_BEFORE),
            *services,
            *(f"option_{i}_{part}" for part in self.OPTION_PARTS_AFTER),
        ]

    def option_rows(self):
        """Each answer's row: its first cells, its service rows (a service and its units),
        then its last cells."""
        return [
            {
                "before": [self[f"option_{i}_{part}"] for part in self.OPTION_PARTS_BEFORE],
                "services": [
                    (self[f"option_{i}_service_{j}"], self[f"option_{i}_units_{j}"])
                    for j in range(self.service_rows)
                ],
                "after": [self[f"option_{i}_{part}"] for part in self.OPTION_PARTS_AFTER],
            }
            for i in range(self.rows)
        ]

    def clean_type(self):
        return self.cleaned_data.get("type") or "single"

    def clean(self):
        cleaned = super().clean()
        options = []
        for i in range(self.rows):
            code = (cleaned.get(f"option_{i}_code") or "").strip()
            label = (cleaned.get(f"option_{i}_label") or "").strip()
            value = cleaned.get(f"option_{i}_value")
            support, service_typed = self._support(i, cleaned)
            if not (code or label or value is not None or service_typed):
                continue
            if not code or not ras.CODE.match(code):
                self.add_error(
                    f"option_{i}_code",
                    f"Option {i + 1} needs a code (lower-case letters, numbers, _)",
                )
            if not label:
                self.add_error(f"option_{i}_label", f"Option {i + 1} needs the answer’s words")
            option = {
                "code": code,
                "label": label,
                "hint": (cleaned.get(f"option_{i}_hint") or "").strip(),
                "value": value or Decimal(0),
            }
            if support:
                option["support"] = support
            if cleaned.get(f"option_{i}_complex"):
                option["complex"] = True
            if cleaned.get(f"option_{i}_no_reduction"):
                option["no_reduction"] = True
            not_more_than = (cleaned.get(f"option_{i}_not_more_than") or "").strip()
            if not_more_than:
                option["not_more_than"] = not_more_than
            excludes = self._excludes(i, cleaned.get(f"option_{i}_excludes") or "")
            if excludes:
                option["excludes"] = excludes
            options.append(option)
        if len(options) < 2:
            raise ValidationError("Give the question at least 2 answers to choose from")
        cleaned["options"] = options
        answers = _codes(cleaned.get("asked_when_answers"))
        if cleaned.get("asked_when_question") and not answers:
            self.add_error(
                "asked_when_answers",
                "Enter the codes of the answers that lead to this question",
            )
        elif answers and not cleaned.get("asked_when_question"):
            self.add_error(
                "asked_when_question", "Select the earlier question whose answers lead to this one"
            )
        for code in answers:
            if not ras.CODE.match(code):
                self.add_error(
                    "asked_when_answers",
                    "Write each answer as its code: lower-case letters, numbers and _",
                )
                break
        cleaned["asked_when_answer_codes"] = answers
        if cleaned.get("type") != "multiple":
            for name in ("cap", "none_label"):
                if cleaned.get(name) not in (None, ""):
                    self.add_error(name, "Only a question with several answers has this: clear it")
        return cleaned

    def _support(self, i: int, cleaned: dict) -> tuple[list[dict], bool]:
        """Answer i's services, each with its units (selfdirect-ras/2 `support`), in the
        order their rows come, and whether any service row has anything in it. A row needs
        both a service and its units; a service comes once an answer (its units go in one
        row, as the explanation prices each service once a line). Cost-rate answers: the
        amount is each service's units at its reference rate (Care Act 2014 section 26(1)(a),
        the cost of meeting the needs; Care and Support Statutory Guidance 11.22-11.28, the
        amount must be enough to meet them)."""
        support, typed, seen = [], False, {}
        for j in range(self.service_rows):
            service_field, units_field = f"option_{i}_service_{j}", f"option_{i}_units_{j}"
            if service_field in self.errors or units_field in self.errors:
                typed = True  # already refused: its own message says why
                continue
            service = cleaned.get(service_field) or ""
            units = cleaned.get(units_field)
            if not service and units is None:
                continue
            typed = True
            where = f"Option {i + 1} service {j + 1}"
            if not service:
                self.add_error(
                    service_field,
                    f"{where}: choose the service these {UNITS_WORDS} are of, or clear the units",
                )
                continue
            if units is None:
                self.add_error(
                    units_field,
                    f"{where}: enter how many {rate_catalogue.BY_CODE[service].units} of "
                    f"{rate_catalogue.BY_CODE[service].label.lower()} each period, "
                    "or choose ‘None’",
                )
                continue
            if units > ras.schemas.MAX_UNITS:
                self.add_error(units_field, self._too_many(i + 1, j))
                continue
            if service in seen:
                self.add_error(
                    service_field,
                    f"{where}: {rate_catalogue.BY_CODE[service].label} is already service "
                    f"{seen[service] + 1} of this answer: put all its "
                    f"{rate_catalogue.BY_CODE[service].units} in one row",
                )
                continue
            seen[service] = j
            support.append({"service": service, "units": ras.number_json(units)})
        return support, typed

    def _excludes(self, i: int, text: str) -> dict:
        """'care_child:some care_child:lot' as {"care_child": ["some", "lot"]}."""
        found: dict[str, list[str]] = {}
        for item in _codes(text):
            question, _colon, option = item.partition(":")
            if not (ras.CODE.match(question) and ras.CODE.match(option)):
                self.add_error(
                    f"option_{i}_excludes",
                    f"Option {i + 1}: write each contradicting answer as question:option, "
                    "like care_child:some",
                )
                return {}
            found.setdefault(question, []).append(option)
        return found

    def question(self, reduction: str = "reduction_percent") -> dict:
        """The question as selfdirect-ras/2 writes it. An answer about support from family
        and friends fills `reduction` (the scheme's method decides: `reduction_key`)."""
        data = self.cleaned_data
        qtype = data["type"]
        informal = qtype == "informal_support"
        question = {"code": data["code"], "text": data["text"], "hint": data["hint"], "type": qtype}
        if data.get("outcomes"):
            question["outcomes"] = list(data["outcomes"])
        if data.get("never_reduced"):
            question["reducible"] = False
        if data.get("asked_when_question"):
            question["asked_when"] = {
                "question": data["asked_when_question"],
                "answers": data["asked_when_answer_codes"],
            }
        if qtype == "multiple":
            if data.get("cap") is not None:
                question["cap"] = ras.number_json(data["cap"])
            if data.get("none_label"):
                question["none_label"] = data["none_label"].strip()
        options = []
        for row in data["options"]:
            option = {key: value for key, value in row.items() if key != "value"}
            value = row["value"]
            if informal:
                option[reduction] = (
                    int(value)
                    if reduction == "reduction_percent" and value == int(value)
                    else ras.number_json(value)
                )
            else:
                option["points"] = ras.number_json(value)
            options.append(option)
        question["options"] = options
        return question

    @classmethod
    def initial_for(cls, domain_code, question: dict | None) -> dict:
        """The form's first values for a question as selfdirect-ras/2 writes it."""
        initial = {"domain": domain_code, "type": "single"}
        if question:
            condition = question.get("asked_when") or {}
            initial.update(
                code=question["code"],
                text=question["text"],
                hint=question.get("hint", ""),
                type=question.get("type", "single"),
                outcomes=list(question.get("outcomes") or []),
                never_reduced=question.get("reducible", True) is False,
                asked_when_question=condition.get("question", ""),
                asked_when_answers=" ".join(condition.get("answers", [])),
                cap=number_text(question.get("cap")),
                none_label=question.get("none_label", ""),
            )
            for i, option in enumerate(question["options"]):
                value = next(
                    (option[key] for key in ("points", *REDUCTION_KEYS) if option.get(key)), 0
                )
                excludes = " ".join(
                    f"{q}:{o}" for q, codes in (option.get("excludes") or {}).items() for o in codes
                )
                for j, item in enumerate(option.get("support") or ()):
                    initial[f"option_{i}_service_{j}"] = item.get("service", "")
                    initial[f"option_{i}_units_{j}"] = number_text(item.get("units"))
                initial.update(
                    {
                        f"option_{i}_code": option["code"],
                        f"option_{i}_label": option["label"],
                        f"option_{i}_hint": option.get("hint", ""),
                        f"option_{i}_value": number_text(value),
                        f"option_{i}_complex": bool(option.get("complex")),
                        f"option_{i}_no_reduction": bool(option.get("no_reduction")),
                        f"option_{i}_not_more_than": option.get("not_more_than", ""),
                        f"option_{i}_excludes": excludes,
                    }
                )
        return initial


NO_AMOUNT_WORDS = ("none", "no amount", "no indicative amount")


class RuleFields:
    """The fields of a points-to-money rule (a price per point with a fixed amount, or
    bands), named with a prefix so one page can hold two rules."""

    rule_prefix = ""
    rule_label = "How do points become money?"

    def add_rule_fields(self, *, required: bool = True) -> None:
        p = self.rule_prefix
        self.fields[f"{p}method"] = forms.ChoiceField(
            label=self.rule_label,
            required=required,
            widget=forms.RadioSelect,
            choices=[
                ("price_per_point", "A price per point, with an optional fixed amount"),
                ("bands", "Bands: a set amount for each range of points"),
            ],
        )
        self.fields[f"{p}fixed_amount"] = MoneyField(
            label="Fixed amount",
            required=False,
            help_text="Added to everyone’s amount. Use 0 for none.",
        )
        self.fields[f"{p}price_per_point"] = forms.DecimalField(
            label="Price per point",
            required=False,
            max_digits=20,
            decimal_places=ras.MAX_DECIMAL_PLACES,
            min_value=Decimal("0"),
            help_text="In pounds, for example 3.1250",
        )
        self.fields[f"{p}bands"] = forms.CharField(
            label="Bands",
            required=False,
            widget=forms.Textarea(attrs={"rows": 8}),
            help_text="One band a line: the lowest points in the band, a comma, then the amount. "
            "For example ‘0, 85.00’ then ‘40, 180.00’. The first band starts at 0. For points "
            "too low for an indicative amount (not the same as £0), write ‘none’ and the words "
            "the person reads, like ‘0, none, Your needs can be met without a personal budget’.",
        )
        for name in ("method", "fixed_amount", "price_per_point", "bands"):
            govuk_field(self.fields[f"{p}{name}"])
        self.fields[f"{p}price_per_point"].govuk = {"width": 10, "prefix": "£"}
        self.fields[f"{p}price_per_point"].widget.input_type = "text"
        self.fields[f"{p}price_per_point"].widget.attrs.update({"inputmode": "decimal"})

    def rule_initial(self, rule: dict) -> dict:
        p = self.rule_prefix
        lines = []
        for band in rule.get("bands", []):
            points = number_text(band["min_points"])
            if band.get("amount") is None:
                lines.append(f"{points}, none, {band.get('words', '')}".rstrip(", "))
            else:
                lines.append(f"{points}, {band['amount']}")
        return {
            f"{p}method": rule.get("method", "price_per_point"),
            f"{p}fixed_amount": rule.get("fixed_amount"),
            f"{p}price_per_point": rule.get("price_per_point"),
            f"{p}bands": "\n".join(lines),
        }

    def clean_rule(self, cleaned) -> None:
        p = self.rule_prefix
        if cleaned.get(f"{p}method") == "price_per_point":
            if cleaned.get(f"{p}price_per_point") in (None, ""):
                self.add_error(f"{p}price_per_point", "Enter the price per point")
        elif cleaned.get(f"{p}method") == "bands":
            cleaned[f"{p}band_rows"] = self._bands(cleaned.get(f"{p}bands", ""))

    def _bands(self, text):
        field = f"{self.rule_prefix}bands"
        rows = []
        for number, line in enumerate(text.strip().splitlines(), start=1):
            if not line.strip():
                continue
            points, _sep, rest = _split_band(line)
            try:
                min_points = Decimal(points)
                if (
                    not min_points.is_finite()
                    or min_points < 0
                    or min_points != min_points.quantize(Decimal("0.01"))
                ):
                    raise InvalidOperation
                word, _comma, words = rest.partition(",")
                if word.strip().lower() in NO_AMOUNT_WORDS:
                    row = {"min_points": ras.number_json(min_points), "amount": None}
                    if words.strip():
                        row["words"] = words.strip()
                else:
                    amount = Decimal(rest.replace("£", "").replace(",", "").strip())
                    if not amount.is_finite() or amount < 0:
                        raise InvalidOperation
                    row = {"min_points": ras.number_json(min_points), "amount": format(amount, "f")}
                rows.append(row)
            except (ValueError, InvalidOperation):
                self.add_error(
                    field,
                    f"Line {number} of the bands must be points then an amount, like "
                    "‘40, 180.00’, or ‘none’ and the words, like ‘0, none, Your needs can be met "
                    "without a personal budget’",
                )
                return []
        if not rows:
            self.add_error(field, "Enter at least one band")
        return rows

    def rule(self) -> dict:
        p = self.rule_prefix
        data = self.cleaned_data
        if data[f"{p}method"] == "price_per_point":
            return {
                "method": "price_per_point",
                "fixed_amount": format(data.get(f"{p}fixed_amount") or Decimal("0"), "f"),
                "price_per_point": format(data[f"{p}price_per_point"], "f"),
            }
        return {"method": "bands", "bands": data[f"{p}band_rows"]}


def _split_band(line: str) -> tuple[str, str, str]:
    """'40, 180.00' as ('40', ',', '180.00'): the points, then the rest of the line."""
    parts = re.split(r"([,\t;])", line, maxsplit=1)
    if len(parts) < 3:
        return parts[0].strip(), "", ""
    return parts[0].strip(), parts[1], parts[2].strip()


class MoneyTableForm(RuleFields, GovUKForm):
    """One money table: who it is for and its points-to-money rule."""

    code = code_field()
    title = forms.CharField(
        label="Who is it for, in plain words",
        max_length=100,
        help_text="For example ‘People aged 65 and over’ or ‘Everyone else’",
    )
    age_from = forms.IntegerField(
        label="Lowest age (optional)",
        required=False,
        min_value=0,
        max_value=ras.schemas.MAX_AGE,
        help_text="In whole years, included",
    )
    age_to = forms.IntegerField(
        label="Highest age (optional)",
        required=False,
        min_value=0,
        max_value=ras.schemas.MAX_AGE,
        help_text="In whole years, included",
    )
    primary_support_reasons = forms.MultipleChoiceField(
        label="Primary support reasons (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=person_codes.PRIMARY_SUPPORT_REASONS,
        help_text="The table is for people whose primary support reason is one of those "
        "ticked. Tick none for any reason.",
    )
    client_types = forms.MultipleChoiceField(
        label="Client types (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=person_codes.CLIENT_TYPES,
        help_text="Tick none for any client type.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rule_fields()
        for name in ("age_from", "age_to"):
            self.fields[name].govuk = {"width": 3}
            self.fields[name].widget.input_type = "text"
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        for name in ("primary_support_reasons", "client_types"):
            self.fields[name].widget.small = True

    def clean(self):
        cleaned = super().clean()
        self.clean_rule(cleaned)
        low, high = cleaned.get("age_from"), cleaned.get("age_to")
        if low is not None and high is not None and high < low:
            self.add_error("age_to", "Highest age must be the same as or more than the lowest age")
        return cleaned

    def table(self) -> dict:
        data = self.cleaned_data
        table = {"code": data["code"], "title": data["title"]}
        applies = {}
        for key in ("age_from", "age_to"):
            if data.get(key) is not None:
                applies[key] = data[key]
        for key in ("primary_support_reasons", "client_types"):
            if data.get(key):
                applies[key] = list(data[key])
        if applies:
            table["applies_to"] = applies
        return {**table, **self.rule()}

    def initial_for(self, table: dict) -> dict:
        applies = table.get("applies_to") or {}
        return {
            "code": table.get("code", ""),
            "title": table.get("title", ""),
            "age_from": applies.get("age_from"),
            "age_to": applies.get("age_to"),
            "primary_support_reasons": applies.get("primary_support_reasons", []),
            "client_types": applies.get("client_types", []),
            **self.rule_initial(table),
        }


class LimitsForm(GovUKForm):
    period = forms.ChoiceField(
        label="The amount is",
        widget=forms.RadioSelect,
        choices=[
            ("week", "A weekly amount"),
            ("year", "A yearly amount (for example, a carer’s budget)"),
            ("once", "A one-off amount (for example, equipment or a home adaptation)"),
        ],
    )
    minimum = MoneyField(
        label="Minimum amount", required=False, help_text="Leave blank for no minimum"
    )
    maximum = MoneyField(
        label="Maximum amount",
        required=False,
        help_text="Above this, a budget goes to the funding panel. Leave blank for no maximum.",
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", "Maximum amount must be the same as or more than the minimum")
        return cleaned


class InformalSupportForm(RuleFields, GovUKForm):
    """How support from family and friends counts: across the whole scheme, domain by domain,
    or as a separate carer allocation with its own rule and period."""

    rule_prefix = "carer_"
    rule_label = "How do the carer points become the carer’s money?"

    method = forms.ChoiceField(
        label="How does support from family and friends count?",
        widget=forms.RadioSelect,
        choices=[
            (
                "whole_scheme",
                "Across the whole scheme: the answers take a percentage off the points, up to a cap",
            ),
            (
                "by_domain",
                "Domain by domain: each domain’s answers take a percentage or points off that "
                "domain, up to the domain’s own cap",
            ),
            (
                "carer_allocation",
                "As a carer allocation: nothing is taken off; the answers give carer points, "
                "which become an amount for the carer",
            ),
        ],
    )
    cap_percent = forms.IntegerField(
        label="Most that support from family and friends can reduce points by (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Across the whole scheme only",
    )
    carer_title = forms.CharField(
        label="Name of the carer’s amount (carer allocation only, optional)",
        required=False,
        max_length=100,
        help_text="For example ‘Carer’s personal budget’",
    )
    carer_period = forms.ChoiceField(
        label="The carer’s amount is (carer allocation only)",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("week", "A weekly amount"),
            ("year", "A yearly amount"),
            ("once", "A one-off amount"),
        ],
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cap_percent"].govuk = {"width": 3, "suffix": "%"}
        self.fields["cap_percent"].widget.input_type = "text"
        self.domain_codes = []
        for domain in domains:
            self.domain_codes.append((domain["code"], domain["title"]))
            self.fields[f"domain_{domain['code']}_kind"] = forms.ChoiceField(
                label=f"{domain['title']}: support from family and friends takes off",
                required=False,
                choices=[
                    ("", "Nothing (no questions about it here)"),
                    ("percent", "A percentage"),
                    ("points", "Points"),
                ],
            )
            self.fields[f"domain_{domain['code']}_cap"] = points_field(
                f"{domain['title']}: the most it takes off (a percentage or points)"
            )
            govuk_field(self.fields[f"domain_{domain['code']}_kind"])
            govuk_field(self.fields[f"domain_{domain['code']}_cap"])
        self.add_rule_fields(required=False)

    def domain_rows(self):
        return [
            (title, self[f"domain_{code}_kind"], self[f"domain_{code}_cap"])
            for code, title in self.domain_codes
        ]

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == "whole_scheme" and cleaned.get("cap_percent") is None:
            self.add_error("cap_percent", "Enter the most that support can reduce points by")
        if method == "by_domain":
            for code, title in self.domain_codes:
                kind = cleaned.get(f"domain_{code}_kind")
                cap = cleaned.get(f"domain_{code}_cap")
                if kind and cap is None:
                    self.add_error(f"domain_{code}_cap", f"Enter the most it takes off {title}")
                elif kind == "percent" and cap is not None and (cap != int(cap) or cap > 100):
                    self.add_error(
                        f"domain_{code}_cap",
                        f"{title}: a percentage is a whole number from 0 to 100",
                    )
        if method == "carer_allocation":
            if not cleaned.get("carer_period"):
                self.add_error(
                    "carer_period", "Select whether the carer’s amount is weekly, yearly or one-off"
                )
            if not cleaned.get("carer_method"):
                self.add_error("carer_method", "Select how the carer points become money")
            self.clean_rule(cleaned)
        return cleaned

    def informal(self) -> dict:
        """The scheme's `informal_support`, as selfdirect-ras/2 writes it."""
        data = self.cleaned_data
        informal = {"method": data["method"]}
        if data["method"] == "whole_scheme":
            informal["cap_percent"] = data["cap_percent"]
        elif data["method"] == "carer_allocation":
            money = {"period": data["carer_period"]}
            if data.get("carer_title"):
                money["title"] = data["carer_title"].strip()
            informal["carer_money"] = {**money, **self.rule()}
        return informal

    def domain_settings(self) -> dict:
        """{domain code: its `informal_support` or None}, for the method by_domain."""
        data = self.cleaned_data
        settings = {}
        for code, _title in self.domain_codes:
            kind, cap = data.get(f"domain_{code}_kind"), data.get(f"domain_{code}_cap")
            if data["method"] != "by_domain" or not kind or cap is None:
                settings[code] = None
            elif kind == "percent":
                settings[code] = {"cap_percent": int(cap)}
            else:
                settings[code] = {"cap_points": ras.number_json(cap)}
        return settings

    def initial_for(self, data: dict) -> dict:
        informal = data.get("informal_support") or {"method": "whole_scheme", "cap_percent": 0}
        initial = {"method": informal.get("method"), "cap_percent": informal.get("cap_percent")}
        money = informal.get("carer_money") or {}
        initial.update(carer_title=money.get("title", ""), carer_period=money.get("period", ""))
        if money:
            initial.update(self.rule_initial(money))
        for domain in data.get("domains", []):
            setting = domain.get("informal_support") or {}
            if "cap_percent" in setting:
                initial[f"domain_{domain['code']}_kind"] = "percent"
                initial[f"domain_{domain['code']}_cap"] = setting["cap_percent"]
            elif "cap_points" in setting:
                initial[f"domain_{domain['code']}_kind"] = "points"
                initial[f"domain_{domain['code']}_cap"] = number_text(setting["cap_points"])
        return initial


class PublishForm(GovUKForm):
    effective_from = GovUKDateField(
        label="When does it come into force?", help_text="For example, 1 4 2027"
    )


class CopyForm(GovUKForm):
    label = forms.CharField(
        label="Name for the new draft", max_length=100, help_text="For example, ‘2027/28 proposal’"
    )


class ImportForm(GovUKForm):
    scheme = forms.ModelChoiceField(label="Scheme", queryset=RasScheme.objects.all())
    label = forms.CharField(label="Name for the new draft", max_length=100)
    file = forms.FileField(label="Version file (JSON)", help_text="A file exported from Selfdirect")

    def clean_file(self):
        """The file's definition, checked and in its canonical form (what is saved).

        Numbers are bounded as the JSON is read and nesting is limited (definition.load_json),
        so a hostile file gets a message, quickly, and nothing is saved.
        """
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT:
            raise ValidationError("The file must be smaller than 2 MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file must be JSON, saved as UTF-8 text") from None
        try:
            data = ras.load_json(text)
            if isinstance(data, dict) and "definition" in data:
                data = data["definition"]
            definition = ras.parse(data)
        except ras.DefinitionError as error:
            shown = [f"The file is not a valid version: {p}" for p in error.problems[:50]]
            if len(error.problems) > len(shown):
                shown.append(
                    f"…and {len(error.problems) - len(shown)} more problems: fix these first"
                )
            raise ValidationError(shown) from None
        self.conversion = definition.conversion  # how a selfdirect-ras/1 file was converted
        return ras.to_dict(definition)

    def clean(self):
        cleaned = super().clean()
        data, scheme = cleaned.get("file"), cleaned.get("scheme")
        if isinstance(data, dict) and scheme and data.get("kind", "person") != scheme.kind:
            self.add_error(
                "file", "The file is for a different kind of assessment than this scheme"
            )
        return cleaned


class EnvelopeMixin(forms.Form):
    envelope = MoneyField(
        label="Annual funding envelope",
        help_text="What the council can spend a year on these budgets",
    )
    reserve_percent = forms.DecimalField(
        label="Reserve",
        min_value=Decimal("0"),
        max_value=Decimal("50"),
        decimal_places=2,
        help_text="Held back for people the formula does not give a workable budget",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserve_percent"].govuk = {"width": 4, "suffix": "%"}
        self.fields["reserve_percent"].widget.input_type = "text"


class ModelRunForm(EnvelopeMixin, GovUKForm):
    review_fall_percent = forms.DecimalField(
        label="List people for review whose budget would fall by more than",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        initial=Decimal("10"),
    )

    flag_margin_percent = forms.DecimalField(
        label="Flag a group whose change differs from everyone’s by more than",
        help_text="In percentage points, comparing the change in each group’s total budget "
        "with the change in everyone’s. For example, with 5: if everyone’s total would fall "
        "by 2%, a group whose total would fall by more than 7% or rise by more than 3% is "
        "flagged, and needs a written justification before the version is published",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        initial=Decimal("5"),
        required=False,
    )

    def clean_flag_margin_percent(self):
        value = self.cleaned_data.get("flag_margin_percent")
        return Decimal("5") if value is None else value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("review_fall_percent", "flag_margin_percent"):
            self.fields[name].govuk = {"width": 4, "suffix": "%"}
            self.fields[name].widget.input_type = "text"
        self.fields["flag_margin_percent"].govuk["suffix"] = "points"


class JustificationForm(GovUKForm):
    justification = forms.CharField(
        label="Why is this difference justified?",
        help_text="Say what the council is trying to achieve, why this scheme is a "
        "proportionate way to achieve it, and what else was considered. The Equality Act 2010 "
        "(section 19) allows a difference only when it is a proportionate means of achieving a "
        "legitimate aim",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": "Enter why the difference is justified"},
    )


class EqualityAssessmentForm(GovUKForm):
    text = forms.CharField(
        label="Your assessment of the equality impact",
        help_text="What the figures mean for people with each protected characteristic, what "
        "you found in other evidence (complaints, engagement, national data), and what the "
        "council will do to reduce any disadvantage. It goes into the draft equality impact "
        "assessment",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        error_messages={"required": "Enter your assessment of the equality impact"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].govuk = {"heading": True}


class PublishConfirmForm(GovUKForm):
    """The second step of publishing: the date again (hidden) and a confirmation."""

    effective_from = forms.DateField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read the equality impact and confirm this version should be published",
        error_messages={"required": "Confirm that this version should be published"},
    )


class CalibrationForm(EnvelopeMixin, GovUKForm):
    source = forms.ChoiceField(
        label="Which packages should the fit learn from?",
        widget=forms.RadioSelect,
        choices=[
            ("database", "Current people with budgets, from Selfdirect"),
            ("csv", "A CSV file I upload"),
        ],
    )
    file = forms.FileField(
        label="Sample of packages (CSV)",
        required=False,
        help_text="One row a package: a column for each question (named by its code, holding the answer’s "
        "code), then the actual weekly cost in the last column. Optional columns: person_ref, "
        "primary_support_reason, age_band.",
    )
    method = forms.ChoiceField(
        label="Method",
        widget=forms.RadioSelect,
        choices=[
            ("ols", "Least squares, with a fixed amount"),
            ("ols0", "Least squares, no fixed amount"),
            ("lad", "Robust fit (least absolute deviation): less pulled by unusual packages"),
            ("bands", "Bands fitted from the data"),
        ],
    )
    band_count = forms.IntegerField(
        label="Number of bands (bands only)", min_value=2, max_value=30, initial=10
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["band_count"].govuk = {"width": 3}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == "csv":
            upload = cleaned.get("file")
            if not upload:
                self.add_error("file", "Choose a CSV file of packages")
            else:
                try:
                    cleaned["sample"] = read_sample(self.version.parsed, upload)
                except ValidationError as error:
                    self.add_error("file", error)
        return cleaned


def read_sample(definition: ras.Definition, upload) -> Sample:
    """Read an uploaded CSV sample: refused whole, with every bad line listed, or kept compactly."""
    if upload.size > sample_rules.MAX_BYTES:
        raise ValidationError(
            f"The file must be smaller than {sample_rules.MAX_BYTES // (1024 * 1024)} MB"
        )
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file must be a CSV saved as UTF-8") from None
    try:
        return sample_rules.parse_csv(definition, text)
    except sample_rules.SampleError as error:
        raise ValidationError(error.problems) from None


class ReferenceRateForm(GovUKForm):
    service = forms.ChoiceField(label="Service", choices=[("", "Choose"), *rate_catalogue.CHOICES])
    rate = MoneyField(
        label="Rate", help_text="The cost of one unit: an hour, a day, a night, a week or a meal"
    )
    effective_from = GovUKDateField(
        label="When does it start?",
        help_text="The rate before it ends the day before. For example, 1 4 2027",
    )
    notes = forms.CharField(
        label="Where the rate comes from (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the cabinet decision or the fee uplift it follows",
    )

    def clean_rate(self):
        rate = self.cleaned_data["rate"]
        if rate is not None and rate <= 0:
            raise ValidationError("Enter a rate of more than £0.00")
        return rate
