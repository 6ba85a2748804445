"""The roles of DESIGN.md §1, and which of them are council staff.

Kept free of Django imports so access rules can be read (and tested) on their own.
"""

from enum import StrEnum


class Role(StrEnum):
    PERSON = "person"
    REPRESENTATIVE = "representative"
    CARER = "carer"
    PRACTITIONER = "practitioner"
    APPROVER = "approver"
    FINANCE = "finance"
    COMMISSIONER = "commissioner"
    PROVIDER = "provider"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.PERSON: "Person",
    Role.REPRESENTATIVE: "Representative",
    Role.CARER: "Carer",
    Role.PRACTITIONER: "Practitioner",
    Role.APPROVER: "Approver",
    Role.FINANCE: "Finance officer",
    Role.COMMISSIONER: "Commissioner",
    Role.PROVIDER: "Provider",
    Role.ADMIN: "Administrator",
}

# Council staff: they sign in with a second factor and may open a record outside
# their caseload only by giving a reason (break-glass).
STAFF_ROLES = frozenset(
    {Role.PRACTITIONER, Role.APPROVER, Role.FINANCE, Role.COMMISSIONER, Role.ADMIN}
)
# Staff who hold a team caseload.
CASELOAD_ROLES = frozenset({Role.PRACTITIONER, Role.APPROVER})
# Staff who may create and change person records they can see.
RECORD_EDITOR_ROLES = frozenset({Role.PRACTITIONER, Role.APPROVER})
# People who use the service themselves (the citizen portal).
CITIZEN_ROLES = frozenset({Role.PERSON, Role.REPRESENTATIVE, Role.CARER})
