"""The scheme editor builds the question-level and family-support parts of selfdirect-ras/2
(issue 10): points with two decimal places, bands with no indicative amount, conditional and
multiple-choice questions, hours of a service at reference rates, and the three ways support
from family and friends counts.
"""

from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def draft(commissioner):
    return DraftVersionFactory(label="Every feature", acting_user=commissioner)


@pytest.fixture
def pages(client_for, commissioner):
    return client_for(commissioner)


def question_form(domain="home_living", code="garden", **fields) -> dict:
    """A need question with two answers (0 and 2 points), changed by `fields`."""
    return {
        "domain": domain,
        "code": code,
        "text": "How much help do you need with your garden?",
        "hint": "",
        "type": "single",
        "outcomes": ["habitable_home"],
        "option_0_code": "none",
        "option_0_label": "None",
        "option_0_value": "0",
        "option_1_code": "some",
        "option_1_label": "Some",
        "option_1_value": "2",
        **fields,
    }


def saved(version):
    version.refresh_from_db()
    return version.parsed


# --- points with two decimal places ---------------------------------------------------------


def test_an_answer_scores_points_with_two_decimal_places(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        question_form(option_0_value="0.25", option_1_value="2.5"),
    )
    assert response.status_code == 302
    question = saved(draft).question("garden")
    assert [o.points for o in question.options] == [Decimal("0.25"), Decimal("2.5")]
    page = pages.get(f"/ras/versions/{draft.pk}/questions/garden/").content.decode()
    assert 'value="0.25"' in page and 'value="2.5"' in page
    assert "Some: 2.5" in pages.get(f"/ras/versions/{draft.pk}/questions/").content.decode()
    three_places = pages.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        question_form(code="garden_more", option_1_value="2.125"),
    ).content.decode()
    assert (
        "Option 2 points, or percentage taken off for family and friends must have no more than 2 decimal places"
        in three_places
    )


# --- bands with no indicative amount --------------------------------------------------------


def test_a_band_gives_no_indicative_amount_with_words_for_the_person(pages, draft):
    words = (
        "Your needs can be met without a personal budget: we will talk with you about other help"
    )
    response = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "bands",
            "bands": f"0, none, {words}\n10, 85.00\n40, 180.00",
        },
    )
    assert response.status_code == 302
    bands = saved(draft).tables[0].rule.bands
    assert [(b.min_points, b.amount, b.words) for b in bands] == [
        (0, None, words),
        (10, Decimal("85.00"), ""),
        (40, Decimal("180.00"), ""),
    ]
    listing = pages.get(f"/ras/versions/{draft.pk}/money-tables/").content.decode()
    assert f"From 0 points: no indicative amount ({words})" in listing
    page = pages.get(f"/ras/versions/{draft.pk}/money-tables/everyone/").content.decode()
    assert f"0, none, {words}" in page


def test_a_band_with_no_amount_needs_words_for_the_person(pages, draft):
    before = draft.definition
    page = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {"code": "everyone", "title": "Everyone", "method": "bands", "bands": "0, none\n10, 85"},
    ).content.decode()
    assert (
        "Money table ‘Everyone’, band 1, words: a band with no indicative amount needs words"
        in page
    )
    draft.refresh_from_db()
    assert draft.definition == before


# --- conditional questions ------------------------------------------------------------------


def test_a_question_is_asked_only_after_certain_answers(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        question_form(asked_when_question="home_cleaning", asked_when_answers="lot all"),
    )
    assert response.status_code == 302
    question = saved(draft).question("garden")
    assert (question.asked_when.question, question.asked_when.answers) == (
        "home_cleaning",
        ("lot", "all"),
    )
    assert not draft.parsed.is_asked(question, {"home_cleaning": "some"})
    assert draft.parsed.is_asked(question, {"home_cleaning": "all"})
    page = pages.get(f"/ras/versions/{draft.pk}/questions/garden/").content.decode()
    assert 'value="lot all"' in page and '<option value="home_cleaning" selected>' in page
    listing = pages.get(f"/ras/versions/{draft.pk}/questions/").content.decode()
    assert "asked only when home_cleaning is lot or all" in listing


def test_a_condition_must_name_an_earlier_question_and_its_answers(pages, draft):
    before = draft.definition
    url = f"/ras/versions/{draft.pk}/questions/new/"
    wrong_answer = pages.post(
        url, question_form(asked_when_question="home_cleaning", asked_when_answers="often")
    ).content.decode()
    assert (
        "question ‘garden’, asked only when, answers: &#x27;often&#x27; is not an answer"
        in wrong_answer
    )
    # A question on the home_living page depends on one asked later (in another domain).
    later = pages.post(
        url, question_form(asked_when_question="ff_night", asked_when_answers="most")
    ).content.decode()
    assert "a question can only depend on a question asked before it" in later
    no_answers = pages.post(
        url, question_form(asked_when_question="home_cleaning")
    ).content.decode()
    assert "Enter the codes of the answers that lead to this question" in no_answers
    draft.refresh_from_db()
    assert draft.definition == before


