"""The engine against the plain reference, hand-worked examples and the RAS's promises."""

from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from allocation.domain import engine, reference
from allocation.domain.definition import (
    convert_v1,
    outcome_codes,
    parse,
    publication_problems,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies shared by the allocation tests ---------------------------------------------


@st.composite
def decimals(draw, low: int = 0, high: int = 500, max_places: int = 14) -> Decimal:
    """A money value with 0..max_places decimal places, long ones included."""
    places = draw(st.integers(0, max_places))
    units = draw(st.integers(low * 10**places, high * 10**places))
    return Decimal(units).scaleb(-places)


OUTCOME_CODES = outcome_codes("person")


@st.composite
def definition_dicts(
    draw,
    method: str | None = None,
    max_points: int = 30,
    max_questions: int = 12,
    max_options: int = 12,
    limits: bool = True,
    rules: bool = True,
) -> dict:
    """A valid, publishable definition in the JSON format: ordered options, random rule.

    With `rules`, it also uses the optional keys: each need question names 1-3 outcomes and
    may be one family support never reduces, with some answers complex; some informal
    answers mean "no reduction" (first, as publishing asks) or are "not more than" a later
    one; and now and then an answer excludes an answer to another question."""
    count = draw(st.integers(1, max_questions))
    kinds = [False] + draw(st.lists(st.booleans(), min_size=count - 1, max_size=count - 1))
    questions = []
    for q, informal in enumerate(kinds):
        n_options = draw(st.integers(2, max_options))
        if informal:
            values = sorted(
                draw(st.lists(st.integers(0, 60), min_size=n_options, max_size=n_options))
            )
        else:
            values = sorted(
                draw(st.lists(st.integers(0, max_points), min_size=n_options, max_size=n_options))
            )
        options = [
            {
                "code": f"o{j}",
                "label": f"Answer {j}",
                "points": 0 if informal else v,
                "reduction_percent": v if informal else 0,
            }
            for j, v in enumerate(values)
        ]
        question = {
            "code": f"q{q}",
            "text": f"Question {q}?",
            "informal_support": informal,
            "options": options,
        }
        if rules and not informal:
            question["outcomes"] = draw(
                st.lists(st.sampled_from(OUTCOME_CODES), min_size=1, max_size=3, unique=True)
            )
            if draw(st.integers(0, 3)) == 0:
                question["reducible"] = False
            for option in options:
                if draw(st.integers(0, 4)) == 0:
                    option["complex"] = True
        elif rules:
            stops = draw(st.integers(0, 1)) if draw(st.integers(0, 2)) == 0 else 0
            for option in options[:stops]:
                option["no_reduction"] = True
            if draw(st.booleans()):
                j = draw(st.integers(0, n_options - 2))
                k = draw(st.integers(j + 1, n_options - 1))
                options[j]["not_more_than"] = f"o{k}"
        questions.append(question)
    if rules and len(questions) > 1:
        for _ in range(draw(st.integers(0, 2))):
            a, b = draw(
                st.lists(st.integers(0, len(questions) - 1), min_size=2, max_size=2, unique=True)
            )
            option = draw(st.sampled_from(questions[a]["options"]))
            excluded = draw(st.sampled_from(questions[b]["options"]))["code"]
            option.setdefault("excludes", {}).setdefault(f"q{b}", []).append(excluded)
    split = draw(st.integers(1, len(questions)))
    domains = [
        {"code": "first", "title": "First domain", "questions": questions[:split]},
        {"code": "second", "title": "Second domain", "questions": questions[split:]},
    ]
    domains = [d for d in domains if d["questions"]]
    method = method or draw(st.sampled_from(["price_per_point", "bands"]))
    if method == "price_per_point":
        fixed = draw(st.one_of(st.just(Decimal("0")), decimals(0, 100, 2)))
        price = draw(decimals(0, 20).filter(lambda d: d > 0))
        allocation = {
            "method": method,
            "fixed_amount": format(fixed, "f"),
            "price_per_point": format(price, "f"),
        }
    else:
        starts = sorted(set(draw(st.lists(st.integers(1, max_points * 3), max_size=5))))
        amounts = sorted(
            draw(st.lists(decimals(0, 900), min_size=len(starts) + 1, max_size=len(starts) + 1))
        )
        allocation = {
            "method": method,
            "bands": [
                {"min_points": s, "amount": format(a, "f")}
                for s, a in zip([0, *starts], amounts, strict=True)
            ],
        }
    minimum = maximum = None
    if limits:
        minimum = draw(st.one_of(st.none(), decimals(0, 200, 2)))
        maximum = draw(st.one_of(st.none(), decimals(0, 1500, 2)))
        if minimum is not None and maximum is not None and maximum < minimum:
            minimum, maximum = maximum, minimum
    return {
        "period": draw(st.sampled_from(["week", "year"])),
        "domains": domains,
        "informal_support": {"cap_percent": draw(st.integers(1, 100))},
        "allocation": allocation,
        "limits": {
            "minimum": None if minimum is None else format(minimum, "f"),
            "maximum": None if maximum is None else format(maximum, "f"),
        },
    }


SUPPORT_SERVICES = ("home_care", "personal_assistant", "day_service", "sleeping_night")


def with_support(draw, data: dict) -> dict:
    """The definition (converted to selfdirect-ras/2) with cost-rate answers on some need
    questions: units of one or two services, never fewer for a later answer (as publishing
    asks), some with two decimal places."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)
    for table in data["money_tables"]:  # no band without an amount beside hours (not scored)
        for band in table.get("bands", []):
            if band.get("amount") is None:
                band["amount"] = "0.00"
                band.pop("words", None)
    for domain in data["domains"]:
        for question in domain["questions"]:
            if question["type"] == "informal_support" or draw(st.integers(0, 2)) == 0:
                continue
            count = len(question["options"])
            services = draw(
                st.lists(st.sampled_from(SUPPORT_SERVICES), min_size=1, max_size=2, unique=True)
            )
            columns = [
                sorted(draw(st.lists(st.integers(0, 4000), min_size=count, max_size=count)))
                for _ in services
            ]
            for j, option in enumerate(question["options"]):
                items = [
                    {"service": service, "units": Decimal(column[j]).scaleb(-2)}
                    for service, column in zip(services, columns, strict=True)
                    if column[j]
                ]
                if items:
                    option["support"] = items
    return data


def by_domain(draw, data: dict) -> dict:
    """The definition (converted to selfdirect-ras/2) with support from family and friends
    reducing each domain's own points: each domain with family-support questions takes off a
    percentage or points, capped; one with nothing family support may reduce is given a need
    question that it may (as publishing asks)."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)
    data["informal_support"] = {"method": "by_domain"}
    for index, domain in enumerate(data["domains"]):
        informal = [q for q in domain["questions"] if q["type"] == "informal_support"]
        if not informal:
            continue
        needs = [q for q in domain["questions"] if q["type"] != "informal_support"]
        if not needs:
            domain["questions"].insert(
                0,
                {
                    "code": f"extra{index}",
                    "text": "Another need?",
                    "type": "single",
                    "outcomes": ["hygiene"],
                    "options": [
                        {"code": "o0", "label": "None", "points": 0},
                        {"code": "o1", "label": "Some", "points": draw(st.integers(1, 30))},
                    ],
                },
            )
        elif not any(q.get("reducible", True) for q in needs):
            needs[0].pop("reducible", None)
        if draw(st.booleans()):
            domain["informal_support"] = {"cap_percent": draw(st.integers(1, 100))}
            continue
        domain["informal_support"] = {"cap_points": draw(st.integers(1, 30))}
        for question in informal:
            count = len(question["options"])
            values = sorted(draw(st.lists(st.integers(0, 15), min_size=count, max_size=count)))
            for option, value in zip(question["options"], values, strict=True):
                option.pop("reduction_percent", None)
                option["reduction_points"] = value
    return data


def carer_allocation(draw, data: dict) -> dict:
    """The definition (converted to selfdirect-ras/2) with the family-support answers giving
    carer points, never fewer for a later answer, and a carer's rule of its own (a price per
    point or bands, some with no amount) for a week, a year or once."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)
    if draw(st.booleans()):
        price = draw(decimals(0, 60).filter(lambda d: d > 0))
        fixed = draw(st.one_of(st.just(Decimal(0)), decimals(0, 300, 2)))
        rule = {
            "method": "price_per_point",
            "fixed_amount": format(fixed, "f"),
            "price_per_point": format(price, "f"),
        }
    else:
        starts = sorted(set(draw(st.lists(st.integers(1, 40), max_size=4))))
        amounts = sorted(
            draw(st.lists(decimals(0, 900), min_size=len(starts) + 1, max_size=len(starts) + 1))
        )
        bands = [
            {"min_points": start, "amount": format(amount, "f")}
            for start, amount in zip([0, *starts], amounts, strict=True)
        ]
        if draw(st.booleans()):
            bands[0] = {"min_points": 0, "amount": None, "words": "No carer's amount yet."}
        rule = {"method": "bands", "bands": bands}
    period = draw(st.sampled_from(["week", "year", "once"]))
    data["informal_support"] = {
        "method": "carer_allocation",
        "carer_money": {"period": period, **rule},
    }
    for domain in data["domains"]:
        for question in domain["questions"]:
            if question["type"] != "informal_support":
                continue
            count = len(question["options"])
            values = sorted(draw(st.lists(st.integers(0, 12), min_size=count, max_size=count)))
            for option, value in zip(question["options"], values, strict=True):
                option.pop("reduction_percent", None)
                option["carer_points"] = value
    return data


@st.composite
def definitions(
    draw,
    caps: bool = True,
    support: bool = False,
    informal_method: str = "",
    hundredths: bool = False,
    conditional: bool = False,
    multiple: bool = False,
    **kwargs,
):
    """A parsed, publishable definition; with `caps`, now and then in selfdirect-ras/2 with a
    cap on some domains' points (below the domain's highest points, as publishing asks); with
    `support`, in selfdirect-ras/2 with cost-rate answers (`with_support`); with
    `informal_method` "by_domain", family support reducing each domain's own points, or
    "carer_allocation", giving the carer an amount of their own. With `hundredths`, now and
    then every number of points (options, caps, bands, reductions and carer points) is
    divided by 4 or 20, so the scheme counts in hundredths (2.25, 0.05 points); with
    `multiple` and `conditional`, some questions take several answers or are asked only
    after some answers to an earlier one."""
    data = draw(definition_dicts(**kwargs))
    if caps and draw(st.booleans()):
        data, _notes = convert_v1(data)
        for domain in data["domains"]:
            top = sum(
                max(o["points"] for o in q["options"])
                for q in domain["questions"]
                if q["type"] != "informal_support"
            )
            if top >= 2 and draw(st.booleans()):
                domain["cap"] = draw(st.integers(1, top - 1))
    if support:
        data = with_support(draw, data)
    if informal_method == "by_domain":
        data = by_domain(draw, data)
    elif informal_method == "carer_allocation":
        data = carer_allocation(draw, data)
    if hundredths and draw(st.booleans()):
        data = _divided(data, draw(st.sampled_from([4, 20])))
    if multiple and draw(st.integers(0, 3)):
        data = _multiple(data, draw)
    if conditional and draw(st.integers(0, 3)):
        data = _conditional(data, draw)
    definition = parse(data)
    assert publication_problems(definition) == []
    return definition


def _divided(data: dict, by: int) -> dict:
    """A definition with every number of points divided (exactly, to two decimals at most)."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)

    def part(value):
        return float(Decimal(value) / by)

    for domain in data["domains"]:
        if "cap" in domain:
            domain["cap"] = part(domain["cap"])
        if "cap_points" in domain.get("informal_support", {}):
            domain["informal_support"]["cap_points"] = part(
                domain["informal_support"]["cap_points"]
            )
        for question in domain["questions"]:
            for option in question["options"]:
                for key in ("points", "reduction_points", "carer_points"):
                    if key in option:
                        option[key] = part(option[key])
    carer = data.get("informal_support", {}).get("carer_money", {})
    for table in [*data["money_tables"], carer]:
        for band in table.get("bands", []):
            band["min_points"] = part(band["min_points"])
    return data


