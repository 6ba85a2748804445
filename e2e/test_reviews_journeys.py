"""Reviews and reablement in a real browser, axe-core (at 1280 and 320 px) on every page
visited: a practitioner sees their team's due and overdue reviews and records one (each plan
outcome, ASCOT's eight domains, what changes); records a reablement episode and ends it; and
agrees a carer's yearly budget for breaks."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, TeamFactory, UserFactory
from allocation import actions as ras_actions
from assessment.tests.factories import CompletedAssessmentFactory
from people.tests.factories import PersonFactory
from reviews import actions as review_actions
from reviews.models import ReablementEpisode, Review
from reviews.tests.factories import ScheduledReviewFactory

from .conftest import advance, assert_accessible, code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


@pytest.fixture
def council(db):
    ras_actions.ship_default_schemes(acting_user=None)
    ras_actions.ship_reference_rates(acting_user=None)
    team = TeamFactory(name="Wexcombe Central Older People's Team", code="central-older")
    practitioner = UserFactory(
        role=Role.PRACTITIONER, team=team, username="pat", first_name="Pat", last_name="Okoro"
    )
    device = TOTPDevice.objects.create(user=practitioner, name="Phone", confirmed=True)
    review = ScheduledReviewFactory(team=team)
    overdue = PersonFactory(team=team, first_name="Arthur", last_name="Penrose")
    CompletedAssessmentFactory(person=overdue, acting_user=practitioner)
    review_actions.schedule_review(
        overdue,
        acting_user=practitioner,
        kind=Review.Kind.UNPLANNED,
        due_on=TODAY - dt.timedelta(days=7),
        reason="His wife rang: he has had two falls",
    )
    return {"practitioner": practitioner, "device": device, "review": review, "arthur": overdue}


def _signed_in(page, council):
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/security-code/**")
    page.get_by_label("Security code").fill(code_for(council["device"]))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_a_practitioner_sees_due_reviews_and_records_one(page, council):
    review = council["review"]
    _signed_in(page, council)
    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="Reviews due for your team")).to_be_visible()
    expect(page.get_by_text("Arthur Penrose")).to_be_visible()
    expect(page.get_by_text("Overdue").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"/reviews/{review.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("button", name="Record the review")).to_be_visible()
    # Nothing chosen: the GOV.UK error summary lists what is missing.
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Achieved", exact=True).first.check()
    for fieldset in page.locator("fieldset").all():
        legend = fieldset.locator("legend").inner_text()
        if "how far" in legend:
            continue
        fieldset.get_by_label("No needs: adequate").check()
    page.get_by_label("What changes as a result of the review?").fill(
        "Nothing changes: the support is working well"
    )
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("16 of 24")).to_be_visible()
    assert_accessible(page)
    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETED
    assert Review.objects.open().filter(person=review.person, kind="annual").exists()


def test_a_practitioner_records_reablement_and_ends_it(page, council):
    arthur = council["arthur"]
    _signed_in(page, council)
    page.goto(f"/people/{arthur.pk}/reviews/")
    assert_accessible(page)
    page.get_by_role("button", name="Record reablement").click()
    page.wait_for_url("**/reablement/new/")
    assert_accessible(page)
    start = TODAY - dt.timedelta(days=20)
    page.locator("#id_starts_on_0").fill(str(start.day))
    page.locator("#id_starts_on_1").fill(str(start.month))
    page.locator("#id_starts_on_2").fill(str(start.year))
    page.get_by_label("Yes").check()
    page.locator("#id_discharged_on_0").fill(str(start.day))
    page.locator("#id_discharged_on_1").fill(str(start.month))
    page.locator("#id_discharged_on_2").fill(str(start.year))
    advance(page, "Record reablement")
    expect(page.get_by_role("heading", name="End reablement")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_ended_on_0").fill(str(TODAY.day))
    page.locator("#id_ended_on_1").fill(str(TODAY.month))
    page.locator("#id_ended_on_2").fill(str(TODAY.year))
    page.get_by_label("Long-term support").check()
    page.get_by_role("button", name="End reablement").click()
    expect(page.get_by_text("Not yet known")).to_be_visible()
    assert_accessible(page)
    episode = ReablementEpisode.objects.get(person=arthur)
    assert episode.status == "ended" and episode.outcome == "long_term"


def test_a_practitioner_agrees_a_carers_yearly_budget_for_breaks(page, council):
    arthur = council["arthur"]
    carer = PersonFactory(team=arthur.team, first_name="Jean", last_name="Penrose")
    CompletedAssessmentFactory(
        person=carer, kind="carer", cared_for=arthur, acting_user=council["practitioner"]
    )
    _signed_in(page, council)
    page.goto(f"/people/{carer.pk}/carers-budget/")
    assert_accessible(page)
    page.get_by_label("A yearly budget").check()
    page.get_by_label("How much?").fill("900")
    page.get_by_label("What is it for?").fill("Short breaks")
    page.get_by_label("Why it is more than the indicative amount (if it is)").fill(
        "Two weekends away a year"
    )
    page.get_by_role("button", name="Agree the carer’s budget").click()
    expect(page.get_by_text("£900.00 a year")).to_be_visible()
    assert_accessible(page)
