"""The Content-Security-Policy header: django-csp's policy, worked out once per process."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from ops.middleware import CSPMiddleware


def _answer(view=None, path="/people/", use_nonce=True):
    request = RequestFactory().get(path)

    def respond(request):
        if use_nonce:
            str(request.csp_nonce)  # a page that draws a script asks for the nonce
        return (view or (lambda request: HttpResponse("ok")))(request)

    response = CSPMiddleware(respond)(request)
    return request, response


def test_a_page_with_a_nonce_gets_django_csp_s_policy_with_its_own_nonce():
    request, response = _answer()
    nonce = request._csp_nonce
    assert response[HEADER] == build_policy(nonce=nonce)
    assert f"'nonce-{nonce}'" in response[HEADER]
    assert HEADER_REPORT_ONLY not in response
    other, _ = _answer()
    assert other._csp_nonce != nonce  # a nonce a request, never remembered


def test_a_page_without_a_nonce_gets_the_policy_without_one_and_cannot_ask_after():
    from csp.exceptions import CSPNonceError

    request, response = _answer(use_nonce=False)
    assert response[HEADER] == build_policy()
    assert "nonce-" not in response[HEADER]
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_view_that_changes_the_policy_is_answered_by_django_csp_itself():
    @csp_update({"img-src": ["https://maps.example"]})
    def view(request):
        return HttpResponse("map")

    request, response = _answer(view)
    assert "https://maps.example" in response[HEADER]
    assert response[HEADER] == build_policy(
        update={"img-src": ["https://maps.example"]}, nonce=request._csp_nonce
    )
    _, exempt = _answer(csp_exempt()(lambda request: HttpResponse("free")))
    assert HEADER not in exempt


def test_changed_settings_change_the_policy():
    policy = {
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
        "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]},
    }
    report_only = {"DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-reports/"}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only
    ):
        request, response = _answer()
        assert response[HEADER] == build_policy(nonce=request._csp_nonce)
        # django-csp writes the directives in a set's order: any order, the same two.
        assert sorted(response[HEADER].split("; ")) == [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{request._csp_nonce}'",
        ]
        assert response[HEADER_REPORT_ONLY] == build_policy(
            nonce=request._csp_nonce, report_only=True
        )
        _, excluded = _answer(path="/healthz")
        assert HEADER not in excluded and HEADER_REPORT_ONLY in excluded
    _, after = _answer()
    assert "script-src 'self' 'nonce-" in after[HEADER] and "object-src" in after[HEADER]
