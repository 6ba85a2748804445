"""The caseload a RAS version is modelled over, read from the database as arrays.

"Current eligible people": alive, with a current completed assessment of the scheme's
kind whose eligibility decision found them eligible. Their answers are encoded for the
engine (tolerantly: answers to questions the version no longer asks are ignored, and
questions the person was never asked count as no points), together with the groups the
equality breakdown needs, the cost of the support they have now, and the outcomes their
decision found unmet (so that only eligible needs count).
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

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

    def add(self, value) -> None:
        code = self.index.get(value)
        if code is None:
            if self.sort is None:
                code = self.index[self.fallback]
            else:
                code = self.index[value] = len(self.labels)
                self.labels.append(value)
        self.codes.append(code)

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

    def arrays(self) -> dict[str, tuple[np.ndarray, list[str]]]:
        return {name: column.array() for name, column in self.columns.items()}


@dataclass
class Population:
    person_ids: np.ndarray
    answers: list[dict]
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
    # What a version with money tables by group chooses each person's table by, from their
    # record: {"age" (on the day of the run), "primary_support_reason", "client_type"}.
    details: list[dict] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.person_ids)


def current_eligible(kind: str):
    return Assessment.objects.filter(
        kind=kind,
        is_current=True,
        status=Assessment.Status.COMPLETED,
        eligibility__eligible=True,
        person__date_of_death__isnull=True,
    )


def load(version, *, on_progress=None, today: dt.date | None = None) -> Population:
    """Everyone the version would cover, with their answers encoded against it."""
    scheme = version.compiled
    today = today or timezone.localdate()
    rows = (
        current_eligible(version.scheme.kind)
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
    # Current budgets for the same period as the version (never compare across periods).
    budgets = dict(
        PersonalBudget.objects.current()
        .filter(person__date_of_death__isnull=True, period=scheme.definition.period)
        .values_list("person_id", "amount_pence")
    )
    person_ids, refs, teams, answers, details = [], [], [], [], []
    groups = _Groups(today)
    current, has_budget = [], []
    for count, (pid, ans, ref, team, *person) in enumerate(rows.iterator(chunk_size=CHUNK), 1):
        person_ids.append(pid)
        refs.append(ref)
        teams.append(team or "")
        answers.append(ans)
        groups.add(person)
        psr, client_type, born = person[:3]
        details.append(
            {
                "age": domain.age_on(born, today),
                "primary_support_reason": psr,
                "client_type": client_type,
            }
        )
        amount = budgets.get(pid)
        has_budget.append(amount is not None)
        current.append(amount if amount is not None else 0)
        if on_progress and count % CHUNK == 0:
            on_progress(count, total)
    choices, missing = engine.encode_many(scheme, answers)
    population = Population(
        person_ids=np.asarray(person_ids, dtype=np.int64),
        answers=answers,
        refs=refs,
        teams=teams,
        choices=choices,
        missing=missing,
        current_pence=np.asarray(current, dtype=np.int64),
        has_budget=np.asarray(has_budget, dtype=bool),
        details=details,
    )
    population.groups = groups.arrays()
    population.unable_masks = unable_masks(scheme, version.scheme.kind, population.person_ids)
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
