"""Forms for the person record, with the GOV.UK error messages for each mistake."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict

from accounts.models import Team, User
from accounts.roles import Role
from ui.forms import GovUKDateField, GovUKForm, GovUKModelForm, GovUKRadioSelect

from . import codes, domain, rules
from .models import Person

FLAG_FIELDS = codes.CONDITION_FLAGS
OLDEST_AGE = 125
REPRESENTATIVE_MATCHES = 20


def representatives_matching(query: str):
    """Active representatives whose name or username has every word typed, in name order."""
    people = User.objects.filter(role=Role.REPRESENTATIVE, is_active=True)
    for word in query.split()[:5]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return people.order_by("last_name", "first_name", "id")


def representative_options(query: str, chosen_id) -> dict:
    """What the representative radios offer: none, the one chosen, and up to 20 matches.

    The whole list runs to hundreds, so it is never drawn: typing part of a name narrows it
    on the server (with the Search button, or as you type when JavaScript runs)."""
    query = (query or "").strip()
    chosen = None
    if chosen_id:
        chosen = User.objects.filter(
            pk=chosen_id if str(chosen_id).isdigit() else None,
            role=Role.REPRESENTATIVE,
            is_active=True,
        ).first()
    matches, count = [], 0
    if query:
        found = representatives_matching(query)
        count = found.count()
        matches = [u for u in found[:REPRESENTATIVE_MATCHES] if not chosen or u.pk != chosen.pk]
    choices = [("", "No representative")]
    if chosen:
        choices.append((chosen.pk, _representative_label(chosen)))
    choices += [(u.pk, _representative_label(u)) for u in matches]
    return {"choices": choices, "query": query, "count": count, "shown": len(matches)}


def _representative_label(user) -> str:
    return f"{user.display_name} ({user.username})"


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
    representative_search = forms.CharField(
        label="Find a representative",
        required=False,
        max_length=100,
        help_text="Type part of their name, then choose them below",
    )
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
            "religion",
            "sexual_orientation",
            "legal_partnership_status",
            "pregnancy_maternity",
            "client_type",
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
            "religion": forms.RadioSelect,
            "sexual_orientation": forms.RadioSelect,
            "pregnancy_maternity": forms.RadioSelect,
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
        # Equality monitoring is optional (Equality Act 2010: nobody has to answer): a
        # question left unanswered is recorded as not asked.
        for name in codes.EQUALITY_FIELDS:
            self.fields[name].required = False
        self.fields["client_type"].widget = GovUKRadioSelect(
            choices=codes.CLIENT_TYPES, hints=codes.CLIENT_TYPE_HINTS
        )
        self.fields["client_type"].required = False
        self.fields["primary_support_reason"].choices = [
            (codes.NO_SUPPORT_REASON, codes.NO_SUPPORT_REASON_LABEL),
            *codes.PRIMARY_SUPPORT_REASONS,
        ]
        self.fields["primary_support_reason"].widget.choices = self.fields[
            "primary_support_reason"
        ].choices
        self._representatives()
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
        for name in (
            "sex",
            "gender_identity",
            "religion",
            "sexual_orientation",
            "pregnancy_maternity",
            "client_type",
            "capacity",
            "preferred_contact",
            "flags",
        ):
            self.fields[name].govuk = {"size": "s"}
        self.fields["representative_search"].govuk = {"width": 20, "spellcheck": False}
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def _representatives(self) -> None:
        """Validate against every active representative; draw only the chosen one and matches."""
        field = self.fields["representative"]
        field.queryset = User.objects.filter(role=Role.REPRESENTATIVE, is_active=True)
        chosen = (
            self.data.get(self.add_prefix("representative"))
            if self.is_bound
            else self.initial.get("representative", self.instance.representative_id)
        )
        query = self.data.get(self.add_prefix("representative_search"), "") if self.is_bound else ""
        self.representative_offer = representative_options(query, chosen)
        field.empty_label = None
        field.label = "Representative"
        field.widget = GovUKRadioSelect(choices=self.representative_offer["choices"])
        field.govuk = {"size": "s"}

    def searching(self) -> None:
        """The Search button was pressed: show the form again, narrowed, saving nothing and
        marking nothing as a mistake yet."""
        self._errors = ErrorDict()

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

    def _not_asked(self, name):
        return self.cleaned_data.get(name) or "not_asked"

    def clean_gender_identity(self):
        return self._not_asked("gender_identity")

    def clean_religion(self):
        return self._not_asked("religion")

    def clean_sexual_orientation(self):
        return self._not_asked("sexual_orientation")

    def clean_legal_partnership_status(self):
        return self._not_asked("legal_partnership_status")

    def clean_pregnancy_maternity(self):
        return self._not_asked("pregnancy_maternity")

    def clean_client_type(self):
        return self.cleaned_data.get("client_type") or "service_user"

    def clean(self):
        cleaned = super().clean()
        client_type, reason = cleaned.get("client_type"), cleaned.get("primary_support_reason")
        if client_type in codes.CARER_TYPES and reason:
            self.add_error("primary_support_reason", rules.CarerHasNoSupportReason().message(None))
        elif client_type and client_type not in codes.CARER_TYPES and not reason:
            self.add_error(
                "primary_support_reason", rules.ServiceUserHasSupportReason().message(None)
            )
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


class CaringRelationshipForm(GovUKForm):
    """Link this person and another as carer and cared for (both records show it)."""

    direction = forms.ChoiceField(
        label="How are they linked?",
        choices=[("carer", "This person is the carer"), ("cared_for", "This person is cared for")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they are linked"},
    )
    identifier = forms.CharField(
        label="The other person’s NHS number or council person ID",
        max_length=20,
        help_text="They must already have a record you can open",
        error_messages={"required": "Enter the other person’s NHS number or council person ID"},
    )
    started = GovUKDateField(
        label="When did the caring start?",
        past_only=True,
        help_text="For example, 14 3 2024. If you do not know the day, use the 1st",
    )

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user = person, user
        self.other = None
        name = person.full_name
        self.fields["direction"].widget = GovUKRadioSelect(
            choices=[("carer", f"{name} cares for them"), ("cared_for", f"They care for {name}")]
        )
        self.fields["direction"].govuk = {"size": "s"}
        self.fields["identifier"].govuk = {"width": 10, "spellcheck": False}

    def clean_identifier(self):
        raw = self.cleaned_data["identifier"]
        digits = domain.normalise_nhs_number(raw)
        lookup = (
            {"nhs_number": digits}
            if re.fullmatch(r"\d{10}", digits)
            else {"council_person_id__iexact": raw.strip()}
        )
        # Only someone this user may see: the form never says whether anyone else exists.
        other = Person.objects.visible_to(self.user).filter(**lookup).first()
        if other is None:
            raise ValidationError(
                "No one you can see has this NHS number or council person ID. Open their "
                "record first if they are not on your caseload"
            )
        if other.pk == self.person.pk:
            raise ValidationError("Enter the other person’s number, not this person’s")
        self.other = other
        return raw

    def pair(self):
        """(carer, cared for)."""
        if self.cleaned_data["direction"] == "carer":
            return self.person, self.other
        return self.other, self.person


class EndCaringForm(GovUKForm):
    ended = GovUKDateField(
        label="When did they stop caring?", past_only=True, help_text="For example, 30 9 2025"
    )
