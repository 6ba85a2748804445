"""Pages that belong to no one capability: the start page, statements, and error pages."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render

from accounts.roles import Role


def home(request):
    """Send each user to where their work starts."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "start.html")
    if user.role in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
        return redirect("people:portal")
    if user.role == Role.COMMISSIONER:
        return redirect("allocation:schemes")
    if user.is_council_staff:
        return redirect("people:caseload" if user.holds_caseload else "people:find")
    return render(request, "signed_in_no_service.html")


def accessibility(request):
    return render(request, "accessibility.html")


def privacy(request):
    return render(
        request,
        "privacy.html",
        {"break_glass_hours": int(settings.BREAK_GLASS_DURATION.total_seconds() // 3600)},
    )


def feedback(request):
    return render(request, "feedback.html")


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
