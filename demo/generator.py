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


def _mix(weighted: list[tuple], roll: np.ndarray) -> np.ndarray:
    """Each draw's value from a mix of (value, weight), as `draws.pick` gives one (an object
    array of the values themselves)."""
    values = np.empty(len(weighted), dtype=object)
    values[:] = [value for value, _weight in weighted]
    cumulative = np.cumsum([weight for _value, weight in weighted], dtype=float)
    found = np.searchsorted(cumulative, roll * cumulative[-1], side="right")
    return values[np.minimum(found, len(weighted) - 1)]


def _choose(groups: np.ndarray, roll: np.ndarray, lists: dict) -> np.ndarray:
    """For each draw, an item of the list its group names (`lists[group]`), as `rng.choice`
    would choose it for the same draw."""
    chosen = np.empty(len(groups), dtype=object)
    for group in set(groups.tolist()):
        where = groups == group
        items = np.empty(len(lists[group]), dtype=object)
        items[:] = list(lists[group])
        chosen[where] = items[(roll[where] * len(items)).astype(np.intp)]
    return chosen


def _texts(values) -> np.ndarray:
    """An object array of these values (numpy would make a fixed-width text array)."""
    values = list(values)
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


_AS_OF_DAY = AS_OF.toordinal()
_LANDLINES = _texts(f"01632 960{n:03d}" for n in range(1000))  # Ofcom's drama numbers
_MOBILES = _texts(f"07700 900{n:03d}" for n in range(1000))
_GENERATIONS = {
    f"{sex}|{generation}": names.FIRST_NAMES[(sex, generation)]
    for sex in ("female", "male")
    for generation in ("older", "younger")
}
_BY_HERITAGE = {
    f"{sex}|{heritage}": by_sex[sex]
    for heritage, by_sex in names.FIRST_NAMES_BY_HERITAGE.items()
    for sex in ("female", "male")
}
PERSON_KEYS = (
    "council_person_id",
    "nhs_number",
    "title",
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "date_of_death",
    "sex",
    "gender_identity",
    "ethnicity",
    "primary_support_reason",
    "client_type",
    "has_dementia",
    "_sensory",
    "has_autism",
    "has_unpaid_carer",
    "capacity",
    "team",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "preferred_contact",
)


