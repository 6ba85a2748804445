"""Eligibility under the Care Act 2014, as the Care and Support (Eligibility Criteria)
Regulations 2015 say it. No Django imports.

An adult's needs meet the criteria (reg 2(1)) when (a) they arise from or are related to a
physical or mental impairment or illness; (b) as a result the adult is unable to achieve
two or more of the outcomes in reg 2(2); and (c) as a consequence there is, or is likely to
be, a significant impact on the adult's well-being (the areas of s1(2) of the Act).

A carer's needs meet the criteria (reg 3(1)) when (a) they arise as a consequence of
providing necessary care for an adult; (b) the carer's physical or mental health is, or is
at risk of, deteriorating, or the carer is unable to achieve any of the outcomes in
reg 3(2)(b); and (c) as a consequence there is, or is likely to be, a significant impact on
the carer's well-being.

"Unable to achieve" has four meanings for an adult (reg 2(3)) and three for a carer
(reg 3(3): taking significantly longer is not one of them). Where needs fluctuate, the
decision takes account of the person's circumstances over the period needed to establish
their level of need accurately (reg 2(4), reg 3(4); Assessment Regulations reg 3(3)). Needs
an unpaid carer is meeting are still eligible needs (s18(7); statutory guidance 10.26).
"""

from dataclasses import dataclass, field

