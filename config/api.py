"""The JSON API at /api/v1/: it mirrors the pages, with the same access rules."""

from ninja import NinjaAPI

from accounts.api_auth import api_auth
from allocation.api import router as ras_router
from people.api import router as people_router

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
