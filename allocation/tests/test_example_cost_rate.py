"""The shipped cost-rate example scheme (allocation/schemes/example_cost_rate.json): a
FACE-style scheme whose answers carry hours, days and nights of support at the reference
rates, with a small points-based part. It is kept in ras_export's form, imports and exports
to the same definition, and scores worked examples as they are worked by hand here."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from accounts.tests.factories import CommissionerFactory
from allocation.domain import engine, reference
from allocation.domain import rates as catalogue
from allocation.domain.definition import parse, publication_problems, to_dict
from allocation.models import RasVersion
from allocation.tests.factories import LiveVersionFactory

FILE = Path(__file__).resolve().parent.parent / "schemes" / "example_cost_rate.json"

# Mrs A: help with washing, some help dressing and with the toilet, meals made, a little
# housework, a community alarm, three days out, and family help a few times a week.
MRS_A = {
    "washing": "all",
    "dressing": "some",
    "toilet": "some",
    "meals": "prepared",
    "housework": "some",
    "nights": "alarm",
    "day": "three",
    "work": "none",
    "carer": "some",
}
# Mr B: the most need in every domain, and the person helping cannot go on.
MR_B = {
    "washing": "all",
    "dressing": "all",
    "toilet": "all",
    "meals": "all",
    "housework": "all",
    "nights": "sleep_in",
    "day": "five",
    "work": "more",
    "carer": "cannot",
}


def _text() -> str:
    return FILE.read_text(encoding="utf-8")


def _scheme():
    return engine.compile_scheme(parse(json.loads(_text())), rates=catalogue.SHIPPED)


def test_the_file_is_in_ras_export_form_and_imports_and_exports_to_the_same_definition():
    data = json.loads(_text())
    definition = parse(data)
    assert to_dict(definition) == data
    assert json.dumps(to_dict(definition), indent=2, ensure_ascii=False) + "\n" == _text()
    assert parse(to_dict(definition)) == definition
    assert publication_problems(definition) == []
    assert definition.services == (
        "home_care",
        "personal_assistant",
        "day_service",
        "sleeping_night",
        "meals",
        "telecare",
    )


def test_mrs_a_is_scored_as_worked_by_hand():
    # Points: washing 3 + dressing 1 + toilet 1 + meals 2 + housework 1 + alarm 0 + three
    # days 2 + work 0 = 10, all of them needs family help may reduce but the alarm's 0;
    # family help 10%: 10 × 10% = 1 point off, 9 points: £10.00 + 9 × £4.00 = £46.00.
    # Support at the shipped rates (home care £28.00 an hour, meals £6.50, telecare £5.00 a
    # week, day service £70.00 a day): washing 7 h £196.00; dressing 1.75 h £49.00; toilet
    # 2.5 h £70.00; meals 3.5 h £98.00 and 7 meals £45.50; housework 1 h £28.00; alarm
    # £5.00; three days £210.00. Support £701.50; amount £46.00 + £701.50 = £747.50.
    explanation = engine.explain(_scheme(), MRS_A)
    assert (explanation.need_points, explanation.reduction_points) == (10, 1)
    assert explanation.support_amount == Decimal("701.50")
    assert (explanation.amount, explanation.limit) == (Decimal("747.50"), None)
    costs = [(line.question_code, line.service, line.amount) for line in explanation.lines]
    assert ("meals", "meals", Decimal("45.50")) in costs
    assert ("dressing", "home_care", Decimal("49.00")) in costs
    assert sum(line.amount for line in explanation.lines if line.amount) == Decimal("747.50")


def test_mr_b_reaches_the_maximum_as_worked_by_hand():
    # Points: 3 + 2 + 3 + 3 + 2 + 2 + 3 + 2 = 20, nothing off (the person helping cannot go
    # on): £10.00 + 20 × £4.00 = £90.00. Support: home care 7 + 3.5 + 7 + 10.5 + 2 = 30 h,
    # £840.00; 7 meals £45.50; telecare £5.00; 7 sleep-in nights × £120.00 = £840.00; five
    # days × £70.00 = £350.00; personal assistant 10 h × £17.00 = £170.00: £2,250.50. The
    # total £2,340.50 is over the £1,250.00 maximum, which applies to the whole amount.
    explanation = engine.explain(_scheme(), MR_B)
    assert explanation.total_points == 20
    assert explanation.support_amount == Decimal("2250.50")
    assert explanation.exact_amount == Decimal("2340.50")
    assert (explanation.amount, explanation.limit) == (Decimal("1250.00"), "maximum")


def test_the_engine_and_the_reference_agree_on_the_worked_examples():
    definition = parse(json.loads(_text()))
    scheme = _scheme()
    choices, _ = engine.encode_many(scheme, [MRS_A, MR_B])
    scores = engine.score(scheme, choices)
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    assert pence.tolist() == [74750, 125000]
    for i, answers in enumerate([MRS_A, MR_B]):
        net = reference.score_one(definition, answers)[3]
        support = reference.support_pence_one(definition, answers, catalogue.SHIPPED)
        assert pence[i] == reference.amount_one(definition, net, None, support)


@pytest.mark.django_db
def test_the_example_imports_through_the_api_exports_again_and_scores(client):
    _token, raw = ApiToken.issue(CommissionerFactory(), "Tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    scheme_id = RasVersion.objects.live_on("person").scheme_id
    created = client.post(
        f"/api/v1/ras/schemes/{scheme_id}/versions",
        {"label": "Cost-rate example", "definition": json.loads(_text())},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    version_id = created.json()["id"]
    out = io.StringIO()
    call_command("ras_export", version=str(version_id), stdout=out)
    assert json.loads(out.getvalue())["definition"] == json.loads(_text())
    scored = client.post(
        f"/api/v1/ras/versions/{version_id}/score",
        {"answers": MRS_A},
        content_type="application/json",
        **auth,
    ).json()
    assert (scored["amount"], scored["support_amount"]) == ("747.50", "701.50")


@pytest.mark.django_db
def test_an_assessment_under_the_example_shows_its_hours_on_the_budget_page(
    client_for, team, practitioner
):
    import re

    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from assessment.tests.factories import CompletedAssessmentFactory
    from people.tests.factories import PersonFactory

    LiveVersionFactory(definition=json.loads(_text()))
    owner = UserFactory(role=Role.PERSON)
    person = PersonFactory(team=team, user=owner)
    CompletedAssessmentFactory(person=person, acting_user=practitioner, answers=MRS_A)
    # Eligible for hygiene and toilet only: washing 3 + toilet 1 = 4 points, 10% of 4 is
    # 0.4, rounded down to nothing: £10.00 + 4 × £4.00 = £26.00; washing 7 h £196.00 and
    # toilet 2.5 h £70.00 of home care: £266.00; £292.00 a week.
    html = client_for(owner).get(f"/people/{person.pk}/budget/").content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "£292.00" in page
    assert "home care, 7 hours at £28.00 an hour" in page
    assert "home care, 2.5 hours at £28.00 an hour" in page
