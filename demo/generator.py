"""A synthetic council, deterministic from a seed: teams, staff and people (DESIGN.md §6).

Mixes follow England's adult social care long-term support: about two thirds aged 65+,
primary support reasons led by physical support, then learning disability, mental
health, memory and cognition. Every person is made up. NHS numbers are from the
999 range the NHS keeps for testing, with a valid check digit; phone numbers are
from Ofcom's drama ranges; emails are at example.com.

No Django imports: the command that loads this into the database lives in
management/commands/seed_demo.py.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

import numpy as np

from allocation.domain import definition as ras
from people.domain import age_on

from . import names, needs, support
from .draws import pick as _pick

SCHEMES = Path(__file__).resolve().parent.parent / "allocation" / "schemes"

# The assessments are handed over this many people at a time (council_in_stages).
ASSESSED_AT_A_TIME = 10_000

# The date the demo council is generated "as of", so the same seed always gives
# the same people whatever day it runs.
AS_OF = dt.date(2026, 4, 1)

LOCALITIES = [
    # (name, town, postcode districts)
    ("Wexcombe Central", "Wexcombe", [1, 2, 3, 4, 5]),
    ("Northmoor", "Northmoor", [6, 7, 8]),
    ("Eastbridge", "Eastbridge", [9, 10, 11, 12]),
    ("Southvale", "Southvale", [13, 14]),
    ("Westford", "Westford", [15, 16, 17]),
    ("Hollins Marsh", "Hollins Marsh", [18]),  # rural and thinly served
]
COUNTY_TEAMS = [
    ("Learning Disability Team", "learning-disability", "The whole council"),
    ("Mental Health Team", "mental-health", "The whole council (with the NHS trust)"),
    ("Hospital Social Work Team", "hospital", "Wexcombe General Hospital"),
    ("Transitions Team", "transitions", "Young people moving from children's services"),
]
LOCALITY_WEIGHTS = [30, 16, 20, 10, 17, 7]
LOCALITY_MIX = list(zip(range(len(LOCALITIES)), LOCALITY_WEIGHTS, strict=True))

# Age mix of people on long-term support: (low, high, share).
AGE_MIX = [
    (18, 25, 0.05),
    (25, 45, 0.12),
    (45, 65, 0.17),
    (65, 75, 0.16),
    (75, 85, 0.25),
    (85, 101, 0.25),
]
AGE_BANDS = [((low, high), share) for low, high, share in AGE_MIX]

PSR_WORKING_AGE = [
    ("learning_disability", 0.42),
    ("mental_health", 0.22),
    ("physical_personal_care", 0.22),
    ("physical_access_mobility", 0.04),
    ("sensory_visual", 0.01),
    ("sensory_hearing", 0.01),
    ("sensory_dual", 0.005),
    ("memory_cognition", 0.015),
    ("social_substance_misuse", 0.02),
    ("social_asylum_seeker", 0.005),
    ("social_isolation_other", 0.03),
    ("unknown", 0.01),
]
PSR_OLDER = [
    ("physical_personal_care", 0.58),
    ("physical_access_mobility", 0.07),
    ("memory_cognition", 0.21),
    ("mental_health", 0.05),
    ("learning_disability", 0.03),
    ("sensory_visual", 0.02),
    ("sensory_hearing", 0.01),
    ("sensory_dual", 0.005),
    ("social_isolation_other", 0.01),
    ("unknown", 0.015),
]
ETHNICITY_MIX = [
    ("white_british", 0.80),
    ("white_irish", 0.015),
    ("white_gypsy_traveller", 0.002),
    ("white_roma", 0.001),
    ("white_other", 0.035),
    ("mixed_white_black_caribbean", 0.005),
    ("mixed_white_black_african", 0.002),
    ("mixed_white_asian", 0.004),
    ("mixed_other", 0.004),
    ("asian_indian", 0.025),
    ("asian_pakistani", 0.02),
    ("asian_bangladeshi", 0.008),
    ("asian_chinese", 0.004),
    ("asian_other", 0.008),
    ("black_african", 0.014),
    ("black_caribbean", 0.012),
    ("black_other", 0.004),
    ("other_arab", 0.003),
    ("other_any", 0.004),
    ("not_stated", 0.025),
]
HERITAGE = {
    "white_british": "british",
    "white_irish": "irish",
    "white_gypsy_traveller": "british",
    "white_roma": "european",
    "white_other": "european",
    "asian_indian": "south_asian",
    "asian_pakistani": "south_asian",
    "asian_bangladeshi": "south_asian",
    "asian_other": "south_asian",
    "asian_chinese": "east_asian",
    "black_african": "black",
    "black_caribbean": "black",
    "black_other": "black",
    "mixed_white_black_caribbean": "british",
    "mixed_white_black_african": "british",
    "mixed_white_asian": "british",
    "mixed_other": "british",
    "other_arab": "arab",
    "other_any": "british",
    "not_stated": "british",
}
CAPACITY_LEARNING_DISABILITY = [
    ("lacks_capacity", 0.35),
    ("has_capacity", 0.45),
    ("fluctuating", 0.1),
    ("not_assessed", 0.1),
]
CAPACITY_DEMENTIA = [
    ("lacks_capacity", 0.45),
    ("has_capacity", 0.25),
    ("fluctuating", 0.2),
    ("not_assessed", 0.1),
]
CAPACITY_OTHERWISE = [("has_capacity", 0.85), ("fluctuating", 0.05), ("not_assessed", 0.1)]
GENDER_IDENTITY_MIX = [
    ("same", 0.82),
    ("different", 0.004),
    ("prefer_not_to_say", 0.016),
    ("not_asked", 0.16),
]
PREGNANCY_MIX = [("pregnant", 0.012), ("maternity", 0.01), ("neither", 0.978)]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STAFF_FIRST = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Priya",
    "Tom",
    "Aisha",
    "Hannah",
    "Owen",
    "Ruth",
    "Femi",
    "Kate",
    "Dan",
    "Nadia",
    "Rob",
    "Beth",
]
STAFF_LAST = [
    "Ashworth",
    "Bello",
    "Carver",
    "Dunn",
    "Ellery",
    "Fenwick",
    "Goddard",
    "Hale",
    "Iqbal",
    "Jarvis",
    "Kaur",
    "Lowe",
    "Mensah",
    "Nolan",
    "Osei",
    "Pryce",
]


@dataclass
class DemoCouncil:
    teams: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)
    representatives: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    # Keyed by the person's index in `people` (carers are people too, added at the end).
    assessments: list[dict] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)
    # Agreed support (demo/support.py): one entry of `support` per budget, in order.
    support: list[dict] = field(default_factory=list)
    carer_budgets: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    reablement: list[dict] = field(default_factory=list)
    # Each assessment's answers as the index of each option chosen, a byte a question in the
    # scheme's order (what allocation.population packs), made with them; not compared.
    choices: list[bytes] = field(default_factory=list)


def default_definition(kind: str) -> ras.Definition:
    return ras.parse(json.loads((SCHEMES / f"default_{kind}.json").read_text()))


def _nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """Distinct test-range NHS numbers (999 then six digits then the check digit).

    The check digits are worked out for all the candidates at once (people.domain's
    nhs_check_digit, in numpy): the same numbers, in the same order."""
    space = 10**6
    wanted = min(count, 900_000)
    candidates = np.array(rng.sample(range(space), min(space, int(wanted * 1.15) + 100)))
    digits = candidates[:, None] // 10 ** np.arange(5, -1, -1) % 10
    # Weights 10 to 2 on the nine digits: the leading 9, 9, 9 add 9 × (10 + 9 + 8).
    check = 11 - (9 * 27 + digits @ np.arange(7, 1, -1)) % 11
    check[check == 11] = 0
    valid = check != 10  # no valid number starts with these nine digits
    return [
        f"999{n:06d}{c}"
        for n, c in zip(
            candidates[valid][:wanted].tolist(), check[valid][:wanted].tolist(), strict=True
        )
    ]


def _birth_date(rng: random.Random) -> dt.date:
    low, high = _pick(rng, AGE_BANDS)
    age_days = rng.randrange(low * 365 + 1, high * 365 - 1)
    return AS_OF - dt.timedelta(days=age_days)


def _postcode(rng: random.Random, district: int) -> str:
    return f"WX{district} {rng.randint(1, 9)}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"


def build_teams() -> list[dict]:
    teams = []
    for locality, town, _districts in LOCALITIES:
        slug = locality.lower().replace(" ", "-")
        teams.append(
            {"name": f"{locality} Older People's Team", "code": f"{slug}-older", "area": town}
        )
        teams.append({"name": f"{locality} Adults Team", "code": f"{slug}-adults", "area": town})
    teams += [{"name": name, "code": code, "area": area} for name, code, area in COUNTY_TEAMS]
    return teams


def build_staff(rng: random.Random, teams: list[dict]) -> list[dict]:
    """Named demo logins first (one per role), then each team's practitioners and manager."""
    home_team = teams[0]["code"]  # Wexcombe Central Older People's Team
    staff = [
        {
            "username": "practitioner",
            "first_name": "Pat",
            "last_name": "Okoro",
            "role": "practitioner",
            "team": home_team,
            "job_title": "Social worker",
        },
        {
            "username": "approver",
            "first_name": "Ann",
            "last_name": "Pemberton",
            "role": "approver",
            "team": home_team,
            "job_title": "Team manager",
        },
        {
            "username": "finance",
            "first_name": "Faisal",
            "last_name": "Nazir",
            "role": "finance",
            "team": None,
            "job_title": "Finance officer",
        },
        {
            "username": "commissioner",
            "first_name": "Corinne",
            "last_name": "Marsh",
            "role": "commissioner",
            "team": None,
            "job_title": "Commissioning manager",
        },
        {
            "username": "provider",
            "first_name": "Priya",
            "last_name": "Dhillon",
            "role": "provider",
            "team": None,
            "job_title": "Registered manager, Brookside Home Care",
        },
        {
            "username": "admin",
            "first_name": "Adam",
            "last_name": "Idris",
            "role": "admin",
            "team": None,
            "job_title": "System administrator",
        },
    ]
    for team in teams:
        for i in range(6):
            staff.append(
                {
                    "username": f"{team['code']}-sw{i + 1}",
                    "first_name": rng.choice(STAFF_FIRST),
                    "last_name": rng.choice(STAFF_LAST),
                    "role": "practitioner",
                    "team": team["code"],
                    "job_title": "Social worker",
                }
            )
        staff.append(
            {
                "username": f"{team['code']}-manager",
                "first_name": rng.choice(STAFF_FIRST),
                "last_name": rng.choice(STAFF_LAST),
                "role": "approver",
                "team": team["code"],
                "job_title": "Team manager",
            }
        )
    for i in range(3):
        staff.append(
            {
                "username": f"finance-{i + 1}",
                "first_name": rng.choice(STAFF_FIRST),
                "last_name": rng.choice(STAFF_LAST),
                "role": "finance",
                "team": None,
                "job_title": "Finance officer",
            }
        )
    return staff


