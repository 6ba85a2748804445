"""Synthetic assessment answers and current packages of support for the demo council.

Each person gets a latent level of need from their age, primary support reason and
dementia, and from it a need in each area of life (work and learning matter to younger
adults, staying safe to people with dementia, a learning disability or mental ill health).
Two things follow from those needs, separately and each with its own noise:

- the answers to the RAS questions (`person_choices`), and
- the package of support the council arranged before it had a RAS (`current_package`):
  services × units a week × the reference rates (a care home at a weekly fee, hours of home
  care or of a personal assistant, days at a day service, nights, supported living hours),
  chosen by primary support reason and age as councils do. About three in ten people on
  long-term support live in a care home; learning disability packages in supported living
  run to thousands of pounds a week; people on a direct payment buy hours from personal
  assistants, who cost less an hour than an agency.

The package never looks at the answers or the points, so calibrating the RAS to these costs
is a real fit, not the scheme recovering itself. No Django imports.
"""

import math
import random
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from allocation.domain import rates
from allocation.domain.definition import Definition
from people.domain import client_group

# (alpha, beta) of the latent need for each group; mean = alpha / (alpha + beta).
NEED = {
    "older": (2.2, 3.4),
    "dementia": (3.2, 3.0),
    "learning_disability": (3.0, 3.2),
    "mental_health": (2.0, 4.0),
    "physical": (2.4, 3.2),
    "sensory": (1.8, 4.0),
    "social": (1.4, 5.0),
}
# How much each area of life bears on each group's needs.
RELEVANCE = {
    "older": {
        "home_living": 0.9,
        "eating_drinking": 0.8,
        "personal_care": 1.0,
        "communication": 0.45,
        "relationships_social": 0.7,
        "work_learning": 0.02,
        "caring_for_others": 0.05,
        "staying_safe": 0.5,
    },
    "dementia": {
        "home_living": 1.0,
        "eating_drinking": 1.0,
        "personal_care": 0.9,
        "communication": 1.0,
        "relationships_social": 0.8,
        "work_learning": 0.02,
        "caring_for_others": 0.05,
        "staying_safe": 1.0,
    },
    "learning_disability": {
        "home_living": 0.9,
        "eating_drinking": 0.6,
        "personal_care": 0.6,
        "communication": 1.0,
        "relationships_social": 1.0,
        "work_learning": 0.9,
        "caring_for_others": 0.1,
        "staying_safe": 0.9,
    },
    "mental_health": {
        "home_living": 0.9,
        "eating_drinking": 0.5,
        "personal_care": 0.3,
        "communication": 0.6,
        "relationships_social": 1.0,
        "work_learning": 0.8,
        "caring_for_others": 0.3,
        "staying_safe": 0.9,
    },
    "physical": {
        "home_living": 0.9,
        "eating_drinking": 0.7,
        "personal_care": 1.0,
        "communication": 0.3,
        "relationships_social": 0.6,
        "work_learning": 0.6,
        "caring_for_others": 0.3,
        "staying_safe": 0.3,
    },
    "sensory": {
        "home_living": 0.8,
        "eating_drinking": 0.5,
        "personal_care": 0.5,
        "communication": 1.0,
        "relationships_social": 0.9,
        "work_learning": 0.6,
        "caring_for_others": 0.2,
        "staying_safe": 0.5,
    },
    "social": {
        "home_living": 0.7,
        "eating_drinking": 0.4,
        "personal_care": 0.2,
        "communication": 0.5,
        "relationships_social": 1.0,
        "work_learning": 0.6,
        "caring_for_others": 0.2,
        "staying_safe": 0.7,
    },
}
# Questions that matter to some people much more than their area of life says.
BEHAVIOUR = {"learning_disability": 1.0, "mental_health": 0.8, "dementia": 0.7}

# How far an answer strays from the person's need, in answer steps (assessors differ).
ANSWER_NOISE = 0.55

# Which of a person's complex needs each complex answer reports.
COMPLEX_ANSWERS = {
    "pc_washing": "double_up",
    "pc_toilet": "double_up",
    "pc_moving": "double_up",
    "pc_night": "waking_night",
    "safe_behaviour": "specialist",
    "safe_supervision": "supervision",
}

# The need model's groups are the client groups commissioners use.
NEED_GROUP = {
    "Dementia, memory and cognition": "dementia",
    "Learning disability": "learning_disability",
    "Mental health": "mental_health",
    "Older people": "older",
    "Sensory impairment": "sensory",
    "Physical disability": "physical",
    "Other": "social",
}


