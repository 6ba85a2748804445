"""Code lists for the person record. Pure data, no Django imports.

Where a national return defines a list, the code we store maps one to one to its value:

- Primary support reason, ethnicity, sex ("Gender" in the return) and client type are the
  defined lists of NHS England's Adult Social Care Client Level Data (CLD) specification,
  release 1 (in force from 1 April 2023; the lists NHS England's own cleaning code checks
  against, NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations). `CLD_*` below give
  the exact value a return writes for each code; labels are those words, made plainer only
  where the return's wording would confuse a practitioner.
- Religion, sexual orientation and legal partnership status are the 2021 Census (ONS)
  categories for England, so local figures compare with the census.

The Equality Act 2010 protected characteristics (s4) are each recorded: age (date of birth),
disability (support reason and conditions), gender reassignment (gender identity), marriage
and civil partnership, pregnancy and maternity, race (ethnic group), religion or belief, sex
and sexual orientation. Every equality question is optional: a person may prefer not to say,
and "Not asked" keeps an unasked question apart from a refusal.
"""

# --- Client Level Data defined lists -----------------------------------------------------

PRIMARY_SUPPORT_REASONS = [
    ("physical_access_mobility", "Physical Support: Access & mobility only"),
    ("physical_personal_care", "Physical Support: Personal care support"),
    ("sensory_visual", "Sensory Support: Support for visual impairment"),
    ("sensory_hearing", "Sensory Support: Support for hearing impairment"),
    ("sensory_dual", "Sensory Support: Support for dual impairment"),
    ("memory_cognition", "Support with Memory & Cognition"),
    ("learning_disability", "Learning Disability Support"),
    ("mental_health", "Mental Health Support"),
    ("social_substance_misuse", "Social Support: Substance misuse support"),
    ("social_asylum_seeker", "Social Support: Asylum seeker support"),
    ("social_isolation_other", "Social Support: Support for Social Isolation/Other"),
    # A service user whose support is mainly there to help their carer (a sitting service so
    # the carer can rest, for example). It never describes a carer: a carer is a client type.
    (
        "social_support_to_carer",
        "Social Support: Support to Carer (the person’s support mainly helps their carer)",
    ),
    ("unknown", "Unknown"),
]
# A carer's own record has no primary support reason: the return leaves it blank.
NO_SUPPORT_REASON = ""
NO_SUPPORT_REASON_LABEL = "Not applicable: a carer’s own record"
CLD_PRIMARY_SUPPORT_REASON = {
    "physical_access_mobility": "Physical Support: Access & mobility only",
    "physical_personal_care": "Physical Support: Personal care support",
    "sensory_visual": "Sensory Support: Support for visual impairment",
    "sensory_hearing": "Sensory Support: Support for hearing impairment",
    "sensory_dual": "Sensory Support: Support for dual impairment",
    "memory_cognition": "Support with Memory & Cognition",
    "learning_disability": "Learning Disability Support",
    "mental_health": "Mental Health Support",
    "social_substance_misuse": "Social Support: Substance misuse support",
    "social_asylum_seeker": "Social Support: Asylum seeker support",
    "social_isolation_other": "Social Support: Support for Social Isolation/Other",
    "social_support_to_carer": "Social Support: Support to Carer",
    "unknown": "Unknown",
}

CLIENT_TYPES = [
    ("service_user", "Service User"),
    ("carer", "Carer"),
    ("carer_by_association", "Carer known by association"),
]
CLIENT_TYPE_HINTS = {
    "service_user": "Has care and support needs of their own (a carer who also has needs of "
    "their own is a service user too)",
    "carer": "An unpaid carer the council is in touch with about their caring: a carer’s "
    "assessment, review or support",
    "carer_by_association": "An unpaid carer known only because they take part in the "
    "assessment or care of the person they look after",
}
CARER_TYPES = ("carer", "carer_by_association")
CLD_CLIENT_TYPE = dict(CLIENT_TYPES)

ETHNIC_GROUPS = [
    ("white_british", "White - English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White - Irish"),
    ("white_gypsy_traveller", "White - Gypsy or Irish Traveller"),
    ("white_roma", "White - Roma"),
    ("white_other", "White - Any other White background"),
    ("mixed_white_black_caribbean", "Mixed or multiple ethnic groups - White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or multiple ethnic groups - White and Black African"),
    ("mixed_white_asian", "Mixed or multiple ethnic groups - White and Asian"),
    (
        "mixed_other",
        "Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background",
    ),
    ("asian_indian", "Asian or Asian British - Indian"),
    ("asian_pakistani", "Asian or Asian British - Pakistani"),
    ("asian_bangladeshi", "Asian or Asian British - Bangladeshi"),
    ("asian_chinese", "Asian or Asian British - Chinese"),
    ("asian_other", "Asian or Asian British - Any other Asian background"),
    ("black_african", "Black, Black British, Caribbean or African - African"),
    ("black_caribbean", "Black, Black British, Caribbean or African - Caribbean"),
    (
        "black_other",
        "Black, Black British, Caribbean or African - Any other Black, Black British or "
        "Caribbean background",
    ),
    ("other_arab", "Other ethnic group - Arab"),
    ("other_any", "Other ethnic group - Any other ethnic group"),
    ("refused", "No data - Refused (the person prefers not to say)"),
    ("not_stated", "No data - Undeclared or Not known"),
]
CLD_ETHNICITY = {
    code: label.removesuffix(" (the person prefers not to say)") for code, label in ETHNIC_GROUPS
}
# The return's six high-level groups, for equality breakdowns (in the return's order).
ETHNIC_BROAD_GROUPS = [
    "White",
    "Mixed or multiple ethnic groups",
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Other ethnic group",
    "No data",
]
ETHNIC_GROUP_BROAD = {
    code: (
        "No data"
        if code in ("refused", "not_stated")
        else {
            "white": "White",
            "mixed": "Mixed or multiple ethnic groups",
            "asian": "Asian or Asian British",
            "black": "Black, Black British, Caribbean or African",
            "other": "Other ethnic group",
        }[code.split("_", 1)[0]]
    )
    for code, _label in ETHNIC_GROUPS
}

