"""Who may see and change RAS schemes, versions and runs.

Live and retired versions are public policy: any council staff member reads them in the
pages, anyone signed in through the API. Drafts, calibration and model runs are the work
of those who manage schemes: commissioners and administrators.
"""

import rules

from core.permissions import is_administrator, is_commissioner, is_staff_member

manages_ras = rules.predicate(is_commissioner | is_administrator, name="manages_ras")


@rules.predicate
def is_draft(user, version) -> bool:
    return version is not None and version.is_draft


rules.add_perm("allocation.view_rasversion", is_staff_member)
rules.add_perm("allocation.add_rasversion", manages_ras)
rules.add_perm("allocation.change_rasversion", manages_ras & is_draft)
rules.add_perm("allocation.delete_rasversion", manages_ras & is_draft)
rules.add_perm("allocation.publish_rasversion", manages_ras & is_draft)
rules.add_perm("allocation.model_rasversion", manages_ras)
rules.add_perm("allocation.view_modelrun", manages_ras)
rules.add_perm("allocation.view_calibrationrun", manages_ras)
