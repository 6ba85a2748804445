"""ras_export and ras_calibrate from the command line."""

import csv
import json
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from allocation.domain import engine, reference
from allocation.models import RasVersion
from allocation.tests.factories import random_answers
from assessment.tests.factories import eligible_caseload

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


def test_ras_export_prints_the_version(capsys, live):
    call_command("ras_export", "--version", "live")
    data = json.loads(capsys.readouterr().out)
    assert data["version"]["id"] == live.pk
    question = data["definition"]["domains"][0]["questions"][0]
    assert {"code", "options"} <= set(question) and "points" in question["options"][0]
    assert data["definition"]["format"] == "selfdirect-ras/2"
    assert data["definition"]["money_tables"][0]["method"] == "price_per_point"
    assert data["version"]["scheme_id"] == live.scheme_id
    call_command("ras_export", "--version", str(live.pk))
    assert json.loads(capsys.readouterr().out)["version"]["id"] == live.pk


def test_ras_export_refuses_an_unknown_version():
    with pytest.raises(CommandError):
        call_command("ras_export", "--version", "12345")


def write_sample(path, version, rows, rng):
    """Packages whose cost follows the version's amount, with noise, as real ones roughly do.
    Returns how many are on the costed-plan route (left out of the fit)."""
    codes = [q.code for q in version.parsed.questions]
    costed = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*codes, "weekly_cost"])
        for row in range(rows):
            choice = random_answers(version, rng, complex_answers=row % 4 == 0)
            costed += bool(reference.costed_plan_route_one(version.parsed, choice))
            cost = engine.explain(version.compiled, choice).amount * Decimal(rng.uniform(0.6, 1.4))
            writer.writerow([choice[c] for c in codes] + [f"{cost:.2f}"])
    return costed


@pytest.mark.parametrize("method", ["ols", "ols0", "lad", "bands"])
def test_ras_calibrate_hits_the_target_to_the_penny(
    capsys, tmp_path, live, team, practitioner, method
):
    rng = random.Random(11)
    eligible_caseload(team, [random_answers(live, rng) for _ in range(30)], user=practitioner)
    sample = tmp_path / "sample.csv"
    costed = write_sample(sample, live, 80, rng)
    call_command(
        "ras_calibrate",
        "--csv",
        str(sample),
        "--method",
        method,
        "--envelope",
        "1234567.89",
        "--reserve",
        "7.5",
        "--version",
        "live",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    target = (Decimal("1234567.89") * Decimal("0.925")).quantize(Decimal("0.01"))
    assert Decimal(result["modelled_annual_total"]) == target == Decimal(result["target"])
    assert result["people"] == 30
    # Packages on the costed-plan route are priced from their plan, so left out of the fit.
    assert result["sample"]["costed_plan_left_out"] == costed > 0
    assert result["statistics"]["n"] == result["sample"]["packages"] - costed
    assert (
        result["fitted"]["method"]
        == result["scaled"]["method"]
        == ("bands" if method == "bands" else "price_per_point")
    )


def test_ras_calibrate_lists_bad_rows_and_uses_nothing(tmp_path, live):
    sample = tmp_path / "bad.csv"
    write_sample(sample, live, 3, random.Random(1))
    lines = sample.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",free"
    sample.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="Line 3"):
        call_command(
            "ras_calibrate",
            "--csv",
            str(sample),
            "--method",
            "ols",
            "--envelope",
            "1000",
            "--reserve",
            "5",
            "--json",
        )


def test_ras_calibrate_can_save_a_draft(capsys, tmp_path, live, team, practitioner):
    rng = random.Random(3)
    eligible_caseload(team, [random_answers(live, rng) for _ in range(10)], user=practitioner)
    sample = tmp_path / "sample.csv"
    write_sample(sample, live, 40, rng)
    call_command(
        "ras_calibrate",
        "--csv",
        str(sample),
        "--method",
        "ols",
        "--envelope",
        "300000",
        "--reserve",
        "5",
        "--json",
        "--save",
    )
    result = json.loads(capsys.readouterr().out)
    draft = RasVersion.objects.get(pk=result["draft"]["id"])
    assert draft.status == "draft" and draft.definition["money_tables"][0] == {
        "code": "everyone",
        "title": "Everyone",
        **result["scaled"],
    }


def test_ras_calibrate_can_fit_to_the_current_budgets_in_the_database(
    capsys, live, team, practitioner
):
    """The fit learns from current weekly budgets, counting eligible needs only (the outcomes
    the decision found unmet), and leaves out people whose answers lead to a costed plan."""
    rng = random.Random(5)
    unable = frozenset({"hygiene", "toilet"})  # what the factory decides
    answers = [random_answers(live, rng, complex_answers=i % 3 == 0) for i in range(24)]
    costs = [
        engine.explain(live.compiled, a, unable_outcomes=unable).amount
        * Decimal(rng.uniform(0.7, 1.3))
        for a in answers
    ]
    eligible_caseload(team, answers, costs=[f"{c:.2f}" for c in costs], user=practitioner)
    costed = sum(bool(reference.costed_plan_route_one(live.parsed, a, unable)) for a in answers)
    call_command(
        "ras_calibrate",
        "--from-database",
        "--method",
        "lad",
        "--envelope",
        "500000",
        "--reserve",
        "5",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    assert result["sample"]["costed_plan_left_out"] == costed
    assert result["sample"]["packages"] == 24 and result["statistics"]["n"] == 24 - costed
    assert result["modelled_annual_total"] == result["target"] == "475000.00"


def test_ras_calibrate_needs_a_csv_or_the_database():
    with pytest.raises(CommandError):
        call_command("ras_calibrate", "--method", "ols", "--envelope", "1", "--reserve", "0")
