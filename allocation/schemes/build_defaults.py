"""Writes default_person.json and default_carer.json: the schemes Selfdirect ships with.

Kept as code so the questions read as a table; run `python allocation/schemes/build_defaults.py`
after changing them.

The people's scheme is set against the council's reference rates (allocation/domain/rates.py,
illustrative 2026/27 figures): each answer is written as the support it usually needs (hours
of home care or a personal assistant, days at a day service, nights, ...) and scores that
support's weekly cost at the shipped rates, one point for every `POINT_VALUE`. The answers a
points scale cannot price (two-to-one support, waking nights, 24-hour supervision, behaviour
that challenges needing specialist support) are marked complex: they send the person to a
costed plan, and their points are anchored to the shipped price per point, so each is worth
what it costs at the reference rates; the top of the scale is far above the maximum.

The price per point and fixed amount are ILLUSTRATIVE: fitted (least squares) to the
synthetic demo council's package costs, which are generated from services, hours and the
same reference rates, independently of the points, and scaled so the demo caseload costs
what its packages cost now. They were not calibrated on any real council's data: a council
models and recalibrates the scheme on its own caseload before relying on it.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATES = Path(__file__).resolve().parent.parent / "domain" / "rates.py"


def _shipped_rates() -> dict[str, Decimal]:
    """The shipped reference rates in pounds, read without importing the app."""
    namespace: dict = {}
    exec(compile(RATES.read_text(), str(RATES), "exec"), namespace)  # noqa: S102 - our own file
    return {code: Decimal(pence) / 100 for code, pence in namespace["SHIPPED"].items()}


RATE = _shipped_rates()
# One point for every this much support a week at the reference rates, when an answer's
# support is priced on its own. Answers overlap (one visit helps with washing, dressing and
# the toilet), so a point turns out to be worth about a quarter of this once fitted to real
# packages: the fit, not this constant, says what a point is worth.
POINT_VALUE = Decimal("16.00")
# The shipped rule (illustrative: see the module docstring); complex answers are anchored to it.
FIXED_AMOUNT = "0.86"
PRICE_PER_POINT = "4.60211284615"
MAXIMUM = "2500.00"


def weekly(**units) -> Decimal:
    """The weekly cost of some support at the shipped rates: weekly(home_care=3.5, meals=7)."""
    return sum((RATE[service] * Decimal(str(n)) for service, n in units.items()), Decimal(0))


def points(cost: Decimal, *, anchored: bool = False) -> int:
    value = Decimal(PRICE_PER_POINT) if anchored else POINT_VALUE
    return int((cost / value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def option(code, label, support=None, *, hint="", complex=False, excludes=None):
    """An answer and the support it usually needs, as reference-rate units a week.

    Complex answers are anchored: worth their support's whole cost at the reference rates
    and the shipped price per point (they are priced, not fitted)."""
    cost = weekly(**(support or {}))
    data = {
        "code": code,
        "label": label,
        "hint": hint,
        "points": points(cost, anchored=complex),
        "reduction_percent": 0,
    }
    if complex:
        data["complex"] = True
    if excludes:
        data["excludes"] = excludes
    return data


def q(code, text, hint, outcomes, options, *, reducible=True):
    """A need question: the eligibility outcomes it serves (Eligibility Regulations 2015 reg
    2(2)) and its answers from least to most need."""
    data = {
        "code": code,
        "text": text,
        "hint": hint,
        "informal_support": False,
        "outcomes": outcomes,
    }
    if not reducible:
        data["reducible"] = False
    data["options"] = options
    return data


def levels(
    supports,
    *,
    none="I can do this without help",
    some="I need a little help or reminding",
    lot="I need a lot of help",
    all_="Someone needs to do this for me",
    extra=None,
):
    """The usual four answers (none, some, a lot, all), each with the support it needs."""
    labels = [("none", none), ("some", some), ("lot", lot), ("all", all_)]
    options = [
        option(code, label, support)
        for (code, label), support in zip(labels, [None, *supports], strict=True)
    ]
    if extra:
        options.append(extra)
    return options


def informal(code, text, hint, options):
    """A question about support from family and friends: each answer a reduction in percent."""
    return {
        "code": code,
        "text": text,
        "hint": hint,
        "informal_support": True,
        "options": [
            {
                "code": o_code,
                "label": label,
                "hint": "",
                "points": 0,
                "reduction_percent": percent,
                **extra,
            }
            for o_code, label, percent, *more in options
            for extra in [more[0] if more else {}]
        ],
    }


def carer_q(code, outcomes, text, hint, options):
    """A carer's question: points as they are (the carers' scheme is in bands of points)."""
    return {
        "code": code,
        "text": text,
        "hint": hint,
        "informal_support": False,
        "outcomes": outcomes,
        "options": [
            {
                "code": o_code,
                "label": label,
                "hint": o_hint,
                "points": value,
                "reduction_percent": 0,
            }
            for o_code, label, o_hint, value in options
        ],
    }


TWO = "Two people need to help me"
PERSON = {
    "format": "selfdirect-ras/1",
    "kind": "person",
    "period": "week",
    "domains": [
        {
            "code": "home_living",
            "title": "Home and living",
            "description": "Looking after your home, your money and your things.",
            "questions": [
                q(
                    "home_cleaning",
                    "How much help do you need to keep your home clean and tidy?",
                    "Think about hoovering, dusting, cleaning the kitchen and bathroom, and putting rubbish out.",
                    ["habitable_home"],
                    levels([{"home_care": 1}, {"home_care": 2}, {"home_care": 3}]),
                ),
                q(
                    "home_shopping",
                    "How much help do you need with shopping for food and essentials?",
                    "This includes making a list, getting to the shops or ordering online, and putting things away.",
                    ["nutrition", "community"],
                    levels([{"personal_assistant": 1}, {"home_care": 1.5}, {"home_care": 2.5}]),
                ),
                q(
                    "home_money",
                    "How much help do you need to manage your money, post and bills?",
                    "For example, paying bills on time, understanding letters and keeping your money safe.",
                    ["habitable_home"],
                    levels(
                        [
                            {"personal_assistant": 0.5},
                            {"personal_assistant": 1.5},
                            {"personal_assistant": 3},
                        ]
                    ),
                ),
                q(
                    "home_laundry",
                    "How much help do you need with washing and drying your clothes?",
                    "",
                    ["clothing", "habitable_home"],
                    levels([{"home_care": 0.5}, {"home_care": 1}, {"home_care": 1.5}]),
                ),
                q(
                    "home_safety",
                    "How much help do you need to use your home safely?",
                    "For example, locking doors, using the cooker and heating, and knowing what to do in an emergency.",
                    ["home_safety"],
                    levels(
                        [
                            {"telecare": 1, "home_care": 0.5},
                            {"telecare": 1, "home_care": 1.75},
                            {"telecare": 1, "home_care": 3.5},
                        ],
                        some="I need someone to check now and then",
                        lot="I need someone to check every day",
                        all_="I need someone with me to use the cooker or heating",
                    ),
                ),
            ],
        },
        {
            "code": "eating_drinking",
            "title": "Eating and drinking",
            "description": "Having enough to eat and drink, and food that is safe for you.",
            "questions": [
                q(
                    "eat_prepare",
                    "How much help do you need to prepare meals and drinks?",
                    "Think about a simple hot meal, a sandwich and a hot drink.",
                    ["nutrition"],
                    levels(
                        [
                            {"meals": 3, "home_care": 0.5},
                            {"meals": 7, "home_care": 1.75},
                            {"meals": 7, "home_care": 5.25},
                        ]
                    ),
                ),
                q(
                    "eat_eating",
                    "How much help do you need to eat your meals?",
                    "For example, cutting up food, being reminded to eat, or being helped to eat.",
                    ["nutrition"],
                    levels(
                        [{"home_care": 1.75}, {"home_care": 5.25}, {"home_care": 10.5}],
                        some="I need reminding or encouraging",
                        lot="I need someone with me while I eat",
                        all_="Someone needs to feed me",
                    ),
                ),
                q(
                    "eat_drinking",
                    "How much help do you need to drink enough through the day?",
                    "",
                    ["nutrition"],
                    levels(
                        [{"home_care": 0.5}, {"home_care": 1.75}, {"home_care": 3.5}],
                        some="I need reminding",
                        lot="I need drinks made and handed to me",
                        all_="Someone needs to help me drink",
                    ),
                ),
                q(
                    "eat_diet",
                    "Do you have a special diet or difficulty swallowing?",
                    "For example, a diabetic diet, soft food, or thickened drinks.",
                    ["nutrition"],
                    levels(
                        [{"home_care": 0.5}, {"home_care": 2}, {"home_care": 4}],
                        none="No",
                        some="Yes, and I manage it myself with a little help",
                        lot="Yes, and someone needs to prepare my food",
                        all_="Yes, and I need help at every meal",
                    ),
                ),
            ],
        },
        {
            "code": "personal_care",
            "title": "Personal care",
            "description": "Washing, dressing, using the toilet and moving around.",
            "questions": [
                q(
                    "pc_washing",
                    "How much help do you need to wash, bathe or shower?",
                    "",
                    ["hygiene"],
                    levels(
                        [{"home_care": 1.5}, {"home_care": 3.5}, {"home_care": 7}],
                        extra=option(
                            "two",
                            TWO,
                            {"home_care": 14},
                            hint="Two carers at each wash: two-to-one support",
                            complex=True,
                        ),
                    ),
                ),
                q(
                    "pc_dressing",
                    "How much help do you need to get dressed and undressed?",
                    "",
                    ["clothing"],
                    levels([{"home_care": 1}, {"home_care": 3.5}, {"home_care": 5.25}]),
                ),
                q(
                    "pc_toilet",
                    "How much help do you need to use the toilet and manage continence?",
                    "This includes using pads or a catheter.",
                    ["toilet"],
                    levels(
                        [{"home_care": 1.75}, {"home_care": 5.25}, {"home_care": 10.5}],
                        extra=option(
                            "two",
                            TWO,
                            {"home_care": 21},
                            hint="Two carers at each visit: two-to-one support",
                            complex=True,
                        ),
                    ),
                ),
                q(
                    "pc_moving",
                    "How much help do you need to move around your home and get in and out of bed or a chair?",
                    "Think about walking, using stairs and transferring.",
                    ["home_safety"],
                    levels(
                        [{"home_care": 1}, {"home_care": 3.5}, {"home_care": 7}],
                        extra=option(
                            "two",
                            "Two people and equipment such as a hoist",
                            {"home_care": 14},
                            hint="Two carers at each transfer: two-to-one support",
                            complex=True,
                        ),
                    ),
                ),
                q(
                    "pc_medication",
                    "How much help do you need to take your medicines?",
                    "",
                    ["home_safety"],
                    levels(
                        [{"telecare": 1}, {"home_care": 1.75}, {"home_care": 3.5}],
                        none="I do not take medicines, or I manage them myself",
                        some="I need reminding",
                        lot="Someone needs to give them to me",
                        all_="Someone needs to give them and watch for side effects",
                    ),
                ),
                q(
                    "pc_night",
                    "Do you need support during the night?",
                    "",
                    ["toilet", "hygiene", "home_safety"],
                    [
                        option("none", "No"),
                        option(
                            "sometimes",
                            "Now and then",
                            {"telecare": 1, "home_care": 1},
                            hint="A call or a visit some nights",
                        ),
                        option(
                            "most",
                            "Most nights, with someone sleeping nearby",
                            {"sleeping_night": 7},
                            hint="A sleep-in every night",
                        ),
                        option(
                            "all",
                            "Someone needs to be awake with me every night",
                            {"waking_night": 7},
                            hint="A waking night every night",
                            complex=True,
                        ),
                    ],
                ),
            ],
        },
        {
            "code": "communication",
            "title": "Communication and decisions",
            "description": "Understanding, being understood, remembering and making decisions.",
            "questions": [
                q(
                    "comm_understand",
                    "How much help do you need to understand information and make yourself understood?",
                    "Think about talking, hearing, seeing, reading, sign language or easy read.",
                    ["relationships", "community"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 3},
                            {"personal_assistant": 6},
                        ]
                    ),
                ),
                q(
                    "comm_decisions",
                    "How much help do you need to make decisions about your day-to-day life?",
                    "For example, what to eat, what to wear, or whether to go out.",
                    ["habitable_home", "nutrition", "community"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 3},
                            {"home_care": 3.5, "personal_assistant": 3},
                        ],
                        some="I need some help to think things through",
                        lot="I need help with most decisions",
                        all_="Someone needs to make most decisions with me",
                    ),
                ),
                q(
                    "comm_memory",
                    "How much help do you need to remember things you need to do each day?",
                    "For example, meals, medicines, appointments, or locking the door.",
                    ["nutrition", "hygiene", "home_safety"],
                    levels(
                        [{"telecare": 1, "home_care": 1}, {"home_care": 3.5}, {"home_care": 7}],
                        some="I need reminding now and then",
                        lot="I need reminding every day",
                        all_="I need someone to prompt me through the day",
                    ),
                ),
                q(
                    "comm_sensory",
                    "Do you need help to get around or stay in touch because of sight or hearing loss?",
                    "For example, a guide or a communicator, or equipment and training.",
                    ["community", "home_safety"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 3},
                            {"personal_assistant": 6},
                        ],
                        none="No",
                        some="Yes, a little",
                        lot="Yes, every week",
                        all_="Yes, most days",
                    ),
                ),
            ],
        },
        {
            "code": "relationships_social",
            "title": "Relationships and social activities",
            "description": "Keeping in touch with people and doing things you enjoy.",
            "questions": [
                q(
                    "soc_contact",
                    "How much help do you need to keep in touch with family and friends?",
                    "For example, phoning, video calls or visiting.",
                    ["relationships"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 2},
                            {"personal_assistant": 4},
                        ]
                    ),
                ),
                q(
                    "soc_activities",
                    "How much help do you need to take part in activities you enjoy?",
                    "",
                    ["community"],
                    levels(
                        [
                            {"personal_assistant": 2},
                            {"day_service": 1},
                            {"day_service": 2},
                        ]
                    ),
                ),
                q(
                    "soc_out",
                    "How much help do you need to get out and about in your community?",
                    "For example, using buses, going to the shops, library or a place of worship.",
                    ["community"],
                    levels(
                        [
                            {"personal_assistant": 2},
                            {"personal_assistant": 4},
                            {"personal_assistant": 8},
                        ]
                    ),
                ),
                q(
                    "soc_lonely",
                    "How often do you feel lonely or cut off from other people?",
                    "",
                    ["relationships"],
                    [
                        option("never", "Hardly ever"),
                        option("sometimes", "Sometimes", {"personal_assistant": 0.5}),
                        option("often", "Often", {"personal_assistant": 1}),
                        option("always", "Most of the time", {"personal_assistant": 2}),
                    ],
                ),
            ],
        },
        {
            "code": "work_learning",
            "title": "Work, learning and volunteering",
            "description": "Support to work, study or volunteer, if you want to.",
            "questions": [
                q(
                    "wl_work",
                    "How much help do you need to find or keep paid work?",
                    "Answer ‘I do not need help’ if you do not want to work.",
                    ["work_learning"],
                    levels(
                        [
                            {"personal_assistant": 2},
                            {"personal_assistant": 5},
                            {"personal_assistant": 10},
                        ],
                        none="I do not need help",
                    ),
                    reducible=False,
                ),
                q(
                    "wl_learning",
                    "How much help do you need to go to college or learn new skills?",
                    "",
                    ["work_learning"],
                    levels(
                        [{"personal_assistant": 2}, {"day_service": 1}, {"day_service": 2}],
                        none="I do not need help",
                    ),
                    reducible=False,
                ),
                q(
                    "wl_volunteering",
                    "How much help do you need to volunteer or join community groups?",
                    "",
                    ["work_learning", "community"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 2},
                            {"personal_assistant": 4},
                        ],
                        none="I do not need help",
                    ),
                    reducible=False,
                ),
                q(
                    "wl_travel",
                    "How much help do you need to travel to work, learning or volunteering?",
                    "",
                    ["work_learning", "community"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 2},
                            {"personal_assistant": 4},
                        ],
                        none="I do not need help",
                    ),
                    reducible=False,
                ),
            ],
        },
        {
            "code": "caring_for_others",
            "title": "Caring for others",
            "description": "Support with any caring you do for a child.",
            "questions": [
                q(
                    "care_child",
                    "Do you look after a child under 18?",
                    "",
                    ["caring_for_child"],
                    [
                        option("no", "No"),
                        option(
                            "some", "Yes, and I need some help to do it", {"personal_assistant": 3}
                        ),
                        option(
                            "lot",
                            "Yes, and I need a lot of help to do it",
                            {"personal_assistant": 8},
                        ),
                    ],
                    reducible=False,
                ),
                {
                    # Caring for another adult is not one of the adult outcomes (Eligibility
                    # Regulations 2015 reg 2(2)): it scores nothing here. The person may have a
                    # carer's assessment of their own (Care Act 2014 s10), asked for below.
                    "code": "care_adult",
                    "text": "Do you look after another adult?",
                    "hint": "If you do, you can also ask for a carer’s assessment of your own needs as a carer.",
                    "informal_support": False,
                    "options": [
                        option("no", "No"),
                        option("yes", "Yes"),
                    ],
                },
                q(
                    "care_tasks",
                    "How much help do you need with the practical side of looking after a child?",
                    "For example, school runs, appointments and getting them ready for the day.",
                    ["caring_for_child"],
                    [
                        option(
                            "no_one",
                            "I do not look after anyone",
                            excludes={"care_child": ["some", "lot"], "care_adult": ["yes"]},
                        ),
                        option("none", "I need no help"),
                        option("some", "A little", {"personal_assistant": 2}),
                        option("lot", "A lot", {"personal_assistant": 5}),
                        option(
                            "all",
                            "Someone needs to do most of it with me",
                            {"personal_assistant": 10},
                        ),
                    ],
                    reducible=False,
                ),
            ],
        },
        {
            "code": "staying_safe",
            "title": "Staying safe",
            "description": "Risks to you, or from you, and how much someone needs to be around.",
            "questions": [
                q(
                    "safe_risk_others",
                    "Are you at risk of harm from other people?",
                    "For example, being taken advantage of, bullied or exploited.",
                    ["home_safety", "community", "relationships"],
                    levels(
                        [
                            {"personal_assistant": 1},
                            {"personal_assistant": 4},
                            {"personal_assistant": 10},
                        ],
                        none="No",
                        some="Sometimes",
                        lot="Often",
                        all_="I am at serious risk without support",
                    ),
                    reducible=False,
                ),
                q(
                    "safe_self",
                    "Are you at risk of harming yourself, or of not looking after yourself?",
                    "",
                    ["home_safety", "nutrition", "hygiene"],
                    levels(
                        [{"home_care": 1}, {"home_care": 3.5}, {"home_care": 7}],
                        none="No",
                        some="Sometimes",
                        lot="Often",
                        all_="I am at serious risk without support",
                    ),
                    reducible=False,
                ),
                q(
                    "safe_behaviour",
                    "Does your behaviour sometimes put you or other people at risk?",
                    "",
                    ["home_safety", "community", "relationships"],
                    [
                        option("none", "No"),
                        option("some", "Now and then", {"personal_assistant": 2}),
                        option("lot", "Often", {"supported_living": 5}),
                        option(
                            "all",
                            "Every day, and I need planned specialist support",
                            {"specialist_support": 20},
                            hint="Behaviour that challenges, with positive behaviour support",
                            complex=True,
                        ),
                    ],
                    reducible=False,
                ),
                q(
                    "safe_supervision",
                    "How much of the day does someone need to be with you to keep you safe?",
                    "",
                    ["home_safety", "community"],
                    [
                        option("none", "No one needs to be with me"),
                        option(
                            "checks",
                            "Someone needs to check on me",
                            {"telecare": 1, "home_care": 1.75},
                        ),
                        option("part", "Part of the day", {"supported_living": 28}),
                        option("most", "Most of the day", {"supported_living": 56}),
                        option(
                            "all",
                            "All day and night",
                            {"supported_living": 112, "waking_night": 7},
                            hint="24-hour supervision",
                            complex=True,
                            excludes={"pc_night": ["none"]},
                        ),
                    ],
                    reducible=False,
                ),
                q(
                    "safe_falls",
                    "How often do you fall?",
                    "",
                    ["home_safety"],
                    [
                        option("never", "I have not fallen in the last year"),
                        option("once", "Once in the last year", {"telecare": 1}),
                        option(
                            "few", "A few times in the last year", {"telecare": 1, "home_care": 1}
                        ),
                        option("often", "Every month or more", {"telecare": 1, "home_care": 2}),
                    ],
                    reducible=False,
                ),
            ],
        },
        {
            "code": "family_friends",
            "title": "Support from family and friends",
            "description": "Help you get without paying for it. It reduces the points for the needs it meets, "
            "but never for keeping safe, work and learning, or caring for a child.",
            "questions": [
                informal(
                    "ff_how_much",
                    "How much of your day-to-day support do family or friends give?",
                    "Only count help they are willing and able to give.",
                    [
                        ("none", "None", 0),
                        ("little", "A little", 5),
                        ("some", "Some", 10),
                        ("lot", "A lot", 20),
                        ("most", "Nearly all of it", 30),
                    ],
                ),
                informal(
                    "ff_live_with",
                    "Does the person who supports you most live with you?",
                    "",
                    [("no", "No, or no one supports me", 0), ("yes", "Yes", 5)],
                ),
                informal(
                    "ff_sustainable",
                    "Can they keep giving this support?",
                    "Think about their health, work and other responsibilities, and whether they want to.",
                    [
                        (
                            "no",
                            "No: they cannot or do not want to go on",
                            0,
                            {"no_reduction": True},
                        ),
                        ("breaks", "Yes, if they get breaks", 0, {"not_more_than": "yes"}),
                        ("yes", "Yes", 5),
                    ],
                ),
                informal(
                    "ff_night",
                    "Do family or friends help you during the night?",
                    "",
                    [
                        ("no", "No", 0),
                        ("sometimes", "Sometimes", 3),
                        ("most", "Most nights", 5),
                    ],
                ),
            ],
        },
    ],
    "informal_support": {"cap_percent": 40},
    "allocation": {
        "method": "price_per_point",
        "fixed_amount": FIXED_AMOUNT,
        "price_per_point": PRICE_PER_POINT,
    },
    "limits": {"minimum": "0.00", "maximum": MAXIMUM},
}

CARER = {
    "format": "selfdirect-ras/1",
    "kind": "carer",
    "period": "year",
    "domains": [
        {
            "code": "caring_role",
            "title": "Your caring role",
            "description": "The care you give and how much of your time it takes.",
            "questions": [
                carer_q(
                    "cr_hours",
                    ["caring_for_others"],
                    "How many hours a week do you spend caring?",
                    "",
                    [
                        ("under_10", "Under 10 hours", "", 0),
                        ("h10_19", "10 to 19 hours", "", 4),
                        ("h20_34", "20 to 34 hours", "", 8),
                        ("h35_49", "35 to 49 hours", "", 12),
                        ("h50", "50 hours or more", "", 16),
                    ],
                ),
                carer_q(
                    "cr_night",
                    ["caring_for_others", "carer_health"],
                    "How often are you up in the night because of caring?",
                    "",
                    [
                        ("never", "Hardly ever", "", 0),
                        ("sometimes", "Sometimes", "", 3),
                        ("most", "Most nights", "", 7),
                    ],
                ),
                carer_q(
                    "cr_tasks",
                    ["caring_for_others"],
                    "Which best describes the care you give?",
                    "",
                    [
                        ("company", "Keeping them company and checking on them", "", 0),
                        ("practical", "Practical help, like shopping and cooking", "", 3),
                        ("personal", "Personal care, like washing and dressing", "", 7),
                        ("all", "Personal care, and keeping them safe day and night", "", 11),
                    ],
                ),
                carer_q(
                    "cr_alternative",
                    ["caring_for_others"],
                    "If you could not care tomorrow, would anyone else step in?",
                    "",
                    [
                        ("yes", "Yes", "", 0),
                        ("maybe", "Maybe, for a short time", "", 2),
                        ("no", "No", "", 4),
                    ],
                ),
            ],
        },
        {
            "code": "wellbeing",
            "title": "Your health and wellbeing",
            "description": "How caring affects your own health.",
            "questions": [
                carer_q(
                    "wb_health",
                    ["carer_health"],
                    "How is caring affecting your health?",
                    "",
                    [
                        ("no", "It is not", "", 0),
                        ("little", "A little", "", 3),
                        ("lot", "A lot", "", 7),
                        ("unwell", "I am unwell because of it", "", 11),
                    ],
                ),
                carer_q(
                    "wb_sleep",
                    ["carer_health"],
                    "Do you get enough sleep?",
                    "",
                    [
                        ("yes", "Yes", "", 0),
                        ("sometimes", "Sometimes not", "", 2),
                        ("rarely", "Rarely", "", 5),
                    ],
                ),
                carer_q(
                    "wb_stress",
                    ["carer_health"],
                    "How stressed do you feel about caring?",
                    "",
                    [
                        ("no", "Not at all", "", 0),
                        ("little", "A little", "", 2),
                        ("lot", "A lot", "", 5),
                        ("overwhelmed", "I feel overwhelmed", "", 8),
                    ],
                ),
            ],
        },
        {
            "code": "life",
            "title": "Your life outside caring",
            "description": "Breaks, work, learning and time for yourself.",
            "questions": [
                carer_q(
                    "life_breaks",
                    ["recreation", "carer_health"],
                    "When did you last have a break from caring?",
                    "",
                    [
                        ("month", "In the last month", "", 0),
                        ("half_year", "In the last 6 months", "", 3),
                        ("longer", "More than 6 months ago", "", 6),
                        ("never", "Never", "", 9),
                    ],
                ),
                carer_q(
                    "life_work",
                    ["work_learning"],
                    "Is caring affecting your work or learning?",
                    "",
                    [
                        ("no", "No, or I am not working or learning", "", 0),
                        ("little", "A little", "", 2),
                        ("lot", "A lot", "", 5),
                        ("stopped", "I had to give up work or learning", "", 7),
                    ],
                ),
                carer_q(
                    "life_social",
                    ["relationships", "recreation"],
                    "Do you get time to see friends or do things you enjoy?",
                    "",
                    [
                        ("often", "Often", "", 0),
                        ("sometimes", "Sometimes", "", 2),
                        ("rarely", "Rarely", "", 4),
                        ("never", "Never", "", 6),
                    ],
                ),
                carer_q(
                    "life_other_caring",
                    ["caring_for_child", "caring_for_others"],
                    "Do you also look after a child or someone else?",
                    "",
                    [("no", "No", "", 0), ("yes", "Yes", "", 4)],
                ),
            ],
        },
    ],
    "informal_support": {"cap_percent": 0},
    "allocation": {
        "method": "bands",
        "bands": [
            {"min_points": 0, "amount": "0.00"},
            {"min_points": 12, "amount": "200.00"},
            {"min_points": 25, "amount": "400.00"},
            {"min_points": 40, "amount": "650.00"},
            {"min_points": 55, "amount": "900.00"},
            {"min_points": 70, "amount": "1200.00"},
        ],
    },
    "limits": {"minimum": "0.00", "maximum": "1500.00"},
}


if __name__ == "__main__":
    for name, scheme in [("default_person.json", PERSON), ("default_carer.json", CARER)]:
        (HERE / name).write_text(json.dumps(scheme, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {name}")