def _team_for(rng, age: int, psr: str, locality: str) -> str:
    slug = locality.lower().replace(" ", "-")
    if age >= 65:
        return "hospital" if rng.random() < 0.04 else f"{slug}-older"
    if psr == "learning_disability":
        return "transitions" if age < 25 and rng.random() < 0.5 else "learning-disability"
    if psr == "mental_health":
        return "mental-health"
    return f"{slug}-adults"


def build_person(rng: random.Random, index: int, nhs_number: str | None) -> dict:
    born = _birth_date(rng)
    age = (AS_OF - born).days // 365
    older = age >= 65
    sex = "female" if rng.random() < (0.62 if older else 0.46) else "male"
    if rng.random() < 0.003:
        sex = "not_known"
    psr = _pick(rng, PSR_OLDER if older else PSR_WORKING_AGE)
    if psr == "memory_cognition":
        dementia = rng.random() < 0.9
    else:
        dementia = rng.random() < (0.12 if older else 0.01)
    ethnicity = _pick(rng, ETHNICITY_MIX)
    heritage = HERITAGE[ethnicity]
    name_sex = sex if sex != "not_known" else rng.choice(["female", "male"])
    if heritage in names.FIRST_NAMES_BY_HERITAGE and rng.random() < 0.8:
        first = rng.choice(names.FIRST_NAMES_BY_HERITAGE[heritage][name_sex])
    else:
        first = rng.choice(names.FIRST_NAMES[(name_sex, "older" if age >= 60 else "younger")])
    last = rng.choice(
        names.LAST_NAMES[heritage]
        if heritage in names.LAST_NAMES and rng.random() < 0.85
        else names.LAST_NAMES["british"]
    )
    locality_index = _pick(rng, LOCALITY_MIX)
    locality, town, districts = LOCALITIES[locality_index]
    if psr == "learning_disability":
        capacity = _pick(rng, CAPACITY_LEARNING_DISABILITY)
    elif dementia:
        capacity = _pick(rng, CAPACITY_DEMENTIA)
    else:
        capacity = _pick(rng, CAPACITY_OTHERWISE)
    died = None
    if rng.random() < 0.02:
        died = AS_OF - dt.timedelta(days=rng.randrange(1, 300))
    phone = (
        f"01632 960{rng.randrange(0, 1000):03d}"
        if rng.random() < 0.7
        else f"07700 900{rng.randrange(0, 1000):03d}"
    )
    email = (
        f"{first.lower()}.{last.lower().replace(chr(39), '')}{rng.randrange(1, 99)}@example.com"
        if rng.random() < (0.25 if older else 0.55)
        else ""
    )
    return {
        "council_person_id": f"WX{index:07d}",
        "nhs_number": nhs_number,
        "title": ""
        if rng.random() < 0.4
        else (
            "Mrs"
            if sex == "female" and older
            else "Ms"
            if sex == "female"
            else "Mr"
            if sex == "male"
            else ""
        ),
        "first_name": first,
        "middle_names": rng.choice(
            names.FIRST_NAMES[(name_sex, "older" if age >= 60 else "younger")]
        )
        if rng.random() < 0.35
        else "",
        "last_name": last,
        "preferred_name": "",
        "date_of_birth": born,
        "date_of_death": died,
        "sex": sex,
        "gender_identity": _pick(rng, GENDER_IDENTITY_MIX),
        "ethnicity": ethnicity,
        "primary_support_reason": psr,
        "client_type": "service_user",
        "has_dementia": dementia,
        # Which kind (visual, hearing or both) is settled with the other equality details
        # in _monitoring, from a random stream of its own.
        "_sensory": psr.startswith("sensory") or rng.random() < (0.1 if older else 0.03),
        "has_autism": (rng.random() < 0.3)
        if psr == "learning_disability"
        else (rng.random() < 0.01),
        "has_unpaid_carer": rng.random() < (0.5 if older else 0.4),
        "capacity": capacity,
        "team": _team_for(rng, age, psr, locality),
        "address_line_1": f"{rng.randint(1, 180)} {rng.choice(names.STREET_NAMES)} {rng.choice(names.STREET_TYPES)}",
        "address_line_2": "",
        "town": town,
        "postcode": _postcode(rng, rng.choice(districts)),
        "phone": phone,
        "email": email,
        "preferred_contact": "email"
        if email and rng.random() < 0.5
        else rng.choice(["phone", "letter"]),
    }


