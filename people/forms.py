"""Forms for the person record, with the GOV.UK error messages for each mistake."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Team, User
from accounts.roles import Role
from ui.forms import GovUKDateField, GovUKForm, GovUKModelForm

from . import codes, domain
from .models import Person

FLAG_FIELDS = [
    ("has_dementia", "Dementia"),
    ("has_sensory_impairment", "Sensory impairment"),
    ("has_autism", "Autism"),
    ("has_unpaid_carer", "Has an unpaid carer"),
]
OLDEST_AGE = 125


class PersonForm(GovUKModelForm):
    date_of_birth = GovUKDateField(
        label="Date of birth", past_only=True, help_text="For example, 27 3 1948"
    )
    date_of_death = GovUKDateField(
        label="Date of death",
        past_only=True,
        required=False,
        help_text="Only if the person has died. For example, 14 1 2025",
    )
    # Typed with spaces or hyphens, stored as 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 943 476 5919",
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=12)
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    flags = forms.MultipleChoiceField(
        label="Conditions and circumstances",
        choices=FLAG_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    class Meta:
        model = Person
        fields = [
            "council_person_id",
            "nhs_number",
            "title",
            "first_name",
            "middle_names",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "date_of_death",
            "sex",
            "gender_identity",
            "ethnicity",
            "primary_support_reason",
            "capacity",
            "team",
            "representative",
            "representative_relationship",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "phone",
            "email",
            "preferred_contact",
        ]
        widgets = {
            "sex": forms.RadioSelect,
            "gender_identity": forms.RadioSelect,
            "capacity": forms.RadioSelect,
            "preferred_contact": forms.RadioSelect,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicate = None
        if self.instance.pk:
            self.initial.setdefault("edit_version", self.instance.edit_version)
            self.initial["flags"] = [
                name for name, _ in FLAG_FIELDS if getattr(self.instance, name)
            ]
            self.initial["nhs_number"] = domain.format_nhs_number(self.instance.nhs_number or "")
        self.fields["council_person_id"].required = False
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["team"].help_text = "The team whose caseload the person is on"
        self.fields["representative"].queryset = User.objects.filter(
            role=Role.REPRESENTATIVE, is_active=True
        ).order_by("last_name", "first_name")
        widths = {
            "council_person_id": 10,
            "nhs_number": 10,
            "title": 4,
            "postcode": 10,
            "phone": 20,
            "first_name": 20,
            "middle_names": 20,
            "last_name": 20,
            "preferred_name": 20,
        }
        for name, width in widths.items():
            self.fields[name].govuk = {"width": width}
        for name in ("council_person_id", "nhs_number", "postcode"):
            self.fields[name].govuk["spellcheck"] = False
        for name in ("sex", "gender_identity", "capacity", "preferred_contact", "flags"):
            self.fields[name].govuk = {"size": "s"}
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_council_person_id(self):
        value = (self.cleaned_data.get("council_person_id") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z0-9-]{1,20}", value):
            raise ValidationError(
                "Council person ID must only include letters, numbers and hyphens"
            )
        if (
            value
            and Person.objects.exclude(pk=self.instance.pk).filter(council_person_id=value).exists()
        ):
            raise ValidationError("Another person already has this council person ID")
        return value

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number") or ""
        digits = domain.normalise_nhs_number(raw)
        if not digits:
            return None
        if not re.fullmatch(r"\d{10}", digits):
            raise ValidationError("NHS number must be 10 digits, like 943 476 5919")
        if not domain.is_valid_nhs_number(digits):
            raise ValidationError(
                "Enter a valid NHS number: the last digit does not match the others. Check it and try again"
            )
        existing = Person.objects.exclude(pk=self.instance.pk).filter(nhs_number=digits).first()
        if existing:
            if (
                self.user is not None
                and Person.objects.visible_to(self.user).filter(pk=existing.pk).exists()
            ):
                self.duplicate = existing
            raise ValidationError("A person with this NHS number is already recorded")
        return digits

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode") or ""
        if not value.strip():
            return ""
        if not domain.is_valid_postcode(value):
            raise ValidationError("Enter a real postcode, like WX1 4DQ")
        return domain.normalise_postcode(value)

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not re.fullmatch(r"\+?[0-9 ()-]{10,20}", value):
            raise ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value < dt.date.today().replace(year=dt.date.today().year - OLDEST_AGE):
            raise ValidationError(f"Date of birth must be within the last {OLDEST_AGE} years")
        return value

    def clean(self):
        cleaned = super().clean()
        born, died = cleaned.get("date_of_birth"), cleaned.get("date_of_death")
        if born and died and died < born:
            self.add_error(
                "date_of_death", "Date of death must be the same as or after date of birth"
            )
        if cleaned.get("representative_relationship") and not cleaned.get("representative"):
            self.add_error(
                "representative", "Choose the representative, or remove their relationship"
            )
        return cleaned

    def values(self) -> dict:
        """The record's fields as the form has them, ready for people.actions (never saved here)."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        chosen = set(self.cleaned_data.get("flags") or [])
        for name, _label in FLAG_FIELDS:
            values[name] = name in chosen
        return values

    def refresh_version(self, version: int) -> None:
        """After a conflict: keep what the user typed, but carry the record's new version."""
        data = self.data.copy()
        data["edit_version"] = str(version)
        self.data = data


