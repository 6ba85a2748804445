"""The eligibility decision as the law asks for it (Care and Support (Eligibility Criteria)
Regulations 2015; Care Act 2014 ss13, 18; Mental Capacity Act 2005)."""

import datetime as dt

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.models import Allocation
from assessment import actions, domain
from assessment.models import Assessment, CapacityAssessment, EligibilityDecision
from assessment.tests.factories import (
    CompletedAssessmentFactory,
    SubmittedAssessmentFactory,
    decision,
)
from budgets.tests.factories import ActiveBudgetFactory
from core.rules import BusinessRuleViolation
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def codes(error):
    return [p.code for p in error.value.problems]


def test_the_carers_outcomes_are_worded_as_regulation_3_2_b():
    labels = dict(domain.CARER_OUTCOMES)
    assert labels["habitable_home"] == (
        "Maintaining a habitable home environment in the carer’s home (whether or not this is "
        "also the home of the adult needing care)"
    )
    assert (
        labels["relationships"]
        == "Developing and maintaining family or other personal relationships"
    )
    assert len(labels) == 8


def test_a_carer_is_unable_in_three_ways_and_an_adult_in_four():
    """Regulation 3(3) has no 'takes significantly longer' for carers; regulation 2(3) does."""
    assert [code for code, _ in domain.ways_for("carer")] == [
        "without_assistance",
        "pain_distress_anxiety",
        "endangers",
    ]
    assert "takes_longer" in [code for code, _ in domain.ways_for("person")]
    gaps = domain.problems(
        "carer",
        unable={"recreation"},
        significant_impact=True,
        evidence={"recreation": domain.OutcomeEvidence(ways=("takes_longer",), note="Slow")},
        wellbeing_areas={"health"},
    )
    assert [g.code for g in gaps] == ["ELG-WAY-NOT-FOR-KIND"]


def test_each_outcome_not_achieved_needs_its_ways_and_evidence(team, practitioner):
    assessment = SubmittedAssessmentFactory(person=PersonFactory(team=team))
    values = decision(["hygiene", "toilet"])
    values["evidence"] = {"hygiene": {"ways": [], "note": ""}}
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(assessment, acting_user=practitioner, **values)
    assert codes(refused) == ["ELG-NO-WAY", "ELG-NO-NOTE", "ELG-NO-WAY", "ELG-NO-NOTE"]
    assert not EligibilityDecision.objects.exists()


def test_a_significant_impact_names_the_areas_of_wellbeing(team, practitioner):
    assessment = SubmittedAssessmentFactory(person=PersonFactory(team=team))
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(
            assessment,
            acting_user=practitioner,
            **decision(["hygiene", "toilet"], wellbeing_areas=[]),
        )
    assert codes(refused) == ["ELG-NO-WELLBEING-AREA"]


def test_fluctuating_needs_are_considered_over_a_stated_period(team, practitioner):
    """Regulation 2(4): circumstances over the period needed to establish the level of need."""
    assessment = SubmittedAssessmentFactory(person=PersonFactory(team=team))
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(
            assessment, acting_user=practitioner, **decision(["hygiene", "toilet"], fluctuates=True)
        )
    assert codes(refused) == ["ELG-NO-PERIOD"]
    made = actions.decide_eligibility(
        assessment,
        acting_user=practitioner,
        **decision(["hygiene", "toilet"], fluctuates=True, fluctuation_period="the last 3 months"),
    )
    assert (made.fluctuates, made.fluctuation_period) == (True, "the last 3 months")


def test_needs_an_unpaid_carer_meets_are_still_eligible_needs(team, practitioner):
    """Care Act s18(7) and statutory guidance 10.26."""
    assessment = SubmittedAssessmentFactory(person=PersonFactory(team=team))
    values = decision(["hygiene", "toilet"])
    values["evidence"]["toilet"]["met_by_carer"] = True
    made = actions.decide_eligibility(assessment, acting_user=practitioner, **values)
    assert made.eligible
    assert made.evidence_for("toilet")["met_by_carer"] is True


