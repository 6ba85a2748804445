"""Staff pages: caseload, create, edit (with bad input), history and the access log."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessEvent
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.money import from_pence
from people.models import Person
from people.tests.factories import CaringRelationshipFactory, PersonFactory
from people.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    return re.findall(r'href="/people/\d+/">([^<]+)</a>', response.content.decode())


def link(body: str, rel: str) -> str:
    """The query string of the page's Previous or Next link."""
    return re.search(rf'href="(\?[^"]*)" rel="{rel}"', body).group(1).replace("&amp;", "&")


@pytest.fixture
def practitioner_client(client_for, practitioner):
    return client_for(practitioner)


def form_data(person=None, **changes):
    """What the edit form posts for a person, with some fields changed."""
    data = {
        "council_person_id": person.council_person_id if person else "",
        "nhs_number": person.nhs_number if person else "",
        "title": "",
        "first_name": person.first_name if person else "Iris",
        "middle_names": "",
        "last_name": person.last_name if person else "Marlow",
        "preferred_name": "",
        "date_of_birth_day": "17",
        "date_of_birth_month": "5",
        "date_of_birth_year": "1940",
        "date_of_death_day": "",
        "date_of_death_month": "",
        "date_of_death_year": "",
        "sex": "female",
        "gender_identity": "not_asked",
        "ethnicity": "white_british",
        "primary_support_reason": "physical_personal_care",
        "capacity": "has_capacity",
        "team": person.team_id if person and person.team_id else "",
        "representative": "",
        "representative_relationship": "",
        "address_line_1": "",
        "address_line_2": "",
        "town": "",
        "postcode": "WX1 4DQ",
        "phone": "",
        "email": "",
        "preferred_contact": "phone",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


class TestCaseload:
    def test_lists_the_team_caseload_in_name_order(self, practitioner_client, team, other_team):
        PersonFactory(team=team, first_name="Zed", last_name="Abbott")
        PersonFactory(team=team, first_name="Amy", last_name="Young")
        PersonFactory(team=other_team, first_name="Not", last_name="Mine")
        response = practitioner_client.get("/people/")
        assert response.status_code == 200
        assert names_on(response) == ["Abbott, Zed", "Young, Amy"]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("name=abb", ["Abbott, Zed"]),
            ("name=amy+young", ["Young, Amy"]),
            ("nhs_number=999+000+0018", ["Abbott, Zed"]),
            ("council_person_id=wx-2", ["Young, Amy"]),
            ("postcode=wx9", ["Young, Amy"]),
            ("postcode=wx1+4dq", ["Abbott, Zed"]),
            ("primary_support_reason=learning_disability", ["Young, Amy"]),
            ("age_band=85%2B", ["Abbott, Zed"]),
            ("age_band=18-24", ["Young, Amy"]),
            ("name=nobody", []),
        ],
    )
    def test_filters(self, practitioner_client, team, query, expected):
        today = dt.date.today()
        PersonFactory(
            team=team,
            first_name="Zed",
            last_name="Abbott",
            nhs_number="9990000018",
            council_person_id="WX-1",
            postcode="WX1 4DQ",
            date_of_birth=today.replace(year=today.year - 90),
        )
        PersonFactory(
            team=team,
            first_name="Amy",
            last_name="Young",
            nhs_number=None,
            council_person_id="WX-2",
            postcode="WX9 1AB",
            primary_support_reason="learning_disability",
            date_of_birth=today.replace(year=today.year - 20),
        )
        assert names_on(practitioner_client.get(f"/people/?{query}")) == expected

    def test_bad_filter_input_gets_a_message(self, practitioner_client):
        response = practitioner_client.get("/people/?nhs_number=abc&age_band=100-200")
        body = response.content.decode()
        assert "NHS number must only include numbers" in body
        assert "Select age from the list" in body

    def test_pages_of_25_go_next_and_previous_and_keep_the_filters(self, practitioner_client, team):
        for i in range(PAGE_SIZE + 5):
            PersonFactory(team=team, first_name="Pat", last_name=f"Surname{i:02d}")
        PersonFactory(team=team, first_name="Other", last_name="Aaron")
        first = practitioner_client.get("/people/?name=pat")
        body = first.content.decode()
        assert names_on(first) == [f"Surname{i:02d}, Pat" for i in range(PAGE_SIZE)]
        assert "30 people match your filters" in body
        assert 'rel="prev"' not in body
        second = practitioner_client.get(f"/people/{link(body, 'next')}")
        assert "name=pat" in link(body, "next") and "after=" in link(body, "next")
        assert names_on(second) == [f"Surname{i:02d}, Pat" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]
        body = second.content.decode()
        assert 'rel="next"' not in body
        back = practitioner_client.get(f"/people/{link(body, 'prev')}")
        assert names_on(back) == names_on(first)

    def test_a_deep_page_is_found_by_its_place_in_the_order_not_an_offset(
        self, practitioner_client, team
    ):
        people = [PersonFactory(team=team, last_name=f"Name{i:02d}") for i in range(40)]
        after = practitioner_client.get(f"/people/?after={people[30].pk}")
        assert names_on(after) == [f"Name{i:02d}, Test" for i in range(31, 40)]
        before = practitioner_client.get(f"/people/?before={people[30].pk}")
        assert names_on(before) == [f"Name{i:02d}, Test" for i in range(5, 30)]

    def test_a_cursor_from_outside_the_caseload_shows_only_the_caseload(
        self, practitioner_client, team, other_team
    ):
        for i in range(3):
            PersonFactory(team=team, last_name=f"Mine{i}")
        theirs = PersonFactory(team=other_team, last_name="Mzzz")
        page = practitioner_client.get(f"/people/?after={theirs.pk}")
        assert "Mzzz" not in page.content.decode()
        nowhere = practitioner_client.get("/people/?after=999999999")
        assert names_on(nowhere) == [f"Mine{i}, Test" for i in range(3)]

    def test_a_search_is_counted_up_to_a_cap(self, practitioner_client, team, monkeypatch):
        monkeypatch.setattr("people.paging.COUNT_CAP", 3)
        monkeypatch.setattr("people.views.PAGE_SIZE", 2)  # more than one page: counted
        for i in range(5):
            PersonFactory(team=team, first_name="Pat", last_name=f"Surname{i}")
        body = practitioner_client.get("/people/?name=pat").content.decode()
        assert "More than 3 people match your filters" in body
        assert "5 people" in practitioner_client.get("/people/").content.decode()

    def test_query_count_does_not_grow_with_the_page(self, practitioner_client, team):
        from django.core.cache import cache

        for _ in range(PAGE_SIZE + 1):
            PersonFactory(team=team)
        practitioner_client.get("/people/")  # a session's first visit also starts its idle clock
        cache.clear()
        with CaptureQueriesContext(connection) as one:
            practitioner_client.get("/people/")
        for _ in range(PAGE_SIZE * 3):
            PersonFactory(team=team)
        cache.clear()
        with CaptureQueriesContext(connection) as full:
            response = practitioner_client.get("/people/")
        assert len(names_on(response)) == PAGE_SIZE
        assert len(full) == len(one), [q["sql"] for q in full]
        first = Person.objects.first()
        with CaptureQueriesContext(connection) as deep:
            response = practitioner_client.get(f"/people/?after={first.pk}")
        assert len(deep) < len(full)  # the count is remembered for a minute
        assert len(names_on(response)) == PAGE_SIZE

    def test_a_name_search_s_first_page_counts_its_matches_in_the_same_statement(
        self, practitioner_client, team, monkeypatch
    ):
        from django.core.cache import cache

        monkeypatch.setattr("people.views.PAGE_SIZE", 2)
        for i in range(5):
            PersonFactory(team=team, first_name="Pat", last_name=f"Surname{i}")
        PersonFactory(team=team, first_name="Sam", last_name="Other")
        practitioner_client.get("/people/")
        cache.clear()
        with CaptureQueriesContext(connection) as first:
            body = practitioner_client.get("/people/?name=pat").content.decode()
        assert "5 people match your filters" in body
        people = [q["sql"] for q in first if "people_person" in q["sql"]]
        assert len(people) == 1 and "OVER ()" in people[0].upper()
        # The next page is found by its cursor and shows the count remembered from the first.
        after = link(body, "next")
        with CaptureQueriesContext(connection) as second:
            response = practitioner_client.get(f"/people/{after}")
        assert "5 people match your filters" in response.content.decode()
        assert not [q for q in second if "COUNT(" in q["sql"].upper()]
        assert len(names_on(response)) == 2

    def test_a_list_that_fits_on_one_page_is_counted_without_a_count_query(
        self, practitioner_client, team
    ):
        from django.core.cache import cache

        for i in range(3):
            PersonFactory(team=team, first_name="Pat", last_name=f"Surname{i}")
        PersonFactory(team=team, first_name="Sam", last_name="Other")
        practitioner_client.get("/people/")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            body = practitioner_client.get("/people/?name=pat").content.decode()
        assert "3 people match your filters" in body
        # One read of the people: the page (a name search counts in the same statement).
        assert len([q for q in queries if "people_person" in q["sql"]]) == 1
        assert "4 people" in practitioner_client.get("/people/").content.decode()

    def test_each_row_shows_the_person_s_details_escaped(self, practitioner_client, team):
        born = dt.date(1940, 5, 17)
        person = PersonFactory(
            team=team,
            first_name="<b>Iris</b>",
            last_name="Marlow",
            nhs_number="9434765919",
            council_person_id="WX0000042",
            date_of_birth=born,
            date_of_death=dt.date(2025, 1, 2),
            postcode="",
            primary_support_reason="learning_disability",
        )
        body = practitioner_client.get("/people/").content.decode()
        row = body.split(f'href="/people/{person.pk}/"')[1].split("</tr>")[0]
        assert "Marlow, &lt;b&gt;Iris&lt;/b&gt;</a>" in row
        assert '<strong class="govuk-tag govuk-tag--grey">Died</strong>' in row
        assert "943 476 5919" in row and "WX0000042" in row
        assert "17 May 1940 (84)" in row  # age at death
        assert ">–</td>" in row  # no postcode
        assert "Learning Disability Support" in row

    def test_each_person_listed_is_logged(self, practitioner_client, practitioner, team):
        people = [PersonFactory(team=team) for _ in range(3)]
        practitioner_client.get("/people/")
        logged = set(
            AccessEvent.objects.filter(user=practitioner, action="list").values_list(
                "person_id", flat=True
            )
        )
        assert logged == {p.pk for p in people}