def build_council(people: int, seed: int, on_person=None) -> DemoCouncil:
    """The whole council. Same (people, seed) gives the same council, field for field.

    `on_person` is called once per person made, for a progress bar.
    """
    *_before, (_stage, council) = council_in_stages(people, seed, on_person)
    return council


def council_in_stages(people: int, seed: int, on_person=None):
    """`build_council`, handed over as each part is done, so that a loader can write one part
    while the next is made (demo/actions.py). Yields (stage, council), the same council:

    - "people": the teams, staff, representatives and the people cared for, complete;
    - "assessing", as the assessments are made: the assessments so far (those made are
      complete; budgets and carers may still be added);
    - "assessed": everyone's assessment and the eligible people's budgets, and the carers
      known to the council (added at the end of `council.people`, complete too);
    - "complete": the agreed support (demo/support.py).
    """
    rng = random.Random(seed)
    council = DemoCouncil()
    council.teams = build_teams()
    council.staff = build_staff(rng, council.teams)
    nhs_numbers = _nhs_numbers(rng, people)
    for index in range(people):
        # About 4% have no traced NHS number, as in real returns.
        number = nhs_numbers[index] if index < len(nhs_numbers) and rng.random() > 0.04 else None
        council.people.append(build_person(rng, index + 1, number))
        if on_person:
            on_person()
    _link_demo_people(rng, council)
    # The equality details come from a stream of their own, so adding them changed no other
    # value the seed gives. They take nothing from the assessments, nor the assessments from
    # them: the people cared for get theirs now and the carers theirs once made, the same
    # draws in the same order as when they were all done after the assessments.
    equality = random.Random(f"equality:{seed}")
    _monitoring(equality, council.people)
    yield "people", council
    cared_for = len(council.people)
    for _pause in _assess(rng, council):
        yield "assessing", council
    _monitoring(equality, council.people[cared_for:])
    yield "assessed", council
    # Agreed support, reviews and reablement: a stream of their own too (demo/support.py).
    support.build_support(council, seed, AS_OF)
    yield "complete", council


