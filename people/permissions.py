"""Who may see and change a person's record.

Seeing is `Person.objects.visible_to(user)` (people/models.py): a person sees themself, a
representative the people they represent, practitioners and approvers their team's
caseload, other staff only what they opened with a recorded reason. Changing a record
they can see is for practitioners and approvers.
"""

import rules

from core.permissions import edits_records, is_staff_member

rules.add_perm("people.view_person", rules.is_authenticated)  # narrowed by visible_to
rules.add_perm("people.change_person", edits_records)
rules.add_perm("people.add_person", edits_records)
rules.add_perm("people.break_glass", is_staff_member)