def need_group(person: dict, age: int) -> str:
    return NEED_GROUP[client_group(person["primary_support_reason"], age, person["has_dementia"])]


GROUPS = tuple(NEED)
AREAS = tuple(RELEVANCE["older"])
_AREA = {area: i for i, area in enumerate(AREAS)}
_ALPHA = np.array([NEED[group][0] for group in GROUPS])
_BETA = np.array([NEED[group][1] for group in GROUPS])
_RELEVANCE = np.array([[RELEVANCE[group][area] for area in AREAS] for group in GROUPS])
_BEHAVIOUR = np.array([BEHAVIOUR.get(group, 0.2) for group in GROUPS])
_WATCHED = [GROUPS.index(g) for g in ("learning_disability", "dementia", "mental_health")]


@dataclass
class Needs:
    """Everyone's latent needs, a column each (row i is the i-th person given to `needs_of`):
    the need group (an index into GROUPS), an overall level, a need in each area of life
    (columns in AREAS order, 0 to ~1.2), behaviour, the sensory need and the complex needs."""

    group: np.ndarray
    level: np.ndarray
    areas: np.ndarray
    behaviour: np.ndarray
    sensory: np.ndarray
    complex: dict[str, np.ndarray]
    cares_for_child: np.ndarray
    cares_for_adult: np.ndarray

    def of(self, i: int) -> dict:
        """One person's needs as `current_package` reads them."""
        return {
            "group": GROUPS[self.group[i]],
            "level": float(self.level[i]),
            "areas": dict(zip(AREAS, self.areas[i].tolist(), strict=True)),
            "complex": {need: bool(flags[i]) for need, flags in self.complex.items()},
        }


def needs_of(draw: np.random.Generator, people: list[dict], ages: np.ndarray) -> Needs:
    """Everyone's latent needs at once, from a numpy generator: the same model a person at a
    time would draw (a beta-distributed level, lognormal spread across areas of life), made
    as columns because at 100,000 people the draws one by one were the seed's largest cost."""
    count = len(people)
    index = {group: i for i, group in enumerate(GROUPS)}
    group = np.array(
        [index[need_group(p, age)] for p, age in zip(people, ages.tolist(), strict=True)],
        dtype=np.intp,
    ).reshape(count)
    level = draw.beta(_ALPHA[group], _BETA[group]) + np.where(ages >= 85, 0.06, 0.0)
    areas = level[:, None] * _RELEVANCE[group] * np.exp(draw.normal(0, 0.15, (count, len(AREAS))))
    areas[ages >= 65, _AREA["work_learning"]] = 0.0
    behaviour = level * _BEHAVIOUR[group] * np.exp(draw.normal(0, 0.3, count))
    autism = np.array([bool(p.get("has_autism")) for p in people], dtype=bool).reshape(count)
    behaviour[autism] *= 1.25
    personal_care = areas[:, _AREA["personal_care"]]
    safe = areas[:, _AREA["staying_safe"]]
    roll = draw.random((6, count))
    supervision = np.isin(group, _WATCHED) & (safe > 0.75) & (behaviour > 0.6) & (roll[2] < 0.3)
    complex_needs = {
        # Two carers at each visit: heavy personal care, mostly with hoists.
        "double_up": (personal_care > 0.8) & (roll[0] < 0.35),
        # Someone awake all night (always with 24-hour supervision).
        "waking_night": ((level > 0.75) & (personal_care > 0.7) & (roll[1] < 0.12)) | supervision,
        # Someone with them all day and night.
        "supervision": supervision,
        # Behaviour that challenges, needing staff trained in positive behaviour support.
        "specialist": (behaviour > 0.85) & (roll[3] < 0.45),
    }
    impaired = np.array(
        [
            p.get("has_visual_impairment", False) or p.get("has_hearing_impairment", False)
            for p in people
        ],
        dtype=bool,
    ).reshape(count)
    return Needs(
        group=group,
        level=level,
        areas=areas,
        behaviour=behaviour,
        sensory=np.where(impaired, level, level * 0.1),
        complex=complex_needs,
        cares_for_child=(ages < 55) & (roll[4] < 0.12),
        cares_for_adult=roll[5] < 0.07,
    )