class TestPersonPage:
    def test_shows_the_record_and_logs_the_view(self, practitioner_client, practitioner, team):
        person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        response = practitioner_client.get(f"/people/{person.pk}/")
        assert response.status_code == 200
        assert "Iris Marlow" in response.content.decode()
        event = AccessEvent.objects.get(user=practitioner, person=person)
        assert (event.action, event.purpose) == ("view", AccessEvent.Purpose.CASELOAD)

    def test_query_count_is_fixed(self, practitioner_client, team, django_assert_max_num_queries):
        person = PersonFactory(team=team)
        carers = [
            PersonFactory(team=team, client_type="carer", primary_support_reason="")
            for _ in range(3)
        ]
        for carer in carers:
            CaringRelationshipFactory(carer=carer, cared_for=person)
        # The caring relationships, however many, are one query; the team's name is read
        # once, then remembered for a few minutes.
        practitioner_client.get(f"/people/{person.pk}/")
        with django_assert_max_num_queries(9):
            practitioner_client.get(f"/people/{person.pk}/")


class TestSupportNow:
    """The person page's "Support now": the active budget and the latest assessment."""

    def test_no_budget_and_no_assessment_say_so(self, practitioner_client, team):
        person = PersonFactory(team=team)
        body = practitioner_client.get(f"/people/{person.pk}/").content.decode()
        assert "No current personal budget" in body and "No assessment yet" in body

    def test_the_active_budget_and_the_latest_assessment_s_amount_are_shown(
        self, practitioner_client, team
    ):
        from assessment.tests.factories import CompletedAssessmentFactory
        from budgets.tests.factories import ActiveBudgetFactory, EndedBudgetFactory
        from ui.templatetags.ui import money

        person = PersonFactory(team=team)
        EndedBudgetFactory(person=person, amount_pence=99_900, start_date=dt.date(2024, 1, 1))
        budget = ActiveBudgetFactory(person=person, amount_pence=35_000)
        assessment = CompletedAssessmentFactory(person=person)
        body = practitioner_client.get(f"/people/{person.pk}/").content.decode()
        assert f"Personal budget <strong>{money(budget.amount)} a week</strong>" in body
        assert money(from_pence(99_900)) not in body
        allocation = assessment.allocation
        assert f'href="/assessments/{assessment.pk}/"' in body
        assert f"indicative {money(allocation.amount)} a {allocation.period}" in body

    def test_needs_found_not_eligible_show_no_amount(self, practitioner_client, team):
        from assessment.tests.factories import NotEligibleAssessmentFactory

        person = PersonFactory(team=team)
        NotEligibleAssessmentFactory(person=person)
        body = practitioner_client.get(f"/people/{person.pk}/").content.decode()
        assert "not eligible: no budget" in body


