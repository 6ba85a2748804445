"""The example schemes Selfdirect ships (issue 10): real-style schemes of the kinds councils
write, loaded in the demo council as drafts. Each one exports, imports again and gives the
same definition, and scores worked examples computed by hand here."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions
from allocation.defaults import EXAMPLES, SCHEMES
from allocation.domain import definition as ras
from allocation.domain import engine
from allocation.models import RasScheme, RasVersion
from allocation.tests.test_format_v2 import bearer, post_version

pytestmark = pytest.mark.django_db

FILES = [filename for _name, _kind, filename, _description in EXAMPLES]


@pytest.mark.parametrize("filename", FILES)
def test_an_example_file_is_written_exactly_as_ras_export_prints_it(filename):
    data = json.loads((SCHEMES / filename).read_text())
    parsed = ras.parse(data)
    assert ras.to_dict(parsed) == data
    assert ras.parse(ras.to_dict(parsed)) == parsed


def test_the_examples_are_loaded_once_as_drafts_that_are_never_live():
    made = actions.ship_example_schemes(acting_user=None)
    assert {v.scheme.name for v in made} == {name for name, *_ in EXAMPLES}
    for version in made:
        assert version.status == RasVersion.Status.DRAFT and version.effective_from is None
        assert version.origin == RasVersion.Origin.SHIPPED and "illustrative" in version.notes
    assert actions.ship_example_schemes(acting_user=None) == []
    assert RasScheme.objects.filter(name__startswith="Example:").count() == len(EXAMPLES)
    # The live schemes are still the shipped defaults.
    assert RasVersion.objects.live_on("person").scheme.name == "Selfdirect RAS for people"


@pytest.mark.parametrize("name", [name for name, *_ in EXAMPLES])
def test_an_example_exported_and_posted_back_through_the_api_gives_the_same_definition(
    client, capsys, name
):
    actions.ship_example_schemes(acting_user=None)
    draft = RasVersion.objects.get(scheme__name=name)
    call_command("ras_export", "--version", str(draft.pk))
    exported = json.loads(capsys.readouterr().out)["definition"]
    response = post_version(
        client,
        draft.scheme,
        {"label": "Round trip", "definition": exported},
        bearer(UserFactory(role=Role.COMMISSIONER)),
    )
    assert response.status_code == 201, response.content
    again = RasVersion.objects.get(pk=response.json()["id"])
    assert again.number == 2 and again.parsed == draft.parsed
    assert ras.to_dict(again.parsed) == exported


# Money tables by age band. The answers below, each option's points from the file:
# washing "lot" 6 + dressing "some" 2 + toilet "none" 0 + meals "lot" 6 + housework "all" 5
# + community "some" 2 + work "none" 0 + safety "some" 2 = 23 points of need.
# Family and friends give "some" of it: 10% of 23 = 2.3, whole points only, so 2 off: net 21.
AGE_BAND_ANSWERS = {
    "washing": "lot",
    "dressing": "some",
    "toilet": "none",
    "meals": "lot",
    "housework": "all",
    "community": "some",
    "work": "none",
    "safety": "some",
    "family_help": "some",
}


@pytest.mark.parametrize(
    ("age", "table", "amount"),
    [
        # 18 to 25: £20.00 + 21 x £4.80 (£100.80) = £120.80 a week.
        (18, "transition", "120.80"),
        (25, "transition", "120.80"),
        # 26 to 64: no table of its own, so "everyone else": 21 x £4.40 = £92.40.
        (26, "working_age", "92.40"),
        (64, "working_age", "92.40"),
        # 65 and over: £10.00 + 21 x £3.60 (£75.60) = £85.60.
        (65, "older", "85.60"),
        (90, "older", "85.60"),
    ],
)
def test_worked_example_the_age_band_example_prices_a_point_by_age(age, table, amount):
    parsed = ras.parse(json.loads((SCHEMES / "example_age_bands.json").read_text()))
    result = engine.explain(
        engine.compile_scheme(parsed),
        AGE_BAND_ANSWERS,
        person={"age": age, "primary_support_reason": "learning_disability", "client_type": None},
    )
    assert (result.need_points, result.reduction_points, result.total_points) == (23, 2, 21)
    assert result.money_table == table
    assert result.amount == Decimal(amount)
