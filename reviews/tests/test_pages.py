"""The review and reablement pages: the team's due list (overdue first, keyset pages, other
teams' reviews never shown), recording a review with GOV.UK errors, and reablement."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from people.tests.factories import PersonFactory
from reviews import actions, views
from reviews.models import ReablementEpisode, Review
from reviews.tests.factories import (
    InProgressReviewFactory,
    ReablementFactory,
    ScheduledReviewFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _unplanned(person, user, due_on):
    return actions.schedule_review(
        person,
        acting_user=user,
        kind=Review.Kind.UNPLANNED,
        due_on=due_on,
        reason="A change of circumstances",
    )


def test_a_practitioner_sees_their_teams_due_and_overdue_reviews_soonest_first(
    client_for, team, other_team, practitioner
):
    late = PersonFactory(team=team, first_name="Ada", last_name="Late")
    soon = PersonFactory(team=team, first_name="Ben", last_name="Soon")
    far = PersonFactory(team=team, first_name="Cy", last_name="Faroff")
    elsewhere = PersonFactory(team=other_team, first_name="Dot", last_name="Elsewhere")
    _unplanned(late, practitioner, TODAY - dt.timedelta(days=10))
    _unplanned(soon, practitioner, TODAY + dt.timedelta(days=5))
    _unplanned(far, practitioner, TODAY + dt.timedelta(days=90))
    _unplanned(elsewhere, practitioner, TODAY)
    page = text(client_for(practitioner).get("/reviews/"))
    assert page.index("Ada Late") < page.index("Ben Soon")
    assert "Overdue" in page and "1 review overdue" in page
    assert "Cy Faroff" not in page
    assert "Dot Elsewhere" not in page


def test_the_due_list_pages_by_keyset(client_for, team, practitioner, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    names = ["Amy", "Bea", "Cat"]
    for offset, name in enumerate(names):
        _unplanned(
            PersonFactory(team=team, first_name=name),
            practitioner,
            TODAY + dt.timedelta(days=offset),
        )
    client = client_for(practitioner)
    first = client.get("/reviews/")
    assert first.context["next"]
    second = text(client.get(f"/reviews/?after={first.context['next']}"))
    assert "Cat" in second and "Amy" not in second


def test_people_who_hold_no_caseload_do_not_get_the_due_list(client_for, team):
    for role in (Role.FINANCE, Role.PERSON, Role.COMMISSIONER):
        assert client_for(UserFactory(role=role, team=team)).get("/reviews/").status_code == 404


def test_a_review_of_someone_on_another_team_is_a_404(client_for, team, other_team):
    review = ScheduledReviewFactory(team=team)
    outsider = UserFactory(role=Role.PRACTITIONER, team=other_team)
    assert client_for(outsider).get(f"/reviews/{review.pk}/").status_code == 404


def test_a_practitioner_starts_and_records_a_review_on_its_page(client_for, team):
    review = ScheduledReviewFactory(team=team)
    user = UserFactory(role=Role.PRACTITIONER, team=review.person.team)
    client = client_for(user)
    client.post(f"/reviews/{review.pk}/start/")
    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS
    outcome = actions.plan_outcomes(review)[0]
    refused = client.post(f"/reviews/{review.pk}/", {"changes": ""})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    data = {f"outcome_{outcome.pk}": "achieved", "changes": "Nothing changes"}
    data |= {f"ascot_{code}": "2" for code, _ in views.domain.ASCOT_DOMAINS}
    done = client.post(f"/reviews/{review.pk}/", data)
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETED
    assert review.ascot_score == 16
    page = text(client.get(f"/reviews/{review.pk}/"))
    assert "16 of 24" in page and "achieved" in page


def test_an_unplanned_review_is_scheduled_from_the_record(client_for, team, practitioner):
    person = PersonFactory(team=team)
    client = client_for(practitioner)
    assert client.get(f"/people/{person.pk}/reviews/").status_code == 200
    response = client.post(
        f"/people/{person.pk}/reviews/new/",
        {
            "due_on_day": TODAY.day,
            "due_on_month": TODAY.month,
            "due_on_year": TODAY.year,
            "reason": "Their GP asked",
        },
    )
    assert response.status_code == 302
    assert Review.objects.get(person=person).kind == Review.Kind.UNPLANNED


def test_reablement_over_six_weeks_without_a_reason_is_refused_on_the_page(
    client_for, team, practitioner
):
    person = PersonFactory(team=team)
    client = client_for(practitioner)
    end = TODAY + dt.timedelta(days=60)
    data = {
        "starts_on_day": TODAY.day,
        "starts_on_month": TODAY.month,
        "starts_on_year": TODAY.year,
        "planned_end_on_day": end.day,
        "planned_end_on_month": end.month,
        "planned_end_on_year": end.year,
        "after_hospital": "no",
    }
    refused = client.post(f"/people/{person.pk}/reablement/new/", data)
    assert "free for up to six weeks" in text(refused)
    assert not ReablementEpisode.objects.exists()
    data["longer_reason"] = "A second operation"
    assert client.post(f"/people/{person.pk}/reablement/new/", data).status_code == 302
    episode = ReablementEpisode.objects.get()
    ended = client.post(
        f"/reablement/{episode.pk}/",
        {
            "step": "end",
            "ended_on_day": TODAY.day,
            "ended_on_month": TODAY.month,
            "ended_on_year": TODAY.year,
            "outcome": "no_further",
        },
    )
    assert ended.status_code == 302
    episode.refresh_from_db()
    assert episode.outcome == "no_further"


def test_an_approver_on_the_team_may_record_a_review_but_a_person_user_may_not_see_it(
    client_for, team
):
    review = InProgressReviewFactory(team=team)
    approver = UserFactory(role=Role.APPROVER, team=team)
    assert client_for(approver).get(f"/reviews/{review.pk}/").context["form"] is not None
    citizen = UserFactory(role=Role.PERSON)
    assert client_for(citizen).get(f"/reviews/{review.pk}/").status_code == 404


def test_someone_who_moved_to_another_team_leaves_the_old_teams_due_list(
    client_for, team, other_team, practitioner
):
    from people import actions as people_actions

    mover = PersonFactory(team=team, first_name="Mo", last_name="Vedon")
    _unplanned(mover, practitioner, TODAY)
    people_actions.update_person(mover, {"team": other_team}, acting_user=practitioner)
    assert "Mo Vedon" not in text(client_for(practitioner).get("/reviews/"))


def test_every_review_reablement_and_carers_budget_page_refuses_another_teams_staff(
    client_for, team, other_team
):
    """Reads and writes alike are a 404 for a record the user may not see, and change nothing."""
    review = ScheduledReviewFactory(team=team)
    person = review.person
    episode = ReablementFactory(person=person)
    outsider = client_for(UserFactory(role=Role.PRACTITIONER, team=other_team))
    pages = (
        f"/people/{person.pk}/reviews/",
        f"/people/{person.pk}/reviews/new/",
        f"/people/{person.pk}/reablement/new/",
        f"/reablement/{episode.pk}/",
        f"/people/{person.pk}/carers-budget/",
    )
    for url in pages:
        assert outsider.get(url).status_code == 404, url
    writes = (
        f"/reviews/{review.pk}/start/",
        f"/reviews/{review.pk}/cancel/",
        f"/reviews/{review.pk}/reassessment/",
        f"/people/{person.pk}/reviews/new/",
        f"/people/{person.pk}/reablement/new/",
        f"/reablement/{episode.pk}/",
        f"/people/{person.pk}/carers-budget/",
    )
    for url in writes:
        posted = outsider.post(url, {"reason": "x", "outcome": "no_further_support"})
        assert posted.status_code == 404, url
    review.refresh_from_db()
    episode.refresh_from_db()
    assert review.status == "scheduled" and episode.ended_on is None
