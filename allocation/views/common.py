"""Who may do what with RAS versions."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from ..models import RasVersion

MANAGERS = (Role.COMMISSIONER, Role.ADMIN)


def manages_ras(user) -> bool:
    return user.is_authenticated and user.role in MANAGERS


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


def get_version(request, pk, *, draft=False) -> RasVersion:
    """A version the user may see: drafts only for those who manage schemes."""
    version = get_object_or_404(RasVersion.objects.select_related("scheme"), pk=pk)
    if version.is_draft and not manages_ras(request.user):
        raise Http404
    if draft and not version.is_draft:
        raise Http404
    return version
