"""Forms for scheduling and recording reviews, and for reablement episodes."""

from django import forms

from ui.forms import GovUKDateField, GovUKForm, GovUKRadioSelect, MoneyField

from . import domain
from .models import ReablementEpisode, ReviewOutcome

YES_NO = [("yes", "Yes"), ("no", "No")]


class UnplannedReviewForm(GovUKForm):
    due_on = GovUKDateField(label="When is the review due?")
    reason = forms.CharField(
        label="Why is the review needed, and who asked for it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why the review is needed, and who asked for it"},
    )


class CancelForm(GovUKForm):
    reason = forms.CharField(
        label="Why is the review cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the review is cancelled"},
    )


class RecordReviewForm(GovUKForm):
    """One radio question per plan outcome, one per ASCOT domain, and what changes."""

    changes = forms.CharField(
        label="What changes as a result of the review?",
        help_text="Or say that nothing changes, and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter what changes as a result of the review"},
    )

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for outcome in outcomes:
            fields[f"outcome_{outcome.pk}"] = forms.ChoiceField(
                label=f"“{outcome.text}”: how far was this achieved?",
                choices=ReviewOutcome.Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select how far this outcome was achieved"},
            )
        for code, label in domain.ASCOT_DOMAINS:
            fields[f"ascot_{code}"] = forms.TypedChoiceField(
                label=label,
                choices=[(str(score), text) for score, text in domain.ASCOT_LEVELS],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select a level for {label.lower()}"},
            )
        fields["changes"] = self.fields.pop("changes")
        self.fields.update(fields)
        self.outcome_pks = [o.pk for o in outcomes]
        # The added radios get GOV.UK widgets too (the mixin saw only `changes`).
        for field in self.fields.values():
            if type(field.widget) is forms.RadioSelect:
                field.widget = GovUKRadioSelect(choices=field.choices)

    def outcome_fields(self):
        return [self[f"outcome_{pk}"] for pk in self.outcome_pks]

    def ascot_fields(self):
        return [self[f"ascot_{code}"] for code, _ in domain.ASCOT_DOMAINS]

    def ratings(self) -> dict:
        return {str(pk): self.cleaned_data[f"outcome_{pk}"] for pk in self.outcome_pks}

    def ascot(self) -> dict:
        return {code: self.cleaned_data[f"ascot_{code}"] for code, _ in domain.ASCOT_DOMAINS}


class ReablementForm(GovUKForm):
    starts_on = GovUKDateField(label="When does reablement start?")
    planned_end_on = GovUKDateField(
        label="When is it planned to end? (optional)",
        help_text="Leave empty for six weeks, the free period",
        required=False,
    )
    longer_reason = forms.CharField(
        label="If longer than six weeks, why? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    after_hospital = forms.ChoiceField(
        label="Is the person coming out of hospital?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the person is coming out of hospital"},
    )
    discharged_on = GovUKDateField(
        label="When did they leave hospital? (if they did)", required=False
    )


class EndReablementForm(GovUKForm):
    ended_on = GovUKDateField(label="When did reablement end?")
    outcome = forms.ChoiceField(
        label="What happened at the end?",
        choices=ReablementEpisode.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened at the end of reablement"},
    )
    detail = forms.CharField(
        label="Details (needed for something else)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    longer_reason = forms.CharField(
        label="If it ran longer than six weeks, why? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AtHomeForm(GovUKForm):
    at_home = forms.ChoiceField(
        label="Were they still at home 91 days after leaving hospital?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they were still at home"},
    )


class CarersBudgetForm(GovUKForm):
    """A carer's budget: a yearly amount or a one-off payment (never weekly)."""

    period = forms.ChoiceField(
        label="Is it a yearly budget or a one-off payment?",
        choices=[("year", "A yearly budget"), ("once", "A one-off payment")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a yearly budget or a one-off payment"},
    )
    amount = MoneyField(
        label="How much?",
        help_text="For the year, or the one-off payment",
        error_messages={"required": "Enter how much"},
    )
    purpose = forms.CharField(
        label="What is it for?",
        help_text="For example, short breaks",
        max_length=300,
        error_messages={"required": "Enter what the budget is for"},
    )
    reason = forms.CharField(
        label="Why it is more than the indicative amount (if it is)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
