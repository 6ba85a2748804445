"""Plans follow their budget: when a newer proposal replaces a proposed budget, every plan
still on its way (draft, returned, sent or at the panel) is costed against the new one."""

from django.dispatch import receiver

from budgets.signals import proposal_replaced
from core.actions import audit, because
from core.money import format_pence, period_words

from .models import SupportPlan


@receiver(proposal_replaced, dispatch_uid="plans-follow-a-replaced-proposal")
def follow_the_new_proposal(sender, *, old, new, acting_user, **kwargs):
    for plan in SupportPlan.objects.select_for_update().filter(budget=old).open():
        plan.budget = new
        plan.edit_version += 1
        because("Costed against the newer proposed budget")
        plan.save(update_fields=["budget", "edit_version"])
        audit(
            plan,
            "Now costed against the newer proposed budget of "
            f"{format_pence(new.amount_pence)} {period_words(new.period)} from the reassessment",
            person=plan.person,
        )
