"""Stamp each request's work with how it reached us (a page, the API, the admin) and its id.

The request id is the one the request log gave it (ops.middleware.RequestLogMiddleware, the
outermost middleware), so an audit row and a log line of the same request share it.
"""

import uuid

from . import context


class WorkContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = getattr(request, "request_id", None) or uuid.uuid4().hex
        if request.path.startswith("/api/"):
            via = "api"
        elif request.path.startswith("/admin/"):
            via = "admin"
        else:
            via = "web"
        tokens = context.set_for_request(via, request_id)
        try:
            return self.get_response(request)
        finally:
            context.reset(tokens)
