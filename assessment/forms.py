"""Forms for answering, checking, declaring and deciding eligibility."""

from django import forms
from django.core.exceptions import ValidationError

from ui.forms import GovUKForm, GovUKRadioSelect

from . import domain

YES_NO = [("yes", "Yes"), ("no", "No")]


class AnswerForm(GovUKForm):
    """One question, one page: the question is the page heading."""

    def __init__(self, *args, question, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(o.code, o.label) for o in question.options],
            widget=GovUKRadioSelect(hints={o.code: o.hint for o in question.options if o.hint}),
            error_messages={
                "required": "Select an answer",
                "invalid_choice": "Select one of the answers",
            },
        )
        self.fields["answer"].govuk = {"heading": True}
        if reason_required:
            self.fields["reason"] = forms.CharField(
                label="Why are you changing this answer?",
                help_text="The person can see this reason in the history of their assessment.",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=500,
                error_messages={"required": "Enter why you are changing this answer"},
            )


class DeclarationForm(GovUKForm):
    confirm = forms.BooleanField(
        label="I confirm the answers are right, to the best of my knowledge",
        error_messages={"required": "Confirm that the answers are right"},
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
    )

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields[
                "confirm"
            ].label = (
                "I completed this assessment with or for the person, and the answers are right"
            )
        self.fields["full_name"].govuk = {"width": 20}


class EligibilityForm(GovUKForm):
    arises_from_condition = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the needs arise from the condition"},
    )
    health_at_risk = forms.ChoiceField(
        label="Is the carer’s physical or mental health at risk of getting worse?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    unable = forms.MultipleChoiceField(
        label="Which outcomes are they unable to achieve?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Unable includes: only with help, only with significant pain, distress or anxiety, "
        "only by endangering themselves or others, or taking much longer than normal. Select all that apply.",
    )
    significant_impact = forms.ChoiceField(
        label="As a result, is there (or is there likely to be) a significant impact on their wellbeing?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if there is a significant impact on wellbeing"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="Write for the person: they will read this.",
        error_messages={"required": "Enter your reasons"},
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["unable"].choices = domain.outcomes_for(kind)
        if kind == "carer":
            self.fields[
                "arises_from_condition"
            ].label = "Do the carer’s needs arise from providing necessary care?"
            self.fields["health_at_risk"].required = True
            self.fields["health_at_risk"].error_messages["required"] = (
                "Select yes if the carer’s health is at risk"
            )
        else:
            self.fields[
                "arises_from_condition"
            ].label = (
                "Do the needs arise from or relate to a physical or mental impairment or illness?"
            )
            del self.fields["health_at_risk"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("significant_impact") == "yes"
            and not cleaned.get("unable")
            and self.kind == "person"
        ):
            raise ValidationError(
                "Select the outcomes the person cannot achieve, or answer no to significant impact"
            )
        return cleaned

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "arises_from_condition": data["arises_from_condition"] == "yes",
            "unable": list(data.get("unable") or []),
            "significant_impact": data["significant_impact"] == "yes",
            "health_at_risk": data.get("health_at_risk") == "yes",
            "reasons": data["reasons"],
        }


class StartForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Which assessment?",
        choices=[("person", "Needs assessment"), ("carer", "Carer’s assessment")],
        widget=forms.RadioSelect,
        initial="person",
    )
