"""Who is acting, through what, for this piece of work: one set of context variables.

The request middleware sets `via` ("web" or "api") and a request id; the task runner sets
"worker"; management commands set "command". Actions read them to stamp the audit trail,
so an audit row says not only who did a thing but how it reached us.
"""

import contextlib
import contextvars
import uuid

_via: contextvars.ContextVar[str] = contextvars.ContextVar("selfdirect_via", default="system")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "selfdirect_request_id", default=""
)

VIA_CHOICES = [
    ("web", "A page"),
    ("api", "The API"),
    ("worker", "A background run"),
    ("command", "A command"),
    ("admin", "The administration site"),
    ("system", "The system"),
]


def via() -> str:
    return _via.get()


def request_id() -> str:
    return _request_id.get()


@contextlib.contextmanager
def working_as(via_: str, request_id_: str | None = None):
    """Run a block as `via_` (and with a request id, new unless given)."""
    tokens = (_via.set(via_), _request_id.set(request_id_ or uuid.uuid4().hex))
    try:
        yield
    finally:
        _via.reset(tokens[0])
        _request_id.reset(tokens[1])


def set_for_request(via_: str, request_id_: str):
    """For middleware: set both and return what resets them."""
    return _via.set(via_), _request_id.set(request_id_)


def reset(tokens) -> None:
    _via.reset(tokens[0])
    _request_id.reset(tokens[1])
