"""Error bodies every API operation documents, so clients (and schemathesis) know them."""

from typing import Any

from ninja import Schema


class Message(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list[dict[str, Any]]


# 401: no or bad credentials (with `WWW-Authenticate: Bearer`). 404: not found, or not
# yours to see (we do not say which). 422: the request broke the schema; `detail` names
# each problem.
READ_ERRORS = {401: Message, 404: Message, 422: ValidationErrors}
# Writes can also meet a body that is not JSON at all (400), or one too large to read (413).
WRITE_ERRORS = {400: Message, 413: Message, **READ_ERRORS}
