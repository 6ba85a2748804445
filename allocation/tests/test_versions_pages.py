"""Building, copying, importing, exporting and publishing RAS versions, and who may."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions, rules
from allocation.domain.definition import to_dict
from allocation.models import ModelRun, RasVersion
from allocation.tests.factories import DraftVersionFactory
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER, first_name="Corinne", last_name="Marsh")


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


@pytest.fixture
def draft(live, commissioner):
    return DraftVersionFactory(label="2027/28 proposal", acting_user=commissioner)


def test_the_default_schemes_ship_live(live):
    # Eight areas of need (communication and decisions among them) and family and friends.
    assert live.status == "live" and len(live.parsed.domains) == 9
    assert all(3 <= len(d.questions) <= 6 for d in live.parsed.domains)
    assert RasVersion.objects.live_on("carer").parsed.period == "year"


def test_commissioners_list_versions_and_others_see_only_published(
    client_for, commissioner, practitioner, draft
):
    assert "2027/28 proposal" in client_for(commissioner).get("/ras/").content.decode()
    body = client_for(practitioner).get("/ras/").content.decode()
    assert "Shipped default" in body and "2027/28 proposal" not in body
    assert client_for(practitioner).get(f"/ras/versions/{draft.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.PERSON, Role.PROVIDER, Role.REPRESENTATIVE])
def test_people_outside_the_council_see_no_ras_pages(client_for, live, role):
    client = client_for(UserFactory(role=role))
    for url in ["/ras/", f"/ras/versions/{live.pk}/", f"/ras/versions/{live.pk}/export/"]:
        assert client.get(url).status_code == 404


def test_practitioners_cannot_change_or_model(client_for, practitioner, live, draft):
    client = client_for(practitioner)
    for url in [
        f"/ras/versions/{live.pk}/copy/",
        f"/ras/versions/{live.pk}/model/",
        f"/ras/versions/{live.pk}/calibrate/",
        "/ras/import/",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_live_version_cannot_be_edited(client_for, commissioner, live):
    client = client_for(commissioner)
    for url in [
        "domains/",
        "questions/",
        "money-tables/",
        "money-tables/new/",
        "money-tables/everyone/",
        "limits/",
        "family-support/",
        "publish/",
    ]:
        assert client.get(f"/ras/versions/{live.pk}/{url}").status_code == 404
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.save_definition(live, live.definition, acting_user=commissioner)
    assert refused.value.codes == ["RAS-FROZEN"]


def test_copy_to_draft_and_build_it(client_for, commissioner, live):
    client = client_for(commissioner)
    response = client.post(f"/ras/versions/{live.pk}/copy/", {"label": "Proposal"})
    draft = RasVersion.objects.get(label="Proposal")
    assert response.headers["Location"] == f"/ras/versions/{draft.pk}/"
    assert draft.status == "draft" and draft.number == 2 and draft.based_on == live
    page = client.get(f"/ras/versions/{draft.pk}/").content.decode()
    assert "govuk-task-list" in page and "Cannot start yet" in page

    client.post(
        f"/ras/versions/{draft.pk}/domains/",
        {"code": "garden", "title": "Garden", "description": ""},
    )
    response = client.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        {
            "domain": "garden",
            "code": "garden_help",
            "text": "How much help do you need with your garden?",
            "hint": "",
            "option_0_code": "none",
            "option_0_label": "None",
            "option_0_value": "0",
            "option_1_code": "lot",
            "option_1_label": "A lot",
            "option_1_value": "4",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.parsed.question("garden_help").options[1].points == 4
    client.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "10",
            "price_per_point": "3.5",
        },
    )
    draft.refresh_from_db()
    assert draft.parsed.allocation.price_per_point == Decimal("3.5")
    client.post(
        f"/ras/versions/{draft.pk}/limits/",
        {"period": "week", "minimum": "0", "maximum": "1200"},
    )
    client.post(
        f"/ras/versions/{draft.pk}/family-support/",
        {"method": "whole_scheme", "cap_percent": "35"},
    )
    draft.refresh_from_db()
    assert (str(draft.parsed.maximum), draft.parsed.informal_cap_percent) == ("1200.00", 35)
    # The live version it came from is untouched.
    live.refresh_from_db()
    assert live.parsed.question("garden_help") is None


def test_bad_builder_input_is_refused_whole(client_for, commissioner, draft):
    client = client_for(commissioner)
    before = dict(draft.definition)
    duplicate = client.post(
        f"/ras/versions/{draft.pk}/domains/", {"code": "personal_care", "title": "Again"}
    )
    assert "used twice" in duplicate.content.decode()
    one_option = client.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        {
            "domain": "personal_care",
            "code": "pc_extra",
            "text": "Extra?",
            "option_0_code": "a",
            "option_0_label": "A",
        },
    )
    assert "at least 2 answers" in one_option.content.decode()
    bands = client.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {"code": "everyone", "title": "Everyone", "method": "bands", "bands": "10, 50\n5, 40"},
    )
    assert (
        "must be in order" in bands.content.decode()
        or "first band must start at 0" in bands.content.decode()
    )
    limits = client.post(
        f"/ras/versions/{draft.pk}/limits/",
        {"period": "week", "minimum": "500", "maximum": "100"},
    )
    assert "Maximum amount must be the same as or more than the minimum" in limits.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def test_export_and_import_round_trip(client_for, commissioner, live):
    client = client_for(commissioner)
    exported = client.get(f"/ras/versions/{live.pk}/export/")
    assert exported["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.content)
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "ras.json"
    response = client.post(
        "/ras/import/", {"scheme": live.scheme.pk, "label": "Imported copy", "file": upload}
    )
    imported = RasVersion.objects.get(label="Imported copy")
    assert response.headers["Location"] == f"/ras/versions/{imported.pk}/"
    assert to_dict(imported.parsed) == to_dict(live.parsed) and imported.origin == "imported"


def test_importing_a_broken_file_saves_nothing(client_for, commissioner, live):
    before = RasVersion.objects.count()
    upload = io.BytesIO(b'{"format": "selfdirect-ras/1", "domains": [{"code": "BAD CODE"}]}')
    upload.name = "bad.json"
    body = (
        client_for(commissioner)
        .post("/ras/import/", {"scheme": live.scheme.pk, "label": "x", "file": upload})
        .content.decode()
    )
    assert "The file is not a valid version" in body
    assert RasVersion.objects.count() == before


def test_a_draft_cannot_go_live_without_a_completed_model_run(client_for, commissioner, draft):
    client = client_for(commissioner)
    page = client.get(f"/ras/versions/{draft.pk}/publish/").content.decode()
    assert "needs a completed model run" in page
    response = client.post(
        f"/ras/versions/{draft.pk}/publish/",
        {"effective_from_day": "1", "effective_from_month": "4", "effective_from_year": "2027"},
    )
    assert "needs a completed model run" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.fixture
def second_commissioner():
    return UserFactory(role=Role.COMMISSIONER, first_name="Sunil", last_name="Rao")


def _modelled(version, user):
    return ModelRun.objects.create(
        version=version, envelope_pence=100000, reserve_percent=5, status="done", created_by=user
    )


DATE = {"effective_from_day": "1", "effective_from_month": "4", "effective_from_year": "2027"}


def test_publishing_is_checked_and_confirmed_by_a_second_person_and_retires_the_version_before_it(
    client_for, commissioner, second_commissioner, live, draft
):
    _modelled(draft, commissioner)
    client = client_for(second_commissioner)
    url = f"/ras/versions/{draft.pk}/publish/"
    # Step 1, the date: nothing is published yet; the check-and-confirm page says what changes.
    page = client.post(url, DATE)
    body = page.content.decode()
    assert page.status_code == 200 and "Check and confirm" in body
    assert "Comes into force" in body and "1 April 2027" in body
    assert f"{live}, which will stop on 31 March 2027" in body
    assert "Corinne Marsh" in body and "Sunil Rao (you)" in body
    assert "It cannot be undone" in body
    draft.refresh_from_db()
    assert draft.status == "draft"
    # Step 2 without ticking the confirmation: refused, and still not published.
    body = client.post(url, {"step": "confirm", "effective_from": "2027-04-01"}).content.decode()
    assert "Confirm that this version should be published" in body
    draft.refresh_from_db()
    assert draft.status == "draft"
    # Confirmed.
    response = client.post(
        url, {"step": "confirm", "effective_from": "2027-04-01", "confirm": "on"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == "live" and str(draft.effective_from) == "2027-04-01"
    assert draft.published_by == second_commissioner
    assert str(live.effective_to) == "2027-03-31"
    assert RasVersion.objects.live_on("person", dt.date(2027, 3, 31)) == live
    assert RasVersion.objects.live_on("person", dt.date(2027, 4, 1)) == draft


def test_the_author_cannot_publish_their_own_draft(client_for, commissioner, live, draft):
    _modelled(draft, commissioner)
    client = client_for(commissioner)
    url = f"/ras/versions/{draft.pk}/publish/"
    page = client.get(url).content.decode()
    assert 'data-code="RAS-SAME-PERSON"' in page and "Continue" not in page
    client.post(url, {"step": "confirm", "effective_from": "2027-04-01", "confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == "draft"
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.publish_version(draft, dt.date(2027, 4, 1), acting_user=commissioner)
    assert refused.value.codes == ["RAS-SAME-PERSON"]


def test_a_date_clash_is_found_before_the_confirmation(
    client_for, commissioner, second_commissioner, live, draft
):
    _modelled(draft, commissioner)
    start = live.effective_from
    body = (
        client_for(second_commissioner)
        .post(
            f"/ras/versions/{draft.pk}/publish/",
            {
                "effective_from_day": str(start.day),
                "effective_from_month": str(start.month),
                "effective_from_year": str(start.year),
            },
        )
        .content.decode()
    )
    assert "choose a later date" in body and "Check and confirm" not in body


def test_only_one_version_is_live_on_a_date(commissioner, live, draft):
    ModelRun.objects.create(
        version=draft,
        envelope_pence=100000,
        reserve_percent=5,
        status="done",
        created_by=commissioner,
    )
    problems = rules.publication_problems(draft, live.effective_from)
    assert [p.code for p in problems] == ["RAS-START-CLASH"]


def test_the_question_editor_keeps_outcomes_complex_answers_and_contradictions(
    client_for, commissioner, draft
):
    """The optional keys of selfdirect-ras/1 can be set and changed on the builder's page."""
    client = client_for(commissioner)
    response = client.post(
        f"/ras/versions/{draft.pk}/questions/new/",
        {
            "domain": "staying_safe",
            "code": "safe_two_to_one",
            "text": "Do you need two people with you to keep you and others safe?",
            "outcomes": ["home_safety", "community"],
            "never_reduced": "on",
            "option_0_code": "no",
            "option_0_label": "No",
            "option_0_value": "0",
            "option_0_excludes": "safe_supervision:all",
            "option_1_code": "yes",
            "option_1_label": "Yes, most of the time",
            "option_1_value": "400",
            "option_1_complex": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    question = draft.parsed.question("safe_two_to_one")
    assert question.outcomes == ("home_safety", "community") and not question.reducible
    assert question.options[1].complex and not question.options[0].complex
    assert question.options[0].excludes == (("safe_supervision", ("all",)),)
    page = client.get(f"/ras/versions/{draft.pk}/questions/safe_two_to_one/").content.decode()
    assert 'value="safe_supervision:all"' in page and 'value="home_safety" checked' in page
    listing = client.get(f"/ras/versions/{draft.pk}/questions/").content.decode()
    assert "Costed plan" in listing and "never reduced for family support" in listing
    # A contradiction that names an answer the other question does not have is refused.
    bad = client.post(
        f"/ras/versions/{draft.pk}/questions/safe_two_to_one/",
        {
            "domain": "staying_safe",
            "code": "safe_two_to_one",
            "text": "Two people?",
            "option_0_code": "no",
            "option_0_label": "No",
            "option_0_excludes": "safe_supervision:sometimes",
            "option_1_code": "yes",
            "option_1_label": "Yes",
            "option_1_value": "4",
        },
    )
    assert "is not an answer to" in bad.content.decode()
    malformed = client.post(
        f"/ras/versions/{draft.pk}/questions/safe_two_to_one/",
        {
            "domain": "staying_safe",
            "code": "safe_two_to_one",
            "text": "Two people?",
            "option_0_code": "no",
            "option_0_label": "No",
            "option_0_excludes": "supervision",
            "option_1_code": "yes",
            "option_1_label": "Yes",
        },
    )
    assert "question:option" in malformed.content.decode()
