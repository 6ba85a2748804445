"""The caseload a RAS version is modelled over, read from the database as arrays.

"Current eligible people": alive, with a current completed assessment of the scheme's
kind whose eligibility decision found them eligible. Their answers are encoded for the
engine (tolerantly: answers to questions the version no longer asks are ignored, and
questions the person was never asked count as no points), together with the groups the
equality breakdown needs, the cost of the support they have now, and the outcomes their
decision found unmet (so that only eligible needs count).

Read in bulk: a model run reads about 100,000 people, so nothing is done once a row in
Python. Each assessment keeps its answers packed (`pack_answers`: the option index of each
question of its own version, one byte each, behind a digest of that version's questions and
options), so the answers are read as bytes, not decoded from JSON; on PostgreSQL every
column comes back in one row of aggregated blobs (int8send and friends, one per column),
turned into arrays by numpy. An assessment without a usable packing (loaded before the
column existed, or answers its version cannot hold) is read from its JSON answers, so the
result is always what `load_rows` (the plain row-by-row read, kept as the reference) gives.
"""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, models
from django.utils import timezone

from accounts.models import Team
from assessment.models import Assessment
from budgets.models import PersonalBudget
from people import codes, domain

from .domain import engine

CHUNK = 5000
PSR_LABELS = dict(codes.PRIMARY_SUPPORT_REASONS)
CLIENT_GROUPS = [
    "Older people",
    "Physical disability",
    "Sensory impairment",
    "Learning disability",
    "Mental health",
    "Dementia, memory and cognition",
    "Carer",
    "Other",
]


class _Column:
    """One equality group: a code per person, from a fixed list of values (or, for a list not
    known in advance such as localities, the values met, sorted at the end)."""

    def __init__(self, values: list[tuple[str, str]] | None = None, *, fallback=None, sort=None):
        self.index = {value: i for i, (value, _label) in enumerate(values or [])}
        self.labels = [label for _value, label in values or []]
        self.fallback = fallback
        self.sort = sort
        self.codes: list[int] = []

    def code_for(self, value) -> int:
        """The value's code (a new label, for a column of the values met)."""
        code = self.index.get(value)
        if code is None:
            if self.sort is None:
                code = self.index[self.fallback]
            else:
                code = self.index[value] = len(self.labels)
                self.labels.append(value)
        return code

    def add(self, value) -> None:
        self.codes.append(self.code_for(value))

    def set_codes(self, unique_values, inverse: np.ndarray) -> None:
        """Everyone's codes at once: `unique_values` in the order first met, and each
        person's index into them (so a column of the values met labels them as `add` would)."""
        table = np.fromiter(
            (self.code_for(v) for v in unique_values), dtype=np.int16, count=len(unique_values)
        )
        self.codes = table[inverse] if len(inverse) else np.zeros(0, dtype=np.int16)

    def array(self) -> tuple[np.ndarray, list[str]]:
        codes_ = np.asarray(self.codes, dtype=np.int16)
        if not self.labels:  # nobody to model: one label, so the group still has its row
            self.labels = [self.fallback or domain.NO_DISTRICT]
        if self.sort is None:
            return codes_, self.labels
        order = sorted(range(len(self.labels)), key=lambda i: self.sort(self.labels[i]))
        new_code = np.empty(len(order), dtype=np.int16)
        new_code[order] = np.arange(len(order), dtype=np.int16)
        return (new_code[codes_] if len(codes_) else codes_), [self.labels[i] for i in order]


def _yes_no(no: str, yes: str) -> list[tuple[bool, str]]:
    return [(False, no), (True, yes)]


# The person's fields each equality group is read from, in the order _Groups.add takes them.
GROUP_FIELDS = (
    "person__primary_support_reason",
    "person__client_type",
    "person__date_of_birth",
    "person__sex",
    "person__gender_identity",
    "person__ethnicity",
    "person__religion",
    "person__sexual_orientation",
    "person__legal_partnership_status",
    "person__pregnancy_maternity",
    "person__has_dementia",
    "person__has_autism",
    "person__has_visual_impairment",
    "person__has_hearing_impairment",
    "person__has_unpaid_carer",
    "person__postcode",
)