def test_not_eligible_needs_written_advice_and_shows_no_money_anywhere(
    client_for, team, practitioner
):
    """Care Act s13(5): written advice on preventing or delaying needs; and no amount shown."""
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner, first_name="Iris")
    assessment = SubmittedAssessmentFactory(person=person, acting_user=practitioner)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(
            assessment,
            acting_user=practitioner,
            **decision(["hygiene"], eligible=False, advice_topics=[]),
        )
    assert codes(refused) == ["ELG-NO-ADVICE"]
    actions.decide_eligibility(
        assessment,
        acting_user=practitioner,
        **decision(["hygiene"], eligible=False, advice="Try the Wexcombe falls class on Tuesdays"),
    )
    allocation = Allocation.objects.get(assessment=assessment)
    assert allocation.status == "not_eligible"
    money = f"{allocation.amount:,.2f}"
    staff = client_for(practitioner)
    person_client = client_for(owner)
    pages = [
        staff.get(f"/assessments/{assessment.pk}/").content.decode(),
        staff.get(f"/people/{person.pk}/").content.decode(),
        staff.get(f"/people/{person.pk}/assessments/").content.decode(),
        person_client.get(f"/my-record/people/{person.pk}/").content.decode(),
        person_client.get(f"/assessments/{assessment.pk}/").content.decode(),
    ]
    for page in pages:
        assert money not in page
    budget = person_client.get(f"/assessments/{assessment.pk}/budget/")
    assert budget.status_code == 302 and budget["Location"].endswith("/decision/")
    assert person_client.get(f"/assessments/{assessment.pk}/budget/?format=csv").status_code == 404
    letter = person_client.get(f"/assessments/{assessment.pk}/decision/").content.decode()
    assert "Your eligibility decision" in letter
    assert "Try the Wexcombe falls class on Tuesdays" in letter
    assert "Equipment and adaptations" in letter
    assert money not in letter


def test_changing_a_decision_needs_a_reason_and_keeps_the_old_one_in_history(team, practitioner):
    assessment = CompletedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    )
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_eligibility(
            assessment, acting_user=practitioner, **decision(["hygiene", "toilet", "nutrition"])
        )
    assert codes(refused) == ["ELG-CHANGE-REASON"]
    actions.decide_eligibility(
        assessment,
        acting_user=practitioner,
        **decision(["hygiene", "toilet", "nutrition"], change_reason="Saw them prepare a meal"),
    )
    history = EligibilityDecision.history.filter(assessment_id=assessment.pk).order_by("history_id")
    assert [sorted(h.unable_outcomes) for h in history] == [
        ["hygiene", "toilet"],
        ["hygiene", "nutrition", "toilet"],
    ]
    assert history.last().change_reason == "Saw them prepare a meal"


def test_a_decision_that_reverses_an_eligible_one_flags_the_budget_for_review(team, practitioner):
    person = PersonFactory(team=team)
    CompletedAssessmentFactory(person=person, acting_user=practitioner)
    budget = ActiveBudgetFactory(person=person, acting_user=practitioner)
    later = SubmittedAssessmentFactory(person=person, acting_user=practitioner, seed=3)
    actions.decide_eligibility(
        later, acting_user=practitioner, **decision(["hygiene"], eligible=False)
    )
    budget.refresh_from_db()
    assert budget.review_flagged_at is not None
    assert "not eligible" in budget.review_reason


