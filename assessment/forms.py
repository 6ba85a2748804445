"""Forms for answering, checking, declaring and deciding eligibility."""

from django import forms
from django.core.exceptions import ValidationError

from ui.forms import GovUKCheckboxes, GovUKForm, GovUKRadioSelect

from . import domain

YES_NO = [("yes", "Yes"), ("no", "No")]


NONE = "_none"  # the "none of these" checkbox (no option code starts with _)


class AnswerCheckboxes(GovUKCheckboxes):
    """GOV.UK checkboxes whose "none" box, after an "or" divider, clears the others (and
    they it): govuk-frontend's exclusive behaviour, no inline script."""

    option_template_name = "assessment/widgets/answer_checkbox.html"


class AnswerForm(GovUKForm):
    """One question, one page: the question is the page heading. A multiple-choice question
    has checkboxes, with an exclusive "none" box when the scheme gives it words; its answer
    is the list of option codes chosen (empty for none)."""

    def __init__(self, *args, question, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.multiple:
            self._add_checkboxes(question)
        else:
            self._add_radios(question)
        if reason_required:
            self.fields["reason"] = forms.CharField(
                label="Why are you changing this answer?",
                help_text="The person can see this reason in the history of their assessment.",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=500,
                error_messages={"required": "Enter why you are changing this answer"},
            )

    def _add_checkboxes(self, question):
        choices = [(o.code, o.label) for o in question.options]
        if question.none_label:
            choices.append((NONE, question.none_label))
        self.fields["answer"] = forms.MultipleChoiceField(
            label=question.text,
            help_text=question.hint or "Select all that apply.",
            choices=choices,
            widget=AnswerCheckboxes(),
            required=bool(question.none_label),
            error_messages={
                "required": f"Select the answers that apply, or ‘{question.none_label}’",
                "invalid_choice": "Select from the answers",
            },
        )
        self.fields["answer"].govuk = {"heading": True}

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        if not self.question.multiple:
            return value
        if NONE in value:
            if len(value) > 1:
                raise ValidationError(
                    f"Select ‘{self.question.none_label}’ or the answers that apply, not both"
                )
            return []
        return [o.code for o in self.question.options if o.code in value]

    def _add_radios(self, question):
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
    """The Care Act eligibility decision with its evidence (Eligibility Regulations 2015).

    For each outcome the person cannot achieve: which of the ways in regulation 2(3) (3(3)
    for carers) apply, a note of the evidence, and whether an unpaid carer meets the need now
    (still an eligible need: s18(7), statutory guidance 10.26). Fluctuating needs are
    considered over a stated period (reg 2(4), 3(4)). A not-eligible decision carries written
    advice (s13(5)). Changing a decision needs a reason.
    """

    arises_from_condition = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the needs arise from the condition"},
    )
    health_at_risk = forms.ChoiceField(
        label="Is the carer’s physical or mental health deteriorating, or at risk of deteriorating?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    fluctuates = forms.ChoiceField(
        label="Do their needs fluctuate?",
        help_text="For example, good and bad days or weeks, or a condition that comes and goes",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if their needs fluctuate"},
    )
    fluctuation_period = forms.CharField(
        label="Over what period did you consider their circumstances?",
        help_text="For example, the last 3 months, to include the bad weeks as well as the good",
        required=False,
        max_length=200,
    )
    unable = forms.MultipleChoiceField(
        label="Which outcomes are they unable to achieve?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    significant_impact = forms.ChoiceField(
        label="As a result, is there (or is there likely to be) a significant impact on their well-being?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if there is a significant impact on well-being"},
    )
    wellbeing_areas = forms.MultipleChoiceField(
        label="Which areas of their well-being?",
        help_text="Section 1(2) of the Care Act 2014. Select all that apply.",
        required=False,
        choices=domain.WELLBEING_AREAS,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label="Your reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="Write for the person: they will read this.",
        error_messages={"required": "Enter your reasons"},
    )
    advice_topics = forms.MultipleChoiceField(
        label="If the needs are not eligible: the advice and information you are giving",
        help_text="The person gets this in writing (Care Act 2014 section 13(5)). Select all that apply.",
        required=False,
        choices=domain.ADVICE_TOPICS,
        widget=forms.CheckboxSelectMultiple,
    )
    advice = forms.CharField(
        label="Advice in your own words",
        help_text="What could prevent or delay their needs getting worse, and who can help",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    change_reason = forms.CharField(
        label="Why are you changing the decision?",
        help_text="The earlier decision is kept in the assessment’s history.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind, changing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.changing = changing
        outcomes = domain.outcomes_for(kind)
        self.fields["unable"].choices = outcomes
        self.outcome_codes = [code for code, _ in outcomes]
        for code, label in outcomes:
            self.fields[f"ways_{code}"] = forms.MultipleChoiceField(
                label=f"How are they unable to achieve: {label[:1].lower()}{label[1:]}?",
                required=False,
                choices=domain.ways_for(kind),
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label="The evidence",
                help_text="What they told you and what you saw",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"carer_{code}"] = forms.BooleanField(
                label="An unpaid carer meets this need now",
                help_text="It is still an eligible need (Care Act 2014 section 18(7))",
                required=False,
            )
        if kind == "carer":
            self.fields[
                "arises_from_condition"
            ].label = "Do the carer’s needs arise from providing necessary care for an adult?"
            self.fields["health_at_risk"].required = True
            self.fields["health_at_risk"].error_messages["required"] = (
                "Select yes if the carer’s health is deteriorating or at risk of deteriorating"
            )
            for code, _label in outcomes:
                del self.fields[f"carer_{code}"]
        else:
            self.fields[
                "arises_from_condition"
            ].label = (
                "Do the needs arise from or relate to a physical or mental impairment or illness?"
            )
            del self.fields["health_at_risk"]
        if not changing:
            del self.fields["change_reason"]

    def outcome_rows(self):
        chosen = set(self["unable"].value() or [])
        return [
            {
                "code": code,
                "label": label,
                "checked": code in chosen,
                "index": index,
                "ways": self[f"ways_{code}"],
                "note": self[f"note_{code}"],
                "carer": self[f"carer_{code}"] if f"carer_{code}" in self.fields else None,
            }
            for index, (code, label) in enumerate(domain.outcomes_for(self.kind), start=1)
        ]

    def _evidence(self, cleaned) -> dict:
        return {
            code: {
                "ways": list(cleaned.get(f"ways_{code}") or []),
                "note": cleaned.get(f"note_{code}") or "",
                "met_by_carer": bool(cleaned.get(f"carer_{code}")),
            }
            for code in cleaned.get("unable") or []
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        unable = set(cleaned.get("unable") or [])
        impact = cleaned.get("significant_impact") == "yes"
        if impact and not unable and self.kind == "person":
            raise ValidationError(
                "Select the outcomes the person cannot achieve, or answer no to significant impact"
            )
        evidence = {
            code: domain.OutcomeEvidence(
                ways=tuple(item["ways"]), note=item["note"], met_by_carer=item["met_by_carer"]
            )
            for code, item in self._evidence(cleaned).items()
        }
        field_for = {
            "ELG-NO-WELLBEING-AREA": "wellbeing_areas",
            "ELG-NO-PERIOD": "fluctuation_period",
        }
        for gap in domain.problems(
            self.kind,
            unable=unable,
            significant_impact=impact,
            evidence=evidence,
            wellbeing_areas=set(cleaned.get("wellbeing_areas") or []),
            fluctuates=cleaned.get("fluctuates") == "yes",
            fluctuation_period=cleaned.get("fluctuation_period") or "",
        ):
            target = {
                "ELG-NO-NOTE": "note_",
                "ELG-NO-WAY": "ways_",
                "ELG-WAY-NOT-FOR-KIND": "ways_",
            }
            if gap.code in field_for:
                self.add_error(field_for[gap.code], gap.message)
            elif gap.outcome and gap.code in target:
                self.add_error(f"{target[gap.code]}{gap.outcome}", gap.message)
            else:
                self.add_error(None, gap.message)
        result = domain.decide(
            self.kind,
            arises_from_condition=cleaned.get("arises_from_condition") == "yes",
            unable=unable,
            significant_impact=impact,
            health_at_risk=cleaned.get("health_at_risk") == "yes",
        )
        self.result = result
        if not result.eligible and not (
            cleaned.get("advice_topics") or cleaned.get("advice", "").strip()
        ):
            self.add_error(
                "advice_topics",
                "The needs are not eligible: choose the advice and information to give in writing",
            )
        if self.changing and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", "Enter why you are changing the decision")
        return cleaned

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "arises_from_condition": data["arises_from_condition"] == "yes",
            "unable": list(data.get("unable") or []),
            "significant_impact": data["significant_impact"] == "yes",
            "health_at_risk": data.get("health_at_risk") == "yes",
            "reasons": data["reasons"],
            "evidence": self._evidence(data),
            "wellbeing_areas": list(data.get("wellbeing_areas") or []),
            "fluctuates": data.get("fluctuates") == "yes",
            "fluctuation_period": data.get("fluctuation_period") or "",
            "advice_topics": list(data.get("advice_topics") or []),
            "advice": data.get("advice") or "",
            "change_reason": data.get("change_reason") or "",
        }

    @classmethod
    def initial_from(cls, decision) -> dict:
        initial = {
            "arises_from_condition": "yes" if decision.arises_from_condition else "no",
            "health_at_risk": "yes" if decision.health_at_risk else "no",
            "unable": decision.unable_outcomes,
            "significant_impact": "yes" if decision.significant_impact else "no",
            "wellbeing_areas": decision.wellbeing_areas,
            "fluctuates": "yes" if decision.fluctuates else "no",
            "fluctuation_period": decision.fluctuation_period,
            "reasons": decision.reasons,
            "advice_topics": decision.advice_topics,
            "advice": decision.advice,
        }
        for code, item in (decision.outcome_evidence or {}).items():
            initial[f"ways_{code}"] = item.get("ways", [])
            initial[f"note_{code}"] = item.get("note", "")
            initial[f"carer_{code}"] = item.get("met_by_carer", False)
        return initial


class StartForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Which assessment?",
        choices=[("person", "Needs assessment"), ("carer", "Carer’s assessment")],
        widget=forms.RadioSelect,
        initial="person",
    )
    cared_for = forms.CharField(
        label="For a carer’s assessment: the council person ID of the person they care for",
        help_text="For example, WX0001234",
        required=False,
        max_length=20,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cared_for"].govuk = {"width": 10, "spellcheck": False}

    def clean(self):
        from people.models import Person

        cleaned = super().clean()
        ref = (cleaned.get("cared_for") or "").strip()
        cleaned["cared_for_person"] = None
        if cleaned.get("kind") == "carer":
            if not ref:
                self.add_error(
                    "cared_for", "Enter the council person ID of the person they care for"
                )
                return cleaned
            found = (
                Person.objects.visible_to(self.user).filter(council_person_id__iexact=ref).first()
            )
            if found is None:
                self.add_error(
                    "cared_for",
                    "No person on your caseload has this council person ID: check it, or open "
                    "their record first",
                )
            cleaned["cared_for_person"] = found
        return cleaned


class CapacityForm(GovUKForm):
    """A Mental Capacity Act 2005 assessment for one decision (ss2-3): the two-stage test."""

    decision = forms.ChoiceField(
        label="Which decision is this about?",
        widget=forms.RadioSelect,
        help_text="Capacity is about one decision at one time, not a person in general.",
    )
    impairment = forms.ChoiceField(
        label="Do they have an impairment of, or a disturbance in the functioning of, the mind or brain?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    understands = forms.ChoiceField(
        label="Can they understand the information relevant to the decision?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    retains = forms.ChoiceField(
        label="Can they retain that information long enough to decide?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    weighs = forms.ChoiceField(
        label="Can they use or weigh that information as part of deciding?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    communicates = forms.ChoiceField(
        label="Can they communicate their decision, by any means?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="How you assessed it",
        help_text="What you explained, how, what they said, and what support you gave them to decide",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter how you assessed capacity for this decision"},
    )

    def __init__(self, *args, **kwargs):
        from .models import CapacityAssessment

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = CapacityAssessment.Decision.choices
        self.fields["decision"].widget.choices = CapacityAssessment.Decision.choices

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "impairment": data["impairment"] == "yes",
            "understands": data["understands"] == "yes",
            "retains": data["retains"] == "yes",
            "weighs": data["weighs"] == "yes",
            "communicates": data["communicates"] == "yes",
            "notes": data["notes"],
        }