class _Groups:
    """Every group the equality breakdown reports (Equality Act 2010 s4's protected
    characteristics, and the circumstances a RAS can treat differently), built person by
    person as the assessments are read."""

    def __init__(self, today: dt.date):
        self.today = today
        psr = [
            *codes.PRIMARY_SUPPORT_REASONS,
            (codes.NO_SUPPORT_REASON, codes.NO_SUPPORT_REASON_LABEL),
        ]
        broad = [(label, label) for label in codes.ETHNIC_BROAD_GROUPS]
        partnership = [(label, label) for label in codes.PARTNERSHIP_GROUPS]
        bands = [*domain.AGE_BAND_CODES, "under 18"]
        self.columns = {
            "Primary support reason": _Column(psr, fallback="unknown"),
            "Client type": _Column(codes.CLIENT_TYPES, fallback="service_user"),
            "Age band": _Column([(b, b) for b in bands]),
            "Sex": _Column(codes.SEXES, fallback="not_known"),
            "Gender identity (gender reassignment)": _Column(
                codes.GENDER_IDENTITY, fallback="not_asked"
            ),
            "Ethnic group": _Column(broad, fallback="No data"),
            "Religion or belief": _Column(codes.RELIGIONS, fallback="not_asked"),
            "Sexual orientation": _Column(codes.SEXUAL_ORIENTATIONS, fallback="not_asked"),
            "Marriage or civil partnership": _Column(partnership, fallback="Not asked"),
            "Pregnancy and maternity": _Column(codes.PREGNANCY_MATERNITY, fallback="not_asked"),
            "Dementia": _Column(_yes_no("No dementia", "Dementia")),
            "Autism": _Column(_yes_no("No autism recorded", "Autism")),
            "Visual impairment": _Column(
                _yes_no("No visual impairment recorded", "Visual impairment")
            ),
            "Hearing impairment": _Column(
                _yes_no("No hearing impairment recorded", "Hearing impairment")
            ),
            "Unpaid carer": _Column(_yes_no("No unpaid carer", "Has an unpaid carer")),
            "Locality (postcode district)": _Column(sort=domain.district_sort_key),
            "Client group": _Column([(g, g) for g in CLIENT_GROUPS], fallback="Other"),
        }

    def add(self, values: tuple) -> None:
        (psr, client_type, born, sex, identity, ethnicity, religion, orientation, partnership,
         pregnancy, dementia, autism, visual, hearing, carer, postcode) = values  # fmt: skip
        age = domain.age_on(born, self.today)
        column = self.columns
        column["Primary support reason"].add(psr)
        column["Client type"].add(client_type)
        column["Age band"].add(domain.age_band(age))
        column["Sex"].add(sex)
        column["Gender identity (gender reassignment)"].add(identity)
        column["Ethnic group"].add(codes.ETHNIC_GROUP_BROAD.get(ethnicity, "No data"))
        column["Religion or belief"].add(religion)
        column["Sexual orientation"].add(orientation)
        column["Marriage or civil partnership"].add(
            codes.PARTNERSHIP_GROUP.get(partnership, "Not asked")
        )
        column["Pregnancy and maternity"].add(pregnancy)
        column["Dementia"].add(bool(dementia))
        column["Autism"].add(bool(autism))
        column["Visual impairment"].add(bool(visual))
        column["Hearing impairment"].add(bool(hearing))
        column["Unpaid carer"].add(bool(carer))
        column["Locality (postcode district)"].add(domain.postcode_district(postcode))
        column["Client group"].add(domain.client_group(psr, age, dementia))

    def set_all(self, values: dict[str, tuple[list, np.ndarray]], ages: np.ndarray) -> None:
        """Everyone at once, from each person field's distinct values (in the order first
        met) and each person's index into them: the same codes and labels as `add` row by
        row, with every rule applied once a distinct value, not once a person."""
        column = self.columns
        for name, source in (
            ("Primary support reason", "psr"),
            ("Client type", "client_type"),
            ("Sex", "sex"),
            ("Gender identity (gender reassignment)", "gender_identity"),
            ("Religion or belief", "religion"),
            ("Sexual orientation", "sexual_orientation"),
            ("Pregnancy and maternity", "pregnancy_maternity"),
        ):
            column[name].set_codes(*values[source])
        unique, inverse = values["ethnicity"]
        column["Ethnic group"].set_codes(
            [codes.ETHNIC_GROUP_BROAD.get(v, "No data") for v in unique], inverse
        )
        unique, inverse = values["legal_partnership_status"]
        column["Marriage or civil partnership"].set_codes(
            [codes.PARTNERSHIP_GROUP.get(v, "Not asked") for v in unique], inverse
        )
        flags = values["flags"]
        for bit, name in enumerate(
            ("Dementia", "Autism", "Visual impairment", "Hearing impairment", "Unpaid carer")
        ):
            column[name].set_codes([False, True], (flags >> bit) & 1)
        unique, inverse = values["postcode"]
        districts = _districts(unique)
        seen: dict[str, int] = {}
        district_of = np.fromiter(
            (seen.setdefault(d, len(seen)) for d in districts), dtype=np.int32, count=len(unique)
        )
        column["Locality (postcode district)"].set_codes(list(seen), district_of[inverse])
        unique_ages, age_index = np.unique(ages, return_inverse=True)
        column["Age band"].set_codes([domain.age_band(int(a)) for a in unique_ages], age_index)
        # The client group turns on the support reason, dementia and whether 65 or over.
        unique, inverse = values["psr"]
        older = (ages >= 65).astype(np.intp)
        dementia = (flags & 1).astype(np.intp)
        combos = [
            domain.client_group(psr, 65 if old else 0, bool(dem))
            for psr in unique
            for old in (0, 1)
            for dem in (0, 1)
        ]
        column["Client group"].set_codes(combos, inverse.astype(np.intp) * 4 + older * 2 + dementia)

    def arrays(self) -> dict[str, tuple[np.ndarray, list[str]]]:
        return {name: column.array() for name, column in self.columns.items()}


