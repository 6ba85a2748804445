"""Synthetic assessment answers and package costs for the demo council.

Each person gets a latent level of need from their age, primary support reason and
dementia; each domain matters more or less to each group (work and learning to younger
adults, staying safe to people with dementia, a learning disability or mental ill
health). Answers follow from that, with noise.

Their current weekly package cost is what a council arranged before it had a RAS: it
follows need, but with the inequities that modelling is there to find. Learning
disability packages run high for the same need, mental health packages low, and help
from family and friends was only partly taken into account. No Django imports.
"""

import random

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
# How much each domain bears on each group's needs.
RELEVANCE = {
    "older": {
        "home_living": 0.9,
        "eating_drinking": 0.8,
        "personal_care": 1.0,
        "relationships_social": 0.7,
        "work_learning": 0.02,
        "caring_for_others": 0.05,
        "staying_safe": 0.5,
    },
    "dementia": {
        "home_living": 1.0,
        "eating_drinking": 1.0,
        "personal_care": 0.9,
        "relationships_social": 0.8,
        "work_learning": 0.02,
        "caring_for_others": 0.05,
        "staying_safe": 1.0,
    },
    "learning_disability": {
        "home_living": 0.9,
        "eating_drinking": 0.6,
        "personal_care": 0.6,
        "relationships_social": 1.0,
        "work_learning": 0.9,
        "caring_for_others": 0.1,
        "staying_safe": 0.9,
    },
    "mental_health": {
        "home_living": 0.9,
        "eating_drinking": 0.5,
        "personal_care": 0.3,
        "relationships_social": 1.0,
        "work_learning": 0.8,
        "caring_for_others": 0.3,
        "staying_safe": 0.9,
    },
    "physical": {
        "home_living": 0.9,
        "eating_drinking": 0.7,
        "personal_care": 1.0,
        "relationships_social": 0.6,
        "work_learning": 0.6,
        "caring_for_others": 0.3,
        "staying_safe": 0.3,
    },
    "sensory": {
        "home_living": 0.8,
        "eating_drinking": 0.5,
        "personal_care": 0.5,
        "relationships_social": 0.9,
        "work_learning": 0.6,
        "caring_for_others": 0.2,
        "staying_safe": 0.5,
    },
    "social": {
        "home_living": 0.7,
        "eating_drinking": 0.4,
        "personal_care": 0.2,
        "relationships_social": 1.0,
        "work_learning": 0.6,
        "caring_for_others": 0.2,
        "staying_safe": 0.7,
    },
}
# Historical cost for the same need, by group: the inequity a RAS corrects.
COST_FACTOR = {
    "older": 1.0,
    "dementia": 1.08,
    "learning_disability": 1.32,
    "mental_health": 0.82,
    "physical": 1.12,
    "sensory": 0.92,
    "social": 0.85,
}
HISTORIC_FIXED = 25.0
HISTORIC_PER_POINT = 3.0


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


def person_answers(
    rng: random.Random, definition: Definition, person: dict, age: int
) -> tuple[dict, str]:
    """Answers to every question, and the person's need group."""
    group = need_group(person, age)
    alpha, beta = NEED[group]
    level = rng.betavariate(alpha, beta) + (0.06 if age >= 85 else 0.0)
    answers = {}
    for domain in definition.domains:
        for question in domain.questions:
            top = len(question.options) - 1
            if question.informal_support:
                index = _informal_choice(rng, question.code, top, person["has_unpaid_carer"])
            else:
                relevance = RELEVANCE[group].get(domain.code, 0.5)
                # Most people score the middle options; the last option is for the highest need.
                expected = level * relevance * (top + 0.6)
                index = int(round(expected + rng.gauss(0, 0.75)))
                if index == top and top >= 4 and rng.random() > level:
                    index -= 1
            answers[question.code] = question.options[max(0, min(top, index))].code
    return answers, group


def _informal_choice(rng: random.Random, code: str, top: int, has_carer: bool) -> int:
    if not has_carer:
        return 0 if rng.random() < 0.85 else min(top, 1)
    if code == "ff_how_much":
        return rng.choices(range(top + 1), weights=[5, 20, 35, 28, 12][: top + 1])[0]
    if code == "ff_live_with":
        return 1 if rng.random() < 0.55 else 0
    if code == "ff_sustainable":
        return rng.choices(range(top + 1), weights=[25, 45, 30][: top + 1])[0]
    return rng.choices(range(top + 1), weights=[55, 30, 15][: top + 1])[0]


def historic_weekly_cost(
    rng: random.Random, definition: Definition, answers: dict, group: str
) -> float:
    """What the person's current package costs a week, in pounds (before rounding)."""
    need = 0
    reduction = 0
    for question in definition.questions:
        option = question.option(answers[question.code])
        if question.informal_support:
            reduction += option.reduction_percent
        else:
            need += option.points
    # Councils took some account of family support, but less than the RAS does.
    reduction = min(reduction, definition.informal_cap_percent) * 0.45
    points = need * (1 - reduction / 100)
    cost = (
        (HISTORIC_FIXED + points * HISTORIC_PER_POINT)
        * COST_FACTOR[group]
        * rng.lognormvariate(0, 0.24)
    )
    return max(35.0, min(cost, 2600.0))


def carer_answers(rng: random.Random, definition: Definition) -> dict:
    """A carer's answers: most carers under strain, some very much so."""
    level = rng.betavariate(2.6, 2.6)
    answers = {}
    for question in definition.questions:
        top = len(question.options) - 1
        index = int(round(level * top + rng.gauss(0, 0.8)))
        answers[question.code] = question.options[max(0, min(top, index))].code
    return answers
