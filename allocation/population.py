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
SEX_LABELS = dict(codes.SEXES)
PSR_LABELS = dict(codes.PRIMARY_SUPPORT_REASONS)
ETHNIC_BROAD = sorted(set(codes.ETHNIC_GROUP_BROAD.values()))
CLIENT_GROUPS = [
    "Older people",
    "Physical disability",
    "Sensory impairment",
    "Learning disability",
    "Mental health",
    "Dementia, memory and cognition",
    "Other",
]


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
            "person__primary_support_reason",
            "person__date_of_birth",
            "person__sex",
            "person__ethnicity",
            "person__has_dementia",
        )
    )
    total = rows.count()
    # Current budgets for the same period as the version (never compare across periods).
    budgets = dict(
        PersonalBudget.objects.current()
        .filter(person__date_of_death__isnull=True, period=scheme.definition.period)
        .values_list("person_id", "amount_pence")
    )
    person_ids, refs, teams, answers = [], [], [], []
    psr_codes = {code: i for i, (code, _) in enumerate(codes.PRIMARY_SUPPORT_REASONS)}
    sex_codes = {code: i for i, (code, _) in enumerate(codes.SEXES)}
    broad_codes = {label: i for i, label in enumerate(ETHNIC_BROAD)}
    band_codes = {band: i for i, band in enumerate([*domain.AGE_BAND_CODES, "under 18"])}
    client_codes = {label: i for i, label in enumerate(CLIENT_GROUPS)}
    psr, sex, ethnic, band, dementia, client, current, has_budget = ([] for _ in range(8))
    for count, (pid, ans, ref, team, p, born, s, e, dem) in enumerate(
        rows.iterator(chunk_size=CHUNK), 1
    ):
        person_ids.append(pid)
        refs.append(ref)
        teams.append(team or "")
        answers.append(ans)
        age = domain.age_on(born, today)
        psr.append(psr_codes.get(p, psr_codes["unknown"]))
        sex.append(sex_codes.get(s, 0))
        ethnic.append(broad_codes[codes.ETHNIC_GROUP_BROAD.get(e, "Not stated")])
        band.append(band_codes[domain.age_band(age)])
        dementia.append(1 if dem else 0)
        client.append(client_codes[domain.client_group(p, age, dem)])
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
    )
    population.groups = {
        "Primary support reason": (
            np.asarray(psr, dtype=np.int16),
            [label for _, label in codes.PRIMARY_SUPPORT_REASONS],
        ),
        "Age band": (np.asarray(band, dtype=np.int16), [*domain.AGE_BAND_CODES, "under 18"]),
        "Sex": (np.asarray(sex, dtype=np.int16), [label for _, label in codes.SEXES]),
        "Ethnic group": (np.asarray(ethnic, dtype=np.int16), ETHNIC_BROAD),
        "Dementia": (np.asarray(dementia, dtype=np.int16), ["No dementia", "Dementia"]),
        "Client group": (np.asarray(client, dtype=np.int16), CLIENT_GROUPS),
    }
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
