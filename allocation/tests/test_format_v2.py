"""The strict, published scheme format `selfdirect-ras/2` (issue 10): every problem listed with
its JSON path and nothing kept; `selfdirect-ras/1` still read, converted, with the conversion
shown; the JSON Schema served by the API; shipped schemes that round-trip; and the API that
adds a draft version to a scheme."""

import copy
import io
import json
import random
from decimal import Decimal

import jsonschema
import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.defaults import DEFAULTS, SCHEMES
from allocation.domain import definition as ras
from allocation.domain import engine, reference
from allocation.domain import schema as ras_schema
from allocation.models import RasScheme, RasVersion
from allocation.tests.factories import random_answers

pytestmark = pytest.mark.django_db

SHIPPED = [filename for _name, _kind, filename, _text in DEFAULTS]


def shipped(filename: str) -> dict:
    return json.loads((SCHEMES / filename).read_text())


def v2(filename: str = "default_person.json") -> dict:
    return ras.to_dict(ras.parse(shipped(filename)))


def paths(error: ras.DefinitionError) -> list[str]:
    return [item["path"] for item in error.items]


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", SHIPPED)
def test_a_shipped_scheme_exported_and_imported_again_is_the_same_definition(filename):
    first = ras.parse(shipped(filename))
    exported = ras.to_dict(first)
    text = json.dumps(exported, ensure_ascii=False)
    again = ras.parse(ras.load_json(text))
    assert again == first
    assert ras.to_dict(again) == exported
    assert exported["format"] == "selfdirect-ras/2"


@pytest.mark.parametrize("filename", SHIPPED)
def test_a_shipped_scheme_in_the_new_format_scores_as_the_old_one_did(filename):
    old = ras.parse(shipped(filename))
    new = ras.parse(v2(filename))
    rng = random.Random(10)
    compiled = engine.compile_scheme(new)
    for _ in range(40):
        answers = random_answers(old, rng)
        need, percent, reduction, net = reference.score_one(old, answers)
        explained = engine.explain(compiled, answers)
        assert explained.total_points == net
        assert round(explained.amount * 100) == reference.amount_one(old, net)


@pytest.mark.parametrize("filename", SHIPPED)
def test_the_exported_definition_passes_the_published_schema(filename):
    jsonschema.Draft202012Validator(ras_schema.SCHEMA_V2).validate(
        json.loads(json.dumps(v2(filename)))
    )


def test_an_unknown_key_is_refused_with_its_path_and_nothing_is_kept():
    data = v2()
    data["domains"][0]["questions"][1]["options"][0]["weight"] = 2
    data["domains"][1]["colour"] = "blue"
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(data)
    assert paths(refused.value) == [
        "$.domains[0].questions[1].options[0].weight",
        "$.domains[1].colour",
    ]
    assert all("not a key" in item["message"] for item in refused.value.items)


def test_every_bad_value_is_listed_with_its_path():
    data = v2()
    data["period"] = "fortnight"
    data["domains"][0]["code"] = "Bad Code"
    data["domains"][0]["questions"][0]["options"][1]["points"] = -3
    data["limits"]["maximum"] = "12.345"
    del data["domains"][1]["questions"][0]["text"]
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(data)
    found = paths(refused.value)
    for path in (
        "$.period",
        "$.domains[0].code",
        "$.domains[0].questions[0].options[1].points",
        "$.domains[1].questions[0].text",
        "$.limits.maximum",
    ):
        assert path in found
    assert len(refused.value.problems) == len(found) >= 5


def test_answers_and_codes_that_refer_to_nothing_are_refused_with_their_paths():
    data = v2()
    first = data["domains"][0]["questions"][0]
    data["domains"][0]["questions"][1]["code"] = first["code"]
    first["options"][1]["excludes"] = {"no_such_question": ["x"]}
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(data)
    assert "$.domains[0].questions[1].code" in paths(refused.value)
    assert "$.domains[0].questions[0].options[1].excludes.no_such_question" in paths(refused.value)


def test_a_version_1_definition_is_converted_and_the_conversion_is_listed():
    parsed = ras.parse(shipped("default_person.json"))
    assert parsed.converted_from == "selfdirect-ras/1"
    assert any("converted to selfdirect-ras/2" in note for note in parsed.conversion)
    assert any("money table" in note for note in parsed.conversion)
    assert ras.parse(ras.to_dict(parsed)).conversion == ()


def test_a_version_1_definition_with_a_key_it_did_not_know_is_refused_not_dropped():
    data = shipped("default_person.json")
    data["domains"][0]["cap"] = 20  # a domain cap written into the old format
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(data)
    assert paths(refused.value) == ["$.domains[0].cap"]
    assert "selfdirect-ras/2" in refused.value.items[0]["message"]