def _multiple(data: dict, draw) -> dict:
    """Some need questions (of up to 7 options) take any number of answers: points added up,
    now and then capped below their total, with words for choosing none."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)
    questions = [q for d in data["domains"] for q in d["questions"]]
    capped = {q["code"] for d in data["domains"] if "cap" in d for q in d["questions"]}
    chosen = set()
    for question in questions:
        if question["type"] == "informal_support" or len(question["options"]) > 7:
            continue
        if question["code"] in capped:  # the domain's cap stays below its highest points
            continue
        if draw(st.booleans()):
            continue
        question["type"] = "multiple"
        chosen.add(question["code"])
        total = sum(Decimal(str(o["points"])) for o in question["options"])
        if total >= 2 and draw(st.booleans()):
            question["cap"] = draw(st.integers(1, int(total) - 1))
        if draw(st.booleans()):
            question["none_label"] = "None of these"
    return data


def _conditional(data: dict, draw) -> dict:
    """Some questions asked only after some answers to an earlier question (asked_when)."""
    if data.get("format") != "selfdirect-ras/2":
        data, _notes = convert_v1(data)
    questions = [q for d in data["domains"] for q in d["questions"]]
    for index, question in enumerate(questions[1:], start=1):
        if draw(st.integers(0, 2)):
            continue
        parent = questions[draw(st.integers(0, index - 1))]
        codes = [o["code"] for o in parent["options"]]
        answers = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        question["asked_when"] = {"question": parent["code"], "answers": answers}
    return data


@st.composite
def full_answers(draw, definition, consistent: bool = True) -> dict[str, str]:
    """An answer to every question; with `consistent`, none contradicting another."""
    answers = {q.code: draw(_an_answer(q)) for q in definition.questions}
    if consistent:
        assume(not reference.contradictions_one(definition, answers))
    return answers


def _an_answer(question):
    """One option's code, or for a multiple-choice question a list of codes (perhaps none)."""
    codes = [o.code for o in question.options]
    if question.multiple:
        return st.lists(st.sampled_from(codes), unique=True)
    return st.sampled_from(codes)


