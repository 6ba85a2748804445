"""Code lists for the person record.

Primary support reasons are the Client Level Data (CLD) defined list, so national
returns need no mapping; ethnic groups are the 2021 Census categories for England.
Pure data, no Django imports.
"""

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
    ("social_support_to_carer", "Social Support: Support to Carer"),
    ("unknown", "Unknown"),
]

ETHNIC_GROUPS = [
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_roma", "White: Roma"),
    ("white_other", "White: Other White"),
    ("mixed_white_black_caribbean", "Mixed or Multiple ethnic groups: White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or Multiple ethnic groups: White and Black African"),
    ("mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"),
    ("mixed_other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups"),
    ("asian_indian", "Asian, Asian British or Asian Welsh: Indian"),
    ("asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"),
    ("asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"),
    ("asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"),
    ("asian_other", "Asian, Asian British or Asian Welsh: Other Asian"),
    ("black_african", "Black, Black British, Black Welsh, Caribbean or African: African"),
    ("black_caribbean", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"),
    ("black_other", "Black, Black British, Black Welsh, Caribbean or African: Other Black"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other_any", "Other ethnic group: Any other ethnic group"),
    ("not_stated", "Not stated"),
]

# The five high-level census groups, for equality breakdowns.
ETHNIC_GROUP_BROAD = {
    code: (
        "Not stated"
        if code == "not_stated"
        else {
            "white": "White",
            "mixed": "Mixed or Multiple ethnic groups",
            "asian": "Asian, Asian British or Asian Welsh",
            "black": "Black, Black British, Black Welsh, Caribbean or African",
            "other": "Other ethnic group",
        }[code.split("_", 1)[0]]
    )
    for code, _label in ETHNIC_GROUPS
}

SEXES = [
    ("female", "Female"),
    ("male", "Male"),
    ("not_known", "Not known"),
]

GENDER_IDENTITY = [
    ("same", "The same as sex registered at birth"),
    ("different", "Different from sex registered at birth"),
    ("prefer_not_to_say", "Prefers not to say"),
    ("not_asked", "Not asked"),
]

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