# --- multiple-choice questions --------------------------------------------------------------


def test_a_question_takes_several_answers_with_a_cap_and_words_for_none(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        question_form(
            type="multiple",
            cap="5",
            none_label="None of these",
            option_0_code="weeding",
            option_0_label="Weeding",
            option_0_value="2",
            option_1_code="mowing",
            option_1_label="Mowing",
            option_1_value="3",
            option_2_code="hedges",
            option_2_label="Cutting hedges",
            option_2_value="4",
        ),
    )
    assert response.status_code == 302
    question = saved(draft).question("garden")
    assert (question.multiple, question.cap, question.none_label) == (True, 5, "None of these")
    assert [o.code for o in question.options] == ["weeding", "mowing", "hedges"]
    page = pages.get(f"/ras/versions/{draft.pk}/questions/garden/").content.decode()
    assert 'value="multiple" checked' in page and 'value="None of these"' in page


def test_a_cap_only_goes_with_several_answers_and_must_be_below_their_total(pages, draft):
    before = draft.definition
    url = f"/ras/versions/{draft.pk}/questions/new/"
    single = pages.post(url, question_form(cap="5")).content.decode()
    assert "Only a question with several answers has this: clear it" in single
    too_high = pages.post(url, question_form(type="multiple", cap="9")).content.decode()
    assert "question ‘garden’, cap: the cap (9) is not below the points of every answer" in too_high
    draft.refresh_from_db()
    assert draft.definition == before


# --- hours of a service at reference rates --------------------------------------------------


def test_an_answer_carries_hours_of_a_service_at_reference_rates(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        question_form(option_1_service_0="home_care", option_1_units_0="7.5"),
    )
    assert response.status_code == 302
    option = saved(draft).question("garden").options[1]
    assert [(s.service, s.units) for s in option.support] == [("home_care", Decimal("7.5"))]
    assert draft.parsed.services == ("home_care",)
    page = pages.get(f"/ras/versions/{draft.pk}/questions/garden/").content.decode()
    assert '<option value="home_care" selected>Home care (hours)</option>' in page
    assert (
        "Some: 2; Home care, 7.5 hours"
        in pages.get(f"/ras/versions/{draft.pk}/questions/").content.decode()
    )


def test_a_service_needs_its_units_and_units_need_a_service(pages, draft):
    before = draft.definition
    url = f"/ras/versions/{draft.pk}/questions/new/"
    page = pages.post(url, question_form(option_1_service_0="home_care")).content.decode()
    assert "Option 2 service 1: enter how many hours of home care each period" in page
    assert 'href="#id_option_1_units_0"' in page
    page = pages.post(url, question_form(option_1_units_0="3")).content.decode()
    assert "Option 2 service 1: choose the service these hours" in page
    assert 'href="#id_option_1_service_0"' in page
    draft.refresh_from_db()
    assert draft.definition == before


# --- support from family and friends --------------------------------------------------------


def family_form(method, **fields) -> dict:
    return {"method": method, **fields}


def test_the_whole_scheme_cap_is_set_on_the_family_support_page(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/family-support/", family_form("whole_scheme", cap_percent="25")
    )
    assert response.status_code == 302
    parsed = saved(draft)
    assert (parsed.informal_method, parsed.informal_cap_percent) == ("whole_scheme", 25)
    missing = pages.post(
        f"/ras/versions/{draft.pk}/family-support/", family_form("whole_scheme")
    ).content.decode()
    assert "Enter the most that support can reduce points by" in missing


def test_family_support_reduces_each_domain_by_a_percentage_or_points(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/family-support/",
        family_form(
            "by_domain", domain_family_friends_kind="points", domain_family_friends_cap="6.5"
        ),
    )
    assert response.status_code == 302
    parsed = saved(draft)
    domain = parsed.domains[-1]
    assert parsed.informal_method == "by_domain"
    assert (domain.informal_cap_points, domain.informal_cap_percent) == (Decimal("6.5"), None)
    # Each answer's value moved from a percentage to points taken off: 'A lot' took 20%.
    lot = parsed.question("ff_how_much").option("lot")
    assert (lot.reduction_points, lot.reduction_percent) == (20, 0)
    # The question editor now asks for points taken off, and writes them.
    page = pages.get(f"/ras/versions/{draft.pk}/questions/ff_night/").content.decode()
    assert "Points, or points taken off" in page
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/ff_night/",
        {
            "domain": "family_friends",
            "code": "ff_night",
            "text": "Does someone help you at night?",
            "type": "informal_support",
            "option_0_code": "no",
            "option_0_label": "No",
            "option_0_value": "0",
            "option_1_code": "most",
            "option_1_label": "Most nights",
            "option_1_value": "1.5",
        },
    )
    assert response.status_code == 302
    night = saved(draft).question("ff_night")
    assert [o.reduction_points for o in night.options] == [0, Decimal("1.5")]
    # Back to a percentage for the domain: 1.5 is no whole percentage, so it is refused.
    before = draft.definition
    refused = pages.post(
        f"/ras/versions/{draft.pk}/family-support/",
        family_form(
            "by_domain", domain_family_friends_kind="percent", domain_family_friends_cap="30"
        ),
    ).content.decode()
    assert "question ‘ff_night’, answer 2, percentage taken off: must be a whole number" in refused
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_domain_with_family_support_questions_needs_its_cap(pages, draft):
    before = draft.definition
    page = pages.post(
        f"/ras/versions/{draft.pk}/family-support/", family_form("by_domain")
    ).content.decode()
    assert (
        "Domain ‘Support from family and friends’, support from family and friends: this domain"
        in page
    )
    percent = pages.post(
        f"/ras/versions/{draft.pk}/family-support/",
        family_form(
            "by_domain", domain_family_friends_kind="percent", domain_family_friends_cap="2.5"
        ),
    ).content.decode()
    assert "a percentage is a whole number from 0 to 100" in percent
    draft.refresh_from_db()
    assert draft.definition == before