@st.composite
def unable_sets(draw) -> frozenset[str] | None:
    """What an eligibility decision found: None before it is made, else the unmet outcomes."""
    if draw(st.integers(0, 3)) == 0:
        return None
    return frozenset(draw(st.lists(st.sampled_from(OUTCOME_CODES), max_size=6, unique=True)))


@st.composite
def loose_answers(draw, definition) -> dict[str, str]:
    """Answers as an old assessment may hold them: some missing, unknown or for old questions."""
    answers = {}
    for q in definition.questions:
        kind = draw(st.integers(0, 9))
        if kind == 0:
            continue
        answers[q.code] = "retired" if kind == 1 else draw(_an_answer(q))
    if draw(st.booleans()):
        answers["old_question"] = "o0"
    return answers


# --- compiling and scoring -------------------------------------------------------------------


def _tiny(allocation=None, limits=None, cap=25, period="week"):
    return parse(
        {
            "period": period,
            "domains": [
                {
                    "code": "daily",
                    "title": "Daily living",
                    "questions": [
                        {
                            "code": "washing",
                            "text": "Help with washing?",
                            "options": [
                                {"code": "none", "label": "None", "points": 0},
                                {"code": "some", "label": "Some", "points": 3},
                                {"code": "lots", "label": "Lots", "points": 5},
                            ],
                        },
                        {
                            "code": "meals",
                            "text": "Help with meals?",
                            "options": [
                                {"code": "none", "label": "None", "points": 0},
                                {"code": "all", "label": "All", "points": 5},
                            ],
                        },
                    ],
                },
                {
                    "code": "support",
                    "title": "Support",
                    "questions": [
                        {
                            "code": "family",
                            "text": "Does family help?",
                            "informal_support": True,
                            "options": [
                                {"code": "no", "label": "No", "reduction_percent": 0},
                                {"code": "daily", "label": "Daily", "reduction_percent": 25},
                            ],
                        }
                    ],
                },
            ],
            "informal_support": {"cap_percent": cap},
            "allocation": allocation
            or {"method": "price_per_point", "fixed_amount": "12.50", "price_per_point": "2.875"},
            "limits": limits or {},
        }
    )