class CaseloadFilterForm(GovUKForm):
    """The caseload's filters; every one is optional and they combine."""

    name = forms.CharField(label="Name", required=False, max_length=100)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)
    council_person_id = forms.CharField(label="Council person ID", required=False, max_length=20)
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="All or the start of it"
    )
    primary_support_reason = forms.ChoiceField(
        label="Primary support reason",
        required=False,
        choices=[("", "Any")] + codes.PRIMARY_SUPPORT_REASONS,
    )
    age_band = forms.ChoiceField(
        label="Age", required=False, choices=[("", "Any")] + [(c, c) for c in domain.AGE_BAND_CODES]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nhs_number", "council_person_id", "postcode"):
            self.fields[name].govuk = {"width": 10, "spellcheck": False}
        self.fields["name"].govuk = {"width": 20}

    def clean_nhs_number(self):
        digits = domain.normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if digits and not re.fullmatch(r"\d{1,10}", digits):
            raise ValidationError("NHS number must only include numbers")
        if len(digits) == 10 and not domain.is_valid_nhs_number(digits):
            raise ValidationError(
                "Check the NHS number: the last digit does not match the others, so it has a mistake"
            )
        if digits and len(digits) != 10:
            raise ValidationError("NHS number must be 10 digits, like 943 476 5919")
        return digits

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        compact = re.sub(r"\s+", "", value.upper())
        if compact and not re.fullmatch(r"[A-Z0-9]{1,7}", compact):
            raise ValidationError("Postcode must only include letters and numbers")
        # A full postcode is matched exactly; the start of one, with or without its space.
        return compact

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class BreakGlassForm(GovUKForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="For example, a safeguarding referral, a hospital discharge, or a finance query. "
        "Your reason, your name and the time are recorded. The person can see who opened their record and when, but not your reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=500,
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Your reason must be at least 10 characters",
            "max_length": "Your reason must be 500 characters or fewer",
        },
    )


class FindPersonForm(GovUKForm):
    identifier = forms.CharField(
        label="NHS number or council person ID",
        max_length=20,
        error_messages={"required": "Enter an NHS number or a council person ID"},
    )
    reason = forms.CharField(
        label="Reason, if the person is not on your caseload",
        required=False,
        help_text="Opening a record outside your caseload is recorded with your reason. The person can see who opened it and when, but not your reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identifier"].govuk = {"width": 10, "spellcheck": False}

    def lookup(self):
        """The filter that finds the person this identifier names, whichever kind it is."""
        raw = self.cleaned_data["identifier"]
        digits = domain.normalise_nhs_number(raw)
        if re.fullmatch(r"\d{10}", digits):
            return {"nhs_number": digits}
        return {"council_person_id__iexact": raw.strip()}
