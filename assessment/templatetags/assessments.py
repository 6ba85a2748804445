"""Words for whose assessment a page is about, addressed to whoever is reading."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def whose(context, assessment) -> str:
    """'Your assessment' to the person; "Iris Marlow’s carer’s assessment" to anyone else."""
    user = context.get("user")
    kind = "carer’s assessment" if assessment.kind == "carer" else "assessment"
    if user is not None and assessment.person.user_id == getattr(user, "pk", None):
        return f"Your {kind}"
    return f"{assessment.person.full_name}’s {kind}"