def person_choices(
    draw: np.random.Generator, definition: Definition, people: list[dict], needs: Needs
) -> np.ndarray:
    """Everyone's answers to every question (never contradicting each other), as the index of
    the option chosen: a row a person, a column a question in the scheme's order (uint8).

    Most people score the middle options; the last option is for the highest need; a complex
    answer (two carers, waking nights, 24-hour supervision, specialist behaviour support)
    exactly for the people with that need; family and friends' support from its own mixes."""
    plan, night = _plan(definition)
    count = len(people)
    level = needs.level
    has_carer = np.array([bool(p["has_unpaid_carer"]) for p in people], dtype=bool).reshape(count)
    choices = np.zeros((count, len(plan)), dtype=np.uint8)
    position = {}
    for q, (code, domain, top, spread, special, codes, informal, complex_plan) in enumerate(plan):
        position[code] = (q, {option: i for i, option in enumerate(codes)})
        if code in _CARING:
            continue  # answered together below
        roll = draw.random(count)
        if informal:
            alone = np.where(roll < 0.85, 0, min(top, 1))
            other = draw.random(count)
            if code == "ff_live_with":
                shared = (other < 0.55).astype(np.intp)
            else:
                shared = _pick(other, _INFORMAL.get(code, INFORMAL_OTHER)[: top + 1])
            choices[:, q] = np.where(has_carer, shared, alone)
            continue
        if special == 1:
            intensity = needs.behaviour
        elif special == 2:
            intensity = needs.sensory
        elif domain in _AREA:
            intensity = needs.areas[:, _AREA[domain]]
        else:
            intensity = 0.5 * level
        index = np.clip(np.rint(intensity * spread + draw.normal(0, ANSWER_NOISE, count)), 0, top)
        index = index.astype(np.intp)
        if top >= 3:
            index -= (index == top) & (roll > level)
        if complex_plan is not None:
            first, is_complex, need = complex_plan
            # The answer below a complex one for people without the need.
            below = []
            for i in range(top + 1):
                while i and is_complex[i]:
                    i -= 1
                below.append(i)
            wanted = needs.complex.get(need, np.zeros(count, dtype=bool))
            index = np.where(wanted & (draw.random(count) < 0.92), first, np.array(below)[index])
        choices[:, q] = index
    _caring(draw, position, choices, needs)
    if night and "safe_supervision" in position and "pc_night" in position:
        (s, s_options), (n, n_options) = position["safe_supervision"], position["pc_night"]
        # Awake all day and night is not "no" help at night.
        stay = (choices[:, s] == s_options["all"]) & (choices[:, n] == n_options["none"])
        choices[stay, n] = n_options[night]
    return choices


_CARING = ("care_child", "care_adult", "care_tasks")


def _caring(draw, position, choices, needs: Needs) -> None:
    """Caring answers that agree: someone who looks after no one says so everywhere."""
    count = len(choices)
    child, adult = needs.cares_for_child, needs.cares_for_adult
    if "care_child" in position:
        q, options = position["care_child"]
        lot = needs.level > 0.55 + draw.random(count) * 0.2
        choices[:, q] = np.where(
            child, np.where(lot, options["lot"], options["some"]), options["no"]
        )
    if "care_adult" in position:
        q, options = position["care_adult"]
        choices[:, q] = np.where(adult, options["yes"], options["no"])
    if "care_tasks" in position:
        q, options = position["care_tasks"]
        scale = np.array([options[o] for o in ("none", "some", "lot", "all")])
        index = np.clip(np.rint(needs.level * 3.6 + draw.normal(0, 0.75, count)), 0, 3)
        choices[:, q] = np.where(child | adult, scale[index.astype(np.intp)], options["no_one"])


def answers_of(definition: Definition, choices: np.ndarray) -> list[dict]:
    """The answers dicts ({question: option}) the choices stand for."""
    plan, _night = _plan(definition)
    columns = [
        np.array(codes, dtype=object)[choices[:, q]].tolist()
        for q, (_c, _d, _t, _s, _x, codes, *_rest) in enumerate(plan)
    ]
    questions = [step[0] for step in plan]
    return [dict(zip(questions, row, strict=True)) for row in zip(*columns, strict=True)]


def _pick(roll: np.ndarray, weights: list) -> np.ndarray:
    """Each draw's option from a mix of weights, as `draws.pick` does one."""
    cumulative = np.cumsum(weights, dtype=float)
    found = np.searchsorted(cumulative, roll * cumulative[-1], side="right")
    return np.minimum(found, len(weights) - 1)