# Equality monitoring, near the 2021 Census for England and Wales (ONS) among people asked,
# with the gaps real records have: many people are never asked, more so those who lack
# capacity, and some prefer not to say.
RELIGION_BY_HERITAGE = {
    "asian_pakistani": [("muslim", 0.92), ("no_religion", 0.04), ("other", 0.04)],
    "asian_bangladeshi": [("muslim", 0.92), ("no_religion", 0.04), ("other", 0.04)],
    "asian_indian": [
        ("hindu", 0.45),
        ("sikh", 0.22),
        ("muslim", 0.14),
        ("christian", 0.08),
        ("no_religion", 0.08),
        ("other", 0.03),
    ],
    "black_african": [("christian", 0.66), ("muslim", 0.22), ("no_religion", 0.1), ("other", 0.02)],
    "black_caribbean": [("christian", 0.66), ("no_religion", 0.3), ("other", 0.04)],
    "other_arab": [("muslim", 0.85), ("christian", 0.08), ("no_religion", 0.07)],
}
RELIGION_OLDER = [
    ("christian", 0.66),
    ("no_religion", 0.27),
    ("jewish", 0.01),
    ("buddhist", 0.005),
    ("muslim", 0.02),
    ("hindu", 0.01),
    ("sikh", 0.005),
    ("other", 0.02),
]
RELIGION_YOUNGER = [
    ("christian", 0.38),
    ("no_religion", 0.52),
    ("jewish", 0.005),
    ("buddhist", 0.008),
    ("muslim", 0.04),
    ("hindu", 0.012),
    ("sikh", 0.005),
    ("other", 0.02),
]
ORIENTATION_BY_AGE = [  # (up to age, mix among people who answered)
    (45, [("straight", 0.935), ("gay_lesbian", 0.025), ("bisexual", 0.033), ("other", 0.007)]),
    (65, [("straight", 0.968), ("gay_lesbian", 0.02), ("bisexual", 0.009), ("other", 0.003)]),
    (200, [("straight", 0.988), ("gay_lesbian", 0.008), ("bisexual", 0.003), ("other", 0.001)]),
]
PARTNERSHIP_BY_AGE = [
    (
        45,
        [
            ("never", 0.62),
            ("married", 0.25),
            ("civil_partnership", 0.004),
            ("separated_married", 0.03),
            ("divorced", 0.085),
            ("widowed", 0.006),
            ("dissolved", 0.001),
        ],
    ),
    (
        65,
        [
            ("never", 0.3),
            ("married", 0.4),
            ("civil_partnership", 0.005),
            ("separated_married", 0.04),
            ("separated_civil_partnership", 0.001),
            ("divorced", 0.2),
            ("dissolved", 0.002),
            ("widowed", 0.04),
        ],
    ),
    (
        85,
        [
            ("never", 0.07),
            ("married", 0.45),
            ("civil_partnership", 0.003),
            ("separated_married", 0.02),
            ("divorced", 0.15),
            ("widowed", 0.3),
            ("surviving_civil_partner", 0.001),
        ],
    ),
    (
        200,
        [
            ("never", 0.05),
            ("married", 0.22),
            ("divorced", 0.07),
            ("widowed", 0.65),
            ("surviving_civil_partner", 0.002),
        ],
    ),
]
PARTNERSHIP_LEARNING_DISABILITY = [
    ("never", 0.93),
    ("married", 0.03),
    ("divorced", 0.02),
    ("separated_married", 0.01),
    ("widowed", 0.01),
]