def test_the_eligibility_page_has_a_check_step_before_anything_is_saved(
    client_for, team, practitioner
):
    assessment = SubmittedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    )
    data = {
        "arises_from_condition": "yes",
        "fluctuates": "no",
        "unable": ["hygiene", "toilet"],
        "ways_hygiene": ["without_assistance"],
        "note_hygiene": "Cannot get into the bath",
        "ways_toilet": ["endangers"],
        "note_toilet": "Has fallen twice at night",
        "carer_toilet": "on",
        "significant_impact": "yes",
        "wellbeing_areas": ["dignity", "health"],
        "reasons": "Needs help to wash and to use the toilet safely",
    }
    client = client_for(practitioner)
    check = client.post(f"/assessments/{assessment.pk}/eligibility/", data)
    page = check.content.decode()
    assert "Check the decision before you save it" in page
    assert "Has fallen twice at night" in page and "An unpaid carer meets this need now" in page
    assert not EligibilityDecision.objects.exists()
    saved = client.post(f"/assessments/{assessment.pk}/eligibility/", {**data, "confirmed": "yes"})
    assert saved.status_code == 302
    made = EligibilityDecision.objects.get()
    assert made.outcome_evidence["toilet"] == {
        "ways": ["endangers"],
        "note": "Has fallen twice at night",
        "met_by_carer": True,
    }


def test_capacity_is_recorded_for_one_decision_by_the_two_stage_test(team, practitioner):
    """MCA 2005 ss2-3: an impairment, and because of it unable to understand, retain, weigh
    or communicate: then, and only then, lacks capacity for that decision."""
    person = PersonFactory(team=team)
    lacks = actions.record_capacity(
        person,
        acting_user=practitioner,
        decision=CapacityAssessment.Decision.DIRECT_PAYMENT,
        impairment=True,
        understands=True,
        retains=False,
        weighs=True,
        communicates=True,
        notes="Could not hold on to the figures",
    )
    has = actions.record_capacity(
        person,
        acting_user=practitioner,
        decision=CapacityAssessment.Decision.REQUEST_SUPPORTED_SELF,
        impairment=True,
        understands=True,
        retains=True,
        weighs=True,
        communicates=True,
        notes="Asked for her daughter's help with the form",
    )
    assert (lacks.outcome, has.outcome) == ("lacks_capacity", "has_capacity")


def test_a_representative_leads_a_self_assessment_only_when_the_person_can_ask_for_one(
    client_for, team, practitioner
):
    """Assessment Regulations reg 2(3)(b): otherwise a practitioner leads, involving them."""
    representative = UserFactory(role=Role.REPRESENTATIVE)
    person = PersonFactory(team=team, representative=representative)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.start_assessment(person, kind="person", mode="self", acting_user=representative)
    assert codes(refused) == ["ASM-REP-CAPACITY"]
    response = client_for(representative).post(
        "/my-record/assessments/start/", {"person": person.pk}
    )
    assert response.status_code == 302 and not Assessment.objects.filter(person=person).exists()
    actions.record_capacity(
        person,
        acting_user=practitioner,
        decision=CapacityAssessment.Decision.REQUEST_SUPPORTED_SELF,
        impairment=False,
        understands=True,
        retains=True,
        weighs=True,
        communicates=True,
        notes="Asked for her son to help her fill it in",
        assessed_on=dt.date(2026, 11, 1),
    )
    started = actions.start_assessment(
        person, kind="person", mode="self", acting_user=representative
    )
    assert started.mode == "self"


def test_a_carers_assessment_names_whom_they_care_for(client_for, team, practitioner):
    carer = PersonFactory(team=team, first_name="Cara")
    cared_for = PersonFactory(team=team, first_name="Iris")
    client = client_for(practitioner)
    missing = client.post(f"/people/{carer.pk}/assessments/", {"kind": "carer"})
    assert "Enter the council person ID of the person they care for" in missing.content.decode()
    made = client.post(
        f"/people/{carer.pk}/assessments/",
        {"kind": "carer", "cared_for": cared_for.council_person_id},
    )
    assert made.status_code == 302
    assert Assessment.objects.get(person=carer).cared_for == cared_for
    # Both records link: the carer cares for Iris, and Iris has an unpaid carer.
    assert list(cared_for.cared_for_by.values_list("carer", flat=True)) == [carer.pk]
    cared_for.refresh_from_db()
    assert cared_for.has_unpaid_carer