# How much support from family and friends, among people with an unpaid carer.
INFORMAL_HOW_MUCH = [5, 20, 35, 28, 12]
INFORMAL_SUSTAINABLE = [25, 45, 30]
INFORMAL_OTHER = [55, 30, 15]
_INFORMAL = {"ff_how_much": INFORMAL_HOW_MUCH, "ff_sustainable": INFORMAL_SUSTAINABLE}


_PLAN: list = [None, None]  # (definition, plan)


def _plan(definition: Definition) -> tuple[list[tuple], str | None]:
    """Each question in order: (code, domain, top option's index, top + 0.6, 1 for the
    behaviour question and 2 for the sensory one, option codes, informal support,
    (first complex option, each option complex, the need it reports) or None); and the
    second night-time option's code."""
    if _PLAN[0] is not definition:
        plan = []
        for domain in definition.domains:
            for question in domain.questions:
                top = len(question.options) - 1
                complex_at = [i for i, option in enumerate(question.options) if option.complex]
                plan.append(
                    (
                        question.code,
                        domain.code,
                        top,
                        top + 0.6,
                        {"safe_behaviour": 1, "comm_sensory": 2}.get(question.code, 0),
                        tuple(option.code for option in question.options),
                        question.informal_support,
                        (
                            complex_at[0],
                            tuple(option.complex for option in question.options),
                            COMPLEX_ANSWERS.get(question.code),
                        )
                        if complex_at
                        else None,
                    )
                )
        night = definition.question("pc_night")
        _PLAN[:] = [definition, (plan, night.options[1].code if night else None)]
    return _PLAN[1]


# --- current packages ----------------------------------------------------------------------

# Who takes their budget as a direct payment and employs personal assistants.
DIRECT_PAYMENT = {"older": 0.12, "dementia": 0.07, "physical": 0.4, "sensory": 0.35}
DIRECT_PAYMENT_DEFAULT = 0.3
HOURS = Decimal("0.25")  # packages are arranged in quarter hours


def _hours(value: float) -> Decimal:
    """Quarter hours, at least one, for a weekly amount of support."""
    return max(HOURS, (Decimal(str(round(value * 4))) * HOURS))


