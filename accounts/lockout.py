"""Lockout after repeated wrong passwords: by account name, and by the address they come from.

django-axes counts failures per username (`AXES_LOCKOUT_PARAMETERS = ["username"]`): five
wrong passwords lock that account name wherever they come from. This handler adds a second,
higher limit per client address (`LOCKOUT_ADDRESS_FAILURES`, within the same cool-off), so
one machine cannot try a password against every account in turn. Council offices share an
address, which is why the address limit is much higher than the account limit.

A successful sign-in resets only that username's failures (axes' own behaviour with the
username parameter): signing in to one's own account does not wipe the address's count.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failures_from_address(ip_address: str | None, request=None) -> int:
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        by_username = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if failures_from_address(address, request) >= settings.LOCKOUT_ADDRESS_FAILURES:
            # Report the account limit as reached, so axes refuses this attempt whatever
            # the username: the address is locked for the rest of the cool-off.
            return max(by_username, get_failure_limit(request, credentials))
        return by_username


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # an IPv4 address with a port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy's header when one is configured.

    `SELFDIRECT_PROXY_IP_HEADER` (e.g. "X-Forwarded-For") is trusted only when set, since a
    client can send any header it likes; of a list, the right-most entry is the one the
    council's proxy added. An unreadable header falls back to REMOTE_ADDR.
    """
    header = settings.PROXY_IP_HEADER
    if header:
        value = request.headers.get(header, "")
        entries = [entry for entry in value.split(",") if entry.strip()]
        if entries:
            found = _valid(entries[-1])
            if found:
                return found
    return request.META.get("REMOTE_ADDR") or None