def test_compiled_tables_follow_the_definition():
    scheme = engine.compile_scheme(_tiny())
    assert scheme.question_codes == ("washing", "meals", "family")
    assert scheme.points.shape == (3, 3)
    assert scheme.points.tolist() == [[0, 3, 5], [0, 5, 0], [0, 0, 0]]
    assert scheme.reduction_percents.tolist() == [[0, 0, 0], [0, 0, 0], [0, 25, 0]]
    assert scheme.informal_mask.tolist() == [False, False, True]
    assert scheme.max_net_points == 10
    assert scheme.option_index[0] == {"none": 0, "some": 1, "lots": 2}


def test_score_floors_the_reduction_and_counts_unknown_answers_as_nothing():
    scheme = engine.compile_scheme(_tiny(cap=25))
    choices, missing = engine.encode_many(
        scheme,
        [
            {"washing": "lots", "meals": "all", "family": "daily"},  # 10, 25% -> 2.5 -> 2
            {"washing": "some", "meals": "gone", "family": "daily"},  # 3, 25% -> 0.75 -> 0
            {"meals": "all"},  # 5, no reduction answer
            {"washing": "lots", "meals": "none", "family": "no", "extra": "x"},
        ],
    )
    result = engine.score(scheme, choices)
    assert result.need.tolist() == [10, 3, 5, 5]
    assert result.reduction_percent.tolist() == [25, 25, 0, 0]
    assert result.reduction.tolist() == [2, 0, 0, 0]
    assert result.net.tolist() == [8, 3, 5, 5]
    assert missing.tolist() == [0, 1, 2, 0]
    assert all(a.dtype == np.int32 for a in (result.need, result.reduction, result.net))


def test_reduction_is_capped():
    definition = _tiny(cap=10)
    scheme = engine.compile_scheme(definition)
    choices, _ = engine.encode_many(
        scheme, [{"washing": "lots", "meals": "all", "family": "daily"}]
    )
    result = engine.score(scheme, choices)
    assert result.reduction_percent.tolist() == [10]
    assert result.net.tolist() == [9]


@SETTINGS
@given(data=st.data())
def test_engine_matches_the_reference(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=30))
    decisions = [data.draw(unable_sets()) for _ in people]
    eligible_only = data.draw(st.booleans())
    choices, missing = engine.encode_many(scheme, people)
    masks = None
    if eligible_only:
        masks = engine.unable_masks(scheme, [d or () for d in decisions])
        decisions = [frozenset(d or ()) for d in decisions]
    else:
        decisions = [None] * len(people)
    result = engine.score(scheme, choices, unable_masks=masks)
    pence = engine.amounts_pence(scheme, result.net)
    for i, answers in enumerate(people):
        need, percent, reduction, net = reference.score_one(definition, answers, decisions[i])
        assert (result.need[i], result.reduction_percent[i]) == (need, percent)
        assert (result.reduction[i], result.net[i]) == (reduction, net)
        assert pence[i] == reference.amount_one(definition, net)
        route = reference.costed_plan_route_one(definition, answers, decisions[i])
        assert bool(result.costed_plan[i]) == bool(route)
        usable = sum(
            1 for q in definition.questions if q.option(answers.get(q.code, "")) is not None
        )
        assert missing[i] == len(definition.questions) - usable


@SETTINGS
@given(data=st.data())
def test_every_layout_scores_the_same(data):
    definition = data.draw(definitions(max_questions=16, max_options=14))
    scheme = engine.compile_scheme(definition)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    choices, _ = engine.encode_many(scheme, people)
    expected = [reference.score_one(definition, a)[3] for a in people]
    decisions = [data.draw(unable_sets().filter(lambda u: u is not None)) for _ in people]
    masks = engine.unable_masks(scheme, decisions)
    eligible = [
        reference.score_one(definition, a, u)[3] for a, u in zip(people, decisions, strict=True)
    ]
    for layout in (choices, np.ascontiguousarray(choices), engine.pack(scheme, choices)):
        assert engine.score(scheme, layout).net.tolist() == expected
        assert engine.score(scheme, layout, unable_masks=masks).net.tolist() == eligible


