"""The scheme editor's money tables: a commissioner lists, adds, changes, reorders and removes
the points-to-money tables of a draft, each for a group of people (issue 10)."""

import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import engine
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def draft(commissioner):
    return DraftVersionFactory(label="Tables by group", acting_user=commissioner)


@pytest.fixture
def pages(client_for, commissioner):
    return client_for(commissioner)


def older_people(**extra) -> dict:
    return {
        "code": "older",
        "title": "People aged 65 and over",
        "age_from": "65",
        "method": "price_per_point",
        "fixed_amount": "5",
        "price_per_point": "2.25",
        **extra,
    }


def middling_answers(version) -> dict:
    """The second answer to every question."""
    return {q.code: q.options[1].code for q in version.parsed.questions}


def test_a_commissioner_adds_a_table_for_a_group_and_it_is_tried_before_everyone_else(pages, draft):
    response = pages.post(f"/ras/versions/{draft.pk}/money-tables/new/", older_people())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ras/versions/{draft.pk}/money-tables/"
    draft.refresh_from_db()
    tables = draft.parsed.tables
    # The new table goes before the table for everyone, which stays last.
    assert [t.code for t in tables] == ["older", "everyone"]
    assert tables[0].applies_to.age_from == 65 and tables[0].applies_to.age_to is None
    assert tables[0].rule.price_per_point == Decimal("2.25")

    # Middling answers, so no limit applies: the older people's table gives £5 + points × £2.25.
    answers = middling_answers(draft)
    older = engine.explain(draft.compiled, answers, person={"age": 70})
    younger = engine.explain(draft.compiled, answers, person={"age": 40})
    assert older.money_table == "older" and younger.money_table == "everyone"
    assert older.limit is None
    assert older.exact_amount == Decimal("5") + older.total_points * Decimal("2.25")

    listing = pages.get(f"/ras/versions/{draft.pk}/money-tables/").content.decode()
    assert "the first table that fits the person applies" in listing
    assert "The last table should be for everyone" in listing
    assert "People aged 65 and over (this table applies first)" in listing
    assert "Everyone else" in listing


