"""ras_export and ras_calibrate from the command line."""

import csv
import json
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from allocation.domain import engine
from allocation.models import RasVersion
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
    assert data["definition"]["allocation"]["method"] == "price_per_point"
    call_command("ras_export", "--version", str(live.pk))
    assert json.loads(capsys.readouterr().out)["version"]["id"] == live.pk


def test_ras_export_refuses_an_unknown_version():
    with pytest.raises(CommandError):
        call_command("ras_export", "--version", "12345")


def write_sample(path, version, rows, rng):
    """Packages whose cost follows the version's amount, with noise, as real ones roughly do."""
    codes = [q.code for q in version.parsed.questions]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*codes, "weekly_cost"])
        for _ in range(rows):
            choice = {q.code: rng.choice(q.options).code for q in version.parsed.questions}
            cost = engine.explain(version.compiled, choice).amount * Decimal(rng.uniform(0.6, 1.4))
            writer.writerow([choice[c] for c in codes] + [f"{cost:.2f}"])


@pytest.mark.parametrize("method", ["ols", "ols0", "lad", "bands"])
def test_ras_calibrate_hits_the_target_to_the_penny(
    capsys, tmp_path, live, team, practitioner, method
):
    rng = random.Random(11)
    eligible_caseload(
        team,
        [{q.code: rng.choice(q.options).code for q in live.parsed.questions} for _ in range(30)],
        user=practitioner,
    )
    sample = tmp_path / "sample.csv"
    write_sample(sample, live, 80, rng)
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
    assert result["people"] == 30 and result["statistics"]["n"] == 80
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
    eligible_caseload(
        team,
        [{q.code: rng.choice(q.options).code for q in live.parsed.questions} for _ in range(10)],
        user=practitioner,
    )
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
    assert draft.status == "draft" and draft.definition["allocation"] == result["scaled"]