def _districts(postcodes) -> list[str]:
    """domain.postcode_district of each postcode; one already written the standard way
    ('WX1 4DQ') is read with one match, anything else through the full rule."""
    standard = _STANDARD_POSTCODE.fullmatch
    out = []
    for postcode in postcodes:
        match = standard(postcode)
        out.append(match.group(1) if match else domain.postcode_district(postcode))
    return out


# A valid postcode as normalise_postcode writes it: the district is its first part.
_STANDARD_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) [0-9][ABD-HJLNP-UW-Z]{2}")


@dataclass(eq=False)
class Population:
    person_ids: np.ndarray
    refs: list[str]
    teams: list[str]
    choices: np.ndarray
    missing: np.ndarray
    current_pence: np.ndarray
    has_budget: np.ndarray
    groups: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    # Bit i set when the eligibility decision found the person unable to achieve
    # scheme.outcome_codes[i]: only needs linked to those count (Care Act 2014 s26).
    unable_masks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # Each person's age on the day of the run, primary support reason and client type: what
    # a version with money tables by group chooses a table by (`details`).
    ages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    support_reasons: list[str] = field(default_factory=list)
    client_types: list[str] = field(default_factory=list)
    kind: str = "person"
    _answers: list[dict] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.person_ids)

    @property
    def details(self) -> list[dict]:
        """{"age", "primary_support_reason", "client_type"} of each person, for
        engine.table_indexes (made when asked: only versions with money tables need it)."""
        return [
            {"age": age, "primary_support_reason": psr, "client_type": client_type}
            for age, psr, client_type in zip(
                self.ages.tolist(), self.support_reasons, self.client_types, strict=True
            )
        ]

    @property
    def answers(self) -> list[dict]:
        """Each person's answers as stored (read when first asked: a run needs them only to
        score people without a budget with another version)."""
        if self._answers is None:
            found = _answers_of(self.kind, self.person_ids.tolist())
            self._answers = [found.get(pid, {}) for pid in self.person_ids.tolist()]
        return self._answers


def _answers_of(kind: str, person_ids: list[int]) -> dict[int, dict]:
    """The stored answers of these people's current eligible assessments, a slice of ids at a
    time (a query takes at most 65,535 parameters)."""
    found = {}
    for start in range(0, len(person_ids), 10_000):
        found.update(
            current_eligible(kind)
            .filter(person_id__in=person_ids[start : start + 10_000])
            .values_list("person_id", "answers")
        )
    return found


def current_eligible(kind: str):
    return Assessment.objects.filter(
        kind=kind,
        is_current=True,
        status=Assessment.Status.COMPLETED,
        eligibility__eligible=True,
        person__date_of_death__isnull=True,
    )


