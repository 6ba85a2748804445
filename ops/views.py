"""/healthz for load balancers and monitoring: no sign-in, no personal data."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from . import health


@require_safe
def healthz(request):
    body, status = health.report()
    return JsonResponse(body, status=status)