SENSORY_BY_REASON = {
    "sensory_visual": (True, False),
    "sensory_hearing": (False, True),
    "sensory_dual": (True, True),
}
# (visual, hearing) for anyone else with a sensory impairment: hearing loss is the commoner
# in later life.
SENSORY_OTHERWISE = [(True, False), (False, True), (True, True)]
SENSORY_OTHERWISE_MIX = list(zip(SENSORY_OTHERWISE, [0.35, 0.5, 0.15], strict=True))


def _by_age(table, age):
    return next(mix for limit, mix in table if age < limit)


def _answered(eq: random.Random, person: dict, not_asked: float) -> str | None:
    """None to go on and pick an answer; otherwise "not_asked" or "prefer_not_to_say"."""
    if person["capacity"] == "lacks_capacity":
        not_asked = min(0.9, not_asked * 2)
    roll = eq.random()
    if roll < not_asked:
        return "not_asked"
    if roll < not_asked + 0.04:
        return "prefer_not_to_say"
    return None


def _monitoring(eq: random.Random, people: list[dict]) -> None:
    """Each person's other protected characteristics, and which sensory impairment they have."""
    for person in people:
        age = age_on(person["date_of_birth"], AS_OF)
        visual = hearing = False
        if person.pop("_sensory", False):
            visual, hearing = SENSORY_BY_REASON.get(person["primary_support_reason"]) or _pick(
                eq, SENSORY_OTHERWISE_MIX
            )
        person.setdefault("has_visual_impairment", visual)
        person.setdefault("has_hearing_impairment", hearing)
        person["religion"] = _answered(eq, person, 0.25) or _pick(
            eq,
            RELIGION_BY_HERITAGE.get(
                person["ethnicity"], RELIGION_OLDER if age >= 65 else RELIGION_YOUNGER
            ),
        )
        person["sexual_orientation"] = _answered(eq, person, 0.35) or _pick(
            eq, _by_age(ORIENTATION_BY_AGE, age)
        )
        person["legal_partnership_status"] = _answered(eq, person, 0.15) or _pick(
            eq,
            PARTNERSHIP_LEARNING_DISABILITY
            if person["primary_support_reason"] == "learning_disability"
            else _by_age(PARTNERSHIP_BY_AGE, age),
        )
        if person["sex"] == "female" and age < 50:
            person["pregnancy_maternity"] = _answered(eq, person, 0.45) or _pick(eq, PREGNANCY_MIX)
        else:
            person["pregnancy_maternity"] = "neither" if eq.random() < 0.2 else "not_asked"