# --- packed answers ------------------------------------------------------------------------

DIGEST_BYTES = 8
_NO_ANSWER = 255  # -1 as an unsigned byte


def layout_digest(scheme) -> bytes:
    """A digest of a version's questions and each one's options, in order: packed answers
    are only read back against the same layout (a changed draft's old packings are not)."""
    layout = [
        [code, sorted(options, key=options.get)]
        for code, options in zip(scheme.question_codes, scheme.option_index, strict=True)
    ]
    text = json.dumps(layout, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=DIGEST_BYTES).digest()


def packer(scheme):
    """A function packing one answers dict against the scheme (see `pack_answers`)."""
    digest = layout_digest(scheme)
    questions = list(zip(scheme.question_codes, scheme.option_index, strict=True))

    def pack(answers) -> bytes | None:
        if not isinstance(answers, dict):
            return None
        out = bytearray(digest)
        used = 0
        try:
            for code, options in questions:
                value = answers.get(code)
                if value is None:
                    out.append(_NO_ANSWER)
                    continue
                index = options.get(value)
                if index is None:
                    return None
                out.append(index)
                used += 1
        except TypeError:  # an answer that cannot be an option code (a list, say)
            return None
        return bytes(out) if used == len(answers) else None

    return pack


def pack_answers(scheme, answers) -> bytes | None:
    """The answers as stored on the assessment for bulk reading: the layout digest, then one
    byte a question of `scheme` (the assessment's own version), the chosen option's index or
    255 for none. None when the answers hold anything the version cannot (an unknown
    question or option): those are always read from the JSON, so packing never loses an
    answer another version might count."""
    return packer(scheme)(answers)


def _unpack(extract: "_Extract", target) -> np.ndarray:
    """Everyone's choices against `target` from their packed answers; -2 marks a person to
    read from the JSON (no packing, or one made against a layout since changed)."""
    from .models import RasVersion

    versions, lengths = extract.version_ids, extract.packed_lengths
    choices = np.full((len(versions), len(target.question_codes)), -2, dtype=np.int8)
    if not len(versions):
        return choices
    data = np.frombuffer(extract.packed, dtype=np.uint8)
    target_digest = layout_digest(target)
    present = np.unique(versions).tolist()
    for version in RasVersion.objects.filter(pk__in=present):
        scheme = version.compiled
        width = DIGEST_BYTES + len(scheme.question_codes)
        rows = np.flatnonzero((versions == version.pk) & (lengths == width))
        if not rows.size:
            continue
        packed = data[extract.packed_starts[rows, None] + np.arange(width)]
        digest = layout_digest(scheme)
        same = (packed[:, :DIGEST_BYTES] == np.frombuffer(digest, dtype=np.uint8)).all(axis=1)
        rows, source = rows[same], packed[same, DIGEST_BYTES:]
        if digest == target_digest:
            choices[rows] = source.view(np.int8)
            continue
        # Another version: each of the target's questions from the same code, each option
        # by its code; a question the source never asked is unanswered.
        for q, code in enumerate(target.question_codes):
            s = scheme.question_index.get(code)
            lookup = np.full(256, -1, dtype=np.int8)
            if s is not None:
                for option, index in scheme.option_index[s].items():
                    lookup[index] = target.option_index[q].get(option, -1)
                choices[rows, q] = lookup[source[:, s]]
            else:
                choices[rows, q] = -1
    return choices


# --- reading ----------------------------------------------------------------------------------

# Person fields read as text, in the order the readers return them.
_TEXT_FIELDS = (
    ("psr", "person__primary_support_reason"),
    ("client_type", "person__client_type"),
    ("sex", "person__sex"),
    ("gender_identity", "person__gender_identity"),
    ("ethnicity", "person__ethnicity"),
    ("religion", "person__religion"),
    ("sexual_orientation", "person__sexual_orientation"),
    ("legal_partnership_status", "person__legal_partnership_status"),
    ("pregnancy_maternity", "person__pregnancy_maternity"),
    ("postcode", "person__postcode"),
)
_FLAG_FIELDS = (
    "has_dementia",
    "has_autism",
    "has_visual_impairment",
    "has_hearing_impairment",
    "has_unpaid_carer",
)
_SEPARATOR = "\x1f"  # between the values of a text column read in one piece
_EPOCH = dt.date(1970, 1, 1)