def test_family_support_gives_the_carer_an_allocation_of_their_own(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/family-support/",
        family_form(
            "carer_allocation",
            carer_title="Carer’s personal budget",
            carer_period="year",
            carer_method="price_per_point",
            carer_fixed_amount="100",
            carer_price_per_point="12.5",
        ),
    )
    assert response.status_code == 302
    parsed = saved(draft)
    money = parsed.carer_money
    assert parsed.informal_method == "carer_allocation"
    assert (money.title, money.period, money.rule.method) == (
        "Carer’s personal budget",
        "year",
        "price_per_point",
    )
    assert (money.rule.fixed_amount, money.rule.price_per_point) == (
        Decimal("100"),
        Decimal("12.5"),
    )
    # Each answer's percentage became carer points.
    assert parsed.question("ff_how_much").option("most").carer_points == 30
    page = pages.get(f"/ras/versions/{draft.pk}/family-support/").content.decode()
    assert 'value="carer_allocation" checked' in page and 'value="12.5"' in page
    assert (
        "A carer allocation of its own (Carer’s personal budget), a year"
        in pages.get(f"/ras/versions/{draft.pk}/").content.decode()
    )


def test_a_carer_allocation_needs_its_period_and_rule(pages, draft):
    before = draft.definition
    page = pages.post(
        f"/ras/versions/{draft.pk}/family-support/", family_form("carer_allocation")
    ).content.decode()
    assert "Select whether the carer’s amount is weekly, yearly or one-off" in page
    assert "Select how the carer points become money" in page
    draft.refresh_from_db()
    assert draft.definition == before


# --- who may ------------------------------------------------------------------------------


def test_practitioners_and_live_versions_cannot_have_questions_or_family_support_changed(
    client_for, practitioner, pages, draft
):
    client = client_for(practitioner)
    before = draft.definition
    for url in ["questions/new/", "questions/home_cleaning/", "family-support/"]:
        assert client.get(f"/ras/versions/{draft.pk}/{url}").status_code == 404
    assert (
        client.post(f"/ras/versions/{draft.pk}/questions/new/", question_form()).status_code == 404
    )
    assert (
        client.post(
            f"/ras/versions/{draft.pk}/family-support/",
            family_form("whole_scheme", cap_percent="5"),
        ).status_code
        == 404
    )
    live = RasVersion.objects.live_on("person")
    live_before = live.definition
    assert pages.post(f"/ras/versions/{live.pk}/questions/new/", question_form()).status_code == 404
    assert (
        pages.post(
            f"/ras/versions/{live.pk}/family-support/", family_form("whole_scheme", cap_percent="5")
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.definition == before and live.definition == live_before


def test_a_question_with_more_answers_than_the_usual_rows_keeps_them_all(
    pages, draft, commissioner
):
    from allocation import actions
    from allocation.domain import definition as ras
    from allocation.forms import QuestionForm

    data = ras.to_dict(draft.parsed)
    many = {
        "code": "garden",
        "text": "How many hours of gardening help do you need?",
        "hint": "",
        "type": "single",
        "outcomes": ["habitable_home"],
        "options": [
            {"code": f"level_{n}", "label": f"Level {n}", "hint": "", "points": n}
            for n in range(QuestionForm.OPTION_ROWS + 2)
        ],
    }
    data["domains"][0]["questions"].append(many)
    actions.save_definition(draft, data, acting_user=commissioner)
    url = f"/ras/versions/{draft.pk}/questions/garden/"
    last = QuestionForm.OPTION_ROWS + 1
    assert f'value="level_{last}"' in pages.get(url).content.decode()
    form = {
        key: value
        for key, value in QuestionForm.initial_for("home_living", many).items()
        if value not in (None, False)
    }
    response = pages.post(url, {**form, "text": "How much gardening help do you need?"})
    assert response.status_code == 302
    question = saved(draft).question("garden")
    assert question.text == "How much gardening help do you need?"
    assert [o.code for o in question.options] == [o["code"] for o in many["options"]]