# Which answers show that a person cannot achieve each Care Act outcome: (question, lowest option).
OUTCOME_EVIDENCE = {
    "nutrition": [("eat_prepare", 2), ("eat_eating", 1)],
    "hygiene": [("pc_washing", 2)],
    "toilet": [("pc_toilet", 2)],
    "clothing": [("pc_dressing", 2)],
    "home_safety": [("home_safety", 1), ("pc_moving", 2), ("safe_supervision", 2)],
    "habitable_home": [("home_cleaning", 2), ("home_laundry", 2)],
    "relationships": [("soc_contact", 2), ("soc_lonely", 2), ("comm_understand", 2)],
    "work_learning": [("wl_work", 2), ("wl_learning", 2)],
    "community": [("soc_out", 1), ("soc_activities", 2), ("comm_sensory", 2)],
    "caring_for_child": [("care_child", 1)],
}


def unable_outcomes(definition: ras.Definition, answers: dict, positions=None) -> list[str]:
    """The outcomes the answers show the person cannot achieve. `positions` ({question:
    {option: index}}) may be given to save working it out for every person."""
    positions = positions or option_positions(definition)
    return [
        outcome
        for outcome, evidence in OUTCOME_EVIDENCE.items()
        if any(positions[code][answers[code]] >= lowest for code, lowest in evidence)
    ]