@dataclass(eq=False)
class _Extract:
    """What the readers return: one entry a person. Text columns come factorized: their
    distinct values in the order first met, and each person's index into them."""

    person_ids: np.ndarray  # int64
    team_ids: np.ndarray  # int64, 0 for none
    version_ids: np.ndarray  # int64
    packed_lengths: np.ndarray  # int64, -1 for none
    packed_starts: np.ndarray  # int64, where each packing starts in `packed`
    packed: bytes  # every packing, end to end
    born_days: np.ndarray  # int32, days since 1970-01-01
    flags: np.ndarray  # int32, bit i = _FLAG_FIELDS[i]
    masks: np.ndarray  # int32 unable masks
    has_budget: np.ndarray  # bool
    amounts: np.ndarray  # int64 pence, 0 without a budget
    refs: list[str]
    text: dict[str, tuple[list, np.ndarray]]  # _TEXT_FIELDS

    def ordered(self) -> "_Extract":
        """By person id, as the reference read orders them (ties in the review list follow
        the row order, and a locality's place among equals the order people are met)."""
        order = np.argsort(self.person_ids, kind="stable")
        if (order == np.arange(len(order))).all():
            return self
        return _Extract(
            person_ids=self.person_ids[order],
            team_ids=self.team_ids[order],
            version_ids=self.version_ids[order],
            packed_lengths=self.packed_lengths[order],
            packed_starts=self.packed_starts[order],
            packed=self.packed,
            born_days=self.born_days[order],
            flags=self.flags[order],
            masks=self.masks[order],
            has_budget=self.has_budget[order],
            amounts=self.amounts[order],
            refs=np.asarray(self.refs, dtype=object)[order].tolist(),
            text={name: _reordered(*pair, order) for name, pair in self.text.items()},
        )


def _reordered(unique: list, inverse: np.ndarray, order: np.ndarray) -> tuple[list, np.ndarray]:
    """A factorized column with its rows reordered, the distinct values renumbered in the
    order the new rows meet them."""
    inverse = inverse[order]
    first = np.full(len(unique), len(inverse), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(inverse)))
    rank = np.argsort(first, kind="stable")
    renumber = np.empty(len(unique), dtype=np.int32)
    renumber[rank] = np.arange(len(unique), dtype=np.int32)
    return [unique[i] for i in rank.tolist()], renumber[inverse]


def _factorize(values: list) -> tuple[list, np.ndarray]:
    """Distinct values in the order first met, and each value's index into them."""
    unique = list(dict.fromkeys(values))
    index = {value: i for i, value in enumerate(unique)}
    inverse = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return unique, inverse


def _starts(lengths: np.ndarray) -> np.ndarray:
    sizes = lengths.clip(min=0)
    return np.cumsum(sizes) - sizes


def _eligible_values(kind: str):
    """The reference read's rows as plain columns under names of our own (v_...)."""
    F = models.F
    return (
        current_eligible(kind)
        .order_by()
        .values(
            v_pid=F("person_id"),
            v_team=F("person__team_id"),
            v_version=F("version_id"),
            v_packed=F("packed_answers"),
            v_born=F("person__date_of_birth"),
            v_unable=F("eligibility__unable_outcomes"),
            v_health=F("eligibility__health_at_risk"),
            v_ref=F("person__council_person_id"),
            **{f"v_{name}": F(path) for name, path in _TEXT_FIELDS},
            **{f"v_{name}": F(f"person__{name}") for name in _FLAG_FIELDS},
        )
    )


