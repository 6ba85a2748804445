"""Forms for writing a support plan, sending it, and deciding on it.

A line's own rules (plans/rules.py) run in the form too, so each broken rule is shown by its
field and in the error summary; the action checks them again and saves all or nothing.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from budgets.models import DirectPaymentOffer, PanelDecision
from core.money import to_pence
from ui.forms import GovUKDateField, GovUKForm, GovUKRadioSelect, MoneyField

from . import actions, domain, rates, rules
from .models import SupportPlan

INVALID_CHOICE = {
    "line_type": "Select what kind of support it is from the list",
    "service": "Select what it pays for from the list",
    "service_type": "Select a service type from the list",
    "provider_kind": "Select who will provide it from the list",
    "carer": "Select the carer from the list",
    "frequency": "Select how often from the list",
    "mode": "Select how the money will be taken from the list",
    "funding_stream": "Select who pays for it from the list",
    "links": "Select only needs from the list",
    "helpers": "Select who helped from the list",
    "outcome": "Select what was decided from the list",
}


def _plain_choice_messages(form) -> None:
    """Choice fields whose labels are questions get their own "from the list" messages."""
    for name, message in INVALID_CHOICE.items():
        if name in form.fields:
            form.fields[name].error_messages["invalid_choice"] = message


class VersionedForm(GovUKForm):
    """Carries the plan's edit version the page was opened at (a concurrent edit is detected)."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_choice_messages(self)

    def refresh_version(self, version: int) -> None:
        data = self.data.copy()
        data["edit_version"] = str(version)
        self.data = data