def _unable(definition: ras.Definition, choices: np.ndarray) -> np.ndarray:
    """For each person (a row of option indexes, in the scheme's question order) and each
    outcome of OUTCOME_EVIDENCE, whether the answers show they cannot achieve it: what
    `unable_outcomes` works out, for everyone at once."""
    column = {q.code: i for i, q in enumerate(definition.questions)}
    found = np.zeros((len(choices), len(OUTCOME_EVIDENCE)), dtype=bool)
    for o, evidence in enumerate(OUTCOME_EVIDENCE.values()):
        for code, lowest in evidence:
            found[:, o] |= choices[:, column[code]] >= lowest
    return found


def option_positions(definition: ras.Definition) -> dict[str, dict[str, int]]:
    return {q.code: {o.code: i for i, o in enumerate(q.options)} for q in definition.questions}


def _assess(rng: random.Random, council: DemoCouncil, every: int | None = None):
    """Everyone has a completed needs assessment; eligible people have a current budget;
    some unpaid carers are known to the council and have had a carer's assessment.

    Everyone's needs and answers are drawn at once, as columns (numpy, from a generator seeded
    from `rng`); the assessments, budgets and packages are then made a person at a time.
    A generator: it pauses after each `every` people assessed, so the assessments made so
    far can be written while the next are made (the draws do not depend on `every`)."""
    every = every or ASSESSED_AT_A_TIME
    person_scheme, carer_scheme = default_definition("person"), default_definition("carer")
    people = council.people  # the people cared for: the carers are added after them
    count = len(people)
    draw = np.random.default_rng(rng.getrandbits(128))
    ages = np.array([age_on(p["date_of_birth"], AS_OF) for p in people], dtype=np.int64)
    ages = ages.reshape(count)
    profiles = needs.needs_of(draw, people, ages)
    choices = needs.person_choices(draw, person_scheme, people, profiles)
    unable_found = _unable(person_scheme, choices)
    eligible_all = (unable_found.sum(axis=1) >= 2).tolist()
    days_before = draw.integers(20, 540, count).tolist()
    supported = (draw.random(count) < 0.8).tolist()
    days_after = draw.integers(7, 60, count).tolist()
    carer_known = (draw.random(count) < 0.12).tolist()
    outcomes = list(OUTCOME_EVIDENCE)
    ages_list = ages.tolist()
    carers = []
    for start in range(0, count, every):
        if start:
            yield
        end = min(count, start + every)
        answers_made = needs.answers_of(person_scheme, choices[start:end])
        council.choices.extend(row.tobytes() for row in choices[start:end])
        unable_made = [list(compress(outcomes, row)) for row in unable_found[start:end].tolist()]
        for index in range(start, end):
            person = people[index]
            eligible = eligible_all[index]
            completed = AS_OF - dt.timedelta(days=days_before[index])
            council.assessments.append(
                {
                    "person": index,
                    "kind": "person",
                    "mode": "supported" if supported[index] else "self",
                    "answers": answers_made[index - start],
                    "completed": completed,
                    "eligible": eligible,
                    "unable": unable_made[index - start],
                }
            )
            if eligible and person["date_of_death"] is None:
                # The package the council arranged: services × units × rates, from the
                # person's needs, support reason and age, never from the RAS (demo/needs.py).
                package = needs.current_package(rng, person, ages_list[index], profiles.of(index))
                council.budgets.append(
                    {
                        "person": index,
                        "weekly_pence": needs.package_weekly_pence(package),
                        "services": package,
                        "start_date": completed + dt.timedelta(days=days_after[index]),
                    }
                )
                if person["has_unpaid_carer"] and carer_known[index]:
                    carers.append(index)
    carer_positions = option_positions(carer_scheme)
    for cared_for in carers:
        carer = _carer_for(rng, council.people[cared_for], len(council.people) + 1)
        council.people.append(carer)
        answers = needs.carer_answers(rng, carer_scheme)
        council.choices.append(bytes(carer_positions[code][answers[code]] for code in answers))
        strained = [
            code for code in ("wb_health", "life_breaks") if answers[code] not in ("no", "month")
        ]
        council.assessments.append(
            {
                "person": len(council.people) - 1,
                "kind": "carer",
                "mode": "supported",
                "answers": answers,
                "completed": AS_OF - dt.timedelta(days=rng.randrange(20, 400)),
                "eligible": bool(strained),
                "unable": ["recreation"] if "life_breaks" in strained else [],
                "cared_for": cared_for,
                "health_at_risk": "wb_health" in strained,
            }
        )


