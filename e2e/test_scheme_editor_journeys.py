"""The scheme editor in a real browser (issue 10): a commissioner copies the live scheme to a
draft and builds two money tables, a domain cap and a conditional question, then a question
with several answers, an answer with two services at reference rates (a refused row first)
and family support by domain, with axe-core (at 1280 and 320 pixels, with the reflow check)
on every page visited."""

from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions as ras_actions
from allocation.domain import engine
from allocation.domain import rates as catalogue
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

from .conftest import advance, assert_accessible, code_for, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commissioner(db):
    # Browser tests empty the tables between tests: ship the schemes and rates again.
    ras_actions.ship_default_schemes(acting_user=None)
    ras_actions.ship_reference_rates(acting_user=None)
    user = UserFactory(role=Role.COMMISSIONER, username="cora", first_name="Cora", last_name="Bell")
    return user, TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def test_a_commissioner_builds_money_tables_a_domain_cap_and_a_conditional_question(
    page,
    commissioner,
):
    user, device = commissioner
    sign_in(page, user.username)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    # Copy the live scheme to a draft.
    live = RasVersion.objects.live_on("person")
    page.goto(f"/ras/versions/{live.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Copy to a new draft").click()
    page.wait_for_url("**/copy/")
    assert_accessible(page)
    page.get_by_label("Name for the new draft").fill("2027/28 by age")
    advance(page, "Make the draft")
    expect(page.get_by_role("heading", name="Build this draft")).to_be_visible()
    assert_accessible(page)
    draft = RasVersion.objects.get(label="2027/28 by age")

    # Money tables: one for older people, tried before the table for everyone else.
    page.get_by_role("link", name="Money tables").click()
    expect(page.get_by_role("heading", name="Money tables")).to_be_visible()
    expect(page.locator("main")).to_contain_text("the first table that fits the person applies")
    assert_accessible(page)
    page.get_by_role("button", name="Add a money table").click()
    expect(page.get_by_role("heading", name="Add a money table")).to_be_visible()
    assert_accessible(page)
    advance_error = page.get_by_role("button", name="Save money table")
    advance_error.click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who is it for")
    assert_accessible(page)
    page.get_by_label("Who is it for, in plain words").fill("People aged 65 and over")
    page.get_by_label("Code", exact=True).fill("older")
    page.get_by_label("Lowest age (optional)").fill("65")
    page.get_by_label("A price per point, with an optional fixed amount").check()
    page.get_by_label("Fixed amount", exact=True).fill("5.00")
    page.get_by_label("Price per point", exact=True).fill("2.25")
    advance(page, "Save money table")
    expect(page.get_by_role("heading", name="1. People aged 65 and over")).to_be_visible()
    expect(page.get_by_role("heading", name="2. Everyone")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "People aged 65 and over (this table applies first)"
    )
    assert_accessible(page)
    draft.refresh_from_db()
    assert [t.code for t in draft.parsed.tables] == ["older", "everyone"]

    # The table for everyone else becomes bands.
    page.get_by_role("link", name="Change the money table Everyone").click()
    assert_accessible(page)
    page.get_by_label("Bands: a set amount for each range of points").check()
    page.get_by_label("Bands", exact=True).fill("0, 40.00\n20, 120.00\n60, 300.00")
    advance(page, "Save money table")
    expect(page.locator("main")).to_contain_text("From 20 points: £120.00")
    assert_accessible(page)

    # A cap on a domain's points.
    page.get_by_role("link", name="Back to version").click()
    page.get_by_role("link", name="Domains", exact=True).click()
    expect(page.get_by_role("heading", name="Domains")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change Home and living").click()
    assert_accessible(page)
    page.get_by_label("Most points this domain can add up to (optional)").fill("8")
    advance(page, "Save")
    expect(page.get_by_role("region", name="Domains in order")).to_contain_text("8 (capped)")
    assert_accessible(page)

    # A question asked only when an earlier answer says so.
    page.get_by_role("link", name="Go to the questions").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a question to Home and living").click()
    expect(page.get_by_role("heading", name="Add a question")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill("home_garden")
    page.get_by_label("Question", exact=True).fill("How much help do you need with your garden?")
    page.get_by_label("One answer: the person chooses one").check()
    page.get_by_label("Maintaining a habitable home environment").check()
    page.get_by_label("Ask this question only when an earlier question is answered").select_option(
        "home_cleaning"
    )
    page.get_by_label("…with one of these answers").fill("lot all")
    for row, (code, label, points) in enumerate([("none", "None", "0"), ("some", "Some", "2.5")]):
        page.get_by_label(f"Option {row + 1} code").fill(code)
        page.get_by_label(f"Option {row + 1} answer").fill(label)
        page.get_by_label(f"Option {row + 1} points").fill(points)
    advance(page, "Save question")
    expect(page.locator("main")).to_contain_text("asked only when home_cleaning is lot or all")
    assert_accessible(page)

    draft.refresh_from_db()
    parsed = draft.parsed
    assert parsed.domains[0].cap == 8
    question = parsed.question("home_garden")
    assert (question.asked_when.question, question.asked_when.answers) == (
        "home_cleaning",
        ("lot", "all"),
    )
    assert [t.rule.method for t in parsed.tables] == ["price_per_point", "bands"]

    # The other pages of the editor.
    for path, heading in [
        ("limits/", "Period and limits"),
        ("family-support/", "Support from family and friends"),
    ]:
        page.goto(f"/ras/versions/{draft.pk}/{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert_accessible(page)


def test_a_commissioner_builds_several_answers_hours_of_support_and_family_support_by_domain(
    page,
    commissioner,
):
    user, device = commissioner
    draft = DraftVersionFactory(label="Hours and choices", acting_user=user)
    sign_in(page, user.username)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    # A question that takes several answers, their points (two decimals) capped.
    page.goto(f"/ras/versions/{draft.pk}/questions/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a question to Home and living").click()
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill("home_jobs")
    page.get_by_label("Question", exact=True).fill("Which jobs in the home do you need help with?")
    page.get_by_label("Several answers: the person ticks all that apply").check()
    page.get_by_label("Maintaining a habitable home environment").check()
    page.get_by_label("Most points the answers can add up to").fill("3")
    page.get_by_label("Words for choosing none of the answers").fill("None of these")
    for row, (code, label, points) in enumerate(
        [("laundry", "Laundry", "1.5"), ("bins", "Bins", "0.75"), ("repairs", "Repairs", "2.25")]
    ):
        page.get_by_label(f"Option {row + 1} code").fill(code)
        page.get_by_label(f"Option {row + 1} answer").fill(label)
        page.get_by_label(f"Option {row + 1} points").fill(points)
    advance(page, "Save question")
    assert_accessible(page)

    # A question whose answer carries hours of home care at the reference rate.
    page.get_by_role("link", name="Add a question to Home and living").click()
    page.get_by_label("Code", exact=True).fill("home_evening")
    page.get_by_label("Question", exact=True).fill("Do you need help in the evening?")
    page.get_by_label("One answer: the person chooses one").check()
    page.get_by_label("Maintaining a habitable home environment").check()
    for row, (code, label) in enumerate([("no", "No"), ("daily", "Every evening")]):
        page.get_by_label(f"Option {row + 1} code").fill(code)
        page.get_by_label(f"Option {row + 1} answer").fill(label)
        page.get_by_label(f"Option {row + 1} points").fill("0")
    # Two services on one answer: 7 hours of home care and 2 sleep-in nights. Home care given
    # twice on the answer is refused first, with a message naming the answer and the row.
    page.get_by_label("Option 2 service 1 at reference rates").select_option("home_care")
    page.get_by_label("Option 2 service 1 units").fill("7")
    page.get_by_label("Option 2 service 2 at reference rates").select_option("home_care")
    page.get_by_label("Option 2 service 2 units").fill("2")
    page.get_by_role("button", name="Save question").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Option 2 service 2: Home care is already service 1 of this answer"
    )
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Option 2 service 2 at reference rates")).to_be_focused()
    page.get_by_label("Option 2 service 2 at reference rates").select_option("sleeping_night")
    advance(page, "Save question")
    expect(page.locator("main")).to_contain_text(
        "Every evening: 0; Home care, 7 hours; Sleep-in night, 2 nights"
    )
    assert_accessible(page)

    # Changed again, the answer keeps both services, and has room for a third.
    page.get_by_role("link", name="Change do you need help in the evening?").click()
    expect(page.get_by_label("Option 2 service 2 at reference rates")).to_have_value(
        "sleeping_night"
    )
    expect(page.get_by_label("Option 2 service 3 at reference rates")).to_have_value("")
    assert_accessible(page)
    page.get_by_label("Question", exact=True).fill("Do you need help in the evening or at night?")
    advance(page, "Save question")
    expect(page.locator("main")).to_contain_text("Sleep-in night, 2 nights")
    page.goto(f"/ras/versions/{draft.pk}/")
    page.get_by_text("Home and living (").click()
    expect(page.locator("main")).to_contain_text(
        "Every evening: 0 points; Home care, 7 hours; Sleep-in night, 2 nights"
    )
    assert_accessible(page)

    # Support from family and friends, domain by domain.
    page.goto(f"/ras/versions/{draft.pk}/family-support/")
    assert_accessible(page)
    page.get_by_label("Domain by domain").check()
    page.get_by_label(
        "Support from family and friends: support from family and friends takes off"
    ).select_option("percent")
    page.get_by_label("Support from family and friends: the most it takes off").fill("30")
    advance(page, "Save")
    assert_accessible(page)

    draft.refresh_from_db()
    parsed = draft.parsed
    jobs = parsed.question("home_jobs")
    assert jobs.multiple and jobs.cap == 3 and jobs.none_label == "None of these"
    assert [o.points for o in jobs.options] == [Decimal("1.5"), Decimal("0.75"), Decimal("2.25")]
    evening = parsed.question("home_evening").option("daily")
    assert [(s.service, s.units) for s in evening.support] == [
        ("home_care", 7),
        ("sleeping_night", 2),
    ]
    assert parsed.informal_method == "by_domain"
    # Every answer at its lowest but these: laundry and repairs 1.5 + 2.25 = 3.75, capped at
    # 3 points; every evening: 7 hours of home care and 2 sleep-in nights at the shipped rates.
    answers = {q.code: ([] if q.multiple else q.options[0].code) for q in parsed.questions} | {
        "home_jobs": ["laundry", "repairs"],
        "home_evening": "daily",
    }
    explained = engine.explain(draft.compiled, answers)
    assert explained.need_points == 3
    rates = catalogue.SHIPPED
    expected_pence = 7 * rates["home_care"] + 2 * rates["sleeping_night"]
    assert explained.support_amount == Decimal(expected_pence) / 100