class OutcomeForm(VersionedForm):
    text = forms.CharField(
        label="What matters",
        help_text="In the person’s own words: what they want to be able to do, or to be different",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter what matters, in the person’s own words"},
    )
    links = forms.MultipleChoiceField(
        label="Which eligible needs is this about?",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, needs=(), is_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["links"].choices = [
            (n["code"], n["label"] + (" (met by a carer now)" if n["met_by_carer"] else ""))
            for n in needs
        ]
        if is_self:
            self.fields["text"].label = "What matters to you"
            self.fields[
                "text"
            ].help_text = "In your own words: what you want to be able to do, or to be different"
            self.fields["text"].error_messages["required"] = "Enter what matters to you"
            self.fields["links"].label = "Which of your needs is this about?"


class RiskForm(VersionedForm):
    risk = forms.CharField(
        label="What could go wrong",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what could go wrong"},
    )
    how_managed = forms.CharField(
        label="How it will be managed",
        help_text="Who does what, and what happens if support does not turn up",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter how it will be managed"},
    )


class NoRisksForm(VersionedForm):
    no_risks = forms.BooleanField(label="There are no particular risks to plan for", required=False)


class HelpersForm(VersionedForm):
    helpers = forms.MultipleChoiceField(
        label="Who helped to make this plan?",
        help_text="Select all that apply",
        choices=SupportPlan.Helper.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who helped to make the plan"},
    )
    detail = forms.CharField(
        label="Their names, and how they helped (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, is_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpers"].govuk = {"heading": True}
        if is_self:
            self.fields["helpers"].label = "Who helped you make this plan?"
            self.fields["helpers"].choices = [
                ("self", "I made it myself"),
                *[c for c in SupportPlan.Helper.choices if c[0] != "self"],
            ]


SERVICE_CHOICES = [
    (s.code, f"{s.label} (by the {s.unit})" if s.unit != "item" else s.label)
    for s in rates.SERVICES
]


class LineForm(VersionedForm):
    """One line of support, checked by the line rules (plans/rules.py)."""

    line_type = forms.ChoiceField(
        label="What kind of support is it?",
        choices=domain.LINE_TYPES,
        widget=GovUKRadioSelect(
            hints={
                "reablement": "Short-term help to regain skills, free for up to 6 weeks",
                "telecare": "An alarm or sensors, with someone who responds",
                "replacement_care": "Care for the person while their carer has a break",
            }
        ),
        error_messages={"required": "Select what kind of support it is"},
    )
    service = forms.ChoiceField(
        label="What does it pay for?",
        help_text="The council has a usual rate for most of these",
        choices=SERVICE_CHOICES,
        error_messages={"required": "Select what it pays for"},
    )
    service_type = forms.ChoiceField(
        label="Service type",
        help_text="How the council reports it nationally (the Client Level Data list)",
        choices=domain.SERVICE_TYPES,
        initial="lts_community",
        error_messages={"required": "Select a service type"},
    )
    description = forms.CharField(
        label="Describe the support",
        help_text="For example, help getting up and dressed each morning",
        max_length=500,
        error_messages={"required": "Describe the support"},
    )
    provider_kind = forms.ChoiceField(
        label="Who will provide it?",
        choices=domain.PROVIDER_KINDS,
        widget=GovUKRadioSelect(inline=False),
        initial="to_be_arranged",
        error_messages={"required": "Select who will provide it"},
    )
    provider = forms.CharField(
        label="Name of the provider or personal assistant (optional)",
        max_length=200,
        required=False,
    )
    carer = forms.TypedChoiceField(
        label="Which carer does it give a break to?",
        coerce=int,
        required=False,
        empty_value=None,
    )
    carer_name = forms.CharField(
        label="The carer’s name",
        help_text="Replacement care only",
        max_length=200,
        required=False,
    )
    units = forms.DecimalField(
        label="How many each time",
        help_text="Hours, nights, days, weeks or items: for example, 10 for 10 hours",
        max_digits=9,
        decimal_places=2,
        error_messages={"required": "Enter how many each time"},
    )
    unit_cost = MoneyField(
        label="Cost of each (optional)",
        help_text="Leave it empty to use the council’s usual rate for what it pays for",
        required=False,
        min_value=None,
    )
    frequency = forms.ChoiceField(
        label="How often?",
        choices=[(f.code, f.label) for f in domain.FREQUENCIES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often"},
    )
    mode = forms.ChoiceField(
        label="How will the money be taken?",
        choices=domain.MODES,
        widget=GovUKRadioSelect(
            hints={
                "direct_payment": "Paid to you or your representative, to buy support yourselves",
                "council_managed": "The council arranges and pays for the support",
                "isf": "A provider holds the money and arranges the support with you",
            }
        ),
        initial="council_managed",
        error_messages={"required": "Select how the money will be taken"},
    )
    funding_stream = forms.ChoiceField(
        label="Who pays for it?",
        choices=domain.FUNDING_STREAMS,
        initial="council",
        error_messages={"required": "Select who pays for it"},
    )
    start_date = GovUKDateField(label="Start date", help_text="For example, 1 12 2026")
    end_date = GovUKDateField(
        label="End date (optional)",
        help_text="Leave empty if it carries on. Reablement ends within 6 weeks",
        required=False,
    )

    FIELD_FOR_RULE = {"unit_cost": "unit_cost", "carer": "carer_name"}

    def __init__(self, *args, plan, carers=(), staff=False, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.line = line
        self.built = None
        self.fields["units"].widget.input_type = "text"
        self.fields["units"].widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        self.fields["units"].govuk = {"width": 5}
        self.fields["provider"].govuk = {"width": 20}
        self.fields["carer_name"].govuk = {"width": 20}
        self.carers = list(carers)
        if self.carers:
            self.fields["carer"].choices = [("", "Someone else (enter their name)")] + [
                (c.pk, c.full_name) for c in self.carers
            ]
            self.FIELD_FOR_RULE = {**self.FIELD_FOR_RULE, "carer": "carer"}
        else:
            del self.fields["carer"]
        if not staff:
            # People do not choose the national reporting category or the funding stream.
            del self.fields["service_type"]
            del self.fields["funding_stream"]
        self.staff = staff

    def _choice(self, name, default):
        value = self.cleaned_data.get(name)
        return value if value else default

    def values(self) -> dict:
        data = self.cleaned_data
        line_type = self._choice("line_type", "care")
        service = data.get("service") or "other"
        service_type = data.get("service_type") or (
            self.line.service_type
            if self.line and not self.staff and self.line.line_type == line_type
            else rates.usual_service_type(line_type, service)
        )
        carer = None
        if data.get("carer"):
            carer = next((c for c in self.carers if c.pk == data["carer"]), None)
        unit_cost = data.get("unit_cost")
        return {
            "line_type": line_type,
            "service_type": service_type,
            "service": service,
            "description": data.get("description", ""),
            "provider_kind": data.get("provider_kind") or "",
            "provider": data.get("provider", ""),
            "carer": carer,
            "carer_name": data.get("carer_name", "") if carer is None else "",
            "units": data.get("units"),
            "unit_cost_pence": None if unit_cost is None else to_pence(unit_cost),
            "frequency": data.get("frequency"),
            "funding_stream": data.get("funding_stream")
            or (self.line.funding_stream if self.line else "council"),
            "mode": data.get("mode"),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        line = actions.build_line(self.plan, self.values(), self._copy_of_line())
        for problem in actions.line_problems(line):
            field = rules.FIELD_OF.get(problem.code, "")
            field = self.FIELD_FOR_RULE.get(field, field)
            if field not in self.fields or isinstance(self.fields[field].widget, forms.HiddenInput):
                field = None
            self.add_error(field, problem.message)
        self.built = line
        return cleaned

    def _copy_of_line(self):
        if self.line is None:
            return None
        from .models import PlanLine

        return PlanLine.objects.get(pk=self.line.pk)


class SubmitForm(VersionedForm):
    reason = forms.CharField(
        label="Why does the plan cost more than the budget?",
        help_text="The person approving it reads this. Say what the extra money is for.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )


class ReturnForm(GovUKForm):
    comment = forms.CharField(
        label="What needs to change?",
        help_text="The person and whoever wrote the plan will read this",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Enter what needs to change"},
    )


class ApproveForm(GovUKForm):
    start_date = GovUKDateField(
        label="When does the support start? (optional)",
        help_text="Leave empty to start on the earliest line’s start date, or today if that "
        "has passed",
        required=False,
    )
    note = forms.CharField(
        label="A note for the record (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class PanelForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="What did the funding panel decide?",
        choices=PanelDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the panel decided"},
    )
    agreed = MoneyField(
        label="Amount the panel agreed",
        help_text="Only if it agreed part: the amount for the budget’s period",
        required=False,
    )
    reasons = forms.CharField(
        label="The panel’s reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the panel’s reasons"},
    )
    override_reason = forms.CharField(
        label="If this takes the reserve below £0: why it is allowed (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == PanelDecision.Outcome.PARTLY and not cleaned.get("agreed"):
            self.add_error("agreed", "Enter the amount the panel agreed")
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_choice_messages(self)


class DirectPaymentOfferForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="Was the direct payment taken up?",
        choices=DirectPaymentOffer.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the direct payment was taken up"},
    )
    reason = forms.CharField(
        label="Why was it declined? (in the person’s words)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_choice_messages(self)


class AuthorisedPersonForm(VersionedForm):
    authorised_person = forms.CharField(
        label="Authorised person’s name",
        help_text="Who receives the direct payment for the person (Care Act 2014 section 32)",
        max_length=200,
        required=False,
    )
    agreed_on = GovUKDateField(label="Date they agreed", past_only=True, required=False)


class ReserveForm(GovUKForm):
    financial_year = forms.RegexField(
        label="Financial year",
        help_text="For example, 2026/27",
        regex=r"^20\d\d/\d\d$",
        error_messages={
            "required": "Enter the financial year",
            "invalid": "Enter the financial year like 2026/27",
        },
    )
    opening = MoneyField(
        label="The reserve for the year",
        help_text="Usually the funding envelope × the reserve percentage",
        error_messages={"required": "Enter the reserve for the year"},
    )
    source = forms.CharField(
        label="How it was set",
        help_text="For example, envelope £20,000,000 × 5%",
        max_length=300,
        error_messages={"required": "Enter how the reserve was set"},
    )

    def clean_financial_year(self):
        value = self.cleaned_data["financial_year"]
        start = int(value[:4])
        if int(value[5:]) != (start + 1) % 100:
            raise ValidationError("Enter a financial year of two years in a row, like 2026/27")
        return value


def pounds_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)
