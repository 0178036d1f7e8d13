"""Settings, read from environment variables through small strict helpers.

A bad value fails loudly with the variable's name; production (DJANGO_DEBUG off)
refuses to start without DJANGO_SECRET_KEY.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}: expected one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected an integer; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list:
    """IP addresses or networks (`10.0.0.0/8`), comma-separated."""
    try:
        return [ipaddress.ip_network(item, strict=False) for item in env_list(name, default)]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}: expected IP addresses or networks; got {os.environ.get(name)!r}"
        ) from None


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("PROFDEV_TESTING", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

# Former keys after a rotation: sessions still verify.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

# The key of the signed letters' integrity seals (recommendations.signing), kept apart from
# SECRET_KEY: a backup restored with it serves its letters whatever the server's SECRET_KEY.
# Required in production (the system check recommendations.E001); former keys after a
# rotation in PROFDEV_SEAL_KEY_FALLBACKS until `reseal_letters` has run.
SEAL_KEY = os.environ.get("PROFDEV_SEAL_KEY", "")
if not SEAL_KEY and (DEBUG or TESTING):
    SEAL_KEY = "insecure-development-seal-key-never-use-in-production"
SEAL_KEY_FALLBACKS = env_list("PROFDEV_SEAL_KEY_FALLBACKS", [])
# The directory of the accredited УЦ root and intermediate certificates (and revocation lists,
# `.crl`) that qualified signatures (КЭП) are checked against (docs/deploy.md).
PROFDEV_TRUSTED_CERTS = os.environ.get("PROFDEV_TRUSTED_CERTS", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "profdev.admin_site.ProfdevAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "profdev.vendor_apps.AxesConfig",
    "csp",
    "django_tasks",
    "profdev.vendor_apps.TasksDatabaseConfig",
    "profdev",
    "monitoring",
    "recommendations",
    "effectiveness",
    "deficits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "profdev.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "profdev.urls"
WSGI_APPLICATION = "profdev.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "profdev.context_processors.navigation",
                "profdev.context_processors.school_navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # PostgreSQL's JIT compiles a query it estimates as costly (the reports' counts over
    # thousands of correlated look-ups) for seconds to save milliseconds: off for the portal.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (profdev.login_throttle): 5 failures for a username from an address lock
# that pair for 15 minutes, PROFDEV_ADDRESS_FAILURE_LIMIT failures from an address over any
# usernames lock the address. The client's address comes from X-Forwarded-For only when the
# request came from one of PROFDEV_TRUSTED_PROXIES (addresses or networks: nginx).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "profdev.login_throttle.LoginThrottle"
AXES_CLIENT_IP_CALLABLE = "profdev.login_throttle.client_ip"
PROFDEV_TRUSTED_PROXIES = env_networks("PROFDEV_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
PROFDEV_ADDRESS_FAILURE_LIMIT = env_int("PROFDEV_ADDRESS_FAILURE_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
# The lockout lasts the 15 minutes the message promises: attempts made while locked are
# refused without starting the 15 minutes again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Scripts only from our own static files, each inline block with the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The portal's public address: letters' QR codes link to their verification page under it.
# Required in production (profdev.checks); `make run` sets it to the address it serves.
PORTAL_URL = os.environ.get(
    "PROFDEV_PORTAL_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else ""
).strip()

# Background jobs (profdev.jobs): the task queue lives in the database, run by `make worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job's worker touches it every JOB_HEARTBEAT_SECONDS; a job silent for
# JOB_STALE_SECONDS is taken for crashed (its worker died) and may be started again.
JOB_HEARTBEAT_SECONDS = env_int("PROFDEV_JOB_HEARTBEAT_SECONDS", 10)
JOB_STALE_SECONDS = env_int("PROFDEV_JOB_STALE_SECONDS", 120)
# A job queued for longer than JOB_PICKUP_SECONDS says on its page that no worker has taken it.
JOB_PICKUP_SECONDS = env_int("PROFDEV_JOB_PICKUP_SECONDS", 60)

# Domain settings (indicators.md).
DEFICIT_SCORE = env_int("PROFDEV_DEFICIT_SCORE", 60)
PENSION_AGE_FEMALE = env_int("PROFDEV_PENSION_AGE_FEMALE", 60)
PENSION_AGE_MALE = env_int("PROFDEV_PENSION_AGE_MALE", 65)

# Workbook upload limits (hostile input: oversized files and zip bombs).
WORKBOOK_MAX_BYTES = env_int("PROFDEV_WORKBOOK_MAX_BYTES", 50 * 1024 * 1024)
WORKBOOK_MAX_ROWS = env_int("PROFDEV_WORKBOOK_MAX_ROWS", 1_000_000)
# A workbook's cells are read by a child process limited in memory (MB) and CPU time (s).
WORKBOOK_READER_MEMORY_MB = env_int("PROFDEV_WORKBOOK_READER_MEMORY_MB", 2048)
WORKBOOK_READER_SECONDS = env_int("PROFDEV_WORKBOOK_READER_SECONDS", 120)

# Uploaded workbooks wait for their confirmation as files under MEDIA_ROOT/uploads (never
# served: there is no MEDIA_URL route). A user keeps at most UPLOAD_QUOTA_MB of unwritten
# files and uploads at most UPLOAD_RATE_PER_HOUR files an hour; unwritten files are purged
# UPLOAD_KEEP_HOURS after their upload (`manage.py purge_uploads`).
MEDIA_ROOT = Path(os.environ.get("PROFDEV_MEDIA_ROOT") or BASE_DIR / "media")
UPLOAD_QUOTA_MB = env_int("PROFDEV_UPLOAD_QUOTA_MB", 200)
UPLOAD_RATE_PER_HOUR = env_int("PROFDEV_UPLOAD_RATE_PER_HOUR", 20)
UPLOAD_KEEP_HOURS = env_int("PROFDEV_UPLOAD_KEEP_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "profdev": {"handlers": ["console"], "level": "INFO"},
    },
}
