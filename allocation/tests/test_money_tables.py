"""Money tables by group (issue 10): several points-to-money rules in one version, the first
whose group (age band, primary support reason, client type) fits the person giving the
amount, and a table for everyone else. Worked by hand here, then property tests: the engine
matches the plain reference, more need never gives less money within a table, and equal
answers and the same group give equal money."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions
from allocation.domain import definition as ras
from allocation.domain import engine, reference
from allocation.models import CalibrationRun, RasScheme, RasVersion
from allocation.tests.factories import CompletedModelRunFactory, DraftVersionFactory, live_version
from allocation.tests.test_engine import SETTINGS, decimals, definitions, full_answers, unable_sets
from assessment import actions as assessment_actions
from assessment.tests.factories import answers_for, eligible_caseload
from core.actions import action
from core.money import pounds_text

PSRS = ["physical_personal_care", "learning_disability", "mental_health", "memory_cognition"]
CLIENT_TYPES = ["service_user", "carer", "carer_by_association"]


def grouped_scheme() -> dict:
    """One domain (washing 0/4/8, meals 0/6), family support up to 50%, and three tables:
    people aged 65 and over at £2.50 a point; people whose main support need is learning
    disability in bands (£20.00 from 0 points, £120.00 from 10); everyone else £10.00 plus
    £3.00 a point."""
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "daily",
                "title": "Daily living",
                "questions": [
                    {
                        "code": "washing",
                        "text": "Help with washing?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 4},
                            {"code": "lots", "label": "Lots", "points": 8},
                        ],
                    },
                    {
                        "code": "meals",
                        "text": "Help with meals?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "all", "label": "All", "points": 6},
                        ],
                    },
                    {
                        "code": "family",
                        "text": "Does family help?",
                        "type": "informal_support",
                        "options": [
                            {"code": "no", "label": "No", "reduction_percent": 0},
                            {"code": "daily", "label": "Daily", "reduction_percent": 25},
                        ],
                    },
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 50},
        "money_tables": [
            {
                "code": "older",
                "title": "Older people",
                "applies_to": {"age_from": 65},
                "method": "price_per_point",
                "fixed_amount": "0",
                "price_per_point": "2.50",
            },
            {
                "code": "ld",
                "title": "Learning disability",
                "applies_to": {"primary_support_reasons": ["learning_disability"]},
                "method": "bands",
                "bands": [
                    {"min_points": 0, "amount": "20.00"},
                    {"min_points": 10, "amount": "120.00"},
                ],
            },
            {
                "code": "everyone",
                "title": "Everyone else",
                "method": "price_per_point",
                "fixed_amount": "10.00",
                "price_per_point": "3.00",
            },
        ],
        "limits": {"minimum": None, "maximum": None},
    }


# washing lots 8 + meals all 6 = 14 points; family "no": nothing off; net 14.
ANSWERS = {"washing": "lots", "meals": "all", "family": "no"}
OLDER_LD = {"age": 70, "primary_support_reason": "learning_disability", "client_type": None}
YOUNGER_LD = {"age": 40, "primary_support_reason": "learning_disability", "client_type": None}
YOUNGER = {"age": 40, "primary_support_reason": "physical_personal_care", "client_type": None}


@pytest.mark.parametrize(
    ("person", "table", "amount"),
    [
        # 70, and so in the first table (it comes first, whatever the support reason):
        # 14 x £2.50 = £35.00.
        (OLDER_LD, "older", "35.00"),
        # exactly 65: the age band is inclusive, 14 x £2.50 = £35.00.
        ({**YOUNGER, "age": 65}, "older", "35.00"),
        # 40 with a learning disability: the bands, 14 points >= 10: £120.00.
        (YOUNGER_LD, "ld", "120.00"),
        # 40, personal care: everyone else, £10.00 + 14 x £3.00 = £52.00.
        (YOUNGER, "everyone", "52.00"),
        # 64: still everyone else, £52.00.
        ({**YOUNGER, "age": 64}, "everyone", "52.00"),
    ],
)
def test_worked_example_the_first_table_whose_group_fits_gives_the_amount(person, table, amount):
    definition = ras.parse(grouped_scheme())
    scheme = engine.compile_scheme(definition)
    result = engine.explain(scheme, ANSWERS, person=person)
    assert result.total_points == 14
    assert result.money_table == table
    assert result.amount == Decimal(amount)
    assert reference.amount_one(definition, 14, person) == int(Decimal(amount) * 100)
    choices, _ = engine.encode_many(scheme, [ANSWERS])
    tables = engine.table_indexes(scheme, [person])
    pence = engine.amounts_pence(scheme, engine.score(scheme, choices).net, tables)
    assert int(pence[0]) == int(Decimal(amount) * 100)


def test_the_explanation_names_the_table_and_why():
    scheme = engine.compile_scheme(ras.parse(grouped_scheme()))
    older = engine.explain(scheme, ANSWERS, person=OLDER_LD)
    line = next(line for line in older.lines if line.kind == "money_table")
    assert line.text == (
        "Your amount comes from the money table ‘Older people’, which is for people aged 65 "
        "and over, and you are 70."
    )
    other = engine.explain(scheme, ANSWERS, person=YOUNGER)
    line = next(line for line in other.lines if line.kind == "money_table")
    assert "‘Everyone else’" in line.text
    assert "people aged 65 and over" in line.text and "learning disability" in line.text
    ld = engine.explain(scheme, ANSWERS, person=YOUNGER_LD)
    line = next(line for line in ld.lines if line.kind == "money_table")
    assert "your main support need is recorded as learning disability support" in line.text
    # A version with one table says nothing about tables.
    single = engine.compile_scheme(ras.parse(_one_table()))
    assert all(line.kind != "money_table" for line in engine.explain(single, ANSWERS).lines)


def _one_table() -> dict:
    data = grouped_scheme()
    data["money_tables"] = data["money_tables"][2:]
    return data


def test_a_version_with_tables_by_group_needs_each_persons_table_to_model_amounts():
    scheme = engine.compile_scheme(ras.parse(grouped_scheme()))
    choices, _ = engine.encode_many(scheme, [ANSWERS])
    net = engine.score(scheme, choices).net
    with pytest.raises(ValueError, match="by group"):
        engine.amounts_pence(scheme, net)
    data = grouped_scheme()
    data["money_tables"] = data["money_tables"][:2]  # no table for everyone else
    gappy = engine.compile_scheme(ras.parse(data))
    assert "RAS-TABLES-GAP" in [code for code, _m in ras.publication_problems(gappy.definition)]
    with pytest.raises(ValueError, match="No money table"):
        engine.amounts_pence(gappy, net, engine.table_indexes(gappy, [YOUNGER]))
    with pytest.raises(engine.AnswerError) as refused:
        engine.explain(gappy, ANSWERS, person=YOUNGER)
    assert refused.value.problems[0]["type"] == "no_money_table"


# --- property tests --------------------------------------------------------------------------


@st.composite
def grouped_definitions(draw):
    """A publishable definition given one or two money tables by group before its own table
    (now the one for everyone else), each with a random rule."""
    base = draw(definitions())
    data = ras.to_dict(base)
    everyone = data["money_tables"][0]
    groups = []
    for index in range(draw(st.integers(1, 2))):
        applies = {}
        if draw(st.booleans()):
            low = draw(st.integers(18, 90))
            applies["age_from"] = low
            if draw(st.booleans()):
                applies["age_to"] = draw(st.integers(low, 100))
        if draw(st.booleans()) or not applies:
            applies["primary_support_reasons"] = draw(
                st.lists(st.sampled_from(PSRS), min_size=1, max_size=2, unique=True)
            )
        if draw(st.booleans()):
            applies["client_types"] = draw(
                st.lists(st.sampled_from(CLIENT_TYPES), min_size=1, max_size=2, unique=True)
            )
        if draw(st.booleans()):
            rule = {
                "method": "price_per_point",
                "fixed_amount": format(draw(decimals(0, 50, 2)), "f"),
                "price_per_point": format(draw(decimals(0, 20).filter(lambda d: d > 0)), "f"),
            }
        else:
            starts = sorted(set(draw(st.lists(st.integers(1, 60), max_size=4))))
            amounts = sorted(
                draw(st.lists(decimals(0, 900), min_size=len(starts) + 1, max_size=len(starts) + 1))
            )
            rule = {
                "method": "bands",
                "bands": [
                    {"min_points": s, "amount": format(a, "f")}
                    for s, a in zip([0, *starts], amounts, strict=True)
                ],
            }
        groups.append(
            {"code": f"group{index}", "title": f"Group {index}", "applies_to": applies, **rule}
        )
    data["money_tables"] = [*groups, {**everyone, "code": "everyone", "title": "Everyone else"}]
    definition = ras.parse(data)
    assert ras.publication_problems(definition) == []
    return definition


@st.composite
def people(draw):
    return {
        "age": draw(st.integers(18, 100)),
        "primary_support_reason": draw(st.sampled_from(PSRS)),
        "client_type": draw(st.sampled_from(CLIENT_TYPES)),
    }


@SETTINGS
@given(data=st.data())
def test_grouped_tables_engine_matches_the_reference(data):
    definition = data.draw(grouped_definitions())
    scheme = engine.compile_scheme(definition)
    rows = data.draw(st.lists(full_answers(definition), min_size=1, max_size=12))
    persons = [data.draw(people()) for _ in rows]
    unable = data.draw(unable_sets())
    choices, _ = engine.encode_many(scheme, rows)
    masks = None if unable is None else engine.unable_masks(scheme, [unable] * len(rows))
    net = engine.score(scheme, choices, unable_masks=masks).net
    pence = engine.amounts_pence(scheme, net, engine.table_indexes(scheme, persons))
    for i, (answers, person) in enumerate(zip(rows, persons, strict=True)):
        expected_net = reference.score_one(definition, answers, unable)[3]
        assert net[i] == expected_net
        assert pence[i] == reference.amount_one(definition, expected_net, person)
        explained = engine.explain(scheme, answers, unable_outcomes=unable, person=person)
        assert explained.amount * 100 == int(pence[i])
        assert explained.money_table == reference.table_one(definition, person).code
        money = [line.amount for line in explained.lines if line.amount is not None]
        assert sum(money, Decimal(0)) == explained.amount


@SETTINGS
@given(data=st.data())
def test_within_a_table_more_need_never_gives_less_money(data):
    definition = data.draw(grouped_definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    person = data.draw(people())
    question = data.draw(
        st.sampled_from([q for q in definition.questions if not q.informal_support])
    )
    codes = [o.code for o in question.options]
    later = data.draw(st.integers(codes.index(answers[question.code]), len(codes) - 1))
    moved = {**answers, question.code: codes[later]}
    choices, _ = engine.encode_many(scheme, [answers, moved])
    net = engine.score(scheme, choices).net
    pence = engine.amounts_pence(scheme, net, engine.table_indexes(scheme, [person, person]))
    assert pence[1] >= pence[0]


@SETTINGS
@given(data=st.data())
def test_equal_answers_and_the_same_group_give_equal_money(data):
    definition = data.draw(grouped_definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    first, second = data.draw(people()), data.draw(people())
    tables = engine.table_indexes(scheme, [first, second])
    choices, _ = engine.encode_many(scheme, [answers, answers])
    pence = engine.amounts_pence(scheme, engine.score(scheme, choices).net, tables)
    if tables[0] == tables[1]:
        assert pence[0] == pence[1]
    # and whoever they are, the amount is their table's amount for their points
    net = engine.score(scheme, choices).net
    for i in range(2):
        table = definition.tables[int(tables[i])]
        issued = engine.amount_for_points(scheme, int(net[i]), table).issued
        assert int(pence[i]) == issued * 100


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def grouped_draft(client):
    _token, raw = ApiToken.issue(UserFactory(role=Role.COMMISSIONER), "Tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    scheme = RasScheme.objects.get(kind="person")
    made = client.post(
        f"/api/v1/ras/schemes/{scheme.pk}/versions",
        json.dumps({"label": "By group", "definition": grouped_scheme()}),
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    return RasVersion.objects.get(pk=made.json()["id"]), auth


@pytest.mark.django_db
def test_the_api_scores_with_the_persons_table(client, grouped_draft):
    version, auth = grouped_draft
    url = f"/api/v1/ras/versions/{version.pk}/score"
    body = {"answers": ANSWERS, "person": YOUNGER_LD}
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "120.00"
    assert response.json()["money_table"] == "ld"
    assert any(line["kind"] == "money_table" for line in response.json()["lines"])
    older = client.post(
        url, {"answers": ANSWERS, "person": OLDER_LD}, content_type="application/json", **auth
    )
    assert older.json()["amount"] == "35.00" and older.json()["money_table"] == "older"


@pytest.mark.django_db
def test_the_api_says_422_when_the_version_needs_the_person_and_it_is_missing(
    client, grouped_draft
):
    version, auth = grouped_draft
    url = f"/api/v1/ras/versions/{version.pk}/score"
    missing = client.post(url, {"answers": ANSWERS}, content_type="application/json", **auth)
    assert missing.status_code == 422
    detail = missing.json()["detail"]
    assert [(item["type"], item["code"]) for item in detail] == [
        ("missing_person", "age"),
        ("missing_person", "primary_support_reason"),
    ]
    assert "person.age" in detail[0]["message"]
    partly = client.post(
        url,
        {"answers": ANSWERS, "person": {"age": 40}},
        content_type="application/json",
        **auth,
    )
    assert partly.status_code == 422
    assert [item["code"] for item in partly.json()["detail"]] == ["primary_support_reason"]


def _grouped_live_copy(kind="person") -> dict:
    """The live version with two money tables: people aged 65 and over at £1.00 a point,
    then its own rule for everyone else."""
    data = ras.to_dict(live_version(kind).parsed)
    everyone = {**data["money_tables"][0], "code": "everyone", "title": "Everyone else"}
    older = {
        "code": "older",
        "title": "Older people",
        "applies_to": {"age_from": 65},
        "method": "price_per_point",
        "fixed_amount": "0",
        "price_per_point": "1.00",
    }
    data["money_tables"] = [older, everyone]
    return data


@pytest.mark.django_db
def test_a_model_run_prices_each_person_by_the_table_their_record_chooses(team, practitioner):
    draft = DraftVersionFactory(definition=_grouped_live_copy())
    scheme = draft.compiled
    today = timezone.localdate()
    answers = [answers_for(draft, seed) for seed in range(6)]
    people = []
    for index, chosen in enumerate(answers):
        born = today.replace(year=today.year - (80 if index % 2 else 40))
        people += eligible_caseload(
            team, [chosen], user=practitioner, date_of_birth=born, client_type="service_user"
        )
    run = CompletedModelRunFactory(version=draft)
    assert run.status == "done", run.error
    summary = run.result["summary"]
    # Worked out person by person: each priced by their own table, a year's worth.
    expected = 0
    for person in people:
        assessment = person.assessments.get(is_current=True)
        unable = frozenset(assessment.eligibility.unable_outcomes)
        details = {
            "age": person.age(),
            "primary_support_reason": person.primary_support_reason,
            "client_type": person.client_type,
        }
        result = engine.explain(scheme, assessment.answers, unable_outcomes=unable, person=details)
        assert result.money_table == ("older" if person.age() >= 65 else "everyone")
        expected += int(result.amount * 100)
    factor = scheme.annual_multiplier
    assert summary["proposed_issued_annual_total"] == pounds_text(expected * factor)


@pytest.mark.django_db
def test_calibration_refuses_a_version_with_tables_by_group_and_says_why():
    from core.rules import BusinessRuleViolation

    draft = DraftVersionFactory(definition=_grouped_live_copy())
    with pytest.raises(BusinessRuleViolation, match="money tables by group") as refused:
        actions.start_calibration(
            draft,
            acting_user=UserFactory(role=Role.COMMISSIONER),
            source="database",
            method="ols",
            band_count=10,
            envelope=Decimal("1000000"),
            reserve_percent=Decimal("5"),
        )
    assert refused.value.codes == ["RAS-CALIBRATE-TABLES"]
    assert not CalibrationRun.objects.exists()


@action
def _rescore(assessment, *, acting_user):
    """Score an assessment again, as the assessment actions do (inside an action)."""
    return assessment_actions._score(assessment)


@pytest.mark.django_db
def test_an_assessment_is_scored_with_the_table_the_persons_record_chooses(team, practitioner):
    draft = DraftVersionFactory(definition=_grouped_live_copy())
    today = timezone.localdate()
    chosen = answers_for(draft, 3)
    (person,) = eligible_caseload(
        team, [chosen], user=practitioner, date_of_birth=today.replace(year=today.year - 70)
    )
    assessment = person.assessments.get(is_current=True)
    assessment.version = draft  # as if the grouped version were the one in force
    allocation = _rescore(assessment, acting_user=practitioner)
    unable = frozenset(assessment.eligibility.unable_outcomes)
    # 70 years old: the older people's table, £1.00 a point.
    points = reference.score_one(draft.parsed, chosen, unable)[3]
    assert (
        allocation.amount_pence
        == reference.amount_one(draft.parsed, points, {"age": 70})
        == points * 100
    )
    assert any(line["kind"] == "money_table" for line in allocation.lines)
    assert "you are 70" in next(
        line["text"] for line in allocation.lines if line["kind"] == "money_table"
    )


@pytest.mark.django_db
def test_editing_a_draft_with_tables_by_group_keeps_every_table(client, client_for, grouped_draft):
    """Changing one table's rule in the editor pages keeps its group and the other tables."""
    version, _auth = grouped_draft
    pages = client_for(UserFactory(role=Role.COMMISSIONER))
    saved = pages.post(
        f"/ras/versions/{version.pk}/money-tables/older/",
        {
            "code": "older",
            "title": "Older people",
            "age_from": "65",
            "method": "price_per_point",
            "fixed_amount": "0",
            "price_per_point": "2",
        },
    )
    assert saved.status_code == 302
    version.refresh_from_db()
    tables = version.parsed.tables
    assert [t.code for t in tables] == ["older", "ld", "everyone"]
    assert tables[0].applies_to.age_from == 65
    assert tables[0].rule.price_per_point == Decimal("2")
    # 14 points for a 70-year-old at £2.00 a point: £28.00.
    assert engine.explain(version.compiled, ANSWERS, person=OLDER_LD).amount == Decimal("28.00")


@pytest.mark.django_db
def test_the_version_page_lists_each_money_table_and_who_it_is_for(client_for, grouped_draft):
    version, _auth = grouped_draft
    page = client_for(UserFactory(role=Role.COMMISSIONER)).get(f"/ras/versions/{version.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Money table 1: Older people" in text
    assert "For people aged 65 and over: £2.50 a point" in text
    assert "Money table 3: Everyone else" in text and "For everyone else" in text
    # Up to 14 points: washing 8 + meals 6.
    assert "up to 14 points" in text