# Sex, as the return's "Gender" list has it. Gender identity is asked separately (below), so
# the return's "Other" is not offered here.
SEXES = [
    ("female", "Female"),
    ("male", "Male"),
    ("not_known", "Unknown"),
]
CLD_GENDER = {"female": "Female", "male": "Male", "not_known": "Unknown"}

# --- 2021 Census categories and the Equality Act 2010 ---------------------------------------

# Gender reassignment (s7), asked as the 2021 Census asked it.
GENDER_IDENTITY = [
    ("same", "The same as sex registered at birth"),
    ("different", "Different from sex registered at birth"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]

# Religion or belief (s10): "What is your religion?", 2021 Census.
RELIGIONS = [
    ("no_religion", "No religion"),
    ("christian", "Christian (all denominations)"),
    ("buddhist", "Buddhist"),
    ("hindu", "Hindu"),
    ("jewish", "Jewish"),
    ("muslim", "Muslim"),
    ("sikh", "Sikh"),
    ("other", "Any other religion or belief"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]

# Sexual orientation (s12): 2021 Census, asked of people aged 16 and over.
SEXUAL_ORIENTATIONS = [
    ("straight", "Straight or heterosexual"),
    ("gay_lesbian", "Gay or lesbian"),
    ("bisexual", "Bisexual"),
    ("other", "Another sexual orientation"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]

# Legal partnership status, 2021 Census. Marriage and civil partnership (s8) is the
# characteristic of being married or a civil partner, separated or not.
LEGAL_PARTNERSHIP = [
    ("never", "Never married and never registered a civil partnership"),
    ("married", "Married"),
    ("civil_partnership", "In a registered civil partnership"),
    ("separated_married", "Separated, but still legally married"),
    ("separated_civil_partnership", "Separated, but still legally in a civil partnership"),
    ("divorced", "Divorced"),
    ("dissolved", "Formerly in a civil partnership which is now legally dissolved"),
    ("widowed", "Widowed"),
    ("surviving_civil_partner", "Surviving partner from a civil partnership"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]
MARRIED_OR_CIVIL_PARTNER = (
    "married",
    "civil_partnership",
    "separated_married",
    "separated_civil_partnership",
)
# The protected characteristic itself, for equality breakdowns.
PARTNERSHIP_GROUPS = [
    "Married or in a civil partnership",
    "Not married or in a civil partnership",
    "Prefers not to say",
    "Not asked",
]
PARTNERSHIP_GROUP = {
    code: (
        "Married or in a civil partnership"
        if code in MARRIED_OR_CIVIL_PARTNER
        else label
        if code in ("prefer_not_to_say", "not_asked")
        else "Not married or in a civil partnership"
    )
    for code, label in LEGAL_PARTNERSHIP
}

# Pregnancy and maternity (s4, s17): outside work, protection runs from pregnancy to 26 weeks
# after the birth (s17(3)-(4)).
PREGNANCY_MATERNITY = [
    ("pregnant", "Pregnant"),
    ("maternity", "Gave birth in the last 26 weeks"),
    ("neither", "Neither"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]

EQUALITY_FIELDS = (
    "gender_identity",
    "religion",
    "sexual_orientation",
    "legal_partnership_status",
    "pregnancy_maternity",
)

CAPACITY = [
    ("has_capacity", "Has capacity to manage their own affairs"),
    ("lacks_capacity", "Lacks capacity (assessed under the Mental Capacity Act 2005)"),
    ("fluctuating", "Capacity fluctuates"),
    ("not_assessed", "Not assessed"),
]

CONTACT_METHODS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
]

# Conditions recorded as yes or no, in the order the person form shows them.
CONDITION_FLAGS = [
    ("has_dementia", "Dementia"),
    ("has_visual_impairment", "Visual impairment"),
    ("has_hearing_impairment", "Hearing impairment"),
    ("has_autism", "Autism"),
    ("has_unpaid_carer", "Has an unpaid carer"),
]
