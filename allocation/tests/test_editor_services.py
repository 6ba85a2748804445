"""The question page edits every service of a cost-rate answer (selfdirect-ras/2 `support`, a
list of services with their units: issue 10). An answer imported with several services keeps
them all when the page saves it; each service row is checked, with a message naming the answer
and the row, and a refused page saves nothing."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions
from allocation.domain import definition as ras
from allocation.domain import rates as catalogue
from allocation.domain import schema
from allocation.forms import SUPPORT_LIMIT, QuestionForm, most_services
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent.parent / "schemes" / "example_cost_rate.json"

TWO_SERVICES = [{"service": "home_care", "units": 7}, {"service": "sleeping_night", "units": 2}]


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def draft(commissioner):
    return DraftVersionFactory(label="Several services", acting_user=commissioner)


@pytest.fixture
def pages(client_for, commissioner):
    return client_for(commissioner)


def evenings(support, *, more_support=None) -> dict:
    """A cost-rate question as an import would bring it: its second answer carries `support`."""
    options = [
        {"code": "none", "label": "No help", "hint": "", "points": 0},
        {"code": "daily", "label": "Every evening", "hint": "", "points": 2, "support": support},
    ]
    if more_support:
        options.append(
            {"code": "more", "label": "Evenings and nights", "hint": "", "points": 3}
            | {"support": more_support}
        )
    return {
        "code": "evenings",
        "text": "Do you need help in the evening?",
        "hint": "",
        "type": "single",
        "outcomes": ["habitable_home"],
        "options": options,
    }


def imported(draft, commissioner, question) -> None:
    data = ras.to_dict(draft.parsed)
    data["domains"][0]["questions"].append(question)
    actions.save_definition(draft, data, acting_user=commissioner)


def page_as_shown(question, domain="home_living") -> dict:
    """What the page sends back when nothing is changed: its first values, as a browser posts
    them (an unticked box and an empty list are not sent)."""
    return {
        key: value
        for key, value in QuestionForm.initial_for(domain, question).items()
        if value not in (None, False, [])
    }


def services_of(draft, question="evenings", option="daily"):
    draft.refresh_from_db()
    return [(s.service, s.units) for s in draft.parsed.question(question).option(option).support]


def test_the_page_can_hold_as_many_services_as_the_format_allows():
    domain = schema.SCHEMA_V2["properties"]["domains"]["items"]
    question = domain["properties"]["questions"]["items"]
    option = question["properties"]["options"]["items"]
    assert option["properties"]["support"]["maxItems"] == SUPPORT_LIMIT


def test_a_question_with_two_services_on_one_answer_keeps_both_when_the_page_saves_it(
    pages, draft, commissioner
):
    imported(draft, commissioner, evenings(TWO_SERVICES))
    url = f"/ras/versions/{draft.pk}/questions/evenings/"
    page = pages.get(url).content.decode()
    assert 'name="option_1_service_0"' in page and 'name="option_1_service_1"' in page
    assert '<option value="sleeping_night" selected>Sleep-in night (nights)</option>' in page
    response = pages.post(
        url, page_as_shown(evenings(TWO_SERVICES)) | {"text": "Do you need help at night?"}
    )
    assert response.status_code == 302
    assert services_of(draft) == [(s["service"], s["units"]) for s in TWO_SERVICES]
    assert draft.parsed.question("evenings").text == "Do you need help at night?"


def test_a_commissioner_gives_an_answer_a_second_and_a_third_service(pages, draft, commissioner):
    imported(draft, commissioner, evenings(TWO_SERVICES[:1]))
    url = f"/ras/versions/{draft.pk}/questions/evenings/"
    form = page_as_shown(evenings(TWO_SERVICES[:1]))
    response = pages.post(
        url,
        form
        | {
            "option_1_service_1": "sleeping_night",
            "option_1_units_1": "2",
            "option_1_service_2": "meals",
            "option_1_units_2": "3.5",
        },
    )
    assert response.status_code == 302
    assert services_of(draft) == [
        ("home_care", 7),
        ("sleeping_night", 2),
        ("meals", Decimal("3.5")),
    ]
    # Saved with three services, the answer now has room for a fourth.
    assert 'name="option_1_service_3"' in pages.get(url).content.decode()


def test_a_service_is_taken_off_an_answer_by_choosing_none(pages, draft, commissioner):
    imported(draft, commissioner, evenings(TWO_SERVICES))
    form = page_as_shown(evenings(TWO_SERVICES)) | {
        "option_1_service_0": "",
        "option_1_units_0": "",
    }
    response = pages.post(f"/ras/versions/{draft.pk}/questions/evenings/", form)
    assert response.status_code == 302
    assert services_of(draft) == [("sleeping_night", 2)]


def test_an_answer_with_the_most_services_the_format_allows_keeps_every_one(
    pages, draft, commissioner
):
    most = [
        {"service": service.code, "units": n + 1}
        for n, service in enumerate(catalogue.SERVICES[:SUPPORT_LIMIT])
    ]
    imported(draft, commissioner, evenings(most))
    url = f"/ras/versions/{draft.pk}/questions/evenings/"
    page = pages.get(url).content.decode()
    assert f'name="option_1_service_{SUPPORT_LIMIT - 1}"' in page
    assert f'name="option_1_service_{SUPPORT_LIMIT}"' not in page  # the format's most
    response = pages.post(url, page_as_shown(evenings(most)))
    assert response.status_code == 302
    assert services_of(draft) == [(s["service"], s["units"]) for s in most]


def test_every_answer_has_a_row_for_each_service_of_the_answer_with_the_most(
    pages, draft, commissioner
):
    four = [*TWO_SERVICES, {"service": "meals", "units": 7}, {"service": "telecare", "units": 1}]
    question = evenings(TWO_SERVICES[:1], more_support=four)
    imported(draft, commissioner, question)
    url = f"/ras/versions/{draft.pk}/questions/evenings/"
    page = pages.get(url).content.decode()
    assert 'name="option_0_service_4"' in page and 'name="option_0_service_5"' not in page
    assert pages.post(url, page_as_shown(question)).status_code == 302
    assert services_of(draft) == [("home_care", 7)]
    assert services_of(draft, option="more") == [(s["service"], s["units"]) for s in four]


def test_the_questions_and_version_pages_show_every_service_of_an_answer(
    pages, draft, commissioner
):
    imported(draft, commissioner, evenings(TWO_SERVICES))
    listing = pages.get(f"/ras/versions/{draft.pk}/questions/").content.decode()
    assert "Every evening: 2; Home care, 7 hours; Sleep-in night, 2 nights" in listing
    version = pages.get(f"/ras/versions/{draft.pk}/").content.decode()
    assert "Every evening: 2 points; Home care, 7 hours; Sleep-in night, 2 nights" in version


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        (
            {"option_1_service_1": "waking_night"},
            "option_1_units_1",
            "Option 2 service 2: enter how many nights of waking night each period",
        ),
        (
            {"option_1_units_2": "4"},
            "option_1_service_2",
            "Option 2 service 3: choose the service these hours, days, nights, weeks or meals "
            "are of",
        ),
        (
            {"option_1_service_1": "meals", "option_1_units_1": "0"},
            "option_1_units_1",
            "Option 2 service 2: enter more than 0 hours, days, nights, weeks or meals",
        ),
        (
            {"option_1_service_1": "meals", "option_1_units_1": "1.125"},
            "option_1_units_1",
            "Option 2 service 2: hours, days, nights, weeks or meals must have no more than 2 "
            "decimal places",
        ),
        (
            {"option_1_service_1": "meals", "option_1_units_1": "10001"},
            "option_1_units_1",
            "Option 2 service 2: 10,000 hours, days, nights, weeks or meals each period is the "
            "most one row can hold",
        ),
        (
            {"option_1_service_1": "meals", "option_1_units_1": "2000000"},
            "option_1_units_1",
            "Option 2 service 2: 10,000 hours, days, nights, weeks or meals each period is the "
            "most one row can hold",
        ),
        (
            {"option_1_service_2": "home_care", "option_1_units_2": "3"},
            "option_1_service_2",
            "Option 2 service 3: Home care is already service 1 of this answer: put all its "
            "hours in one row",
        ),
        (
            {"option_1_service_1": "gardening", "option_1_units_1": "3"},
            "option_1_service_1",
            "Select option 2 service 2 at reference rates from the list",
        ),
        (
            {"option_0_service_0": "telecare", "option_0_code": "", "option_0_label": ""},
            "option_0_code",
            "Option 1 needs a code",
        ),
    ],
)
def test_a_bad_service_row_is_refused_naming_the_answer_and_row_and_nothing_is_saved(
    pages, draft, commissioner, rows, field, message
):
    imported(draft, commissioner, evenings(TWO_SERVICES[:1]))
    draft.refresh_from_db()
    before = draft.definition
    response = pages.post(
        f"/ras/versions/{draft.pk}/questions/evenings/",
        page_as_shown(evenings(TWO_SERVICES[:1])) | rows,
    )
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the row's box
    assert f'id="id_{field}-error"' in page
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_family_support_answer_cannot_carry_a_service(pages, draft):
    before = draft.definition
    form = page_as_shown(
        {
            "code": "helper",
            "text": "Does someone help you?",
            "hint": "",
            "type": "informal_support",
            "options": [
                {"code": "no", "label": "No", "hint": "", "reduction_percent": 0},
                {"code": "yes", "label": "Yes", "hint": "", "reduction_percent": 10},
            ],
        },
        domain="home_living",
    ) | {"option_1_service_0": "home_care", "option_1_units_0": "2"}
    page = pages.post(f"/ras/versions/{draft.pk}/questions/new/", form).content.decode()
    assert "an answer about support from family and friends cannot carry hours of support" in page
    draft.refresh_from_db()
    assert draft.definition == before


def test_practitioners_cannot_see_or_change_an_answers_services(
    client_for, practitioner, draft, commissioner
):
    imported(draft, commissioner, evenings(TWO_SERVICES))
    draft.refresh_from_db()
    before = draft.definition
    client = client_for(practitioner)
    url = f"/ras/versions/{draft.pk}/questions/evenings/"
    assert client.get(url).status_code == 404
    form = page_as_shown(evenings(TWO_SERVICES)) | {"option_1_service_2": "meals"}
    assert client.post(url, form | {"option_1_units_2": "7"}).status_code == 404
    draft.refresh_from_db()
    assert draft.definition == before


def test_saving_each_question_of_the_shipped_cost_rate_example_unchanged_changes_nothing(
    pages, draft, commissioner
):
    """The example scheme's answers carry two services (home care and meals, telecare and
    sleep-in nights): the page shows and saves every one of them."""
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    actions.save_definition(draft, example, acting_user=commissioner)
    draft.refresh_from_db()
    before = ras.to_dict(draft.parsed)
    assert max(most_services(q) for d in before["domains"] for q in d["questions"]) == 2
    for domain in before["domains"]:
        for question in domain["questions"]:
            url = f"/ras/versions/{draft.pk}/questions/{question['code']}/"
            draft.refresh_from_db()
            form = page_as_shown(question, domain=domain["code"])
            response = pages.post(url, form | {"edit_version": draft.edit_version})
            assert response.status_code == 302, question["code"]
    draft.refresh_from_db()
    assert ras.to_dict(draft.parsed) == before