class TestEditing:
    def test_a_good_edit_saves_and_shows_in_history(self, practitioner_client, team):
        person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        response = practitioner_client.post(
            f"/people/{person.pk}/edit/", form_data(person, last_name="Marlowe")
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.last_name == "Marlowe"
        history = practitioner_client.get(f"/people/{person.pk}/history/").content.decode()
        assert "Record changed by Practitioner" in history
        assert "<del>Marlow</del>" in history and "<ins>Marlowe</ins>" in history

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"nhs_number": "123 456 7890"}, "Enter a valid NHS number"),
            ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
            ({"postcode": "WX1"}, "Enter a real postcode, like WX1 4DQ"),
            (
                {"date_of_birth_year": str(dt.date.today().year + 1)},
                "Date of birth must be today or in the past",
            ),
            ({"date_of_birth_month": "13"}, "Date of birth must be a real date"),
            ({"date_of_birth_day": ""}, "Date of birth must include a day"),
            (
                {
                    "date_of_death_day": "1",
                    "date_of_death_month": "1",
                    "date_of_death_year": "1930",
                },
                "Date of death must be the same as or after date of birth",
            ),
            ({"first_name": ""}, "Enter first name"),
            ({"sex": ""}, "Select sex"),
            ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(
        self, practitioner_client, team, changes, message
    ):
        person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        before = Person.history.count()
        response = practitioner_client.post(
            f"/people/{person.pk}/edit/", form_data(person, last_name="Changed", **changes)
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in body
        assert message in body, re.findall(r"error-summary__list.*?</ul>", body, re.S)
        assert "<title>Error: " in body
        person.refresh_from_db()
        assert person.last_name == "Marlow"
        assert Person.history.count() == before

    def test_a_duplicate_nhs_number_links_to_the_existing_record(self, practitioner_client, team):
        existing = PersonFactory(team=team, nhs_number="9434765919")
        other = PersonFactory(team=team)
        body = practitioner_client.post(
            f"/people/{other.pk}/edit/", form_data(other, nhs_number="943 476 5919")
        ).content.decode()
        assert "A person with this NHS number is already recorded" in body
        assert f'href="/people/{existing.pk}/"' in body

    def test_a_duplicate_the_user_may_not_see_is_refused_without_a_link(
        self, practitioner_client, team, other_team
    ):
        hidden = PersonFactory(team=other_team, nhs_number="9434765919")
        other = PersonFactory(team=team)
        body = practitioner_client.post(
            f"/people/{other.pk}/edit/", form_data(other, nhs_number="9434765919")
        ).content.decode()
        assert "A person with this NHS number is already recorded" in body
        assert f"/people/{hidden.pk}/" not in body and hidden.last_name not in body

    @pytest.mark.parametrize("role", [Role.FINANCE, Role.COMMISSIONER])
    def test_staff_who_do_not_edit_records_cannot(self, client_for, team, role):
        person = PersonFactory(team=team)
        user = UserFactory(role=role)
        client = client_for(user)
        client.post(f"/people/{person.pk}/open/", {"reason": "Checking a payment query"})
        assert client.get(f"/people/{person.pk}/").status_code == 200
        assert client.get(f"/people/{person.pk}/edit/").status_code == 404
        assert (
            client.post(f"/people/{person.pk}/edit/", form_data(person, last_name="X")).status_code
            == 404
        )


class TestCreating:
    def test_a_new_person_gets_the_next_council_id(self, practitioner_client, team):
        response = practitioner_client.post(
            "/people/new/", form_data(None, team=team.pk, nhs_number="9434765919")
        )
        assert response.status_code == 302
        person = Person.objects.get(nhs_number="9434765919")
        assert re.fullmatch(r"WX\d{7}", person.council_person_id)
        assert person.history.count() == 1
        second = practitioner_client.post(
            "/people/new/", form_data(None, team=team.pk, first_name="Second")
        )
        assert second.status_code == 302
        ids = sorted(Person.objects.values_list("council_person_id", flat=True))
        assert len(set(ids)) == 2

    def test_a_bad_new_person_saves_nothing(self, practitioner_client, team):
        response = practitioner_client.post(
            "/people/new/", form_data(None, team=team.pk, nhs_number="9434765918")
        )
        assert response.status_code == 200
        assert not Person.objects.exists()


class TestAccessLogPage:
    def test_staff_see_views_and_refusals(self, client_for, practitioner_client, team):
        person = PersonFactory(team=team)
        outsider = UserFactory(role=Role.FINANCE, first_name="Fay", last_name="Outsider")
        client_for(outsider).get(f"/people/{person.pk}/")  # refused
        body = practitioner_client.get(f"/people/{person.pk}/access-log/").content.decode()
        assert "Fay Outsider" in body and "Was refused access" in body


class TestFindPerson:
    def test_a_caseload_person_opens_without_a_reason(self, practitioner_client, team):
        person = PersonFactory(team=team, nhs_number="9434765919")
        response = practitioner_client.post("/people/find/", {"identifier": "943 476 5919"})
        assert response.headers["Location"] == f"/people/{person.pk}/"

    def test_outside_the_caseload_needs_a_reason_and_reveals_nothing_first(
        self, client_for, other_team
    ):
        person = PersonFactory(team=other_team, council_person_id="WX0000042")
        finance = UserFactory(role=Role.FINANCE)
        client = client_for(finance)
        without = client.post("/people/find/", {"identifier": "WX0000042"}).content.decode()
        missing = client.post("/people/find/", {"identifier": "WX0000043"}).content.decode()
        assert (
            "This person is not on your caseload" in without
            and "This person is not on your caseload" in missing
        )
        response = client.post(
            "/people/find/", {"identifier": "wx0000042", "reason": "Direct payment audit query"}
        )
        assert response.headers["Location"] == f"/people/{person.pk}/"
        assert AccessEvent.objects.filter(
            user=finance, person=person, action="break_glass"
        ).exists()

    def test_no_match_after_a_reason_says_so(self, client_for):
        finance = UserFactory(role=Role.FINANCE)
        body = (
            client_for(finance)
            .post("/people/find/", {"identifier": "9434765919", "reason": "Direct payment audit"})
            .content.decode()
        )
        assert "No person has this NHS number or council person ID" in body
        assert AccessEvent.objects.get(user=finance).action == "denied"


class TestCaseloadSearchAsPeopleType:
    """Defects a new user met in the caseload search (issue 7)."""

    def test_one_match_is_one_person_that_matches(self, practitioner_client, team):
        PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        body = practitioner_client.get("/people/?name=marlow").content.decode()
        assert "1 person matches your filters" in body

    def test_surname_comma_first_name_finds_the_person(self, practitioner_client, team):
        PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        PersonFactory(team=team, first_name="Ivy", last_name="Marlow")
        assert names_on(practitioner_client.get("/people/?name=Marlow%2C+Iris")) == ["Marlow, Iris"]

    @pytest.mark.parametrize("typed", ["WX1", "wx1 4", "WX14", "wx14d", "WX1 4DQ", "wx14dq"])
    def test_a_postcode_or_its_start_matches_with_or_without_the_space(
        self, practitioner_client, team, typed
    ):
        PersonFactory(team=team, first_name="Iris", last_name="Marlow", postcode="WX1 4DQ")
        PersonFactory(team=team, first_name="Other", last_name="Person", postcode="WX2 1AB")
        assert names_on(practitioner_client.get(f"/people/?postcode={typed}")) == ["Marlow, Iris"]

    def test_a_wrong_nhs_check_digit_is_explained(self, practitioner_client, team):
        body = practitioner_client.get("/people/?nhs_number=943+476+5910").content.decode()
        assert "the last digit does not match the others" in body

    def test_part_of_a_council_id_finds_the_person(self, practitioner_client, team):
        person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
        digits = person.council_person_id[-4:]
        assert names_on(practitioner_client.get(f"/people/?council_person_id={digits}")) == [
            "Marlow, Iris"
        ]
