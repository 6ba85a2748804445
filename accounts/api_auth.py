"""How the API knows who is calling: a personal bearer token, or the signed-in session."""

from ninja.security import HttpBearer, SessionAuth

from .middleware import second_factor_required
from .models import ApiToken


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token made on the user's account page."""

    openapi_description = "A personal API token from your account page"

    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is None:
            return None
        request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The browser session; staff must have completed their second factor. CSRF applies to writes.

    With no signed-in session there is nothing for CSRF to protect, so the caller is simply
    not authenticated (401), rather than refused for a missing CSRF token (403).
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or second_factor_required(user):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or second_factor_required(user):
            return None
        return user


api_auth = [ApiTokenAuth(), StaffSessionAuth()]
