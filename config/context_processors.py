"""Values every page needs: the council's name, the service name, and the user's navigation."""

from django.conf import settings
from django.urls import reverse

from accounts.roles import CASELOAD_ROLES, STAFF_ROLES, Role


def navigation_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    if user.role in STAFF_ROLES:
        if user.role in CASELOAD_ROLES:
            items.append(("Caseload", reverse("people:caseload")))
        items.append(("Find a person", reverse("people:find")))
        if user.role in CASELOAD_ROLES:
            items.append(("Plans to decide", reverse("plans:waiting")))
            items.append(("Challenges", reverse("challenges:open")))
        items.append(("Resource allocation", reverse("allocation:schemes")))
        if user.role in (Role.APPROVER, Role.COMMISSIONER, Role.ADMIN):
            items.append(("Reserve", reverse("plans:reserves")))
    if user.role in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
        items.append(
            (
                "Your record" if user.role == Role.PERSON else "People you represent",
                reverse("people:portal"),
            )
        )
    items.append(("Your account", reverse("accounts:profile")))
    if user.role == Role.ADMIN:
        items.append(("Administration", reverse("admin:index")))
    return [{"text": text, "href": href, "active": path.startswith(href)} for text, href in items]


def service(request):
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "PHASE": settings.PHASE,
        "navigation": navigation_for(request.user, request.path)
        if hasattr(request, "user")
        else [],
    }
