"""Forms for building RAS versions, calibrating them and modelling them."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from ui.forms import GovUKDateField, GovUKForm, MoneyField

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


class QuestionForm(GovUKForm):
    OPTION_ROWS = 6
    OPTION_PARTS = (
        "code",
        "label",
        "hint",
        "value",
        "complex",
        "no_reduction",
        "not_more_than",
        "excludes",
    )

    domain = forms.ChoiceField(label="Domain")
    code = code_field()
    text = forms.CharField(
        label="Question", max_length=300, help_text="Ask it as you would ask the person"
    )
    hint = forms.CharField(
        label="Hint", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    informal_support = forms.BooleanField(
        label="This question is about support from family and friends (it reduces points by a percentage)",
        required=False,
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

    def __init__(self, *args, domains, kind="person", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [(d.code, d.title) for d in domains]
        self.fields["outcomes"].choices = list(ras.OUTCOMES.get(kind, ()))
        for i in range(self.OPTION_ROWS):
            n = i + 1
            self.fields[f"option_{i}_code"] = forms.CharField(
                label=f"Option {n} code", required=False, max_length=40
            )
            self.fields[f"option_{i}_label"] = forms.CharField(
                label=f"Option {n} answer", required=False, max_length=200
            )
            self.fields[f"option_{i}_hint"] = forms.CharField(
                label=f"Option {n} hint", required=False, max_length=300
            )
            self.fields[f"option_{i}_value"] = forms.IntegerField(
                label=f"Option {n} points or reduction %",
                required=False,
                min_value=0,
                max_value=10000,
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
            self.fields[f"option_{i}_value"].govuk = {"width": 4}
            self.fields[f"option_{i}_code"].govuk = {"width": 10, "spellcheck": False}

    def option_rows(self):
        return [
            [self[f"option_{i}_{part}"] for part in self.OPTION_PARTS]
            for i in range(self.OPTION_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        options = []
        informal = cleaned.get("informal_support")
        for i in range(self.OPTION_ROWS):
            code = (cleaned.get(f"option_{i}_code") or "").strip()
            label = (cleaned.get(f"option_{i}_label") or "").strip()
            value = cleaned.get(f"option_{i}_value")
            if not (code or label or value):
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
                "points": 0 if informal else (value or 0),
                "reduction_percent": (value or 0) if informal else 0,
            }
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
        return cleaned

    def _excludes(self, i: int, text: str) -> dict:
        """'care_child:some care_child:lot' as {"care_child": ["some", "lot"]}."""
        found: dict[str, list[str]] = {}
        for item in re.split(r"[\s,;]+", text.strip()):
            if not item:
                continue
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

    def question(self) -> dict:
        data = self.cleaned_data
        question = {
            "code": data["code"],
            "text": data["text"],
            "hint": data["hint"],
            "informal_support": data["informal_support"],
        }
        if data.get("outcomes"):
            question["outcomes"] = list(data["outcomes"])
        if data.get("never_reduced"):
            question["reducible"] = False
        question["options"] = data["options"]
        return question

    @classmethod
    def initial_for(cls, domain_code, question: dict | None) -> dict:
        initial = {"domain": domain_code}
        if question:
            initial.update(
                code=question["code"],
                text=question["text"],
                hint=question.get("hint", ""),
                informal_support=question.get("informal_support", False),
                outcomes=list(question.get("outcomes") or []),
                never_reduced=question.get("reducible", True) is False,
            )
            for i, option in enumerate(question["options"][: cls.OPTION_ROWS]):
                value = (
                    option["reduction_percent"]
                    if question.get("informal_support")
                    else option["points"]
                )
                excludes = " ".join(
                    f"{q}:{o}" for q, codes in (option.get("excludes") or {}).items() for o in codes
                )
                initial.update(
                    {
                        f"option_{i}_code": option["code"],
                        f"option_{i}_label": option["label"],
                        f"option_{i}_hint": option.get("hint", ""),
                        f"option_{i}_value": value,
                        f"option_{i}_complex": bool(option.get("complex")),
                        f"option_{i}_no_reduction": bool(option.get("no_reduction")),
                        f"option_{i}_not_more_than": option.get("not_more_than", ""),
                        f"option_{i}_excludes": excludes,
                    }
                )
        return initial


class AllocationForm(GovUKForm):
    method = forms.ChoiceField(
        label="How do points become money?",
        widget=forms.RadioSelect,
        choices=[
            ("price_per_point", "A price per point, with an optional fixed amount"),
            ("bands", "Bands: a set amount for each range of points"),
        ],
    )
    fixed_amount = MoneyField(
        label="Fixed amount",
        required=False,
        help_text="Added to everyone’s amount. Use 0 for none.",
    )
    price_per_point = forms.DecimalField(
        label="Price per point",
        required=False,
        max_digits=20,
        decimal_places=ras.MAX_DECIMAL_PLACES,
        min_value=Decimal("0"),
        help_text="In pounds, for example 3.1250",
    )
    bands = forms.CharField(
        label="Bands",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One band a line: the lowest points in the band, a comma, then the amount. "
        "For example ‘0, 85.00’ then ‘40, 180.00’. The first band starts at 0.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_per_point"].govuk = {"width": 10, "prefix": "£"}
        self.fields["price_per_point"].widget.input_type = "text"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == "price_per_point":
            if cleaned.get("price_per_point") in (None, ""):
                self.add_error("price_per_point", "Enter the price per point")
        elif cleaned.get("method") == "bands":
            cleaned["band_rows"] = self._bands(cleaned.get("bands", ""))
        return cleaned

    def _bands(self, text):
        rows = []
        for number, line in enumerate(text.strip().splitlines(), start=1):
            if not line.strip():
                continue
            parts = [
                p.strip().replace("£", "").replace(",", "")
                for p in re.split(r"[,\t;]", line, maxsplit=1)
            ]
            try:
                rows.append({"min_points": int(parts[0]), "amount": format(Decimal(parts[1]), "f")})
            except (ValueError, IndexError, InvalidOperation):
                self.add_error(
                    "bands",
                    f"Line {number} of the bands must be points then an amount, like ‘40, 180.00’",
                )
                return []
        if not rows:
            self.add_error("bands", "Enter at least one band")
        return rows

    def allocation(self) -> dict:
        data = self.cleaned_data
        if data["method"] == "price_per_point":
            return {
                "method": "price_per_point",
                "fixed_amount": format(data.get("fixed_amount") or Decimal("0"), "f"),
                "price_per_point": format(data["price_per_point"], "f"),
            }
        return {"method": "bands", "bands": data["band_rows"]}


class LimitsForm(GovUKForm):
    period = forms.ChoiceField(
        label="The amount is",
        widget=forms.RadioSelect,
        choices=[
            ("week", "A weekly amount"),
            ("year", "A yearly amount (for example, a carer’s budget)"),
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
    cap_percent = forms.IntegerField(
        label="Most that support from family and friends can reduce points by (%)",
        min_value=0,
        max_value=100,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cap_percent"].govuk = {"width": 3, "suffix": "%"}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", "Maximum amount must be the same as or more than the minimum")
        return cleaned


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