def build_people(draw: np.random.Generator, count: int, nhs_numbers: list[str]) -> list[dict]:
    """The people on long-term support, a column a field, drawn at once with numpy (one
    person at a time with `random.Random`, the draws and the string work were most of the
    cost of making the people); then a dict a person. The mixes are the module's: ages, sex
    by age, support reasons by age, dementia, ethnicity and names by heritage, localities,
    mental capacity, deaths in the last year, contact details."""
    u = draw.random((28, count))
    band = _mix(list(enumerate(share for _band, share in AGE_BANDS)), u[0]).astype(np.intp)
    low = np.array([low for (low, _high), _share in AGE_BANDS])[band]
    high = np.array([high for (_low, high), _share in AGE_BANDS])[band]
    age_days = low * 365 + 1 + (u[1] * ((high - low) * 365 - 2)).astype(np.int64)
    age = age_days // 365
    older = age >= 65
    sex = np.where(u[2] < np.where(older, 0.62, 0.46), "female", "male").astype(object)
    sex[u[3] < 0.003] = "not_known"
    psr = np.where(older, _mix(PSR_OLDER, u[4]), _mix(PSR_WORKING_AGE, u[4]))
    memory = psr == "memory_cognition"
    dementia = u[5] < np.where(memory, 0.9, np.where(older, 0.12, 0.01))
    ethnicity = _mix(ETHNICITY_MIX, u[6])
    heritage = _texts(HERITAGE[e] for e in ethnicity.tolist())
    name_sex = np.where(sex == "not_known", np.where(u[7] < 0.5, "female", "male"), sex)
    generation = name_sex + np.where(age >= 60, "|older", "|younger")
    own = np.isin(heritage, list(names.FIRST_NAMES_BY_HERITAGE)) & (u[8] < 0.8)
    first = _choose(generation, u[9], _GENERATIONS)
    first[own] = _choose((name_sex + "|" + heritage)[own], u[9][own], _BY_HERITAGE)
    surnames = np.where(
        np.isin(heritage, list(names.LAST_NAMES)) & (u[10] < 0.85), heritage, "british"
    )
    last = _choose(surnames, u[11], names.LAST_NAMES)
    locality = _mix(LOCALITY_MIX, u[12]).astype(np.intp)
    capacity = np.where(
        psr == "learning_disability",
        _mix(CAPACITY_LEARNING_DISABILITY, u[13]),
        np.where(dementia, _mix(CAPACITY_DEMENTIA, u[13]), _mix(CAPACITY_OTHERWISE, u[13])),
    )
    died = np.full(count, None, dtype=object)
    dead = u[14] < 0.02
    died[dead] = [
        dt.date.fromordinal(_AS_OF_DAY - 1 - days)
        for days in (u[15][dead] * 299).astype(np.int64).tolist()
    ]
    number = (u[16] * 1000).astype(np.intp)
    phone = np.where(u[17] < 0.7, _LANDLINES[number], _MOBILES[number])
    emailed = u[18] < np.where(older, 0.25, 0.55)
    email = np.full(count, "", dtype=object)
    email[emailed] = [
        f"{f.lower()}.{s.lower().replace(chr(39), '')}{n}@example.com"
        for f, s, n in zip(
            first[emailed].tolist(),
            last[emailed].tolist(),
            (1 + u[19][emailed] * 98).astype(np.int64).tolist(),
            strict=True,
        )
    ]
    title = np.where(
        u[20] < 0.4,
        "",
        np.where(sex == "female", np.where(older, "Mrs", "Ms"), np.where(sex == "male", "Mr", "")),
    ).astype(object)
    middle = np.where(u[21] < 0.35, _choose(generation, u[22], _GENERATIONS), "")
    slug = np.array([name.lower().replace(" ", "-") for name, _town, _d in LOCALITIES])[locality]
    learning = psr == "learning_disability"
    team = np.where(
        older,
        np.where(u[23] < 0.04, "hospital", np.char.add(slug, "-older")),
        np.where(
            learning,
            np.where((age < 25) & (u[23] < 0.5), "transitions", "learning-disability"),
            np.where(psr == "mental_health", "mental-health", np.char.add(slug, "-adults")),
        ),
    ).astype(object)
    districts = {i: districts for i, (_name, _town, districts) in enumerate(LOCALITIES)}
    district = _choose(locality, u[24], districts)
    letters = (u[25:27] * len(UNIT_LETTERS)).astype(np.intp)
    letter = np.array(list(UNIT_LETTERS))
    codes = np.char.add(letter[letters[0]], letter[letters[1]])
    postcode = [
        f"WX{d} {n}{c}"
        for d, n, c in zip(
            district.tolist(),
            (1 + u[27] * 9).astype(np.int64).tolist(),
            codes.tolist(),
            strict=True,
        )
    ]
    v = draw.random((8, count))
    street = _choose(np.zeros(count, dtype=np.intp), v[0], {0: names.STREET_NAMES})
    kind = _choose(np.zeros(count, dtype=np.intp), v[1], {0: names.STREET_TYPES})
    address = [
        f"{n} {s} {k}"
        for n, s, k in zip(
            (1 + v[2] * 180).astype(np.int64).tolist(), street.tolist(), kind.tolist(), strict=True
        )
    ]
    traced = np.full(count, None, dtype=object)
    have = min(count, len(nhs_numbers))
    traced[:have] = nhs_numbers[:have]
    traced[v[3] < 0.04] = None  # about 4% have no traced NHS number, as in real returns
    contact = np.where(
        (email != "") & (v[4] < 0.5), "email", np.where(v[5] < 0.5, "phone", "letter")
    )
    sensory = np.char.startswith(psr.astype(str), "sensory") | (v[6] < np.where(older, 0.1, 0.03))
    autism = v[7] < np.where(learning, 0.3, 0.01)
    carer = draw.random(count) < np.where(older, 0.5, 0.4)
    towns = np.array([town for _name, town, _d in LOCALITIES], dtype=object)[locality]
    born = [dt.date.fromordinal(_AS_OF_DAY - days) for days in age_days.tolist()]
    columns = {
        "council_person_id": [f"WX{i:07d}" for i in range(1, count + 1)],
        "nhs_number": traced.tolist(),
        "title": title.tolist(),
        "first_name": first.tolist(),
        "middle_names": middle.tolist(),
        "last_name": last.tolist(),
        "preferred_name": [""] * count,
        "date_of_birth": born,
        "date_of_death": died.tolist(),
        "sex": sex.tolist(),
        "gender_identity": _mix(GENDER_IDENTITY_MIX, draw.random(count)).tolist(),
        "ethnicity": ethnicity.tolist(),
        "primary_support_reason": psr.tolist(),
        "client_type": ["service_user"] * count,
        "has_dementia": dementia.tolist(),
        # Which kind (visual, hearing or both) is settled with the other equality details
        # in _monitoring, from a random stream of its own.
        "_sensory": sensory.tolist(),
        "has_autism": autism.tolist(),
        "has_unpaid_carer": carer.tolist(),
        "capacity": capacity.tolist(),
        "team": team.tolist(),
        "address_line_1": address,
        "address_line_2": [""] * count,
        "town": towns.tolist(),
        "postcode": postcode,
        "phone": phone.tolist(),
        "email": email.tolist(),
        "preferred_contact": contact.tolist(),
    }
    return [
        dict(zip(PERSON_KEYS, row, strict=True))
        for row in zip(*(columns[key] for key in PERSON_KEYS), strict=True)
    ]


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
    council.people = build_people(np.random.default_rng(rng.getrandbits(128)), people, nhs_numbers)
    if on_person:
        for _person in council.people:
            on_person()
    _link_demo_people(rng, council)
    # The equality details come from a stream of their own, so adding them changed no other
    # value the seed gives. They take nothing from the assessments, nor the assessments from
    # them: the people cared for get theirs now and the carers theirs once made, the same
    # draws in the same order as when they were all done after the assessments.
    equality = np.random.default_rng(random.Random(f"equality:{seed}").getrandbits(128))
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


