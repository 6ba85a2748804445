"""Who may reach the RAS pages, and the one guard that fetches a version or a run."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from core.permissions import get_for_user

from ..models import RasVersion
from ..permissions import manages_ras

__all__ = ["get_run", "get_version", "manager_view", "manages_ras", "staff_view"]


def staff_view(view):
    """Any council staff may read the schemes (they are public policy); others get a 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_council_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def manager_view(view):
    """Commissioners and administrators change schemes, calibrate and model them."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not manages_ras(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def get_version(request, pk, *, draft=False) -> tuple[RasVersion, bool]:
    """(version, may_change): drafts only for those who manage schemes; with draft=True,
    only a draft this user may change (a 404 otherwise)."""
    version, may_change = get_for_user(
        RasVersion.objects.select_related("scheme"),
        request.user,
        pk,
        change_permission="allocation.change_rasversion",
    )
    if draft and not may_change:
        raise Http404
    return version, may_change


def get_run(request, model, pk):
    run, _ = get_for_user(
        model.objects.select_related("version__scheme", "created_by"), request.user, pk
    )
    return run
