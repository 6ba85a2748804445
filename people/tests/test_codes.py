"""Every code we store is on its national list: the Client Level Data (CLD) defined lists for
support reason, ethnicity, sex ("Gender" in the return) and client type, and the 2021 Census
categories for religion, sexual orientation and legal partnership status.

Checked wherever a code can come from: the database's choices, the API's enums, the demo
generator's people, and any fixture shipped with the code.
"""

import json
from pathlib import Path

import pytest

from demo.generator import build_council
from people import codes
from people.models import CaringRelationship, Person

ROOT = Path(__file__).resolve().parents[2]

# The CLD release 1 defined lists, worded exactly as NHS England's own checks have them
# (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations: the #REF_PSR and
# #REF_Ethnicity tables, the Gender and Client_Type filters).
CLD_PRIMARY_SUPPORT_REASONS = [
    "Physical Support: Access & mobility only",
    "Physical Support: Personal care support",
    "Sensory Support: Support for visual impairment",
    "Sensory Support: Support for hearing impairment",
    "Sensory Support: Support for dual impairment",
    "Support with Memory & Cognition",
    "Learning Disability Support",
    "Mental Health Support",
    "Social Support: Substance misuse support",
    "Social Support: Asylum seeker support",
    "Social Support: Support for Social Isolation/Other",
    "Social Support: Support to Carer",
    "Unknown",
]
CLD_ETHNICITY = {  # value: its high-level group
    "White - English, Welsh, Scottish, Northern Irish or British": "White",
    "White - Irish": "White",
    "White - Gypsy or Irish Traveller": "White",
    "White - Roma": "White",
    "White - Any other White background": "White",
    "Mixed or multiple ethnic groups - White and Black Caribbean": "Mixed / multiple ethnic groups",
    "Mixed or multiple ethnic groups - White and Black African": "Mixed / multiple ethnic groups",
    "Mixed or multiple ethnic groups - White and Asian": "Mixed / multiple ethnic groups",
    "Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background": (
        "Mixed / multiple ethnic groups"
    ),
    "Asian or Asian British - Indian": "Asian / Asian British",
    "Asian or Asian British - Pakistani": "Asian / Asian British",
    "Asian or Asian British - Bangladeshi": "Asian / Asian British",
    "Asian or Asian British - Chinese": "Asian / Asian British",
    "Asian or Asian British - Any other Asian background": "Asian / Asian British",
    "Black, Black British, Caribbean or African - African": (
        "Black / African / Caribbean / Black British"
    ),
    "Black, Black British, Caribbean or African - Caribbean": (
        "Black / African / Caribbean / Black British"
    ),
    "Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean "
    "background": "Black / African / Caribbean / Black British",
    "Other ethnic group - Arab": "Other Ethnic Group",
    "Other ethnic group - Any other ethnic group": "Other Ethnic Group",
    "No data - Refused": "No Data",
    "No data - Undeclared or Not known": "No Data",
}
CLD_GENDER = ["Male", "Female", "Other", "Unknown"]
CLD_CLIENT_TYPES = ["Service User", "Carer", "Carer known by association"]
# Our plainer names for the return's six high-level ethnic groups.
BROAD_NAMES = {
    "White": "White",
    "Mixed / multiple ethnic groups": "Mixed or multiple ethnic groups",
    "Asian / Asian British": "Asian or Asian British",
    "Black / African / Caribbean / Black British": "Black, Black British, Caribbean or African",
    "Other Ethnic Group": "Other ethnic group",
    "No Data": "No data",
}

# 2021 Census (ONS) categories: religion, sexual orientation, legal partnership status.
CENSUS_RELIGION = {"No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh"}
CENSUS_ORIENTATION = {"Straight or heterosexual", "Gay or lesbian", "Bisexual"}
CENSUS_PARTNERSHIP = {
    "Never married and never registered a civil partnership",
    "Married",
    "In a registered civil partnership",
    "Separated, but still legally married",
    "Separated, but still legally in a civil partnership",
    "Divorced",
    "Formerly in a civil partnership which is now legally dissolved",
    "Widowed",
}
OPTIONAL = {"prefer_not_to_say", "not_asked"}

# Each coded field of the person record and the list its codes come from.
CODED_FIELDS = {
    "sex": codes.SEXES,
    "gender_identity": codes.GENDER_IDENTITY,
    "ethnicity": codes.ETHNIC_GROUPS,
    "religion": codes.RELIGIONS,
    "sexual_orientation": codes.SEXUAL_ORIENTATIONS,
    "legal_partnership_status": codes.LEGAL_PARTNERSHIP,
    "pregnancy_maternity": codes.PREGNANCY_MATERNITY,
    "client_type": codes.CLIENT_TYPES,
    "primary_support_reason": codes.PRIMARY_SUPPORT_REASONS,
    "capacity": codes.CAPACITY,
}


def _allowed(field: str) -> set[str]:
    allowed = {code for code, _label in CODED_FIELDS[field]}
    if field == "primary_support_reason":
        allowed.add(codes.NO_SUPPORT_REASON)  # a carer's own record has none
    return allowed


def _one_to_one(mapping: dict, listed, *, onto=True) -> None:
    values = list(mapping.values())
    assert len(set(values)) == len(values), "two codes write the same CLD value"
    assert set(values) <= set(listed), set(values) - set(listed)
    if onto:
        assert set(values) == set(listed), set(listed) - set(values)


