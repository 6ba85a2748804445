"""Stamp each request with how it reached us (a page, the API, the admin) and an id."""

import re
import uuid

from . import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class WorkContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        if request.path.startswith("/api/"):
            via = "api"
        elif request.path.startswith("/admin/"):
            via = "admin"
        else:
            via = "web"
        tokens = context.set_for_request(via, request_id)
        try:
            response = self.get_response(request)
        finally:
            context.reset(tokens)
        response["X-Request-ID"] = request_id
        return response
