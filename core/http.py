"""Small helpers for views."""


def page_name(request) -> str:
    """The page's short name (its URL name, e.g. "people:detail"), for the access log's `via`."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match and match.view_name else request.path[:100]