def test_support_reasons_are_the_cld_list_one_to_one_and_labels_keep_its_words():
    assert set(codes.CLD_PRIMARY_SUPPORT_REASON) == {c for c, _ in codes.PRIMARY_SUPPORT_REASONS}
    _one_to_one(codes.CLD_PRIMARY_SUPPORT_REASON, CLD_PRIMARY_SUPPORT_REASONS)
    for code, label in codes.PRIMARY_SUPPORT_REASONS:
        assert label.startswith(codes.CLD_PRIMARY_SUPPORT_REASON[code])
    assert [codes.CLD_PRIMARY_SUPPORT_REASON[c] for c, _ in codes.PRIMARY_SUPPORT_REASONS] == (
        CLD_PRIMARY_SUPPORT_REASONS
    ), "in the return's order"


def test_support_to_carer_is_labelled_as_support_for_a_service_user_not_a_carer():
    label = dict(codes.PRIMARY_SUPPORT_REASONS)["social_support_to_carer"]
    assert "mainly helps their carer" in label
    assert codes.CARER_TYPES == ("carer", "carer_by_association")


def test_ethnic_groups_are_the_cld_list_one_to_one_with_its_high_level_groups():
    assert set(codes.CLD_ETHNICITY) == {c for c, _ in codes.ETHNIC_GROUPS}
    _one_to_one(codes.CLD_ETHNICITY, CLD_ETHNICITY)
    for code, label in codes.ETHNIC_GROUPS:
        assert label.startswith(codes.CLD_ETHNICITY[code])
        assert (
            codes.ETHNIC_GROUP_BROAD[code] == BROAD_NAMES[CLD_ETHNICITY[codes.CLD_ETHNICITY[code]]]
        )
    assert list(BROAD_NAMES.values()) == codes.ETHNIC_BROAD_GROUPS


def test_sex_maps_one_to_one_into_the_cld_gender_list():
    # "Other" is the one CLD value not offered: gender identity is asked separately.
    assert set(codes.CLD_GENDER) == {c for c, _ in codes.SEXES}
    _one_to_one(codes.CLD_GENDER, CLD_GENDER, onto=False)
    assert set(CLD_GENDER) - set(codes.CLD_GENDER.values()) == {"Other"}
    assert dict(codes.SEXES) == codes.CLD_GENDER


def test_client_types_are_the_cld_list_word_for_word():
    _one_to_one(codes.CLD_CLIENT_TYPE, CLD_CLIENT_TYPES)
    assert [label for _code, label in codes.CLIENT_TYPES] == CLD_CLIENT_TYPES


@pytest.mark.parametrize(
    ("items", "census"),
    [
        (codes.RELIGIONS, CENSUS_RELIGION),
        (codes.SEXUAL_ORIENTATIONS, CENSUS_ORIENTATION),
        (codes.LEGAL_PARTNERSHIP, CENSUS_PARTNERSHIP),
    ],
)
def test_census_characteristics_keep_the_census_categories_and_can_be_left_unanswered(
    items, census
):
    labels = {label.split(" (")[0] for _code, label in items}
    assert census <= labels, census - labels
    assert {code for code, _label in items} >= OPTIONAL


def test_every_equality_question_can_be_declined_or_left_unasked():
    for name in codes.EQUALITY_FIELDS:
        field = Person._meta.get_field(name)
        assert {code for code, _ in field.choices} >= OPTIONAL and field.default == "not_asked"
    assert {"refused", "not_stated"} <= {code for code, _ in codes.ETHNIC_GROUPS}


def test_the_database_choices_are_the_code_lists():
    for name, items in CODED_FIELDS.items():
        assert Person._meta.get_field(name).choices == items, name
        assert Person.history.model._meta.get_field(name).choices == items, name


def test_the_api_enums_are_the_code_lists(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    person_in = schemas["PersonIn"]["properties"]
    for name, items in CODED_FIELDS.items():
        if name == "capacity":
            continue
        enum = _enum(person_in[name], schemas)
        assert (
            set(enum) == _allowed(name)
            if name == "primary_support_reason"
            else set(enum) == {code for code, _ in items}
        ), name


def _enum(prop: dict, schemas: dict) -> list:
    if "enum" in prop:
        return prop["enum"]
    if "$ref" in prop:
        return _enum(schemas[prop["$ref"].rsplit("/", 1)[1]], schemas)
    for option in prop.get("anyOf", []) + prop.get("allOf", []):
        found = _enum(option, schemas)
        if found:
            return found
    return []


def test_every_code_the_demo_generator_writes_is_on_its_list():
    council = build_council(2000, seed=5)
    for person in council.people:
        for name in CODED_FIELDS:
            assert person[name] in _allowed(name), (name, person[name])
        assert not any(key.startswith("_") for key in person), "working keys are removed"
        carer = person["client_type"] in codes.CARER_TYPES
        assert (person["primary_support_reason"] == "") == carer


def test_every_person_in_a_shipped_fixture_has_listed_codes():
    fixtures = [
        path
        for path in ROOT.rglob("*.json")
        if "fixtures" in path.parts
        and "node_modules" not in path.parts
        and ".venv" not in path.parts
    ]
    for path in fixtures:
        for item in json.loads(path.read_text()):
            if item.get("model") == "people.person":
                for name, value in item["fields"].items():
                    if name in CODED_FIELDS:
                        assert value in _allowed(name), (path, name, value)


@pytest.mark.django_db
def test_every_stored_person_has_listed_codes_after_loading_the_demo():
    from django.core.management import call_command

    call_command("seed_demo", people=150, seed=4, no_progress=True, verbosity=0)
    for name in CODED_FIELDS:
        stored = set(Person.objects.values_list(name, flat=True).distinct())
        assert stored <= _allowed(name), (name, stored - _allowed(name))
    assert CaringRelationship.objects.exists()