def test_groups_keep_a_table_for_each_pattern_of_unmet_outcomes():
    """Questions linked to different outcomes share a word; each pattern of which of those
    outcomes were found unmet has its own table, and a group's tables stay within 1 MB."""
    codes = outcome_codes("person")
    questions = [
        {
            "code": f"q{i}",
            "text": "Q?",
            "outcomes": [codes[i % 10]],
            "options": [{"code": f"o{j}", "label": "L", "points": j * (i + 1)} for j in range(6)],
        }
        for i in range(12)
    ]
    scheme = engine.compile_scheme(
        parse(
            {
                "domains": [{"code": "d", "title": "D", "questions": questions}],
                "allocation": {"price_per_point": "1"},
            }
        )
    )
    for group in scheme.need_groups:
        patterns = len({int(scheme.question_outcomes[q]) for q in group.questions})
        assert group.table.size == group.keys << patterns <= 1 << 18
        assert group.offsets.size == 1 << len(codes)
    rng = np.random.default_rng(5)
    choices = rng.integers(-1, 6, size=(3000, 12)).astype(np.int8)
    masks = rng.integers(0, 1 << 10, size=3000)
    linked = scheme.question_outcomes
    counted = (masks[:, None] & linked[None, :]) != 0
    points = np.where(choices >= 0, choices, 0) * np.arange(1, 13)
    expected = (points * counted).sum(axis=1)
    assert engine.score(scheme, choices, unable_masks=masks).need.tolist() == expected.tolist()


def test_packing_splits_questions_into_16_bit_groups():
    definition = parse(
        {
            "domains": [
                {
                    "code": "d",
                    "title": "D",
                    "questions": [
                        {
                            "code": f"q{i}",
                            "text": "Q?",
                            "options": [
                                {"code": f"o{j}", "label": "L", "points": j * (i + 1)}
                                for j in range(15)
                            ],
                        }
                        for i in range(9)
                    ],
                }
            ],
            "allocation": {"price_per_point": "1"},
        }
    )
    scheme = engine.compile_scheme(definition)
    # 16 ** 4 = 65,536 fits one word; 9 questions need 3 words.
    assert [g.questions for g in scheme.need_groups] == [(0, 1, 2, 3), (4, 5, 6, 7), (8,)]
    rng = np.random.default_rng(3)
    choices = rng.integers(-1, 15, size=(5000, 9)).astype(np.int8)
    expected = np.where(choices >= 0, choices, 0).astype(np.int64) @ np.arange(1, 10)
    assert engine.score(scheme, choices).need.tolist() == expected.tolist()


def test_an_empty_caseload_scores_to_nothing():
    scheme = engine.compile_scheme(_tiny())
    choices, missing = engine.encode_many(scheme, [])
    assert choices.shape == (0, 3) and missing.shape == (0,)
    result = engine.score(scheme, choices)
    assert result.net.shape == (0,)
    assert engine.amounts_pence(scheme, result.net).shape == (0,)


def test_packed_choices_must_come_from_the_same_version():
    scheme = engine.compile_scheme(_tiny())
    other = engine.compile_scheme(replace(_tiny(), domains=()))  # no questions at all
    packed = engine.pack(scheme, np.zeros((2, 3), dtype=np.int8))
    with pytest.raises(ValueError, match="different version"):
        engine.score(other, packed)


def test_pack_rejects_choices_outside_the_options():
    scheme = engine.compile_scheme(_tiny())
    with pytest.raises(ValueError, match="meals"):
        engine.score(scheme, np.array([[0, 2, 0]], dtype=np.int8))
    with pytest.raises(ValueError, match="int8"):
        engine.score(scheme, np.array([[0, 0, 0]], dtype=np.int64))
    with pytest.raises(ValueError, match="shape"):
        engine.score(scheme, np.zeros((1, 2), dtype=np.int8))


# --- money -----------------------------------------------------------------------------------


def _table_matches_decimal_path(definition):
    scheme = engine.compile_scheme(definition)
    top = scheme.max_net_points
    table = engine.amounts_pence(scheme, np.arange(top + 1))
    for n in range(top + 1):
        result = engine.amount_for_points(scheme, n)
        assert result.issued == result.issued.quantize(Decimal("0.01"))
        assert table[n] == int(result.issued * 100), n
        assert table[n] == reference.amount_one(definition, n)


@pytest.mark.parametrize(
    "price",
    ["2.875", "0.33333333333333", "1.999999999995", "12.34567890123456", "7.00000000000001"],
)
@pytest.mark.parametrize("limits", [{}, {"minimum": "20.00", "maximum": "900.00"}])
def test_money_table_equals_the_decimal_path_for_every_score(price, limits):
    questions = [
        {
            "code": f"q{i}",
            "text": "Q?",
            "options": [{"code": f"o{j}", "label": "L", "points": 97 * j} for j in range(6)],
        }
        for i in range(12)
    ]
    definition = parse(
        {
            "domains": [{"code": "d", "title": "D", "questions": questions}],
            "allocation": {"fixed_amount": "3.33", "price_per_point": price},
            "limits": limits,
        }
    )
    assert engine.compile_scheme(definition).max_net_points == 12 * 97 * 5
    _table_matches_decimal_path(definition)