def current_package(rng: random.Random, person: dict, age: int, needs: dict) -> list[tuple]:
    """The support the person has now: [(service code, units a week, unit cost in pence,
    weekly cost in pence)].

    Built from the person's latent needs, primary support reason, age and carer, never from
    their answers or points. Unit costs are the reference rates, except care homes, whose
    weekly fees vary from home to home (and some add one-to-one staffing).
    """
    group, level, areas = needs["group"], needs["level"], needs["areas"]
    safe = areas.get("staying_safe", 0.0)
    complex_needs = needs["complex"]
    carer = person.get("has_unpaid_carer", False)
    services: list[tuple[str, Decimal]] = []
    fees: dict[str, int] = {}

    def add(service: str, units) -> None:
        if units and Decimal(str(units)) > 0:
            services.append((service, Decimal(str(units))))

    older = age >= 65
    # A care home: mostly older people with high needs, more often with dementia.
    if older:
        pressure = (level - 0.47) * 11 + (0.5 if group == "dementia" else 0) - (0.6 if carer else 0)
        care_home = rng.random() < 1 / (1 + math.exp(-pressure))
    elif group == "learning_disability":
        care_home = level > 0.62 and rng.random() < 0.3
    elif group == "mental_health":
        care_home = level > 0.55 and rng.random() < 0.15
    else:
        care_home = level > 0.7 and rng.random() < 0.12
    if care_home:
        personal_care = areas.get("personal_care", 0)
        if personal_care > 0.72 and rng.random() < 0.5 or (age >= 85 and rng.random() < 0.2):
            home = "nursing"
        elif group == "dementia":
            home = "residential_dementia"
        else:
            home = "residential"
        spread = rng.lognormvariate(0, 0.07)
        if not older:  # younger adults' placements cost more (specialist homes)
            spread *= rng.uniform(1.15, 1.6)
        fees[home] = round(rates.SHIPPED[home] * spread)
        add(home, 1)
        if complex_needs["specialist"] or complex_needs["supervision"]:
            add("specialist_support", _hours(rng.uniform(10, 35)))  # one-to-one on top of the fee
        return _priced(services, fees)

    direct_payment = rng.random() < DIRECT_PAYMENT.get(group, DIRECT_PAYMENT_DEFAULT)
    hourly = "personal_assistant" if direct_payment else "home_care"
    noise = rng.lognormvariate(0, 0.3)
    relief = 0.72 if carer else 1.0  # councils took some account of family support

    supported_living = 0.0
    if complex_needs["supervision"]:
        supported_living = 112 * rng.uniform(0.85, 1.0)  # 16 hours a day, every day
    elif group == "learning_disability" and level > 0.4 and rng.random() < 0.6:
        supported_living = (12 + 110 * (level - 0.4) ** 1.1) * noise
    elif group == "mental_health" and level > 0.5 and rng.random() < 0.35:
        supported_living = (8 + 60 * (level - 0.5)) * noise
    if supported_living:
        add("supported_living", _hours(min(supported_living, 112)))
        if complex_needs["waking_night"]:
            add("waking_night", 7)
        elif safe > 0.55 and rng.random() < 0.6:
            add("sleeping_night", 7)
    else:
        personal_care = areas.get("personal_care", 0)
        if personal_care > 0.12:
            hours = (1.5 + 22 * personal_care**1.6) * noise * relief
            add(hourly, _hours(hours))
            if complex_needs["double_up"]:  # two carers at each visit
                add(hourly, _hours(hours * rng.uniform(0.8, 1.0)))
        home = max(areas.get("home_living", 0), areas.get("eating_drinking", 0))
        if home > 0.2:
            add(hourly, _hours((0.5 + 4 * home) * rng.lognormvariate(0, 0.3) * relief))
        if older and areas.get("eating_drinking", 0) > 0.45 and rng.random() < 0.5:
            add("meals", rng.choice([5, 7]))
        if complex_needs["waking_night"]:
            add("waking_night", 7)
        elif personal_care > 0.8 and rng.random() < 0.3:
            add("sleeping_night", rng.choice([3, 7]))
    if not older:
        social = areas.get("relationships_social", 0) + areas.get("work_learning", 0)
        if group == "learning_disability" and rng.random() < 0.7:
            add("day_service", max(1, min(5, round(social * 2.5 * rng.lognormvariate(0, 0.3)))))
        elif social > 0.3:
            add("personal_assistant", _hours(social * 6 * rng.lognormvariate(0, 0.35)))
        if complex_needs["specialist"]:
            add("specialist_support", _hours(rng.uniform(10, 30)))
    elif group == "dementia" and rng.random() < 0.35:
        add("day_service", rng.choice([1, 2, 3]))
    if older and rng.random() < 0.45:
        add("telecare", 1)
    if carer and level > 0.45 and rng.random() < 0.35:  # short breaks for the carer
        add("respite", rng.choice(["0.50", "1.00"]))
    if group == "learning_disability" and not supported_living and rng.random() < 0.06:
        services = [s for s in services if s[0] not in ("home_care", "personal_assistant")]
        add("shared_lives", 1)
    if not any(service not in ("telecare", "meals", "respite") for service, _u in services):
        add(hourly, _hours(rng.uniform(1.5, 5)))  # everyone eligible has some hands-on support
    return _priced(services, fees)


def _priced(services: list[tuple[str, Decimal]], fees: dict[str, int]) -> list[tuple]:
    """Merge repeated services and put a unit cost and a weekly cost on each:
    [(service, units a week, unit cost in pence, weekly cost in pence)]."""
    merged: dict[str, Decimal] = {}
    for service, units in services:
        merged[service] = merged.get(service, Decimal(0)) + units
    priced = []
    for service, units in merged.items():
        unit_cost = fees.get(service, rates.SHIPPED[service])
        priced.append((service, units, unit_cost, rates.weekly_cost_pence(units, unit_cost)))
    return priced


def package_weekly_pence(package: list[tuple]) -> int:
    return sum(weekly for *_rest, weekly in package)


def carer_answers(rng: random.Random, definition: Definition) -> dict:
    """A carer's answers: most carers under strain, some very much so."""
    level = rng.betavariate(2.6, 2.6)
    answers = {}
    for question in definition.questions:
        top = len(question.options) - 1
        index = int(round(level * top + rng.gauss(0, 0.8)))
        answers[question.code] = question.options[max(0, min(top, index))].code
    return answers