def _read_postgresql(scheme, kind: str, period: str) -> _Extract:
    """One query, one row: each column aggregated into a blob (binary integers end to end,
    or text joined by a separator), which numpy reads without a Python object a value.

    The aggregates run over the same rows in the same order, so the blobs line up."""
    from .domain.definition import CARER_HEALTH

    people = _eligible_values(kind)
    inner, inner_params = people.query.sql_with_params()
    # The unable mask as engine.unable_mask(scheme, decided_unable(...)) makes it: bit i when
    # the decision's list holds outcome_codes[i] (and, for a carer, carer_health when their
    # health is at risk).
    bits, bit_params = [], []
    for bit, code in enumerate(scheme.outcome_codes):
        test = "jsonb_exists(s.v_unable, %s)"
        bit_params.append(code)
        if code == CARER_HEALTH and kind == "carer":
            test = f"({test} OR s.v_health)"
        bits.append(f"(CASE WHEN {test} THEN {1 << bit} ELSE 0 END)")
    mask = " + ".join(bits) or "0"
    flags = " + ".join(f"(s.v_{name}::int << {bit})" for bit, name in enumerate(_FLAG_FIELDS))
    names = ["ref", *(name for name, _path in _TEXT_FIELDS)]
    text = ", ".join(f"string_agg(r.{name}, %s)" for name in names)
    # Each row's values are worked out in the inner query, which OFFSET 0 keeps apart: there
    # the parallel workers that join the tables work them out too, and the aggregates (not
    # parallel before PostgreSQL 16) only join the results end to end.
    sql = f"""
        SELECT count(*),
            string_agg(r.pid, ''), string_agg(r.team, ''), string_agg(r.version, ''),
            string_agg(r.packed_length, ''), string_agg(r.packed, ''), string_agg(r.born, ''),
            string_agg(r.flags, ''), string_agg(r.mask, ''),
            {text}
        FROM (
            SELECT int8send(s.v_pid) AS pid,
                int8send(coalesce(s.v_team, 0)) AS team,
                int8send(s.v_version) AS version,
                int4send(coalesce(octet_length(s.v_packed), -1)) AS packed_length,
                coalesce(s.v_packed, ''::bytea) AS packed,
                int4send(s.v_born - DATE '1970-01-01') AS born,
                int4send({flags}) AS flags,
                int4send({mask}) AS mask,
                {", ".join(f"s.v_{name} AS {name}" for name in names)}
            FROM ({inner}) s
            OFFSET 0
        ) r
    """  # noqa: S608 - every name here is ours; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[_SEPARATOR] * len(names), *bit_params, *inner_params])
        row = cursor.fetchone()
        budget_ids, budget_amounts = _budgets_postgresql(cursor, period)
    count = row[0]
    person_ids = _ints(row[1], ">i8")
    columns = {}
    for name, joined in zip(names, row[9:], strict=True):
        values = joined.split(_SEPARATOR) if count else []
        if len(values) != count:  # a value holding the separator: read this column plainly
            found = dict(people.values_list("v_pid", f"v_{name}"))
            values = [found[pid] for pid in person_ids.tolist()]
        columns[name] = values
    where = np.minimum(np.searchsorted(budget_ids, person_ids), max(len(budget_ids) - 1, 0))
    if len(budget_ids):
        has_budget = budget_ids[where] == person_ids
        amounts = np.where(has_budget, budget_amounts[where], 0)
    else:
        has_budget, amounts = np.zeros(count, dtype=bool), np.zeros(count, dtype=np.int64)
    lengths = _ints(row[4], ">i4").astype(np.int64)
    return _Extract(
        person_ids=person_ids,
        team_ids=_ints(row[2], ">i8"),
        version_ids=_ints(row[3], ">i8"),
        packed_lengths=lengths,
        packed_starts=_starts(lengths),
        packed=bytes(row[5] or b""),
        born_days=_ints(row[6], ">i4"),
        flags=_ints(row[7], ">i4"),
        masks=_ints(row[8], ">i4"),
        has_budget=has_budget,
        amounts=amounts.astype(np.int64),
        refs=columns["ref"],
        text={name: _factorize(columns[name]) for name, _path in _TEXT_FIELDS},
    )


def _ints(blob, dtype: str) -> np.ndarray:
    """Big-endian integers end to end (PostgreSQL's int8send/int4send) as native ones."""
    big = np.dtype(dtype)
    return np.frombuffer(bytes(blob or b""), dtype=big).astype(big.newbyteorder("="))


