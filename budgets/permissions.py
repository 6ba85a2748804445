"""Who may see and set personal budgets: seeing follows the person record
(`PersonalBudget.objects.visible_to`); setting one is for practitioners and approvers."""

import rules

from core.permissions import edits_records

rules.add_perm("budgets.add_personalbudget", edits_records)
rules.add_perm("budgets.change_personalbudget", edits_records)
