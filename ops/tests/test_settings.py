"""SELFDIRECT_ENV=production: one switch for HTTPS-only settings, and refusals of unsafe ones."""

import json

import pytest

from config.env import SettingError, env_bool, env_choice, production_problems, proxy_ssl_header

from .helpers import UNREACHABLE_POSTGRES, run_manage, run_python

SECRET = "x7Qp-3vN_uR9sLk2Wm8Yt4Ha6Jd1Fg5Zc0Xb7Vn3Mq9Ke2Lr6Ts8Uw4Yi1Op5Aa"
PRODUCTION = {
    "SELFDIRECT_ENV": "production",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "care.wexcombe.example",
    "DATABASE_URL": UNREACHABLE_POSTGRES,  # the checks below never connect
}


def test_check_deploy_gives_no_warnings_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_on_secure_cookies_hsts_and_the_ssl_redirect():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER,"
        " s.DEBUG]))"
    )
    result = run_python(code, **PRODUCTION, SELFDIRECT_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode == 0, result.stderr
    secure, csrf, redirect, hsts, subdomains, proxy, debug = json.loads(result.stdout)
    assert secure and csrf and redirect and subdomains and not debug
    assert hsts >= 365 * 24 * 3600
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_refuses_debug_a_missing_secret_key_and_sqlite():
    result = run_manage(
        "check",
        **{
            **PRODUCTION,
            "DJANGO_DEBUG": "1",
            "DJANGO_SECRET_KEY": "",
            "DATABASE_URL": "sqlite:////tmp/selfdirect-refused.sqlite3",
        },
    )
    assert result.returncode != 0
    assert "SELFDIRECT_ENV=production refuses to start" in result.stderr
    for reason in ("DJANGO_DEBUG is on", "DJANGO_SECRET_KEY is not set", "the database is SQLite"):
        assert reason in result.stderr


def test_a_misspelt_boolean_stops_the_service_instead_of_meaning_false():
    result = run_manage("check", DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture' is neither true nor false" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False), ("", False)],
)
def test_booleans_accept_the_usual_words(value, expected):
    assert env_bool("FLAG", False, {"FLAG": value}) is expected


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "nope"])
def test_any_other_boolean_is_an_error(value):
    with pytest.raises(SettingError, match="FLAG"):
        env_bool("FLAG", False, {"FLAG": value})


def test_an_unknown_environment_name_is_an_error():
    with pytest.raises(SettingError, match="prodution"):
        env_choice(
            "SELFDIRECT_ENV",
            ("development", "production"),
            "development",
            {"SELFDIRECT_ENV": "prodution"},
        )


def test_each_unsafe_production_setting_is_named():
    assert (
        production_problems(debug=False, secret_key_set=True, database_engine="x.postgresql") == []
    )
    problems = production_problems(
        debug=True, secret_key_set=False, database_engine="django.db.backends.sqlite3"
    )
    assert len(problems) == 3


def test_the_proxy_header_is_read_from_its_name():
    assert proxy_ssl_header("") is None
    assert proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy_ssl_header("X-Forwarded-Ssl: on") == ("HTTP_X_FORWARDED_SSL", "on")
    with pytest.raises(SettingError):
        proxy_ssl_header("X Forwarded")