# Regulation 2(2), in its own words.
ADULT_OUTCOMES = [
    ("nutrition", "Managing and maintaining nutrition"),
    ("hygiene", "Maintaining personal hygiene"),
    ("toilet", "Managing toilet needs"),
    ("clothing", "Being appropriately clothed"),
    ("home_safety", "Being able to make use of the adult’s home safely"),
    ("habitable_home", "Maintaining a habitable home environment"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    ("work_learning", "Accessing and engaging in work, training, education or volunteering"),
    (
        "community",
        "Making use of necessary facilities or services in the local community including "
        "public transport, and recreational facilities or services",
    ),
    ("caring_for_child", "Carrying out any caring responsibilities the adult has for a child"),
]

# Regulation 3(2)(b), in its own words.
CARER_OUTCOMES = [
    ("caring_for_child", "Carrying out any caring responsibilities the carer has for a child"),
    ("caring_for_others", "Providing care to other persons for whom the carer provides care"),
    (
        "habitable_home",
        "Maintaining a habitable home environment in the carer’s home (whether or not this is "
        "also the home of the adult needing care)",
    ),
    ("nutrition", "Managing and maintaining nutrition"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    ("work_learning", "Engaging in work, training, education or volunteering"),
    (
        "community",
        "Making use of necessary facilities or services in the local community, including "
        "recreational facilities or services",
    ),
    ("recreation", "Engaging in recreational activities"),
]

# What "unable to achieve" means: regulation 2(3) for adults (a)-(d), 3(3) for carers (a)-(c).
WAYS_UNABLE = [
    ("without_assistance", "Unable to achieve it without assistance"),
    (
        "pain_distress_anxiety",
        "Able to achieve it without assistance, but doing so causes significant pain, "
        "distress or anxiety",
    ),
    (
        "endangers",
        "Able to achieve it without assistance, but doing so endangers or is likely to "
        "endanger their health or safety, or that of others",
    ),
    (
        "takes_longer",
        "Able to achieve it without assistance, but it takes significantly longer than "
        "would normally be expected",
    ),
]
CARER_WAYS = ("without_assistance", "pain_distress_anxiety", "endangers")  # reg 3(3)
ADULT_WAYS = tuple(code for code, _ in WAYS_UNABLE)  # reg 2(3)

# The areas of well-being in section 1(2) of the Care Act 2014.
WELLBEING_AREAS = [
    ("dignity", "Personal dignity (including treatment with respect)"),
    ("health", "Physical and mental health and emotional well-being"),
    ("protection", "Protection from abuse and neglect"),
    ("control", "Control over day-to-day life (including over care and support)"),
    ("participation", "Participation in work, education, training or recreation"),
    ("social_economic", "Social and economic well-being"),
    ("relationships", "Domestic, family and personal relationships"),
    ("accommodation", "Suitability of living accommodation"),
    ("contribution", "Their contribution to society"),
]

# Written advice when needs are not eligible (s13(5)): what can be done to meet or reduce the
# needs, and to prevent or delay the development of needs (s2; guidance 6.109-6.111, ch. 2).
ADVICE_TOPICS = [
    ("community", "Groups and services in your community that could help"),
    ("equipment", "Equipment and adaptations to make things easier and safer at home"),
    ("falls", "Keeping well and preventing falls"),
    ("carers", "Support for the people who help you, including a carer’s assessment"),
    ("money", "Benefits and money advice"),
    ("housing", "Housing and help to stay in your home"),
    ("health", "Health services, such as your GP or community nurses"),
    ("reassess", "How to ask us to look again if things change"),
]


def outcomes_for(kind: str) -> list[tuple[str, str]]:
    return CARER_OUTCOMES if kind == "carer" else ADULT_OUTCOMES


def ways_for(kind: str) -> list[tuple[str, str]]:
    allowed = CARER_WAYS if kind == "carer" else ADULT_WAYS
    return [(code, label) for code, label in WAYS_UNABLE if code in allowed]


@dataclass(frozen=True)
class OutcomeEvidence:
    """Why an outcome cannot be achieved: which of the ways apply, a note, and whether an
    unpaid carer is meeting the need now."""

    ways: tuple[str, ...] = ()
    note: str = ""
    met_by_carer: bool = False


@dataclass(frozen=True)
class Gap:
    """Something a decision's record lacks: a code, words, and the outcome it is about."""

    code: str
    message: str
    outcome: str | None = None


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    reasons: tuple[str, ...]
    problems: tuple[Gap, ...] = field(default=())


def problems(
    kind: str,
    *,
    unable: set[str],
    significant_impact: bool,
    evidence: dict[str, OutcomeEvidence] | None = None,
    wellbeing_areas: set[str] | frozenset[str] = frozenset(),
    fluctuates: bool = False,
    fluctuation_period: str = "",
) -> list[Gap]:
    """What a decision still lacks: the record the law asks for."""
    found = []
    known = {code for code, _ in outcomes_for(kind)}
    unknown = set(unable) - known
    if unknown:
        found.append(Gap("ELG-UNKNOWN-OUTCOME", f"Unknown outcomes: {', '.join(sorted(unknown))}"))
    allowed = set(CARER_WAYS if kind == "carer" else ADULT_WAYS)
    labels = dict(outcomes_for(kind))
    if evidence is not None:
        for code in sorted(set(unable) & known):
            item = evidence.get(code) or OutcomeEvidence()
            if not item.ways:
                found.append(
                    Gap(
                        "ELG-NO-WAY",
                        f"{labels[code]}: select how they are unable to achieve it",
                        code,
                    )
                )
            elif set(item.ways) - allowed:
                found.append(
                    Gap(
                        "ELG-WAY-NOT-FOR-KIND",
                        f"{labels[code]}: taking significantly longer is not one of the ways a "
                        "carer is unable to achieve an outcome (regulation 3(3))",
                        code,
                    )
                )
            if not item.note.strip():
                found.append(Gap("ELG-NO-NOTE", f"{labels[code]}: describe the evidence", code))
    if significant_impact and not wellbeing_areas:
        found.append(
            Gap(
                "ELG-NO-WELLBEING-AREA",
                "Select the areas of well-being the needs have a significant impact on",
            )
        )
    if fluctuates and not fluctuation_period.strip():
        found.append(
            Gap(
                "ELG-NO-PERIOD",
                "Needs fluctuate: say over what period you considered their circumstances",
            )
        )
    return found


def decide(
    kind: str,
    *,
    arises_from_condition: bool,
    unable: set[str],
    significant_impact: bool,
    health_at_risk: bool = False,
) -> EligibilityResult:
    """Apply the regulations; return the decision with each reason in words."""
    known = {code for code, _ in outcomes_for(kind)}
    unknown = set(unable) - known
    if unknown:
        raise ValueError(f"Unknown outcomes: {', '.join(sorted(unknown))}")
    reasons = []
    if kind == "carer":
        if not arises_from_condition:
            reasons.append("The needs do not arise from providing necessary care")
        if not (health_at_risk or unable):
            reasons.append(
                "The carer’s health is not deteriorating or at risk of deteriorating, and they "
                "can achieve every outcome"
            )
    else:
        if not arises_from_condition:
            reasons.append("The needs do not arise from a physical or mental impairment or illness")
        if len(unable) < 2:
            reasons.append(f"Unable to achieve {len(unable)} outcome(s): two or more are needed")
    if not significant_impact:
        reasons.append("There is no significant impact on well-being")
    if reasons:
        return EligibilityResult(False, tuple(reasons))
    if kind == "carer":
        because = (
            "health is, or is at risk of, deteriorating"
            if health_at_risk
            else f"unable to achieve {len(unable)} outcome(s)"
        )
        return EligibilityResult(
            True, (f"Needs arise from caring, {because}, significant impact on well-being",)
        )
    return EligibilityResult(
        True,
        (
            f"Needs arise from an impairment or illness, unable to achieve {len(unable)} outcomes, "
            "significant impact on well-being",
        ),
    )