def test_every_part_of_the_format_is_scored_even_a_no_amount_band_beside_hours():
    """A band with no indicative amount beside hours of support is scored (the hours are
    the amount: test_no_indicative_amount), as are hours on a multiple-choice answer."""
    data = {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "daily",
                "title": "Daily living",
                "questions": [
                    {
                        "code": "tasks",
                        "text": "Which tasks do you need help with?",
                        "type": "multiple",
                        "options": [
                            {"code": "washing", "label": "Washing", "points": 2},
                            {
                                "code": "meals",
                                "label": "Meals",
                                "points": 3,
                                "support": [{"service": "home_care", "units": 7}],
                            },
                        ],
                    }
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 0},
        "money_tables": [
            {
                "code": "everyone",
                "title": "Everyone",
                "method": "bands",
                "bands": [
                    {"min_points": 0, "amount": None, "words": "We will talk with you."},
                    {"min_points": 2, "amount": "40.00"},
                ],
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }
    definition = ras.parse(data)
    assert definition.tables[0].rule.bands[0].amount is None
    question = definition.questions[0]
    assert question.multiple and question.options[1].support  # hours on several answers


def test_a_service_given_twice_on_one_answer_is_refused_with_its_path():
    """Each service an answer carries is priced once: the same service twice would be two
    lines for one need, so it is refused (the question page refuses it the same way)."""
    data = v2()
    data["domains"][0]["questions"][0]["options"][1]["support"] = [
        {"service": "home_care", "units": 7},
        {"service": "home_care", "units": 2},
    ]
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(data)
    assert paths(refused.value) == ["$.domains[0].questions[0].options[1].support[1].service"]
    assert "twice" in refused.value.items[0]["message"]


def test_a_hostile_number_is_refused_with_a_message():
    text = json.dumps(v2()).replace('"points": 0', '"points": 1e99999999', 1)
    with pytest.raises(ras.DefinitionError) as refused:
        ras.parse(ras.load_json(text))
    assert refused.value.items[0]["path"].endswith(".points")


def test_ras_export_prints_what_the_import_reads(capsys):
    for kind in ("person", "carer"):
        live = RasVersion.objects.live_on(kind)
        call_command("ras_export", "--version", "live", "--kind", kind)
        printed = json.loads(capsys.readouterr().out)["definition"]
        assert printed["format"] == "selfdirect-ras/2"
        assert ras.parse(printed) == live.parsed


# --- the API --------------------------------------------------------------------------------


def bearer(user) -> dict:
    _token, raw = ApiToken.issue(user, "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def commissioner():
    return bearer(UserFactory(role=Role.COMMISSIONER))


@pytest.fixture
def person_scheme():
    return RasScheme.objects.get(kind="person")


def post_version(client, scheme, body, auth):
    return client.post(
        f"/api/v1/ras/schemes/{scheme.pk}/versions",
        json.dumps(body),
        content_type="application/json",
        **auth,
    )


def test_the_json_schema_is_served(client, practitioner):
    response = client.get("/api/v1/ras/schema.json", **bearer(practitioner))
    assert response.status_code == 200
    served = response.json()
    assert served["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(served)
    jsonschema.Draft202012Validator(served).validate(json.loads(json.dumps(v2())))
    assert client.get("/api/v1/ras/schema.json").status_code == 401


def test_versions_in_the_api_carry_their_scheme_id(client, practitioner):
    listed = client.get("/api/v1/ras/versions", **bearer(practitioner)).json()
    assert listed
    for item in listed:
        assert RasVersion.objects.get(pk=item["id"]).scheme_id == item["scheme_id"]


def test_a_commissioner_adds_a_draft_version_from_an_exported_definition(
    client, commissioner, person_scheme, capsys
):
    call_command("ras_export", "--version", "live")
    exported = json.loads(capsys.readouterr().out)["definition"]
    response = post_version(
        client, person_scheme, {"label": "2027/28", "definition": exported}, commissioner
    )
    assert response.status_code == 201, response.content
    body = response.json()
    version = RasVersion.objects.get(pk=body["id"])
    assert version.status == RasVersion.Status.DRAFT and version.label == "2027/28"
    assert body["scheme_id"] == person_scheme.pk and body["conversion"] == []
    assert body["definition"] == exported
    assert version.parsed == RasVersion.objects.live_on("person").parsed


def test_a_version_1_definition_is_converted_on_the_way_in(client, commissioner, person_scheme):
    response = post_version(
        client, person_scheme, {"definition": shipped("default_person.json")}, commissioner
    )
    assert response.status_code == 201
    body = response.json()
    assert body["definition"]["format"] == "selfdirect-ras/2"
    assert any("converted" in note for note in body["conversion"])
    assert RasVersion.objects.get(pk=body["id"]).definition["format"] == "selfdirect-ras/2"


def test_a_bad_definition_is_422_listing_every_problem_with_its_path_and_nothing_is_kept(
    client, commissioner, person_scheme
):
    data = v2()
    data["domains"][0]["cap"] = "lots"
    data["domains"][0]["questions"][0]["options"][0]["weight"] = 1
    data["money_tables"][0]["price_per_point"] = 3.5  # money must be text
    before = RasVersion.objects.count()
    response = post_version(client, person_scheme, {"definition": data}, commissioner)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {item["path"] for item in detail} >= {
        "$.definition.domains[0].cap",
        "$.definition.domains[0].questions[0].options[0].weight",
        "$.definition.money_tables[0].price_per_point",
    }
    assert all(item["type"] == "invalid_definition" and item["message"] for item in detail)
    assert RasVersion.objects.count() == before


def test_a_definition_of_the_other_kind_is_422(client, commissioner, person_scheme):
    response = post_version(
        client, person_scheme, {"definition": v2("default_carer.json")}, commissioner
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "$.definition.kind"


def test_only_those_who_manage_schemes_add_versions(client, practitioner, person_scheme):
    before = RasVersion.objects.count()
    response = post_version(client, person_scheme, {"definition": v2()}, bearer(practitioner))
    assert response.status_code == 403
    assert RasVersion.objects.count() == before


def test_adding_a_version_to_a_scheme_that_does_not_exist_is_404(client, commissioner):
    scheme = RasScheme(pk=987654)
    assert post_version(client, scheme, {"definition": v2()}, commissioner).status_code == 404


def test_scoring_accepts_the_person_and_refuses_codes_it_does_not_know(client, practitioner):
    live = RasVersion.objects.live_on("person")
    answers = {q.code: q.options[0].code for q in live.parsed.questions}
    auth = bearer(practitioner)
    url = f"/api/v1/ras/versions/{live.pk}/score"
    person = {"age": 70, "primary_support_reason": None, "client_type": None}
    ok = client.post(
        url, {"answers": answers, "person": person}, content_type="application/json", **auth
    )
    assert ok.status_code == 200
    plain = client.post(url, {"answers": answers}, content_type="application/json", **auth)
    assert ok.json()["amount"] == plain.json()["amount"]
    bad = copy.deepcopy(person)
    bad["client_type"] = "not_a_type"
    refused = client.post(
        url, {"answers": answers, "person": bad}, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    assert (
        client.post(
            url,
            {"answers": answers, "person": {"age": 200}},
            content_type="application/json",
            **auth,
        ).status_code
        == 422
    )


def test_the_import_page_shows_the_conversion(client_for, person_scheme):
    client = client_for(UserFactory(role=Role.COMMISSIONER))
    upload = io.BytesIO(json.dumps(shipped("default_person.json")).encode())
    upload.name = "scheme.json"
    response = client.post(
        "/ras/import/",
        {"scheme": person_scheme.pk, "label": "From the old format", "file": upload},
        follow=True,
    )
    assert response.status_code == 200
    assert "converted to selfdirect-ras/2" in response.content.decode()


def test_a_draft_saved_in_the_new_format_is_edited_in_the_editor_pages(
    client, client_for, commissioner, person_scheme
):
    """A draft made through the API is stored as selfdirect-ras/2; the editor pages (which
    edit it in that format), and it keeps every answer."""
    made = post_version(client, person_scheme, {"definition": v2()}, commissioner).json()
    draft = RasVersion.objects.get(pk=made["id"])
    assert draft.definition["format"] == "selfdirect-ras/2"
    pages = client_for(UserFactory(role=Role.COMMISSIONER))
    saved = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "10",
            "price_per_point": "3.5",
        },
    )
    assert saved.status_code == 302
    pages.post(
        f"/ras/versions/{draft.pk}/limits/",
        {"period": "week", "minimum": "0", "maximum": "1200"},
    )
    pages.post(
        f"/ras/versions/{draft.pk}/family-support/",
        {"method": "whole_scheme", "cap_percent": "35"},
    )
    draft.refresh_from_db()
    parsed = draft.parsed
    assert parsed.allocation.price_per_point == Decimal("3.5")
    assert (str(parsed.maximum), parsed.informal_cap_percent) == ("1200.00", 35)
    assert parsed.domains == ras.parse(v2()).domains
