"""A calibration sample: packages of support with their answers and their real weekly cost.

Read from CSV strictly and within bounds, because the file comes from outside: a cost must
be a plain amount of money (digits, an optional £, thousands commas and two decimals) up to
a ceiling, rows and cell sizes are capped, and every bad line is listed while nothing is
kept. A one-kilobyte file with a cost of `1E+99999999` used to take the web process to 2 GB;
here it is one "Line 2: the cost ... must be an amount like 350.00" message.

Kept compactly: the answers as one int8 option index per question per package (base64),
costs in pence, and the optional group columns. No Django imports.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass

import numpy as np

from allocation.domain.definition import Definition

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a council's whole caseload is well under this
MAX_ROWS = 100_000
MAX_CELL = 200  # characters in any one cell: codes and amounts are short
MAX_WEEKLY_COST_PENCE = 100_000 * 100  # £100,000 a week: above any real package
MAX_PROBLEMS = 200
METADATA_COLUMNS = ("person_ref", "primary_support_reason", "age_band")
_AMOUNT = re.compile(r"^£?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?$")


class SampleError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass
class Sample:
    questions: tuple[str, ...]
    choices: np.ndarray  # (N, Q) int8 option indexes in `questions` order
    costs_pence: np.ndarray  # (N,) int64
    groups: dict[str, list[str]]

    def __len__(self) -> int:
        return len(self.costs_pence)

    def to_json(self) -> dict:
        return {
            "format": "selfdirect-sample/1",
            "questions": list(self.questions),
            "choices": base64.b64encode(np.ascontiguousarray(self.choices).tobytes()).decode(),
            "costs_pence": [int(c) for c in self.costs_pence],
            "groups": self.groups,
        }

    @classmethod
    def from_json(cls, data: dict) -> Sample:
        questions = tuple(data["questions"])
        costs = np.asarray(data["costs_pence"], dtype=np.int64)
        raw = np.frombuffer(base64.b64decode(data["choices"]), dtype=np.int8)
        choices = (
            raw.reshape(len(costs), len(questions))
            if len(costs)
            else raw.reshape(0, len(questions))
        )
        return cls(questions, choices, costs, dict(data.get("groups") or {}))


def parse_amount_pence(text: str) -> int | None:
    """'1,250.50' or '£350' as pence; None unless it is a plain amount of money."""
    match = _AMOUNT.match(text.strip())
    if not match:
        return None
    pounds = int(match.group(1).replace(",", ""))
    pennies = int((match.group(2) or "0").ljust(2, "0"))
    return pounds * 100 + pennies


def parse_csv(definition: Definition, text: str) -> Sample:
    """Read a sample; raise SampleError listing every problem (up to 200). Nothing partial."""
    if len(text) > MAX_BYTES:
        raise SampleError([f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"])
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SampleError(["The file is empty"]) from None
    except csv.Error as error:
        raise SampleError([f"Line 1: {error}"]) from None
    if len(header) < 2:
        raise SampleError(["The first line must name the question columns, then the cost column"])
    if any(len(h) > MAX_CELL for h in header):
        raise SampleError([f"Line 1: a column name is longer than {MAX_CELL} characters"])
    questions = [q.code for q in definition.questions]
    question_columns = [h for h in header[:-1] if h not in METADATA_COLUMNS]
    problems = []
    unknown = [h for h in question_columns if definition.question(h) is None]
    if unknown:
        problems.append(
            f"Line 1: these columns are not questions of this version: {', '.join(unknown[:20])}"
        )
    missing = [code for code in questions if code not in question_columns]
    if missing:
        problems.append(f"Line 1: these questions have no column: {', '.join(missing[:20])}")
    if problems:
        raise SampleError(problems)
    column_of = {name: i for i, name in enumerate(header)}
    option_maps = [
        {o.code: i for i, o in enumerate(definition.question(code).options)} for code in questions
    ]
    metadata = [m for m in METADATA_COLUMNS if m in column_of and m != "person_ref"]
    rows: list[list[int]] = []
    costs: list[int] = []
    groups: dict[str, list[str]] = {m: [] for m in metadata}
    number = 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"Line {number}: {error}")
            break
        if len(problems) >= MAX_PROBLEMS:
            break
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(f"The file has more than {MAX_ROWS:,} packages: split it or sample it")
            break
        if len(values) != len(header):
            problems.append(
                f"Line {number}: has {len(values)} values, the first line has {len(header)}"
            )
            continue
        if any(len(v) > MAX_CELL for v in values):
            problems.append(f"Line {number}: a value is longer than {MAX_CELL} characters")
            continue
        row = []
        bad = False
        for position, code in enumerate(questions):
            option = values[column_of[code]].strip()
            index = option_maps[position].get(option)
            if index is None:
                problems.append(f"Line {number}: ‘{option}’ is not an answer to {code}")
                bad = True
                index = -1
            row.append(index)
        cost = parse_amount_pence(values[-1])
        if cost is None or cost > MAX_WEEKLY_COST_PENCE:
            problems.append(
                f"Line {number}: the cost ‘{values[-1][:40]}’ must be an amount like 350.00, "
                f"up to £{MAX_WEEKLY_COST_PENCE // 100:,} a week"
            )
            continue
        if bad:
            continue
        rows.append(row)
        costs.append(cost)
        for m in metadata:
            groups[m].append(values[column_of[m]].strip())
    if problems:
        raise SampleError(problems[:MAX_PROBLEMS])
    if not rows:
        raise SampleError(["The file has no packages in it"])
    # Group columns count only when every row has them (they label the residuals table).
    groups = {m: labels for m, labels in groups.items() if all(labels)}
    return Sample(
        questions=tuple(questions),
        choices=np.asarray(rows, dtype=np.int8),
        costs_pence=np.asarray(costs, dtype=np.int64),
        groups=groups,
    )
