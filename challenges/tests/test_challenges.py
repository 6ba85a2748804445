"""Challenging a budget or plan decision: the person (or their representative) in the portal,
in their own words; a reply due in 20 working days; assigned and decided with reasons by
someone other than the decision-maker; the outcome shown to the person and in the letter
history; the staff list with overdue challenges marked; who may see what."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from challenges import actions
from challenges.models import Challenge
from challenges.tests.factories import (
    AssignedChallengeFactory,
    ChallengeFactory,
    DecidedChallengeFactory,
    LetterPlanFactory,
    _citizen_for,
    colleague_of,
)
from core.actions import IllegalTransition
from core.concurrency import EditConflict
from core.dates import BANK_HOLIDAYS_ENGLAND
from core.models import AuditEvent
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def twenty_working_days_after(day: dt.date) -> dt.date:
    """Counted here one day at a time: weekdays that are not bank holidays."""
    left = 20
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS_ENGLAND:
            left -= 1
    return day


@pytest.fixture
def plan():
    return LetterPlanFactory()


@pytest.fixture
def person_user(plan):
    return _citizen_for(plan.person)


def test_a_person_challenges_their_budget_in_the_portal_in_their_own_words(
    client_for, plan, person_user
):
    client = client_for(person_user)
    portal = text(client.get(f"/my-record/people/{plan.person.pk}/"))
    assert "Challenge a decision" in portal
    page = client.get(f"/my-record/people/{plan.person.pk}/challenge/")
    assert page.status_code == 200
    due = twenty_working_days_after(TODAY)
    assert f"{due.day} {due:%B %Y}" in text(page)
    response = client.post(
        f"/my-record/people/{plan.person.pk}/challenge/",
        {
            "decision": f"budget-{plan.pk}",
            "words": "My evenings are not covered at all",
            "wanted": "Five more hours a week",
        },
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my-record/challenges/{challenge.pk}/"
    assert challenge.status == Challenge.Status.RECEIVED
    assert challenge.about == Challenge.About.BUDGET
    assert challenge.words == "My evenings are not covered at all"
    assert challenge.respond_by == due
    assert challenge.raised_by == person_user
    assert challenge.decision_maker == plan.approved_by
    assert AuditEvent.objects.filter(record_type="challenges.challenge").count() == 1
    confirmation = text(client.get(response["Location"]))
    assert "Challenge received" in confirmation
    assert f"{due.day} {due:%B %Y}" in confirmation


def test_a_challenge_without_words_is_refused_with_an_error_summary_and_nothing_saved(
    client_for, plan, person_user
):
    response = client_for(person_user).post(
        f"/my-record/people/{plan.person.pk}/challenge/",
        {"decision": f"budget-{plan.pk}", "words": "   "},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "Tell us what you disagree with" in text(response)
    assert not Challenge.objects.exists()


def test_the_rule_refuses_a_challenge_without_words_outside_the_form(plan):
    decision = actions.decisions_for(plan.person)[0]
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.raise_challenge(decision, acting_user=_citizen_for(plan.person), words="")
    assert refused.value.codes == ["CHALLENGE-WORDS"]


def test_a_representative_challenges_for_the_person_they_represent(client_for, plan):
    representative = UserFactory(role=Role.REPRESENTATIVE)
    plan.person.representative = representative
    plan.person.save(update_fields=["representative"])
    response = client_for(representative).post(
        f"/my-record/people/{plan.person.pk}/challenge/",
        {"decision": f"plan-{plan.pk}", "words": "Mum was not asked what matters to her"},
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.about == Challenge.About.PLAN
    assert challenge.raised_by == representative


def test_people_who_may_not_see_the_person_get_a_404_for_every_challenge_page(
    client_for, plan, other_team
):
    challenge = ChallengeFactory(plan=plan)
    stranger = UserFactory(role=Role.PERSON)
    outsider = UserFactory(role=Role.PRACTITIONER, team=other_team)
    for user in (stranger, outsider):
        client = client_for(user)
        assert client.get(f"/my-record/people/{plan.person.pk}/challenge/").status_code == 404
        assert client.get(f"/my-record/challenges/{challenge.pk}/").status_code == 404
        assert client.post(f"/my-record/challenges/{challenge.pk}/withdraw/").status_code == 404
        assert client.get(f"/challenges/{challenge.pk}/").status_code == 404
    assert text(client_for(outsider).get("/challenges/")).count(plan.person.full_name) == 0
    # A person cannot open the staff list at all.
    assert client_for(_citizen_for(plan.person)).get("/challenges/").status_code == 404


def test_staff_see_their_teams_open_challenges_soonest_due_first_with_overdue_ones_marked(
    client_for, plan
):
    late = ChallengeFactory(plan=plan, received_on=TODAY - dt.timedelta(days=60))
    on_time = ChallengeFactory(plan=plan, about="plan")
    colleague = colleague_of(plan.person)
    page = client_for(colleague).get("/challenges/")
    assert page.status_code == 200
    listed = [c.pk for c in page.context["challenges"]]
    assert listed == [late.pk, on_time.pk]
    assert late.respond_by < TODAY <= on_time.respond_by
    body = text(page)
    assert "1 challenge overdue" in body
    assert body.count("Overdue") == 1
    assert "app-row--overdue" in page.content.decode()


def test_a_different_member_of_staff_decides_the_challenge_and_the_person_sees_the_outcome(
    client_for, plan, person_user
):
    challenge = ChallengeFactory(plan=plan)
    colleague = colleague_of(plan.person)
    client = client_for(colleague)
    response = client.post(
        f"/challenges/{challenge.pk}/",
        {"step": "assign", "assignee": str(colleague.pk), "edit_version": challenge.edit_version},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ASSIGNED
    assert challenge.assigned_to == colleague
    response = client.post(
        f"/challenges/{challenge.pk}/",
        {
            "step": "decide",
            "outcome": "partly",
            "reasons": "Five more hours in the evenings will be added to your plan",
            "edit_version": challenge.edit_version,
        },
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PARTLY_UPHELD
    assert challenge.decided_by == colleague
    person_client = client_for(person_user)
    seen = text(person_client.get(f"/my-record/challenges/{challenge.pk}/"))
    assert "partly upheld" in seen
    assert "Five more hours in the evenings will be added to your plan" in seen
    portal = text(person_client.get(f"/my-record/people/{plan.person.pk}/"))
    assert "Challenge partly upheld" in portal
    letter = text(person_client.get(f"/plans/{plan.pk}/letter/"))
    assert "Challenge partly upheld" in letter


def test_whoever_made_the_decision_may_neither_take_nor_decide_the_challenge(plan):
    challenge = ChallengeFactory(plan=plan)
    decision_maker = plan.approved_by
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.assign_challenge(challenge, acting_user=decision_maker, assignee=decision_maker)
    assert refused.value.codes == ["CHALLENGE-ASSIGNEE-IS-DECISION-MAKER"]
    challenge = actions.assign_challenge(
        challenge, acting_user=decision_maker, assignee=colleague_of(plan.person)
    )
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_challenge(
            challenge, acting_user=decision_maker, outcome="not_upheld", reasons="It stands"
        )
    assert refused.value.codes == ["CHALLENGE-DECIDER-IS-DECISION-MAKER"]
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ASSIGNED


def test_the_decision_maker_sees_the_refusal_on_the_page_and_nothing_changes(client_for, plan):
    challenge = AssignedChallengeFactory(plan=plan)
    decision_maker = plan.approved_by
    response = client_for(decision_maker).post(
        f"/challenges/{challenge.pk}/",
        {
            "step": "decide",
            "outcome": "not_upheld",
            "reasons": "The budget is right",
            "edit_version": challenge.edit_version,
        },
    )
    assert response.status_code == 200
    assert "Someone other than whoever made the decision" in text(response)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ASSIGNED


def test_an_outcome_needs_reasons(plan):
    challenge = AssignedChallengeFactory(plan=plan)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.decide_challenge(
            challenge, acting_user=challenge.assigned_to, outcome="upheld", reasons=" "
        )
    assert refused.value.codes == ["CHALLENGE-REASONS"]


def test_a_challenge_is_decided_only_once_assigned_and_never_after_it_is_decided(plan):
    received = ChallengeFactory(plan=plan)
    with pytest.raises(IllegalTransition):
        actions.decide_challenge(
            received, acting_user=colleague_of(plan.person), outcome="upheld", reasons="Yes"
        )
    decided = DecidedChallengeFactory(plan=plan, about="plan")
    with pytest.raises(IllegalTransition):
        actions.withdraw_challenge(decided, acting_user=_citizen_for(plan.person))
    with pytest.raises(IllegalTransition):
        actions.assign_challenge(
            decided, acting_user=decided.assigned_to, assignee=decided.assigned_to
        )


def test_the_person_withdraws_an_open_challenge(client_for, plan, person_user):
    challenge = ChallengeFactory(plan=plan)
    response = client_for(person_user).post(
        f"/my-record/challenges/{challenge.pk}/withdraw/",
        {"edit_version": challenge.edit_version},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.WITHDRAWN
    assert challenge.withdrawn_at is not None


def test_a_stale_form_is_told_of_the_change_not_overwritten(plan):
    challenge = ChallengeFactory(plan=plan)
    stale = challenge.edit_version
    first = colleague_of(plan.person)
    actions.assign_challenge(challenge, acting_user=first, assignee=first)
    with pytest.raises(EditConflict):
        actions.assign_challenge(
            challenge,
            acting_user=first,
            assignee=colleague_of(plan.person),
            expected_version=stale,
        )
    challenge.refresh_from_db()
    assert challenge.assigned_to == first


def test_the_budget_explained_page_points_the_person_to_the_challenge_route(
    client_for, plan, person_user
):
    page = client_for(person_user).get(f"/people/{plan.person.pk}/budget/")
    assert page.status_code == 200
    assert f'href="/my-record/people/{plan.person.pk}/challenge/"' in page.content.decode()
    staff_page = client_for(colleague_of(plan.person)).get(f"/people/{plan.person.pk}/budget/")
    assert 'href="/challenges/"' in staff_page.content.decode()


def test_with_no_decision_yet_the_route_says_so_and_takes_nothing(client_for):
    from assessment.tests.factories import CompletedAssessmentFactory

    person = CompletedAssessmentFactory().person
    user = _citizen_for(person)
    page = client_for(user).get(f"/my-record/people/{person.pk}/challenge/")
    assert page.status_code == 200
    assert "There is no budget or plan decision to challenge yet" in text(page)
    client_for(user).post(
        f"/my-record/people/{person.pk}/challenge/", {"decision": "budget-1", "words": "No"}
    )
    assert not Challenge.objects.exists()
