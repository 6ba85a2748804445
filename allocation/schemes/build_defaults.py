"""Writes default_person.json and default_carer.json: the schemes Selfdirect ships with.

Kept as code so the questions read as a table; run `python allocation/schemes/build_defaults.py`
after changing them. The price per point was calibrated (least squares with a fixed amount)
on the synthetic demo council so demo budgets look like real ones; a council recalibrates
on its own caseload before going live.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def q(code, text, hint, options, informal=False):
    return {
        "code": code,
        "text": text,
        "hint": hint,
        "informal_support": informal,
        "options": [
            {
                "code": o_code,
                "label": label,
                "hint": o_hint,
                "points": 0 if informal else value,
                "reduction_percent": value if informal else 0,
            }
            for o_code, label, o_hint, value in options
        ],
    }


def levels(
    values,
    *,
    none="I can do this without help",
    some="I need a little help or reminding",
    lot="I need a lot of help",
    all_="Someone needs to do this for me",
    extra=None,
):
    labels = [("none", none, ""), ("some", some, ""), ("lot", lot, ""), ("all", all_, "")]
    options = [
        (code, label, hint, value)
        for (code, label, hint), value in zip(labels, values, strict=True)
    ]
    if extra:
        options.append(extra)
    return options


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
                    levels([0, 3, 6, 9]),
                ),
                q(
                    "home_shopping",
                    "How much help do you need with shopping for food and essentials?",
                    "This includes making a list, getting to the shops or ordering online, and putting things away.",
                    levels([0, 2, 5, 8]),
                ),
                q(
                    "home_money",
                    "How much help do you need to manage your money, post and bills?",
                    "For example, paying bills on time, understanding letters and keeping your money safe.",
                    levels([0, 2, 5, 8]),
                ),
                q(
                    "home_laundry",
                    "How much help do you need with washing and drying your clothes?",
                    "",
                    levels([0, 2, 4, 6]),
                ),
                q(
                    "home_safety",
                    "How much help do you need to use your home safely?",
                    "For example, locking doors, using the cooker and heating, and knowing what to do in an emergency.",
                    levels(
                        [0, 3, 7, 11],
                        some="I need someone to check now and then",
                        lot="I need someone to check every day",
                        all_="I cannot be left alone at home",
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
                    levels([0, 3, 7, 11]),
                ),
                q(
                    "eat_eating",
                    "How much help do you need to eat your meals?",
                    "For example, cutting up food, being reminded to eat, or being helped to eat.",
                    levels(
                        [0, 4, 9, 15],
                        some="I need reminding or encouraging",
                        lot="I need someone with me while I eat",
                        all_="Someone needs to feed me",
                    ),
                ),
                q(
                    "eat_drinking",
                    "How much help do you need to drink enough through the day?",
                    "",
                    levels(
                        [0, 2, 5, 8],
                        some="I need reminding",
                        lot="I need drinks made and handed to me",
                        all_="Someone needs to help me drink",
                    ),
                ),
                q(
                    "eat_diet",
                    "Do you have a special diet or difficulty swallowing?",
                    "For example, a diabetic diet, soft food, or thickened drinks.",
                    levels(
                        [0, 2, 5, 9],
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
                    levels([0, 4, 9, 15], extra=("two", "Two people need to help me", "", 20)),
                ),
                q(
                    "pc_dressing",
                    "How much help do you need to get dressed and undressed?",
                    "",
                    levels([0, 3, 7, 12]),
                ),
                q(
                    "pc_toilet",
                    "How much help do you need to use the toilet and manage continence?",
                    "This includes using pads or a catheter.",
                    levels([0, 4, 9, 15], extra=("two", "Two people need to help me", "", 20)),
                ),
                q(
                    "pc_moving",
                    "How much help do you need to move around your home and get in and out of bed or a chair?",
                    "Think about walking, using stairs and transferring.",
                    levels(
                        [0, 4, 9, 15],
                        extra=("two", "Two people and equipment such as a hoist", "", 20),
                    ),
                ),
                q(
                    "pc_medication",
                    "How much help do you need to take your medicines?",
                    "",
                    levels(
                        [0, 2, 4, 7],
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
                    levels(
                        [0, 5, 12, 20],
                        none="No",
                        some="Now and then",
                        lot="Most nights",
                        all_="Someone needs to be awake with me every night",
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
                    levels([0, 2, 4, 6]),
                ),
                q(
                    "soc_activities",
                    "How much help do you need to take part in activities you enjoy?",
                    "",
                    levels([0, 3, 6, 10]),
                ),
                q(
                    "soc_out",
                    "How much help do you need to get out and about in your community?",
                    "For example, using buses, going to the shops, library or a place of worship.",
                    levels([0, 3, 7, 11]),
                ),
                q(
                    "soc_lonely",
                    "How often do you feel lonely or cut off from other people?",
                    "",
                    [
                        ("never", "Hardly ever", "", 0),
                        ("sometimes", "Sometimes", "", 1),
                        ("often", "Often", "", 3),
                        ("always", "Most of the time", "", 5),
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
                    levels([0, 3, 6, 10], none="I do not need help"),
                ),
                q(
                    "wl_learning",
                    "How much help do you need to go to college or learn new skills?",
                    "",
                    levels([0, 3, 6, 9], none="I do not need help"),
                ),
                q(
                    "wl_volunteering",
                    "How much help do you need to volunteer or join community groups?",
                    "",
                    levels([0, 2, 4, 7], none="I do not need help"),
                ),
                q(
                    "wl_travel",
                    "How much help do you need to travel to work, learning or volunteering?",
                    "",
                    levels([0, 2, 5, 8], none="I do not need help"),
                ),
            ],
        },
        {
            "code": "caring_for_others",
            "title": "Caring for others",
            "description": "Support with any caring you do for a child or another adult.",
            "questions": [
                q(
                    "care_child",
                    "Do you look after a child under 18?",
                    "",
                    [
                        ("no", "No", "", 0),
                        ("some", "Yes, and I need some help to do it", "", 4),
                        ("lot", "Yes, and I need a lot of help to do it", "", 9),
                    ],
                ),
                q(
                    "care_adult",
                    "Do you look after another adult?",
                    "",
                    [
                        ("no", "No", "", 0),
                        ("some", "Yes, and I need some help to do it", "", 3),
                        ("lot", "Yes, and I need a lot of help to do it", "", 7),
                    ],
                ),
                q(
                    "care_tasks",
                    "How much help do you need with the practical side of caring?",
                    "For example, school runs, appointments, or helping the person you look after.",
                    levels([0, 3, 6, 10], none="I do not care for anyone, or I need no help"),
                ),
                q(
                    "care_pets",
                    "Do you need help to look after a pet or assistance animal?",
                    "",
                    [
                        ("no", "No", "", 0),
                        ("some", "Yes, a little", "", 1),
                        ("lot", "Yes, every day", "", 3),
                    ],
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
                    levels(
                        [0, 3, 8, 14],
                        none="No",
                        some="Sometimes",
                        lot="Often",
                        all_="I am at serious risk without support",
                    ),
                ),
                q(
                    "safe_self",
                    "Are you at risk of harming yourself, or of not looking after yourself?",
                    "",
                    levels(
                        [0, 4, 9, 16],
                        none="No",
                        some="Sometimes",
                        lot="Often",
                        all_="I am at serious risk without support",
                    ),
                ),
                q(
                    "safe_behaviour",
                    "Does your behaviour sometimes put you or other people at risk?",
                    "",
                    levels(
                        [0, 4, 10, 18],
                        none="No",
                        some="Now and then",
                        lot="Often",
                        all_="Every day, and I need planned support",
                    ),
                ),
                q(
                    "safe_supervision",
                    "How much of the day does someone need to be with you to keep you safe?",
                    "",
                    [
                        ("none", "No one needs to be with me", "", 0),
                        ("checks", "Someone needs to check on me", "", 4),
                        ("part", "Part of the day", "", 10),
                        ("most", "Most of the day", "", 18),
                        ("all", "All day and night", "", 26),
                    ],
                ),
                q(
                    "safe_falls",
                    "How often do you fall?",
                    "",
                    [
                        ("never", "I have not fallen in the last year", "", 0),
                        ("once", "Once in the last year", "", 2),
                        ("few", "A few times in the last year", "", 5),
                        ("often", "Every month or more", "", 9),
                    ],
                ),
            ],
        },
        {
            "code": "family_friends",
            "title": "Support from family and friends",
            "description": "Help you get without paying for it. It reduces the points, because some of your needs are already met.",
            "questions": [
                q(
                    "ff_how_much",
                    "How much of your day-to-day support do family or friends give?",
                    "Only count help they are willing and able to give.",
                    [
                        ("none", "None", "", 0),
                        ("little", "A little", "", 5),
                        ("some", "Some", "", 10),
                        ("lot", "A lot", "", 20),
                        ("most", "Nearly all of it", "", 30),
                    ],
                    informal=True,
                ),
                q(
                    "ff_live_with",
                    "Does the person who supports you most live with you?",
                    "",
                    [("no", "No, or no one supports me", "", 0), ("yes", "Yes", "", 5)],
                    informal=True,
                ),
                q(
                    "ff_sustainable",
                    "Can they keep giving this support?",
                    "Think about their health, work and other responsibilities.",
                    [
                        ("no", "No, or not for much longer", "", 0),
                        ("breaks", "Yes, if they get breaks", "", 3),
                        ("yes", "Yes", "", 5),
                    ],
                    informal=True,
                ),
                q(
                    "ff_night",
                    "Do family or friends help you during the night?",
                    "",
                    [
                        ("no", "No", "", 0),
                        ("sometimes", "Sometimes", "", 3),
                        ("most", "Most nights", "", 5),
                    ],
                    informal=True,
                ),
            ],
        },
    ],
    "informal_support": {"cap_percent": 40},
    "allocation": {"method": "price_per_point", "fixed_amount": "15.00", "price_per_point": "3.65"},
    "limits": {"minimum": "0.00", "maximum": "1500.00"},
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
                q(
                    "cr_hours",
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
                q(
                    "cr_night",
                    "How often are you up in the night because of caring?",
                    "",
                    [
                        ("never", "Hardly ever", "", 0),
                        ("sometimes", "Sometimes", "", 3),
                        ("most", "Most nights", "", 7),
                    ],
                ),
                q(
                    "cr_tasks",
                    "Which best describes the care you give?",
                    "",
                    [
                        ("company", "Keeping them company and checking on them", "", 0),
                        ("practical", "Practical help, like shopping and cooking", "", 3),
                        ("personal", "Personal care, like washing and dressing", "", 7),
                        ("all", "Personal care, and keeping them safe day and night", "", 11),
                    ],
                ),
                q(
                    "cr_alternative",
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
                q(
                    "wb_health",
                    "How is caring affecting your health?",
                    "",
                    [
                        ("no", "It is not", "", 0),
                        ("little", "A little", "", 3),
                        ("lot", "A lot", "", 7),
                        ("unwell", "I am unwell because of it", "", 11),
                    ],
                ),
                q(
                    "wb_sleep",
                    "Do you get enough sleep?",
                    "",
                    [
                        ("yes", "Yes", "", 0),
                        ("sometimes", "Sometimes not", "", 2),
                        ("rarely", "Rarely", "", 5),
                    ],
                ),
                q(
                    "wb_stress",
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
                q(
                    "life_breaks",
                    "When did you last have a break from caring?",
                    "",
                    [
                        ("month", "In the last month", "", 0),
                        ("half_year", "In the last 6 months", "", 3),
                        ("longer", "More than 6 months ago", "", 6),
                        ("never", "Never", "", 9),
                    ],
                ),
                q(
                    "life_work",
                    "Is caring affecting your work or learning?",
                    "",
                    [
                        ("no", "No, or I am not working or learning", "", 0),
                        ("little", "A little", "", 2),
                        ("lot", "A lot", "", 5),
                        ("stopped", "I had to give up work or learning", "", 7),
                    ],
                ),
                q(
                    "life_social",
                    "Do you get time to see friends or do things you enjoy?",
                    "",
                    [
                        ("often", "Often", "", 0),
                        ("sometimes", "Sometimes", "", 2),
                        ("rarely", "Rarely", "", 4),
                        ("never", "Never", "", 6),
                    ],
                ),
                q(
                    "life_other_caring",
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
