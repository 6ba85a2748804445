"""A calibration sample comes from outside: it is read within bounds and refused whole.

Issue 6 §5: a one-kilobyte CSV with a cost of `1E+99999999` took the web process to 2 GB
and stored a 300 MB sample. Now such a file is refused quickly, with the bad lines listed,
in the page and in `ras_calibrate`, and a good sample is stored compactly.
"""

import io
import json
import random

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import sample as sample_rules
from allocation.models import CalibrationRun, RasVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


def sample_text(version, rows, header_extra=()):
    codes = [q.code for q in version.parsed.questions]
    lines = [",".join([*codes, *header_extra, "cost"])]
    for answers, cost in rows:
        lines.append(",".join([*(answers[c] for c in codes), cost]))
    return "\n".join(lines) + "\n"


def answers(version, seed=0):
    rng = random.Random(seed)
    return {q.code: rng.choice(q.options).code for q in version.parsed.questions}


@pytest.mark.parametrize(
    "cost", ["1E+99999999", "1e5", "NaN", "-20.00", "12.345", "0x10", "100001.00", "9" * 150]
)
def test_a_cost_that_is_not_a_plain_sane_amount_is_refused_with_its_line(live, cost):
    text = sample_text(live, [(answers(live), "250.00"), (answers(live, 1), cost)])
    with pytest.raises(sample_rules.SampleError) as refused:
        sample_rules.parse_csv(live.parsed, text)
    assert refused.value.problems[0].startswith("Line 3: the cost")


def test_plain_amounts_with_a_pound_sign_and_commas_are_read_exactly(live):
    text = sample_text(live, [(answers(live), '"£1,250.5"'), (answers(live, 1), "99")])
    sample = sample_rules.parse_csv(live.parsed, text)
    assert sample.costs_pence.tolist() == [125050, 9900]


def test_an_enormous_cell_is_refused_without_reading_it_all(live):
    codes = [q.code for q in live.parsed.questions]
    good = answers(live)
    row = [good[c] for c in codes]
    row[0] = "x" * 200_000
    text = ",".join([*codes, "cost"]) + "\n" + ",".join([*row, "250.00"]) + "\n"
    with pytest.raises(sample_rules.SampleError) as refused:
        sample_rules.parse_csv(live.parsed, text)
    assert refused.value.problems[0].startswith("Line 2:")


def test_too_many_rows_are_refused(live, monkeypatch):
    monkeypatch.setattr(sample_rules, "MAX_ROWS", 3)
    text = sample_text(live, [(answers(live, i), "100.00") for i in range(5)])
    with pytest.raises(sample_rules.SampleError, match="more than 3 packages"):
        sample_rules.parse_csv(live.parsed, text)


def test_a_good_sample_is_stored_compactly_and_read_back_the_same(live):
    text = sample_text(live, [(answers(live, i), f"{100 + i}.00") for i in range(50)])
    sample = sample_rules.parse_csv(live.parsed, text)
    stored = sample.to_json()
    assert len(json.dumps(stored)) < 4 * len(text)
    again = sample_rules.Sample.from_json(stored)
    assert np.array_equal(again.choices, sample.choices)
    assert again.costs_pence.tolist() == sample.costs_pence.tolist()


def test_the_page_refuses_the_memory_bomb_quickly_and_keeps_nothing(client_for, live):
    commissioner = UserFactory(role=Role.COMMISSIONER)
    text = sample_text(live, [(answers(live), "1E+99999999")])
    upload = io.BytesIO(text.encode())
    upload.name = "bomb.csv"
    response = client_for(commissioner).post(
        f"/ras/versions/{live.pk}/calibrate/",
        {
            "source": "csv",
            "file": upload,
            "method": "ols",
            "band_count": "10",
            "envelope": "800000",
            "reserve_percent": "5",
        },
    )
    assert response.status_code == 200
    assert (
        "Line 2: the cost ‘1E+99999999’ must be an amount like 350.00" in response.content.decode()
    )
    assert not CalibrationRun.objects.exists()


def test_ras_calibrate_refuses_the_memory_bomb_with_its_line(tmp_path, live):
    path = tmp_path / "bomb.csv"
    path.write_text(sample_text(live, [(answers(live), "1E+99999999")]))
    with pytest.raises(CommandError, match="Line 2: the cost"):
        call_command(
            "ras_calibrate",
            "--csv",
            str(path),
            "--method",
            "ols",
            "--envelope",
            "1000",
            "--reserve",
            "5",
        )