def test_a_table_can_be_for_primary_support_reasons_and_client_types(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/",
        {
            "code": "ld",
            "title": "Learning disability support",
            "primary_support_reasons": ["learning_disability"],
            "client_types": ["service_user"],
            "method": "bands",
            "bands": "0, 50.00\n10, 150.00\n20, 400",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    table = draft.parsed.tables[0]
    assert table.applies_to.primary_support_reasons == ("learning_disability",)
    assert table.applies_to.client_types == ("service_user",)
    assert [(b.min_points, b.amount) for b in table.rule.bands] == [
        (0, Decimal("50.00")),
        (10, Decimal("150.00")),
        (20, Decimal("400")),
    ]
    # The change page shows what was saved.
    page = pages.get(f"/ras/versions/{draft.pk}/money-tables/ld/").content.decode()
    assert "20, 400" in page
    assert re.search(r'value="learning_disability"\s+checked', page)


def test_changing_a_table_keeps_its_place_and_the_other_tables(pages, draft):
    pages.post(f"/ras/versions/{draft.pk}/money-tables/new/", older_people())
    response = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/older/",
        older_people(age_from="75", title="People aged 75 and over", price_per_point="3"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    tables = draft.parsed.tables
    assert [t.code for t in tables] == ["older", "everyone"]
    assert (tables[0].title, tables[0].applies_to.age_from) == ("People aged 75 and over", 75)
    assert tables[0].rule.price_per_point == Decimal("3")


def test_tables_are_reordered_and_the_table_for_everyone_must_stay_last(pages, draft):
    pages.post(f"/ras/versions/{draft.pk}/money-tables/new/", older_people())
    pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/",
        older_people(code="young", title="Young adults", age_from="18", age_to="25"),
    )
    draft.refresh_from_db()
    assert [t.code for t in draft.parsed.tables] == ["older", "young", "everyone"]
    pages.post(
        f"/ras/versions/{draft.pk}/money-tables/young/move/",
        {"direction": "up", "edit_version": draft.edit_version},
    )
    draft.refresh_from_db()
    assert [t.code for t in draft.parsed.tables] == ["young", "older", "everyone"]

    before = draft.definition
    refused = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/move/",
        {"direction": "up", "edit_version": draft.edit_version},
        follow=True,
    )
    assert "the table for everyone must come last" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_table_is_removed_but_never_the_last_one(pages, draft):
    pages.post(f"/ras/versions/{draft.pk}/money-tables/new/", older_people())
    draft.refresh_from_db()
    pages.post(
        f"/ras/versions/{draft.pk}/money-tables/older/delete/",
        {"edit_version": draft.edit_version},
    )
    draft.refresh_from_db()
    assert [t.code for t in draft.parsed.tables] == ["everyone"]
    before = draft.definition
    refused = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/delete/",
        {"edit_version": draft.edit_version},
        follow=True,
    )
    assert "A scheme needs at least one money table" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def test_bad_table_input_names_the_field_and_saves_nothing(pages, draft):
    before = draft.definition
    ages = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/", older_people(age_from="80", age_to="70")
    ).content.decode()
    assert "Highest age must be the same as or more than the lowest age" in ages
    assert 'href="#id_age_to"' in ages
    price = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/", older_people(price_per_point="")
    ).content.decode()
    assert "Enter the price per point" in price
    bands = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/",
        older_people(method="bands", bands="5, 20\n10, 40"),
    ).content.decode()
    # Refused by the definition's own check, named in the page's words.
    assert "Money table ‘People aged 65 and over’, band 1, lowest points" in bands
    assert "the first band must start at 0 points" in bands
    duplicate = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/", older_people(code="everyone")
    ).content.decode()
    assert "used twice" in duplicate
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_table_saved_from_a_page_opened_before_another_change_is_refused(pages, draft):
    stale = draft.edit_version
    pages.post(
        f"/ras/versions/{draft.pk}/money-tables/new/",
        {**older_people(), "edit_version": stale},
    )
    draft.refresh_from_db()
    before = draft.definition
    again = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/older/",
        {**older_people(price_per_point="9"), "edit_version": stale},
    )
    assert "Your change has not been saved" in again.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def test_practitioners_cannot_see_or_change_money_tables(client_for, practitioner, draft):
    client = client_for(practitioner)
    before = draft.definition
    for url in ["money-tables/", "money-tables/new/", "money-tables/everyone/"]:
        assert client.get(f"/ras/versions/{draft.pk}/{url}").status_code == 404, url
    for url in [
        "money-tables/new/",
        "money-tables/everyone/delete/",
        "money-tables/everyone/move/",
    ]:
        assert client.post(f"/ras/versions/{draft.pk}/{url}", older_people()).status_code == 404
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_live_versions_money_tables_cannot_be_changed(pages):
    live = RasVersion.objects.live_on("person")
    before = live.definition
    assert pages.get(f"/ras/versions/{live.pk}/money-tables/").status_code == 404
    assert (
        pages.post(f"/ras/versions/{live.pk}/money-tables/new/", older_people()).status_code == 404
    )
    live.refresh_from_db()
    assert live.definition == before


def test_without_a_table_for_everyone_the_pages_say_what_is_missing(pages, draft):
    pages.post(f"/ras/versions/{draft.pk}/money-tables/new/", older_people())
    draft.refresh_from_db()
    pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/delete/",
        {"edit_version": draft.edit_version},
    )
    draft.refresh_from_db()
    assert [t.code for t in draft.parsed.tables] == ["older"]  # a draft may lack it
    listing = pages.get(f"/ras/versions/{draft.pk}/money-tables/").content.decode()
    assert "Add a money table for everyone else (with no conditions) as the last table" in listing
    version_page = pages.get(f"/ras/versions/{draft.pk}/").content.decode()
    tasks = version_page[version_page.index("Build this draft") :]
    money = tasks[tasks.index(">Money tables<") :]
    assert money.index("Incomplete") < money.index("Period and limits")
