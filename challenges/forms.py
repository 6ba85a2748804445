from django import forms

from ui.forms import GovUKForm

from .models import Challenge


class ChallengeForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Which decision do you disagree with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision you disagree with"},
    )
    words = forms.CharField(
        label="What do you disagree with, and why?",
        help_text="In your own words. For example, what the budget does not cover, or what "
        "was missed",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        error_messages={"required": "Tell us what you disagree with, in your own words"},
    )
    wanted = forms.CharField(
        label="What would you like to happen? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.key, d.text) for d in decisions]
        self.fields["decision"].widget.choices = self.fields["decision"].choices


class AssignForm(GovUKForm):
    assignee = forms.ChoiceField(
        label="Who will look into it?",
        help_text="Not the person who made the decision",
        error_messages={"required": "Select who will look into it"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Choose")] + [
            (str(u.pk), f"{u.display_name} ({u.role_label})") for u in staff
        ]


class DecideForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=[(s.value, s.label) for s in Challenge.OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="The person will read these: write to them, in plain English",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        error_messages={"required": "Enter your reasons"},
    )