def _carer_for(rng: random.Random, cared_for: dict, index: int) -> dict:
    """A family carer: same surname and address, an adult, known to the same team."""
    sex = "female" if rng.random() < 0.6 else "male"
    born = AS_OF - dt.timedelta(days=rng.randrange(35 * 365, 80 * 365))
    generation = "older" if (AS_OF - born).days >= 60 * 365 else "younger"
    return {
        **{
            key: cared_for[key]
            for key in ("last_name", "team", "address_line_1", "town", "postcode", "ethnicity")
        },
        "council_person_id": f"WX{index:07d}",
        "nhs_number": None,
        "title": "",
        "first_name": rng.choice(names.FIRST_NAMES[(sex, generation)]),
        "middle_names": "",
        "preferred_name": "",
        "date_of_birth": born,
        "date_of_death": None,
        "sex": sex,
        "gender_identity": "not_asked",
        # A carer is a client type, not a support reason (Client Level Data): a carer's own
        # record has none.
        "client_type": "carer",
        "primary_support_reason": "",
        "has_dementia": False,
        "has_visual_impairment": False,
        "has_hearing_impairment": False,
        "has_autism": False,
        "has_unpaid_carer": False,
        "capacity": "has_capacity",
        "address_line_2": "",
        "phone": f"07700 900{rng.randrange(0, 1000):03d}",
        "email": "",
        "preferred_contact": "phone",
    }


def _link_demo_people(rng: random.Random, council: DemoCouncil) -> None:
    """Give people who lack capacity a representative, and the demo logins someone to see."""
    home_team = council.teams[0]["code"]
    rep_index = 0
    for person in council.people:
        if person["capacity"] == "lacks_capacity" and rng.random() < 0.6:
            rep_index += 1
            relation = rng.choice(
                [
                    "Daughter",
                    "Son",
                    "Wife",
                    "Husband",
                    "Sister",
                    "Brother",
                    "Niece",
                    "Deputy (Court of Protection)",
                ]
            )
            person["representative"] = f"rep-{rep_index}"
            person["representative_relationship"] = relation
            council.representatives.append(
                {
                    "username": f"rep-{rep_index}",
                    "first_name": rng.choice(
                        names.FIRST_NAMES[("female" if rng.random() < 0.6 else "male", "younger")]
                    ),
                    "last_name": person["last_name"]
                    if relation != "Deputy (Court of Protection)"
                    else rng.choice(STAFF_LAST),
                    "role": "representative",
                }
            )
    # The demo `person` login: someone alive, on the practitioner's caseload, who manages their own affairs.
    candidates = [
        p
        for p in council.people
        if p["team"] == home_team
        and p["date_of_death"] is None
        and p["capacity"] == "has_capacity"
        and not p.get("representative")
    ]
    if not candidates and council.people:  # a tiny council: move someone onto the caseload
        chosen = council.people[0]
        chosen.update(team=home_team, date_of_death=None, capacity="has_capacity")
        chosen.pop("representative", None)
        chosen.pop("representative_relationship", None)
        candidates = [chosen]
    if candidates:
        candidates[0]["login"] = "person"
    # The demo `representative` login: represents someone on the same caseload.
    for person in council.people:
        if (
            person["team"] == home_team
            and person.get("representative")
            and person["date_of_death"] is None
        ):
            for rep in council.representatives:
                if rep["username"] == person["representative"]:
                    rep["username"] = "representative"
            person["representative"] = "representative"
            break
