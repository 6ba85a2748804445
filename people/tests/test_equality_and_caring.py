"""Equality monitoring on the person record, carers as a client type, caring relationships
(both records show them), the searchable representative, and the data migration that moved
existing records over."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.models import AuditEvent
from core.rules import BusinessRuleViolation
from people import actions, rules
from people.models import CaringRelationship, Person
from people.tests.factories import CarerFactory, CaringRelationshipFactory, PersonFactory
from people.tests.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner_client(client_for, practitioner):
    return client_for(practitioner)


# --- the person form and page -------------------------------------------------------------------


def test_the_form_records_every_protected_characteristic_and_the_page_shows_them(
    practitioner_client, team
):
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    changes = {
        "religion": "jewish",
        "sexual_orientation": "bisexual",
        "legal_partnership_status": "civil_partnership",
        "pregnancy_maternity": "neither",
        "gender_identity": "different",
        "ethnicity": "other_arab",
        "flags": ["has_visual_impairment", "has_hearing_impairment"],
    }
    response = practitioner_client.post(f"/people/{person.pk}/edit/", form_data(person, **changes))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.religion, person.sexual_orientation, person.legal_partnership_status) == (
        "jewish",
        "bisexual",
        "civil_partnership",
    )
    assert person.has_visual_impairment and person.has_hearing_impairment
    page = practitioner_client.get(f"/people/{person.pk}/").content.decode()
    for words in [
        "Religion or belief",
        "Jewish",
        "Sexual orientation",
        "Bisexual",
        "In a registered civil partnership",
        "Pregnancy and maternity",
        "Different from sex registered at birth",
        "Other ethnic group - Arab",
        "Visual impairment",
        "Hearing impairment",
        "Client type",
        "Service User",
    ]:
        assert words in page, words


def test_equality_questions_left_unanswered_are_recorded_as_not_asked(practitioner_client, team):
    data = form_data(None, team=team.pk, nhs_number="9434765919")
    for name in (
        "religion",
        "sexual_orientation",
        "legal_partnership_status",
        "pregnancy_maternity",
    ):
        data.pop(name, None)
    assert practitioner_client.post("/people/new/", data).status_code == 302
    person = Person.objects.get(nhs_number="9434765919")
    assert {
        person.religion,
        person.sexual_orientation,
        person.legal_partnership_status,
        person.pregnancy_maternity,
    } == {"not_asked"}


def test_every_equality_question_offers_prefer_not_to_say(practitioner_client):
    body = practitioner_client.get("/people/new/").content.decode()
    for name in ("gender_identity", "religion", "sexual_orientation", "pregnancy_maternity"):
        assert re.search(rf'name="{name}" type="radio" value="prefer_not_to_say"', body), name
    assert 'value="prefer_not_to_say"' in body.split('name="legal_partnership_status"')[1][:3000]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"client_type": "carer", "primary_support_reason": "physical_personal_care"}, "carer"),
        ({"client_type": "service_user", "primary_support_reason": ""}, "service"),
    ],
)
def test_a_carer_has_no_support_reason_and_a_service_user_has_one(
    practitioner_client, team, changes, code
):
    person = PersonFactory(team=team)
    body = practitioner_client.post(
        f"/people/{person.pk}/edit/", form_data(person, **changes)
    ).content.decode()
    message = {
        "carer": "A carer’s own record has no primary support reason",
        "service": "Choose a primary support reason for a service user",
    }[code]
    assert message in body


def test_the_business_rules_refuse_a_support_reason_on_a_carer_s_own_record(team):
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.create_person(
            {
                "first_name": "Ann",
                "last_name": "Carer",
                "date_of_birth": dt.date(1960, 1, 1),
                "sex": "female",
                "client_type": "carer",
                "primary_support_reason": "unknown",
            },
            acting_user=None,
        )
    assert refused.value.codes == ["PPL-CARER-SUPPORT-REASON"]
    with pytest.raises(BusinessRuleViolation) as refused:
        PersonFactory(team=team, primary_support_reason="")
    assert refused.value.codes == ["PPL-SUPPORT-REASON-NEEDED"]


def test_a_carer_s_own_record_says_it_has_no_support_reason(practitioner_client, team):
    carer = CarerFactory(team=team)
    page = practitioner_client.get(f"/people/{carer.pk}/").content.decode()
    assert "Not applicable: a carer’s own record" in page and ">Carer<" in page


# --- caring relationships -----------------------------------------------------------------------


def test_recording_a_carer_links_both_records_and_marks_an_unpaid_carer(
    practitioner_client, practitioner, team
):
    cared_for = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    carer = CarerFactory(team=team, first_name="Joan", last_name="Marlow")
    assert not cared_for.has_unpaid_carer
    url = f"/people/{cared_for.pk}/caring/new/"
    form = practitioner_client.get(url).content.decode()
    assert "Iris Marlow cares for them" in form and "They care for Iris Marlow" in form
    response = practitioner_client.post(
        url,
        {
            "direction": "cared_for",
            "identifier": carer.council_person_id,
            "started_day": "1",
            "started_month": "3",
            "started_year": "2024",
        },
    )
    assert response.status_code == 302
    link = CaringRelationship.objects.get()
    assert (link.carer, link.cared_for, link.started) == (carer, cared_for, dt.date(2024, 3, 1))
    cared_for.refresh_from_db()
    assert cared_for.has_unpaid_carer
    assert cared_for.history.first().history_change_reason == "An unpaid carer was recorded"
    theirs = practitioner_client.get(f"/people/{cared_for.pk}/").content.decode()
    mine = practitioner_client.get(f"/people/{carer.pk}/").content.decode()
    assert "Cared for by" in theirs and "Joan Marlow" in theirs
    assert "Cares for" in mine and "Iris Marlow" in mine
    assert AuditEvent.objects.filter(
        person=cared_for, action="people.record_caring_relationship"
    ).exists()
    assert AuditEvent.objects.filter(
        person=carer, action="people.record_caring_relationship"
    ).exists()


def test_a_caring_link_can_end_and_stays_on_both_records(practitioner_client, team):
    link = CaringRelationshipFactory(
        cared_for=PersonFactory(team=team), carer=CarerFactory(team=team)
    )
    url = f"/people/{link.cared_for_id}/caring/{link.pk}/end/"
    bad = practitioner_client.post(
        url, {"ended_day": "1", "ended_month": "1", "ended_year": "2020"}
    )
    assert "must be the same as or after the date they started" in bad.content.decode()
    response = practitioner_client.post(
        url, {"ended_day": "5", "ended_month": "6", "ended_year": "2025"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.ended == dt.date(2025, 6, 5)
    page = practitioner_client.get(f"/people/{link.carer_id}/").content.decode()
    assert "until 5 June 2025" in page
    with pytest.raises(Exception, match="already ended"):
        actions.end_caring_relationship(link, dt.date(2025, 7, 1), acting_user=None)


def test_caring_links_follow_the_rules(team):
    person = PersonFactory(team=team)
    carer = CarerFactory(team=team)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_caring_relationship(person, person, dt.date(2024, 1, 1), acting_user=None)
    assert "PPL-CARE-SELF" in refused.value.codes
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_caring_relationship(person, carer, dt.date(2024, 1, 1), acting_user=None)
    assert refused.value.codes == ["PPL-CARED-FOR-NOT-SERVICE-USER"]
    actions.record_caring_relationship(carer, person, dt.date(2024, 1, 1), acting_user=None)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.record_caring_relationship(carer, person, dt.date(2024, 2, 1), acting_user=None)
    assert refused.value.codes == ["PPL-CARE-ALREADY-RECORDED"]
    assert {rule.code for rule in rules.CARING_RULES} >= {"PPL-CARE-ENDS-BEFORE-START"}


def test_only_someone_the_user_may_see_can_be_linked(practitioner_client, team, other_team):
    person = PersonFactory(team=team)
    hidden = PersonFactory(team=other_team)
    body = practitioner_client.post(
        f"/people/{person.pk}/caring/new/",
        {
            "direction": "carer",
            "identifier": hidden.council_person_id,
            "started_day": "1",
            "started_month": "1",
            "started_year": "2024",
        },
    ).content.decode()
    assert "No one you can see has this NHS number or council person ID" in body
    assert hidden.last_name not in body and not CaringRelationship.objects.exists()


def test_staff_who_do_not_edit_records_cannot_record_caring(client_for, team):
    person = PersonFactory(team=team)
    finance = UserFactory(role=Role.FINANCE)
    client = client_for(finance)
    client.post(f"/people/{person.pk}/open/", {"reason": "Checking a payment query"})
    assert client.get(f"/people/{person.pk}/caring/new/").status_code == 404


def test_the_api_shows_the_new_fields_and_both_ends_of_a_caring_link(
    client_for, practitioner, team
):
    link = CaringRelationshipFactory(
        cared_for=PersonFactory(team=team), carer=CarerFactory(team=team)
    )
    client = client_for(practitioner)
    cared_for = client.get(f"/api/v1/people/{link.cared_for_id}").json()
    carer = client.get(f"/api/v1/people/{link.carer_id}").json()
    assert cared_for["client_type"] == "service_user" and carer["client_type"] == "carer"
    assert carer["primary_support_reason"] == ""
    for record in (cared_for, carer):
        assert record["caring_relationships"] == [
            {
                "carer_id": link.carer_id,
                "cared_for_id": link.cared_for_id,
                "started": "2024-03-01",
                "ended": None,
            }
        ]
        assert {
            "religion",
            "sexual_orientation",
            "has_visual_impairment",
            "has_hearing_impairment",
        } <= set(record)


# --- the representative, found by searching -----------------------------------------------------


@pytest.fixture
def representatives():
    made = [
        UserFactory(
            role=Role.REPRESENTATIVE,
            first_name=f"Rep{i:03d}",
            last_name="Smith",
            username=f"rep-{i}",
        )
        for i in range(60)
    ]
    made.append(
        UserFactory(
            role=Role.REPRESENTATIVE, first_name="Olwen", last_name="Pryce", username="olwen"
        )
    )
    return made


def test_the_representative_list_is_never_drawn_whole(practitioner_client, representatives):
    body = practitioner_client.get("/people/new/").content.decode()
    assert body.count('name="representative" type="radio"') == 1  # "No representative" only
    assert "Find a representative" in body


def test_searching_narrows_the_representatives_without_javascript_and_saves_nothing(
    practitioner_client, team, representatives
):
    person = PersonFactory(team=team, first_name="Iris", last_name="Marlow")
    before = Person.history.count()
    data = form_data(
        person, last_name="Changed", representative_search="pryce", find_representative="1"
    )
    body = practitioner_client.post(f"/people/{person.pk}/edit/", data).content.decode()
    assert "Olwen Pryce (olwen)" in body and "Rep001" not in body
    assert "1 representative matches “pryce”" in body
    assert "Nothing has been saved yet" in body and "There is a problem" not in body
    assert 'value="Changed"' in body  # what was typed is kept
    assert Person.history.count() == before
    olwen = representatives[-1]
    data.pop("find_representative")
    data.update(representative=olwen.pk, representative_relationship="Daughter")
    assert practitioner_client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    person.refresh_from_db()
    assert person.representative == olwen and person.last_name == "Changed"


def test_the_search_says_when_there_are_more_matches_than_it_shows(
    practitioner_client, representatives
):
    fragment = practitioner_client.get("/people/representatives/?representative_search=smith")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert "Showing 20 of 60 representatives" in body
    assert body.count('name="representative" type="radio"') == 21
    chosen = representatives[59]
    kept = practitioner_client.get(
        f"/people/representatives/?representative_search=olwen&representative={chosen.pk}"
    ).content.decode()
    assert "Rep059 Smith" in kept and "Olwen Pryce" in kept, "the chosen one stays on the list"


def test_the_representative_search_is_for_staff_who_edit_records(client_for, representatives):
    assert (
        client_for(UserFactory(role=Role.FINANCE))
        .get("/people/representatives/?representative_search=smith")
        .status_code
        == 404
    )
    assert (
        client_for(UserFactory(role=Role.PERSON)).get("/people/representatives/").status_code == 404
    )


# --- the data migration -------------------------------------------------------------------------

BEFORE, DATA = (
    ("people", "0005_equality_monitoring_and_caring"),
    ("people", "0006_carers_are_a_client_type_and_sensory_split"),
)


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_splits_sensory_impairment_and_makes_carers_a_client_type():
    from allocation.actions import ship_default_schemes

    ship_default_schemes(
        acting_user=None
    )  # an earlier transactional test may have emptied the database
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        _check_the_data_migration(executor)
    finally:  # whatever happens, the database goes back to the latest schema for later tests
        MigrationExecutor(connection).migrate(latest)


def _applied_state(executor):
    """The models as the migrations applied now leave them (other apps' migrations that
    need a later people migration are unapplied with it)."""
    loader = MigrationExecutor(connection).loader
    return loader.project_state(sorted(loader.applied_migrations)).apps


def _check_the_data_migration(executor):
    executor.migrate([BEFORE])
    old = _applied_state(executor)
    OldPerson = old.get_model("people", "Person")
    Assessment = old.get_model("assessment", "Assessment")
    User = old.get_model("accounts", "User")
    version = old.get_model("allocation", "RasVersion").objects.filter(scheme__kind="carer").first()
    staff = User.objects.create(username="migrator", role="practitioner")

    def person(name, reason, sensory=False, **extra):
        return OldPerson.objects.create(
            council_person_id=name,
            first_name=name,
            last_name="Test",
            date_of_birth=dt.date(1950, 1, 1),
            sex="female",
            primary_support_reason=reason,
            has_sensory_impairment=sensory,
            **extra,
        )

    visual = person("visual", "sensory_visual")
    dual = person("dual", "sensory_dual", sensory=True)
    other = person("other", "physical_personal_care", sensory=True)
    none = person("none", "physical_personal_care")
    carer = person("carer", "social_support_to_carer")
    unknown_carer = person("unknowncarer", "unknown")
    service_user_for_carer = person("sitting", "social_support_to_carer")
    just_unknown = person("justunknown", "unknown")
    for who, kind, cared in (
        (carer, "carer", none),
        (unknown_carer, "carer", other),
        (service_user_for_carer, "person", None),
    ):
        Assessment.objects.create(
            person=who,
            kind=kind,
            mode="supported",
            version=version,
            started_by=staff,
            cared_for=cared,
        )

    executor = MigrationExecutor(connection)
    executor.migrate([DATA])
    new = _applied_state(executor)
    Person_ = new.get_model("people", "Person")
    Caring = new.get_model("people", "CaringRelationship")

    def read(record):
        return Person_.objects.get(pk=record.pk)

    assert (read(visual).has_visual_impairment, read(visual).has_hearing_impairment) == (
        True,
        False,
    )
    assert (read(dual).has_visual_impairment, read(dual).has_hearing_impairment) == (True, True)
    # Flagged, kind not recorded: both, so nobody drops out of either equality group.
    assert (read(other).has_visual_impairment, read(other).has_hearing_impairment) == (True, True)
    assert (read(none).has_visual_impairment, read(none).has_hearing_impairment) == (False, False)
    for record in (carer, unknown_carer):
        assert (read(record).client_type, read(record).primary_support_reason) == ("carer", "")
    # A service user whose support mainly helps their carer keeps the CLD category.
    assert (
        read(service_user_for_carer).client_type,
        read(service_user_for_carer).primary_support_reason,
    ) == (
        "service_user",
        "social_support_to_carer",
    )
    assert read(just_unknown).client_type == "service_user"
    assert set(Caring.objects.values_list("carer_id", "cared_for_id")) == {
        (carer.pk, none.pk),
        (unknown_carer.pk, other.pk),
    }
    assert read(none).has_unpaid_carer and read(other).has_unpaid_carer
    history = (
        new.get_model("people", "HistoricalPerson")
        .objects.filter(id=carer.pk)
        .latest("history_date")
    )
    assert history.history_change_reason.startswith("Data migration: a carer is a client type")
