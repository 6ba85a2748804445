"""Values every page needs: the council's name, the service name, and the user's navigation."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.roles import CASELOAD_ROLES, STAFF_ROLES, Role


def navigation_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = _items_for(user.role, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return [{"text": text, "href": href, "active": path.startswith(href)} for text, href in items]


@functools.cache
def _items_for(role: str, script_prefix: str, urlconf) -> tuple[tuple[str, str], ...]:
    """A role's menu: the same on every page, so its addresses are worked out once per process
    (seven reverse() calls on every page otherwise). The script prefix and the URL
    configuration are part of the key, as reverse() depends on them."""
    items = []
    if role in STAFF_ROLES:
        if role in CASELOAD_ROLES:
            items.append(("Caseload", reverse("people:caseload")))
        items.append(("Find a person", reverse("people:find")))
        if role in CASELOAD_ROLES:
            items.append(("Plans to decide", reverse("plans:waiting")))
            items.append(("Challenges", reverse("challenges:open")))
        items.append(("Resource allocation", reverse("allocation:schemes")))
        if role in (Role.APPROVER, Role.COMMISSIONER, Role.ADMIN):
            items.append(("Reserve", reverse("plans:reserves")))
    if role in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
        items.append(
            (
                "Your record" if role == Role.PERSON else "People you represent",
                reverse("people:portal"),
            )
        )
    items.append(("Your account", reverse("accounts:profile")))
    if role == Role.ADMIN:
        items.append(("Administration", reverse("admin:index")))
    return tuple(items)


def service(request):
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "PHASE": settings.PHASE,
        "navigation": navigation_for(request.user, request.path)
        if hasattr(request, "user")
        else [],
    }