def _mixes(keys: np.ndarray, roll: np.ndarray, mixes: dict) -> np.ndarray:
    """Each draw's value from the mix its key names (`mixes[key]`), as `draws.pick` gives one."""
    chosen = np.empty(len(keys), dtype=object)
    for key in set(keys.tolist()):
        where = keys == key
        chosen[where] = _mix(mixes[key], roll[where])
    return chosen


def _answered(roll: np.ndarray, lacks: np.ndarray, not_asked: float) -> np.ndarray:
    """For each person, "not_asked", "prefer_not_to_say", or None to go on and pick an
    answer: people who lack capacity are asked less often."""
    chance = np.where(lacks, min(0.9, not_asked * 2), not_asked)
    found = np.full(len(roll), None, dtype=object)
    found[roll < chance + 0.04] = "prefer_not_to_say"
    found[roll < chance] = "not_asked"
    return found


def _monitoring(eq: np.random.Generator, people: list[dict]) -> None:
    """Each person's other protected characteristics, and which sensory impairment they have
    (everyone's at once, as columns)."""
    count = len(people)
    if not count:
        return
    u = eq.random((9, count))
    ages = np.array([age_on(p["date_of_birth"], AS_OF) for p in people]).reshape(count)
    psr = _texts(p["primary_support_reason"] for p in people)
    ethnicity = _texts(p["ethnicity"] for p in people)
    lacks = np.array([p["capacity"] == "lacks_capacity" for p in people], dtype=bool)
    female = np.array([p["sex"] == "female" for p in people], dtype=bool)
    sensory = [p.pop("_sensory", False) for p in people]
    otherwise = _mix(SENSORY_OTHERWISE_MIX, u[0]).tolist()
    impaired = [
        (SENSORY_BY_REASON.get(reason) or other) if has else (False, False)
        for has, reason, other in zip(sensory, psr.tolist(), otherwise, strict=True)
    ]
    # Religion by heritage where the census shows it differs, otherwise by age.
    by_age = np.where(ages >= 65, "older", "younger").astype(object)
    faith = np.where(np.isin(ethnicity, list(RELIGION_BY_HERITAGE)), ethnicity, by_age)
    religion = _answered(u[1], lacks, 0.25)
    chosen = _mixes(
        faith, u[2], {**RELIGION_BY_HERITAGE, "older": RELIGION_OLDER, "younger": RELIGION_YOUNGER}
    )
    religion = np.where(religion == None, chosen, religion)  # noqa: E711 - elementwise
    limits = [limit for limit, _mix_ in ORIENTATION_BY_AGE]
    band = np.searchsorted(limits, ages, side="right")
    orientation = _answered(u[3], lacks, 0.35)
    chosen = _mixes(band, u[4], {i: mix for i, (_l, mix) in enumerate(ORIENTATION_BY_AGE)})
    orientation = np.where(orientation == None, chosen, orientation)  # noqa: E711
    limits = [limit for limit, _mix_ in PARTNERSHIP_BY_AGE]
    band = np.searchsorted(limits, ages, side="right").astype(object)
    band[psr == "learning_disability"] = "learning_disability"
    partnership = _answered(u[5], lacks, 0.15)
    mixes = {i: mix for i, (_l, mix) in enumerate(PARTNERSHIP_BY_AGE)}
    chosen = _mixes(band, u[6], {**mixes, "learning_disability": PARTNERSHIP_LEARNING_DISABILITY})
    partnership = np.where(partnership == None, chosen, partnership)  # noqa: E711
    can = female & (ages < 50)
    pregnancy = _answered(u[7], lacks, 0.45)
    pregnancy = np.where(pregnancy == None, _mix(PREGNANCY_MIX, u[8]), pregnancy)  # noqa: E711
    pregnancy = np.where(can, pregnancy, np.where(u[7] < 0.2, "neither", "not_asked"))
    for person, (visual, hearing), *values in zip(
        people,
        impaired,
        religion.tolist(),
        orientation.tolist(),
        partnership.tolist(),
        pregnancy.tolist(),
        strict=True,
    ):
        person.setdefault("has_visual_impairment", visual)
        person.setdefault("has_hearing_impairment", hearing)
        person["religion"], person["sexual_orientation"] = values[0], values[1]
        person["legal_partnership_status"], person["pregnancy_maternity"] = values[2], values[3]


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
