"""The plan pages: the person writes in the portal, staff with them; who sees what; GOV.UK
errors for bad lines with nothing saved; the running total; a concurrent edit shown, not lost;
returning, approving and the reserve's pages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AccessEvent
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.tests.factories import CompletedAssessmentFactory
from budgets.models import ReserveDraw
from core.money import format_pence
from people.tests.factories import PersonFactory
from plans import actions, rates
from plans.models import SupportPlan
from plans.tests.factories import (
    DraftPlanFactory,
    PanelPlanFactory,
    SubmittedPlanFactory,
    approver_with_limit,
    line_values,
    open_reserve,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def person_user():
    return UserFactory(role=Role.PERSON)


@pytest.fixture
def iris(team, practitioner, person_user):
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow", user=person_user)
    CompletedAssessmentFactory(person=person, acting_user=practitioner)
    return person


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def line_post(plan, **changes) -> dict:
    data = {
        "edit_version": plan.edit_version,
        "line_type": "care",
        "service": "home_care",
        "service_type": "lts_community",
        "description": "Help in the mornings",
        "provider_kind": "provider",
        "provider": "Northtown Home Care",
        "units": "7",
        "unit_cost": "",
        "frequency": "weekly",
        "mode": "council_managed",
        "funding_stream": "council",
        "start_date_day": str(TODAY.day),
        "start_date_month": str(TODAY.month),
        "start_date_year": str(TODAY.year),
        "end_date_day": "",
        "end_date_month": "",
        "end_date_year": "",
    }
    data.update(changes)
    return data


def test_a_person_starts_and_writes_their_plan_in_the_portal_in_the_second_person(
    client_for, iris, person_user
):
    client = client_for(person_user)
    portal = text(client.get("/my-record/"))
    assert "Start your support plan" in portal
    response = client.post(f"/people/{iris.pk}/plans/new/")
    plan = SupportPlan.objects.get(person=iris)
    assert response.status_code == 302 and plan.author == person_user
    page = text(client.get(f"/plans/{plan.pk}/"))
    assert "Your support plan" in page and "What matters to you" in page
    assert "How you will be supported" in page and "Cannot start yet" in page
    form = client.get(f"/plans/{plan.pk}/support/new/")
    assert 'name="service_type"' not in form.content.decode()  # people don't pick CLD codes
    client.post(f"/plans/{plan.pk}/support/new/", line_post(plan))
    line = plan.lines.get()
    assert (line.service_type, line.funding_stream) == ("lts_community", "council")


def test_a_representative_reads_the_persons_name_and_staff_the_third_person(
    client_for, team, practitioner
):
    rep = UserFactory(role=Role.REPRESENTATIVE)
    person = PersonFactory(team=team, first_name="Iris", representative=rep)
    plan = DraftPlanFactory(person=CompletedAssessmentFactory(person=person).person)
    for user in (rep, practitioner):
        page = text(client_for(user).get(f"/plans/{plan.pk}/"))
        assert "Iris’s support plan" in page and "What matters to Iris" in page
        assert "What matters to you" not in page


def test_nobody_else_sees_a_plan_and_the_refusal_is_logged(
    client_for, iris, other_team, person_user
):
    plan = DraftPlanFactory(person=iris)
    outsider = UserFactory(role=Role.PRACTITIONER, team=other_team)
    stranger = UserFactory(role=Role.PERSON)
    for user in (outsider, stranger):
        assert client_for(user).get(f"/plans/{plan.pk}/").status_code == 404
        assert client_for(user).get(f"/plans/{plan.pk}/support/new/").status_code == 404
    assert client_for(outsider).get("/plans/987654/").status_code == 404
    assert AccessEvent.objects.filter(user=outsider, action="denied").count() == 3
    client_for(person_user).get(f"/plans/{plan.pk}/")
    assert AccessEvent.objects.filter(user=person_user, person=iris, action="view").exists()


def test_a_bad_line_is_refused_with_govuk_errors_and_nothing_saved(client_for, iris, practitioner):
    plan = DraftPlanFactory(person=iris, author=practitioner, lines=[])
    client = client_for(practitioner)
    response = client.post(
        f"/plans/{plan.pk}/support/new/",
        line_post(plan, unit_cost="0", end_date_day="1", end_date_month="1", end_date_year="2000"),
    )
    page = text(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_unit_cost"' in page and "The unit cost must be more than £0" in page
    assert "The end date must be the same as or after the start date" in page
    unknown = text(client.post(f"/plans/{plan.pk}/support/new/", line_post(plan, service="x")))
    assert "Select what it pays for from the list" in unknown
    assert plan.lines.count() == 0


def test_the_running_total_shows_the_working_as_the_line_is_typed(client_for, iris, practitioner):
    plan = DraftPlanFactory(person=iris, author=practitioner, lines=[])
    client = client_for(practitioner)
    fragment = text(
        client.post(
            f"/plans/{plan.pk}/support/preview/",
            line_post(plan, service="other", units="1", unit_cost="120", frequency="monthly"),
        )
    )
    assert "£120.00 × 12 ÷ 52 = £27.69 a week" in fragment
    assert "With it, the plan costs <strong>£27.69 a week</strong>" in fragment
    waiting = text(client.post(f"/plans/{plan.pk}/support/preview/", line_post(plan, units="")))
    assert "Fill in how many" in waiting
    assert plan.lines.count() == 0


def test_the_running_total_prices_a_line_at_the_rate_in_force_on_its_start_date(
    client_for, iris, practitioner
):
    from allocation import actions as ras_actions

    later = TODAY + dt.timedelta(days=40)
    commissioner = UserFactory(role=Role.COMMISSIONER)
    ras_actions.add_reference_rate(
        "home_care", acting_user=commissioner, rate_pence=3_150, effective_from=later
    )
    plan = DraftPlanFactory(person=iris, author=practitioner, lines=[])
    client = client_for(practitioner)
    now = text(client.post(f"/plans/{plan.pk}/support/preview/", line_post(plan, units="2")))
    then = text(
        client.post(
            f"/plans/{plan.pk}/support/preview/",
            line_post(
                plan,
                units="2",
                start_date_day=str(later.day),
                start_date_month=str(later.month),
                start_date_year=str(later.year),
            ),
        )
    )
    today_rate = rates.default_unit_cost("home_care", TODAY)
    assert f"2 hours at {format_pence(today_rate)} an hour" in now
    assert "2 hours at £31.50 an hour = £63.00 a week" in then


def test_a_concurrent_edit_is_shown_not_overwritten(client_for, iris, practitioner, person_user):
    plan = DraftPlanFactory(person=iris, author=practitioner, lines=[])
    seen = line_post(plan)
    actions.add_line(plan, line_values(), acting_user=person_user)
    response = client_for(practitioner).post(f"/plans/{plan.pk}/support/new/", seen)
    assert response.status_code == 409
    assert "after you opened this page" in text(response)
    assert plan.lines.count() == 1


def test_removing_a_line_from_a_page_opened_before_someone_elses_change_removes_nothing(
    client_for, iris, practitioner, person_user
):
    plan = DraftPlanFactory(person=iris, author=practitioner)
    line = plan.lines.get()
    seen = plan.edit_version
    actions.add_outcome(
        plan, text="Get to the allotment", links=[], acting_user=person_user
    )  # the person changes the plan in the meantime
    client = client_for(practitioner)
    stale = client.post(
        f"/plans/{plan.pk}/support/{line.pk}/remove/", {"edit_version": str(seen)}, follow=True
    )
    assert "changed this plan since you opened it, so nothing was removed" in text(stale)
    assert plan.lines.filter(pk=line.pk).exists()
    plan.refresh_from_db()
    client.post(
        f"/plans/{plan.pk}/support/{line.pk}/remove/", {"edit_version": str(plan.edit_version)}
    )
    assert not plan.lines.filter(pk=line.pk).exists()


def test_checking_lists_what_is_missing_and_an_over_budget_plan_asks_why(
    client_for, iris, practitioner
):
    plan = DraftPlanFactory(person=iris, author=practitioner, complete=False, lines=[])
    client = client_for(practitioner)
    assert "Add at least one thing that matters" in text(client.get(f"/plans/{plan.pk}/check/"))
    over = plan.budget.amount_pence + 100
    full = DraftPlanFactory(
        person=CompletedAssessmentFactory(person=PersonFactory(team=iris.team)).person,
        lines=[line_values(service="other", units=Decimal("1"), unit_cost_pence=over)],
    )
    response = client.post(f"/plans/{full.pk}/check/", {"edit_version": full.edit_version})
    assert "The plan costs more than the budget: say why" in text(response)
    response = client.post(
        f"/plans/{full.pk}/check/", {"edit_version": full.edit_version, "reason": "Nights"}
    )
    assert response.status_code == 302
    full.refresh_from_db()
    assert (full.status, full.over_budget_reason) == ("submitted", "Nights")


def test_a_practitioner_returns_a_plan_with_a_comment_the_person_then_reads(
    client_for, iris, practitioner, person_user
):
    plan = SubmittedPlanFactory(person=iris, author=person_user)
    assert client_for(person_user).get(f"/plans/{plan.pk}/return/").status_code == 404
    client = client_for(practitioner)
    assert "Enter what needs to change" in text(client.post(f"/plans/{plan.pk}/return/", {}))
    client.post(f"/plans/{plan.pk}/return/", {"comment": "Who helps at weekends?"})
    page = text(client_for(person_user).get(f"/plans/{plan.pk}/"))
    assert "Returned for changes" in page and "Who helps at weekends?" in page


def test_an_approver_approves_but_not_their_own_plan(client_for, iris, team):
    approver = approver_with_limit(team=team)
    own = SubmittedPlanFactory(person=iris, author=approver)
    page = text(client_for(approver).get(f"/plans/{own.pk}/approve/"))
    assert "another approver must approve it" in page
    other = approver_with_limit(team=team)
    response = client_for(other).post(f"/plans/{own.pk}/approve/", {})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "active"
    assert "Active" in text(client_for(other).get(f"/plans/{own.pk}/"))


def test_a_practitioner_cannot_open_the_approval_page(client_for, iris, practitioner):
    plan = SubmittedPlanFactory(person=iris)
    assert client_for(practitioner).get(f"/plans/{plan.pk}/approve/").status_code == 404


def test_above_the_limit_the_page_says_it_goes_to_the_panel(client_for, iris, team):
    small = approver_with_limit(team=team, weekly_pence=100)
    plan = SubmittedPlanFactory(person=iris)
    page = text(client_for(small).get(f"/plans/{plan.pk}/approve/"))
    assert "Approving sends the plan to the funding panel" in page
    client_for(small).post(f"/plans/{plan.pk}/approve/", {})
    plan.refresh_from_db()
    assert plan.status == "panel"


def test_the_panel_page_records_the_decision_and_the_reserve_shows_the_draw(client_for, iris, team):
    commissioner = UserFactory(role=Role.COMMISSIONER)
    reserve = open_reserve(commissioner, opening_pence=5_000_000)
    indicative = actions.proposed_budget(iris).indicative_pence
    plan = PanelPlanFactory(
        person=iris,
        reason="Nights",
        lines=[
            line_values(service="other", units=Decimal("1"), unit_cost_pence=indicative + 4_000)
        ],
    )
    approver = approver_with_limit(team=team)
    client = client_for(approver)
    assert "Select what the panel decided" in text(client.post(f"/plans/{plan.pk}/panel/", {}))
    client.post(f"/plans/{plan.pk}/panel/", {"outcome": "agreed", "reasons": "Needed at night"})
    draw = ReserveDraw.objects.get(reserve=reserve)
    page = text(client_for(commissioner).get(f"/reserve/{reserve.pk}/"))
    assert iris.council_person_id in page and "Funding panel decision" in page
    assert "Needed at night" in page
    logged = AccessEvent.objects.get(user=commissioner, person=iris)
    assert (logged.purpose, logged.action) == ("funding", "list")
    listing = text(client_for(approver).get("/reserve/"))
    assert reserve.financial_year in listing
    assert f"£{(5_000_000 - draw.amount_pence) / 100:,.2f}" in listing


def test_the_panel_and_direct_payment_pages_are_refused_to_those_who_may_not_use_them(
    client_for, iris, team, other_team, practitioner, person_user
):
    plan = PanelPlanFactory(person=iris, reason="Nights")
    outsider_approver = approver_with_limit(team=other_team)
    for user in (practitioner, person_user, outsider_approver):  # not an approver, or not theirs
        client = client_for(user)
        assert client.get(f"/plans/{plan.pk}/panel/").status_code == 404
        refused = client.post(f"/plans/{plan.pk}/panel/", {"outcome": "agreed", "reasons": "x"})
        assert refused.status_code == 404
    assert SupportPlan.objects.get(pk=plan.pk).status == "panel"
    for user in (person_user, UserFactory(role=Role.PRACTITIONER, team=other_team)):
        assert client_for(user).get(f"/plans/{plan.pk}/direct-payment/").status_code == 404
    # The panel's decision is not the plan's author's to make.
    author = approver_with_limit(team=team)
    own = PanelPlanFactory(
        person=CompletedAssessmentFactory(person=PersonFactory(team=team)).person,
        author=author,
        reason="Nights",
    )
    page = text(
        client_for(author).post(
            f"/plans/{own.pk}/panel/", {"outcome": "agreed", "reasons": "Needed at night"}
        )
    )
    assert "another approver" in page
    assert SupportPlan.objects.get(pk=own.pk).status == "panel"


def test_only_commissioners_approvers_and_administrators_see_the_reserve(client_for, practitioner):
    assert client_for(practitioner).get("/reserve/").status_code == 404
    assert client_for(UserFactory(role=Role.PERSON)).get("/reserve/").status_code == 404
    assert client_for(UserFactory(role=Role.ADMIN)).get("/reserve/").status_code == 200


def test_a_commissioner_sets_a_years_reserve(client_for):
    commissioner = UserFactory(role=Role.COMMISSIONER)
    client = client_for(commissioner)
    bad = text(
        client.post("/reserve/", {"financial_year": "2026/28", "opening": "1", "source": "x"})
    )
    assert "Enter a financial year of two years in a row" in bad
    client.post(
        "/reserve/",
        {"financial_year": "2027/28", "opening": "£1,000,000", "source": "£20m × 5%"},
    )
    page = text(client.get("/reserve/"))
    assert "2027/28" in page and "£1,000,000.00" in page
    approver = approver_with_limit()
    assert "Set a year’s reserve" not in text(client_for(approver).get("/reserve/"))


def test_plans_waiting_for_a_decision_are_listed_for_the_team(client_for, iris, team, other_team):
    plan = SubmittedPlanFactory(person=iris)
    approver = approver_with_limit(team=team)
    assert "Iris Marlow" in text(client_for(approver).get("/plans/waiting/"))
    elsewhere = approver_with_limit(team=other_team)
    assert "Iris Marlow" not in text(client_for(elsewhere).get("/plans/waiting/"))
    assert plan.status == "submitted"


def test_a_sent_plan_cannot_be_edited_from_its_pages(client_for, iris, person_user):
    plan = SubmittedPlanFactory(person=iris, author=person_user)
    response = client_for(person_user).get(f"/plans/{plan.pk}/support/new/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"


def test_the_record_links_to_the_persons_plans(client_for, iris, practitioner):
    DraftPlanFactory(person=iris, author=practitioner)
    page = text(client_for(practitioner).get(f"/people/{iris.pk}/plans/"))
    assert "Open the plan in progress" in page and "Support plans" in page


def test_staff_start_a_carers_plan_beside_the_persons_own_for_someone_who_is_both(
    client_for, iris, practitioner
):
    """A couple caring for each other: one person, a budget for their own needs and another
    as a carer, each with its own plan."""
    CompletedAssessmentFactory(person=iris, acting_user=practitioner, kind="carer")
    client = client_for(practitioner)
    page = text(client.get(f"/people/{iris.pk}/plans/"))
    assert "Start a support plan as a carer" in page and "for their own needs" in page
    response = client.post(f"/people/{iris.pk}/plans/new/", {"kind": "carer"})
    plan = SupportPlan.objects.get(person=iris)
    assert response.status_code == 302 and plan.budget.kind == "carer"
    page = text(client.get(f"/people/{iris.pk}/plans/"))
    assert "Open the plan in progress as a carer" in page
    assert "Start a support plan</button>" in page  # the person's own is still to start


def test_staff_choose_the_service_type_and_who_pays(client_for, iris, practitioner):
    plan = DraftPlanFactory(person=iris, author=practitioner, lines=[])
    client_for(practitioner).post(
        f"/plans/{plan.pk}/support/new/",
        line_post(
            plan,
            service_type="lts_residential",
            funding_stream="nhs_joint",
            service="residential",
            units="1",
        ),
    )
    line = plan.lines.get()
    assert (line.service_type, line.funding_stream) == ("lts_residential", "nhs_joint")
    assert line.start_date == TODAY and line.end_date is None
    assert dt.date.today() >= line.start_date - dt.timedelta(days=1)
