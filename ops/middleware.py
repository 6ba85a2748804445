"""Per-request work for running the service: the request log, no-store caching, the idle
sign-out, and a 503 when the database is too busy. Each costs no query of its own."""

import functools
import logging
import re
import time
import uuid

import csp.middleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.core.signals import setting_changed
from django.db import OperationalError
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import empty

request_log = logging.getLogger("selfdirect.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
LAST_SEEN = "_selfdirect_last_seen"
# The idle clock is written back at most this often, so a busy user's session is saved once
# a minute rather than on every request.
LAST_SEEN_RESOLUTION = 60
RETRY_AFTER_SECONDS = 5


def _request_id(header: str | None) -> str:
    """The proxy's X-Request-ID if it looks like one, else a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _user_id(request) -> int | None:
    """The signed-in user's id if the request already knows it; never a query for it."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or wrapped is None:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


def _route(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route if match.route else None
    if request.path.startswith(settings.STATIC_URL):
        return settings.STATIC_URL
    return None


class RequestLogMiddleware:
    """One line per request: request id, method, route, view, status, duration and user id.

    The route is the URL pattern (`/people/<int:pk>/`), not the path, and the query string is
    never logged: no names, NHS numbers or postcodes reach the logs. The request id comes from
    the proxy's X-Request-ID when it sends one, and is answered in the same header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.LOG_REQUESTS

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = _request_id(request.META.get("HTTP_X_REQUEST_ID"))
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if self.enabled:
            match = getattr(request, "resolver_match", None)
            status = response.status_code
            request_log.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "request",
                extra={
                    "fields": {
                        "request_id": request.request_id,
                        "method": request.method,
                        "route": _route(request),
                        "view": match.view_name if match else None,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                    }
                },
            )
        return response


class NoStoreMiddleware:
    """Pages and API answers may hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


def start_idle_clock(sender, request, user, **kwargs):
    """Signing in starts the idle clock (saved with the new session, at no extra cost)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign out a session left unused for SESSION_IDLE_TIMEOUT (SESSION_COOKIE_AGE still caps
    its whole life). API calls with a token have no session and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and SESSION_KEY in session:
            now = int(time.time())
            last_seen = session.get(LAST_SEEN)
            idle_seconds = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            if last_seen is not None and now - last_seen > idle_seconds:
                logout(request)
            elif last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


def database_busy(exception: BaseException) -> bool:
    """SQLite still locked after its busy timeout, or PostgreSQL's lock_timeout reached."""
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if cause is not None and type(cause).__name__ == "LockNotAvailable":
        return True
    message = str(exception).lower()
    return "database is locked" in message or "database table is locked" in message


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After when the database could not take the request in time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_busy(exception):
            return None
        request_log.warning("database busy: answered 503")
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": "The service is busy. Try again in a few seconds."}, status=503
            )
        else:
            response = render(request, "ops/busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)
# Stands for the request's nonce in a remembered policy (letters only: kept as it is).
_NONCE = "selfdirectcspnoncestandin"


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy's text worked out once per process.

    django-csp builds the Content-Security-Policy header afresh for every answer (copying
    and sorting every directive, twice: the policy and the report-only one), a seventh of
    the middleware's time on a bare page (cProfile, bench/profile_pages.py). The policy
    only changes with the settings, so it is built once with a stand-in nonce, and each
    answer gets it with its own nonce put in. An answer a view changed the policy of (the
    csp decorators), and Django's debug pages, go through django-csp itself.
    """

    def process_response(self, request, response):
        if any(getattr(response, name, None) is not None for name in _PER_RESPONSE) or (
            settings.DEBUG and response.status_code in (500, 404)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, (with_nonce, without_nonce, excluded) in _policies().items():
            policy = with_nonce.replace(_NONCE, nonce) if nonce else without_nonce
            if policy and header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        if nonce is None:  # as django-csp does: a nonce asked for after this is an error
            request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _policies() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """{header: (policy with the stand-in nonce, policy without one, excluded path prefixes)}."""
    from csp.constants import HEADER, HEADER_REPORT_ONLY
    from csp.utils import build_policy

    policies = {}
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        policies[header] = (
            build_policy(nonce=_NONCE, report_only=report_only),
            build_policy(report_only=report_only),
            excluded,
        )
    return policies


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.cache_clear()