@SETTINGS
@given(definition=definitions(max_points=40))
def test_money_table_equals_the_decimal_path_for_random_schemes(definition):
    _table_matches_decimal_path(definition)


def test_money_table_python_fallback_agrees(monkeypatch):
    allocation = parse(
        {"allocation": {"fixed_amount": "1.25", "price_per_point": "3.14159265358979"}}
    )
    fast = engine.issued_pence_table(allocation.allocation, None, None, 3000)
    monkeypatch.setattr(engine, "_INT64_LIMIT", 1)
    slow = engine.issued_pence_table(allocation.allocation, None, None, 3000)
    assert fast.tolist() == slow.tolist()
    assert slow[1000] == 125 + 314159  # 1.25 + 3141.59265358979 -> 3142.84


def test_amounts_are_rounded_half_up_and_clamped():
    definition = _tiny(
        allocation={"fixed_amount": "0", "price_per_point": "0.125"},
        limits={"minimum": "0.50", "maximum": "1.00"},
    )
    scheme = engine.compile_scheme(definition)
    # 1 point = 0.125 -> minimum 0.50; 5 points = 0.625 -> 0.63 (half-up); 9 = 1.125 -> max.
    assert engine.amounts_pence(scheme, np.array([1, 5, 9])).tolist() == [50, 63, 100]
    assert engine.amount_for_points(scheme, 1) == engine.AmountResult(
        Decimal("0.125"), Decimal("0.50"), "minimum"
    )
    assert engine.amount_for_points(scheme, 5) == engine.AmountResult(
        Decimal("0.625"), Decimal("0.63"), None
    )
    assert engine.amount_for_points(scheme, 9).limit == "maximum"
    with pytest.raises(ValueError):
        engine.amounts_pence(scheme, np.array([11]))


# --- strict answers ------------------------------------------------------------------------


def test_encode_names_every_problem():
    scheme = engine.compile_scheme(_tiny())
    with pytest.raises(engine.AnswerError) as caught:
        engine.encode(
            scheme, {"washing": "sometimes", "family": "cousin", "pets": "cat", "garden": "no"}
        )
    found = {(p["type"], p["question"], p["code"]) for p in caught.value.problems}
    assert found == {
        ("unknown_option", "washing", "sometimes"),
        ("unknown_option", "family", "cousin"),
        ("unknown_question", "pets", "pets"),
        ("unknown_question", "garden", "garden"),
        ("missing_answer", "meals", "meals"),
    }
    assert all(p["message"] for p in caught.value.problems)
    assert "meals" in str(caught.value) and "cousin" in str(caught.value)


def test_encode_accepts_a_complete_set_of_answers():
    scheme = engine.compile_scheme(_tiny())
    assert engine.encode(
        scheme, {"washing": "lots", "meals": "none", "family": "daily"}
    ).tolist() == [
        2,
        0,
        1,
    ]


# --- the RAS's promises ----------------------------------------------------------------------


def _issued(scheme, answers, unable=None) -> int:
    choices, _ = engine.encode_many(scheme, [answers])
    masks = None if unable is None else engine.unable_masks(scheme, [unable])
    return int(
        engine.amounts_pence(scheme, engine.score(scheme, choices, unable_masks=masks).net)[0]
    )


@SETTINGS
@given(data=st.data())
def test_more_need_never_gives_less_money(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    question = data.draw(st.sampled_from(definition.questions))
    codes = [o.code for o in question.options]
    now = codes.index(answers[question.code])
    later = data.draw(st.integers(now, len(codes) - 1))
    moved = {**answers, question.code: codes[later]}
    before, after = _issued(scheme, answers, unable), _issued(scheme, moved, unable)
    if question.informal_support:
        assert after <= before  # more support from family and friends never raises it
    else:
        assert after >= before
    assume(not reference.contradictions_one(definition, moved))
    assert engine.explain(scheme, moved, unable_outcomes=unable).amount * 100 == after


@SETTINGS
@given(data=st.data())
def test_counting_eligible_needs_only_never_gives_more_than_the_provisional_amount(data):
    """Care Act 2014 s26: after the decision, only needs linked to unmet outcomes count, so
    the amount can only stay the same or fall from the provisional one."""
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition, consistent=False))
    unable = data.draw(unable_sets().filter(lambda u: u is not None))
    assert _issued(scheme, answers, unable) <= _issued(scheme, answers)
    everything = frozenset(OUTCOME_CODES)
    assert _issued(scheme, answers, everything) == _issued(scheme, answers)


@SETTINGS
@given(data=st.data())
def test_an_answer_linked_only_to_met_outcomes_never_changes_the_amount(data):
    """Statutory guidance 11.7-11.10: a need the person can meet (an outcome found achieved)
    is not an eligible need, whatever the answer."""
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition, consistent=False))
    unable = data.draw(unable_sets().filter(lambda u: u is not None))
    met_only = [
        q
        for q in definition.questions
        if not q.informal_support and q.outcomes and not unable & set(q.outcomes)
    ]
    assume(met_only)
    question = data.draw(st.sampled_from(met_only))
    changed = {**answers, question.code: data.draw(st.sampled_from(question.options)).code}
    choices, _ = engine.encode_many(scheme, [answers, changed])
    scores = engine.score(scheme, choices, unable_masks=engine.unable_masks(scheme, [unable] * 2))
    assert scores.net[0] == scores.net[1] and scores.need[0] == scores.need[1]
    assert scores.costed_plan[0] == scores.costed_plan[1]


