"""Eligibility under the Care Act 2014: the rules of the Care and Support (Eligibility
Criteria) Regulations 2015, as plain functions. No Django imports.

An adult is eligible when their needs arise from a physical or mental impairment or
illness, they are unable to achieve two or more of the ten outcomes, and as a result
there is (or is likely to be) a significant impact on their wellbeing (regulation 2).
A carer is eligible when their needs arise from providing necessary care, their health
is at risk or they cannot achieve one or more of the carers' outcomes, and as a result
there is (or is likely to be) a significant impact on their wellbeing (regulation 3).
"""

from dataclasses import dataclass

ADULT_OUTCOMES = [
    ("nutrition", "Managing and maintaining nutrition"),
    ("hygiene", "Maintaining personal hygiene"),
    ("toilet", "Managing toilet needs"),
    ("clothing", "Being appropriately clothed"),
    ("home_safety", "Being able to make use of the home safely"),
    ("habitable_home", "Maintaining a habitable home environment"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    ("work_learning", "Accessing and engaging in work, training, education or volunteering"),
    (
        "community",
        "Making use of necessary facilities or services in the local community, "
        "including public transport and recreational facilities or services",
    ),
    ("caring_for_child", "Carrying out any caring responsibilities for a child"),
]

CARER_OUTCOMES = [
    ("caring_for_child", "Carrying out any caring responsibilities for a child"),
    ("caring_for_others", "Providing care to other persons for whom the carer provides care"),
    ("habitable_home", "Maintaining a habitable home environment"),
    ("nutrition", "Managing and maintaining nutrition"),
    (
        "relationships",
        "Developing and maintaining family or other significant personal relationships",
    ),
    ("work_learning", "Engaging in work, training, education or volunteering"),
    ("community", "Making use of necessary facilities or services in the local community"),
    ("recreation", "Engaging in recreational activities"),
]


def outcomes_for(kind: str) -> list[tuple[str, str]]:
    return CARER_OUTCOMES if kind == "carer" else ADULT_OUTCOMES


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    reasons: tuple[str, ...]


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
    unknown = unable - known
    if unknown:
        raise ValueError(f"Unknown outcomes: {', '.join(sorted(unknown))}")
    reasons = []
    if kind == "carer":
        if not arises_from_condition:
            reasons.append("The needs do not arise from providing necessary care")
        if not (health_at_risk or unable):
            reasons.append("The carer's health is not at risk and they can achieve every outcome")
    else:
        if not arises_from_condition:
            reasons.append("The needs do not arise from a physical or mental impairment or illness")
        if len(unable) < 2:
            reasons.append(f"Unable to achieve {len(unable)} outcome(s): two or more are needed")
    if not significant_impact:
        reasons.append("There is no significant impact on wellbeing")
    if reasons:
        return EligibilityResult(False, tuple(reasons))
    if kind == "carer":
        because = (
            "health at risk" if health_at_risk else f"unable to achieve {len(unable)} outcome(s)"
        )
        return EligibilityResult(
            True, (f"Needs arise from caring, {because}, significant impact on wellbeing",)
        )
    return EligibilityResult(
        True,
        (
            f"Needs arise from an impairment or illness, unable to achieve {len(unable)} outcomes, "
            "significant impact on wellbeing",
        ),
    )
