"""The JSON API at /api/v1/: it mirrors the pages, with the same access rules.

Every answer is JSON, refusals included: 401 carries `WWW-Authenticate: Bearer` (RFC 6750),
a body that is not JSON is a 400, a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from accounts.api_auth import api_auth
from allocation.api import router as ras_router
from budgets.api import router as budgets_router
from people.api import router as people_router
from plans.api import router as plans_router

api = NinjaAPI(
    title="Selfdirect API",
    version="1",
    description=(
        "Self-directed support records for other council systems. Authenticate with a personal "
        "token (`Authorization: Bearer …`, made on your account page) or a signed-in session "
        "(send the CSRF token on writes). Every read of a person is logged under the caller's name."
    ),
    auth=api_auth,
    urls_namespace="api",
)
api.add_router("/people", people_router, tags=["People"])
api.add_router("/ras", ras_router, tags=["Resource Allocation System"])
api.add_router("", budgets_router, tags=["Budgets"])
api.add_router("", plans_router, tags=["Support plans"])

UNAUTHORISED = (
    "Send a personal API token as ‘Authorization: Bearer <token>’ (make one on your account "
    "page), or sign in first"
)
NOT_JSON = "The request body must be JSON, sent with ‘Content-Type: application/json’"


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    response = api.create_response(request, {"detail": UNAUTHORISED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="Selfdirect API"'
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code == 401:
        return unauthorised(request, exc)
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = NOT_JSON
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return api.create_response(
        request,
        {"detail": f"The request body is too large: send at most {limit_kb} KB"},
        status=413,
    )