@SETTINGS
@given(data=st.data())
def test_the_costed_plan_route_is_taken_exactly_when_a_counted_complex_answer_is_chosen(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    complex_chosen = tuple(
        q.code
        for q in definition.questions
        if not q.informal_support
        and q.option(answers[q.code]).complex
        and (unable is None or unable & set(q.outcomes))
    )
    result = engine.explain(scheme, answers, unable_outcomes=unable)
    assert result.costed_plan_route == complex_chosen
    masks = None if unable is None else engine.unable_masks(scheme, [unable])
    choices, _ = engine.encode_many(scheme, [answers])
    scores = engine.score(scheme, choices, unable_masks=masks)
    assert bool(scores.costed_plan[0]) == bool(complex_chosen)


@SETTINGS
@given(data=st.data())
def test_support_from_family_and_friends_never_reduces_needs_it_may_not_reduce(data):
    """Guidance 10.26: safety, work and childcare needs (reducible: false) are never reduced,
    so each of their points adds a whole point whatever support there is (short of a domain
    cap, which would stop it adding anything: no caps here)."""
    definition = data.draw(definitions(caps=False))
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition, consistent=False))
    fixed = [q for q in definition.questions if not q.informal_support and not q.reducible]
    assume(fixed)
    question = data.draw(st.sampled_from(fixed))
    changed = {**answers, question.code: data.draw(st.sampled_from(question.options)).code}
    before = reference.score_one(definition, answers)
    after = reference.score_one(definition, changed)
    difference = (
        question.option(changed[question.code]).points
        - question.option(answers[question.code]).points
    )
    assert after[3] - before[3] == difference
    choices, _ = engine.encode_many(scheme, [answers, changed])
    scores = engine.score(scheme, choices)
    assert int(scores.net[1] - scores.net[0]) == difference


@SETTINGS
@given(data=st.data())
def test_contradictions_match_the_reference_and_are_refused(data):
    definition = data.draw(definitions(multiple=True, conditional=True))
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition, consistent=False))
    expected = reference.contradictions_one(definition, answers)
    found = engine.contradictions(scheme, answers)
    assert {
        frozenset([(c["question"], c["code"]), (c["other_question"], c["other_code"])])
        for c in found
    } == expected
    assert len(found) == len(expected)  # each pair once
    assert all(c["type"] == "contradictory_answers" and c["message"] for c in found)
    if expected:
        with pytest.raises(engine.AnswerError) as refused:
            engine.explain(scheme, answers)
        assert {p["type"] for p in refused.value.problems} == {"contradictory_answers"}
    else:
        engine.explain(scheme, answers)