def _budgets_postgresql(cursor, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Each person's current budget for the period, sorted by person. Where a person has
    several, the one the reference read keeps: the last in the model's ordering (newest
    first), so the earliest start, then the lowest id. (Only living people are modelled, so
    the reference's filter on the date of death changes nothing here.)"""
    budgets = (
        PersonalBudget.objects.current()
        .filter(period=period)
        .order_by()
        .values_list("person_id", "start_date", "id", "amount_pence")
    )
    inner, params = budgets.query.sql_with_params()
    aggregate = ", ".join(
        f"string_agg(int8send({column}), '')"
        for column in ("s.person_id", "s.start_date - DATE '1970-01-01'", "s.id", "s.amount_pence")
    )
    sql = f"SELECT {aggregate} FROM ({inner}) s"  # noqa: S608 - the ORM's own SQL
    cursor.execute(sql, params)
    people, starts, ids, amounts = (_ints(blob, ">i8") for blob in cursor.fetchone())
    order = np.lexsort((ids, starts, people))
    people, amounts = people[order], amounts[order]
    first = np.ones(len(people), dtype=bool)
    first[1:] = people[1:] != people[:-1]
    return people[first], amounts[first]


def _read_rows(scheme, kind: str, period: str) -> _Extract:
    """The same extract on any database, row by row (SQLite, the embedded default)."""
    from .domain.definition import decided_unable

    names = ["v_pid", "v_team", "v_version", "v_packed", "v_born", "v_unable", "v_health"]
    names += ["v_ref", *(f"v_{n}" for n, _p in _TEXT_FIELDS), *(f"v_{n}" for n in _FLAG_FIELDS)]
    rows = list(_eligible_values(kind).order_by("person_id").values_list(*names))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    column = dict(zip(names, columns, strict=True))
    budgets = _budgets(period)
    pids = column["v_pid"]
    flags = np.zeros(len(pids), dtype=np.int32)
    for bit, name in enumerate(_FLAG_FIELDS):
        flags |= np.asarray([bool(v) for v in column[f"v_{name}"]], dtype=np.int32) << bit
    masks = [
        engine.unable_mask(scheme, decided_unable(kind, unable, health_at_risk=health))
        for unable, health in zip(column["v_unable"], column["v_health"], strict=True)
    ]
    blobs = [None if p is None else bytes(p) for p in column["v_packed"]]
    lengths = np.asarray([-1 if b is None else len(b) for b in blobs], dtype=np.int64)
    return _Extract(
        person_ids=np.asarray(pids, dtype=np.int64),
        team_ids=np.asarray([t or 0 for t in column["v_team"]], dtype=np.int64),
        version_ids=np.asarray(column["v_version"], dtype=np.int64),
        packed_lengths=lengths,
        packed_starts=_starts(lengths),
        packed=b"".join(b for b in blobs if b is not None),
        born_days=np.asarray([(d - _EPOCH).days for d in column["v_born"]], dtype=np.int32),
        flags=flags,
        masks=np.asarray(masks, dtype=np.int32),
        has_budget=np.asarray([pid in budgets for pid in pids], dtype=bool),
        amounts=np.asarray([budgets.get(pid, 0) for pid in pids], dtype=np.int64),
        refs=list(column["v_ref"]),
        text={name: _factorize(list(column[f"v_{name}"])) for name, _path in _TEXT_FIELDS},
    )


def _budgets(period: str) -> dict[int, int]:
    """Current budgets for the same period as the version (never compare across periods)."""
    return dict(
        PersonalBudget.objects.current()
        .filter(person__date_of_death__isnull=True, period=period)
        .values_list("person_id", "amount_pence")
    )


def _values(unique: list, inverse: np.ndarray) -> list:
    return np.asarray(unique + [None], dtype=object)[:-1][inverse].tolist()


def _ages(born_days: np.ndarray, today: dt.date) -> np.ndarray:
    """domain.age_on for everyone: whole years, one fewer before this year's birthday."""
    born = born_days.astype("datetime64[D]")
    years = born.astype("datetime64[Y]").astype(np.int64) + 1970
    months = born.astype("datetime64[M]")
    month = months.astype(np.int64) % 12 + 1
    day = (born - months.astype("datetime64[D]")).astype(np.int64) + 1
    before = (month > today.month) | ((month == today.month) & (day > today.day))
    return (today.year - years - before).astype(np.int32)


def load(version, *, on_progress=None, today: dt.date | None = None) -> Population:
    """Everyone the version would cover, with their answers encoded against it, read in bulk
    (see the module docstring); the same as `load_rows`, faster."""
    scheme = version.compiled
    kind = version.scheme.kind
    today = today or timezone.localdate()
    period = scheme.definition.period
    if connection.vendor == "postgresql":
        extract = _read_postgresql(scheme, kind, period).ordered()
    else:
        extract = _read_rows(scheme, kind, period)
    total = len(extract.person_ids)
    if on_progress:
        on_progress(total // 2, total)
    choices = _unpack(extract, scheme)
    unpacked = np.flatnonzero((choices == -2).any(axis=1))
    if unpacked.size:  # no usable packing: from the JSON answers, as the reference does
        ids = extract.person_ids[unpacked].tolist()
        found = _answers_of(kind, ids)
        encoded, _missing = engine.encode_many(scheme, [found[pid] for pid in ids])
        choices[unpacked] = encoded
    choices = np.asfortranarray(choices)
    missing = (choices < 0).sum(axis=1, dtype=np.int32)
    ages = _ages(extract.born_days, today)
    groups = _Groups(today)
    groups.set_all({**extract.text, "flags": extract.flags}, ages)
    team_ids, team_index = np.unique(extract.team_ids, return_inverse=True)
    team_names = dict(Team.objects.values_list("pk", "name"))
    names = np.asarray([team_names.get(t) or "" for t in team_ids.tolist()] + [None], dtype=object)
    population = Population(
        person_ids=extract.person_ids,
        refs=extract.refs,
        teams=names[:-1][team_index.reshape(-1)].tolist(),
        choices=choices,
        missing=missing,
        current_pence=extract.amounts,
        has_budget=extract.has_budget,
        unable_masks=extract.masks,
        ages=ages,
        support_reasons=_values(*extract.text["psr"]),
        client_types=_values(*extract.text["client_type"]),
        kind=kind,
    )
    population.groups = groups.arrays()
    if on_progress:
        on_progress(total, total)
    return population


def load_rows(version, *, on_progress=None, today: dt.date | None = None) -> Population:
    """The reference read: row by row through the ORM, each answer decoded from its JSON
    and each group worked out person by person. `load` must always agree with it."""
    scheme = version.compiled
    kind = version.scheme.kind
    today = today or timezone.localdate()
    rows = (
        current_eligible(kind)
        .order_by("person_id")
        .values_list(
            "person_id",
            "answers",
            "person__council_person_id",
            "person__team__name",
            *GROUP_FIELDS,
        )
    )
    total = rows.count()
    budgets = _budgets(scheme.definition.period)
    person_ids, refs, teams, answers, ages, psrs, client_types = [], [], [], [], [], [], []
    groups = _Groups(today)
    current, has_budget = [], []
    for count, (pid, ans, ref, team, *person) in enumerate(rows.iterator(chunk_size=CHUNK), 1):
        person_ids.append(pid)
        refs.append(ref)
        teams.append(team or "")
        answers.append(ans)
        groups.add(person)
        psr, client_type, born = person[:3]
        ages.append(domain.age_on(born, today))
        psrs.append(psr)
        client_types.append(client_type)
        amount = budgets.get(pid)
        has_budget.append(amount is not None)
        current.append(amount if amount is not None else 0)
        if on_progress and count % CHUNK == 0:
            on_progress(count, total)
    choices, missing = engine.encode_many(scheme, answers)
    population = Population(
        person_ids=np.asarray(person_ids, dtype=np.int64),
        refs=refs,
        teams=teams,
        choices=choices,
        missing=missing,
        current_pence=np.asarray(current, dtype=np.int64),
        has_budget=np.asarray(has_budget, dtype=bool),
        ages=np.asarray(ages, dtype=np.int32),
        support_reasons=psrs,
        client_types=client_types,
        kind=kind,
        _answers=answers,
    )
    population.groups = groups.arrays()
    population.unable_masks = unable_masks(scheme, kind, population.person_ids)
    if on_progress:
        on_progress(total, total)
    return population


def unable_masks(scheme, kind: str, person_ids: np.ndarray) -> np.ndarray:
    """Each person's eligibility decision as a bitmask of the outcomes found unmet (a carer's
    health at risk counts as `carer_health`), in the order of `person_ids`."""
    from .domain.definition import decided_unable

    found = {}
    rows = current_eligible(kind).values_list(
        "person_id", "eligibility__unable_outcomes", "eligibility__health_at_risk"
    )
    for pid, unable, health in rows.iterator(chunk_size=CHUNK):
        found[pid] = engine.unable_mask(scheme, decided_unable(kind, unable, health_at_risk=health))
    return np.fromiter((found.get(int(pid), 0) for pid in person_ids), dtype=np.int32)
