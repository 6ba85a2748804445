"""Settings for Selfdirect, read from environment variables.

One settings module for every environment: SQLite by default so that `make run`
works on a bare machine, PostgreSQL when DATABASE_URL says so (production, CI).
`SELFDIRECT_ENV=production` is the one switch for a real deployment: HTTPS only (secure
cookies, HSTS, redirect), and it refuses to start with DEBUG on, without
DJANGO_SECRET_KEY or DJANGO_ALLOWED_HOSTS, or on SQLite.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.env import (
    ENVIRONMENTS,
    PRODUCTION,
    SettingError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    production_problems,
    proxy_ssl_header,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SELFDIRECT_VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules
SELFDIRECT_ENV = env_choice("SELFDIRECT_ENV", ENVIRONMENTS, "development")
IS_PRODUCTION = SELFDIRECT_ENV == PRODUCTION


def _secret_key() -> str:
    """Use DJANGO_SECRET_KEY; otherwise keep a generated key in var/ so sessions survive restarts.

    Production never generates one: every web process behind the load balancer needs the
    same key, so it must come from the environment (checked below).
    """
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key or IS_PRODUCTION:
        return key or ""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
LOCAL_HOSTS = "127.0.0.1,localhost,[::1],testserver"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if IS_PRODUCTION else LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The council this deployment belongs to: shown in the header and on documents.
COUNCIL_NAME = os.environ.get("SELFDIRECT_COUNCIL_NAME", "Wexcombe Council")
SERVICE_NAME = os.environ.get("SELFDIRECT_SERVICE_NAME", "Adult social care: your support")
PHASE = os.environ.get("SELFDIRECT_PHASE", "Beta")
# Staff second factor: "required" (the default) or "off" (the local demo only).
STAFF_OTP = env_choice("SELFDIRECT_STAFF_OTP", ("required", "off"), "required")
# How long a break-glass reason opens a record outside the user's caseload.
BREAK_GLASS_DURATION = timedelta(hours=env_int("SELFDIRECT_BREAK_GLASS_HOURS", 8))
COUNCIL_PERSON_ID_PREFIX = os.environ.get("SELFDIRECT_PERSON_ID_PREFIX", "WX")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rules",
    "django_fsm",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "govuk_frontend_django",
    "ui",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "people",
    "allocation",
    "assessment",
    "budgets",
    "plans",
    "challenges",
    "reviews",
    "demo",
    "ops",
]

MIDDLEWARE = [
    # One JSON line per request (request id, user id, status, duration): outermost, so it
    # sees every answer, redirects and refusals included.
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.WorkContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Everything past WhiteNoise may show personal data: never stored by browsers or proxies.
    "ops.middleware.NoStoreMiddleware",
    "ops.middleware.CSPMiddleware",  # django-csp's, its policy worked out once
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ops.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.OTPMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # A database too busy to answer in time (SQLite's lock, PostgreSQL's lock_timeout) is a
    # 503 with Retry-After, not an error page.
    "ops.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "csp.context_processors.nonce",
    "config.context_processors.service",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
    # The pages staff open most (the caseload, a person's record), from each app's jinja2/
    # folder: Jinja2 draws them in a fraction of the time (ui/jinja.py). Named "jinja2".
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "ui.jinja.environment",
            "context_processors": _CONTEXT_PROCESSORS,
            "keep_trailing_newline": True,
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'selfdirect.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
else:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    _options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    # Parameters sent apart from the SQL, and each connection's repeated queries prepared
    # once: PostgreSQL stops parsing and planning the same few queries on every request
    # (a third to two thirds of its CPU per page, measured). Turn it off behind a pooler in
    # transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", 2)

if IS_PRODUCTION:
    _problems = production_problems(
        debug=DEBUG,
        secret_key_set=bool(os.environ.get("DJANGO_SECRET_KEY")),
        database_engine=DATABASES["default"]["ENGINE"],
    )
    if not ALLOWED_HOSTS:
        _problems.append("DJANGO_ALLOWED_HOSTS is not set: name the host names it answers to")
    if STAFF_OTP != "required":
        _problems.append("SELFDIRECT_STAFF_OTP is off: staff must sign in with a second factor")
    if _problems:
        raise SettingError(
            "SELFDIRECT_ENV=production refuses to start: " + "; ".join(_problems) + "."
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, with each request's read of the signed-in user as plain SQL.
    "accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.RepeatedCharactersValidator"},
]

# Database sessions, each request's read of its session as plain SQL (core/sessions.py says
# why not cached_db).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The absolute limit of a signed-in session, and the idle one: a session unused for
# SELFDIRECT_IDLE_MINUTES is signed out (ops.middleware.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env_int("SELFDIRECT_SESSION_SECONDS", 8 * 3600)
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SELFDIRECT_IDLE_MINUTES", 30))
# Production is HTTPS only; elsewhere DJANGO_SECURE_COOKIES=1 turns secure cookies on.
SESSION_COOKIE_SECURE = IS_PRODUCTION or env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SELFDIRECT_SSL_REDIRECT", True)
    # Load balancers ask for /healthz over plain HTTP inside the council's network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SELFDIRECT_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SELFDIRECT_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SELFDIRECT_HSTS_PRELOAD", True)
# Behind a proxy that ends TLS: the header it sets (and overwrites) to say the request came
# over HTTPS, e.g. "X-Forwarded-Proto". Only set it when that proxy is the only way in.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SELFDIRECT_PROXY_SSL_HEADER", ""))

# Repeated failed sign-ins lock out (django-axes, with accounts.lockout's handler), two ways
# within the same cool-off window:
# - by account name: 5 wrong passwords for one username lock that username, from anywhere;
# - by address: 100 wrong passwords from one address, across any usernames, lock that
#   address. Council offices sign in through one shared address, so this limit is high:
#   a morning's sign-ins by a few hundred staff, with their typing mistakes, stay well
#   under it, while one machine can no longer try a password on every account.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("SELFDIRECT_LOCKOUT_FAILURES", 5)
LOCKOUT_ADDRESS_FAILURES = env_int("SELFDIRECT_LOCKOUT_ADDRESS_FAILURES", 100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SELFDIRECT_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]  # the address limit is the handler's own count
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address is REMOTE_ADDR, unless the council's proxy sets a header naming it
# (e.g. X-Forwarded-For or X-Real-IP): set SELFDIRECT_PROXY_IP_HEADER only behind such a
# proxy, or anyone could claim any address. Of a list, the right-most entry (the one the
# proxy added) is used.
PROXY_IP_HEADER = os.environ.get("SELFDIRECT_PROXY_IP_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
# axes.W006 asks for the address among the lockout parameters: the handler counts it itself.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Staff set up a second factor only with a one-time activation code from an administrator.
ACTIVATION_CODE_DURATION = timedelta(hours=env_int("SELFDIRECT_ACTIVATION_CODE_HOURS", 24))
# Email (security notices: a second factor added or removed, a password changed). The demo
# writes messages to files in var/mail/; production sets DJANGO_EMAIL_BACKEND to SMTP and
# the EMAIL_* variables. Tests use Django's in-memory outbox.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "selfdirect@localhost")

OTP_TOTP_ISSUER = COUNCIL_NAME

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Built by `make assets`: GOV.UK Frontend compiled with the council's branding, plus htmx.
STATICFILES_DIRS = [BASE_DIR / "static_build", BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "selfdirect",
    }
}

if TESTING:
    # Fast hashing in tests only; production keeps Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

NINJA_PAGINATION_PER_PAGE = 25

# Background work (calibration and model runs) goes through the database: workers claim
# tasks with SELECT … FOR UPDATE SKIP LOCKED, so more workers on more machines just work.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A run whose worker has not reported progress for this long is re-queued by reap_tasks.
TASK_STALE_AFTER = timedelta(minutes=env_int("SELFDIRECT_TASK_STALE_MINUTES", 10))

# Logs go to standard error as JSON lines (one per request from ops.middleware, plus
# warnings and errors), never with query strings: searches carry names, NHS numbers and
# postcodes. SELFDIRECT_LOG_FORMAT=text gives plain lines for a terminal.
LOG_FORMAT = env_choice("SELFDIRECT_LOG_FORMAT", ("json", "text"), "json")
LOG_REQUESTS = env_bool("SELFDIRECT_LOG_REQUESTS", True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "ops.logs.NoQueryStrings"}},
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "selfdirect.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # runserver's own access lines: kept, but through the same filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