@SETTINGS
@given(data=st.data())
def test_explanation_lines_add_up_to_the_amount(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    answers = data.draw(full_answers(definition))
    unable = data.draw(unable_sets())
    result = engine.explain(scheme, answers, unable_outcomes=unable)
    need, percent, reduction, net = reference.score_one(definition, answers, unable)
    assert (result.need_points, result.reduction_percent) == (need, percent)
    assert (result.reduction_points, result.total_points) == (reduction, net)
    assert result.amount * 100 == reference.amount_one(definition, net)
    assert result.amount == engine.amount_for_points(scheme, net).issued
    assert result.provisional == (unable is None)
    assert result.at_maximum == reference.at_maximum_one(definition, net)
    assert result.costed_plan_route == reference.costed_plan_route_one(definition, answers, unable)

    money = [line.amount for line in result.lines if line.amount is not None]
    assert sum(money, Decimal(0)) == result.amount
    assert all(m == m.quantize(Decimal("0.01")) for m in money)
    answer_lines = [line for line in result.lines if line.kind == "answer"]
    cap_lines = [line for line in result.lines if line.kind == "domain_cap"]
    assert sum(line.points for line in answer_lines + cap_lines) - reduction == net
    assert sum(line.points for line in answer_lines + cap_lines) == need
    for line in cap_lines:
        domain = next(d for d in definition.domains if d.title == line.domain_title)
        assert domain.cap is not None and line.points < 0
        assert f"at most {domain.cap} point" in line.text
    shown = [
        line.question_code for line in result.lines if line.kind in ("answer", "not_eligible_need")
    ]
    scored = [
        q.code
        for q in definition.questions
        if not q.informal_support and q.option(answers[q.code]).points > 0
    ]
    assert shown == scored  # every answer that scores is shown, counted or not
    for line in result.lines:
        if line.kind == "not_eligible_need":
            question = definition.question(line.question_code)
            assert unable is not None and not unable & set(question.outcomes)
            assert line.points == 0 and line.amount in (None, Decimal("0.00"))
    informal = [line for line in result.lines if line.kind == "informal_support"]
    assert len(informal) == (1 if reduction > 0 else 0)
    if informal:
        assert informal[0].points == -reduction
        assert f"{percent}%" in informal[0].text
        assert "carer’s assessment" in informal[0].text  # offered whenever support reduces
    assert (result.limit is None) == all(line.kind != "limit" for line in result.lines)
    assert any(line.kind == "costed_plan" for line in result.lines) == bool(
        result.costed_plan_route
    )

    allocation = definition.allocation
    if allocation.method == "price_per_point":
        price = allocation.price_per_point
        for line in result.lines:
            if line.kind in ("answer", "domain_cap", "informal_support"):
                # Largest remainder never moves a line by a penny or more from its exact value.
                assert abs(line.amount - line.points * price) < Decimal("0.01")
        pre_limit = [
            line.amount for line in result.lines if line.kind != "limit" and line.amount is not None
        ]
        exact = allocation.fixed_amount + net * price
        assert sum(pre_limit, Decimal(0)) == exact.quantize(Decimal("0.01"), "ROUND_HALF_UP")
    else:
        assert all(line.amount is None for line in answer_lines + cap_lines + informal)
        assert [line.kind for line in result.lines].count("band") == 1


@SETTINGS
@given(data=st.data())
def test_money_depends_only_on_total_points(data):
    definition = data.draw(definitions())
    scheme = engine.compile_scheme(definition)
    first = data.draw(full_answers(definition))
    second = data.draw(full_answers(definition))
    a, b = engine.explain(scheme, first), engine.explain(scheme, second)
    if a.total_points == b.total_points:
        assert a.amount == b.amount
    elif a.total_points < b.total_points:
        assert a.amount <= b.amount


def test_explanation_worked_example_price_per_point():
    scheme = engine.compile_scheme(_tiny())
    result = engine.explain(scheme, {"washing": "some", "meals": "all", "family": "daily"})
    # need 3 + 5 = 8; 25% of 8 = 2 points off; net 6; 12.50 + 6 x 2.875 = 29.75.
    # Exact lines 8.625, 14.375, -5.75 and 12.50 floor to 8.62, 14.37, -5.75, 12.50 (29.74):
    # the missing penny goes to the first of the two equal remainders.
    assert [(line.kind, line.points, line.amount) for line in result.lines] == [
        ("answer", 3, Decimal("8.63")),
        ("answer", 5, Decimal("14.37")),
        ("informal_support", -2, Decimal("-5.75")),
        ("fixed_amount", None, Decimal("12.50")),
    ]
    assert result.amount == Decimal("29.75")
    assert result.exact_amount == Decimal("29.750")
    assert result.rule_text == "Each point is worth £2.8750, plus a fixed £12.50"
    assert result.lines[0].domain_title == "Daily living"
    assert result.lines[0].answer_label == "Some"
    assert "3 points" in result.lines[0].text and "£8.63" in result.lines[0].text
    assert "25%" in result.lines[2].text and "Daily" in result.lines[2].text
    assert result.period == "week" and result.limit is None


def test_explanation_worked_example_bands_with_a_maximum():
    definition = _tiny(
        allocation={
            "method": "bands",
            "bands": [
                {"min_points": 0, "amount": "50"},
                {"min_points": 4, "amount": "350"},
                {"min_points": 8, "amount": "400.005"},
            ],
        },
        limits={"maximum": "380.00"},
    )
    scheme = engine.compile_scheme(definition)
    low = engine.explain(scheme, {"washing": "some", "meals": "all", "family": "no"})
    assert low.total_points == 8
    assert [(line.kind, line.amount) for line in low.lines] == [
        ("answer", None),
        ("answer", None),
        ("band", Decimal("400.01")),
        ("limit", Decimal("-20.01")),
    ]
    assert low.amount == Decimal("380.00") and low.limit == "maximum"
    assert low.rule_text == "8 points or more: £400.01 a week"
    middle = engine.explain(scheme, {"washing": "lots", "meals": "none", "family": "daily"})
    # 5 points, 25% of 5 = 1.25 -> 1 point off -> 4 points: the 4 to 7 band.
    assert middle.total_points == 4
    assert middle.rule_text == "4 to 7 points: £350.00 a week"
    assert middle.amount == Decimal("350.00")


def test_explanation_shows_a_minimum_raising_the_amount():
    scheme = engine.compile_scheme(
        _tiny(
            allocation={"fixed_amount": "0", "price_per_point": "2"},
            limits={"minimum": "15.00"},
        )
    )
    result = engine.explain(scheme, {"washing": "some", "meals": "none", "family": "no"})
    assert [(line.kind, line.amount) for line in result.lines] == [
        ("answer", Decimal("6.00")),
        ("limit", Decimal("9.00")),
    ]
    assert result.amount == Decimal("15.00") and result.limit == "minimum"


def test_explain_is_strict():
    scheme = engine.compile_scheme(_tiny())
    with pytest.raises(engine.AnswerError):
        engine.explain(scheme, {"washing": "some"})


def test_largest_remainder_keeps_the_total():
    shares = engine.largest_remainder(
        [Decimal("0.333"), Decimal("0.333"), Decimal("0.334"), None], Decimal("1.00")
    )
    assert shares == [Decimal("0.33"), Decimal("0.33"), Decimal("0.34"), None]
    with pytest.raises(ValueError):
        engine.largest_remainder([Decimal("1.00")], Decimal("3.00"))
