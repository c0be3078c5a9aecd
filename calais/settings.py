"""Settings for Calais Timeline, read from the environment with safe development defaults.

Every variable is documented in docs/operations.md. In short:

DATABASE_URL          database (default: an SQLite file in the project root)
SECRET_KEY            required when DEBUG is off; the development key is refused there
DEBUG                 "1"/"true" to turn on debugging (default: on, for development)
ALLOWED_HOSTS         comma-separated host names
CSRF_TRUSTED_ORIGINS  comma-separated origins (scheme and host) allowed to post to the admin
CONN_MAX_AGE          seconds a database connection is kept open (default 60)
CONN_HEALTH_CHECKS    check a kept connection before reusing it (default on)
DATABASE_CONNECT_TIMEOUT  seconds to wait for PostgreSQL to accept a connection (default 5)
TRUSTED_PROXY_COUNT   reverse proxies in front of gunicorn that append X-Forwarded-For (default 0)
SECURE_SSL_REDIRECT   redirect plain HTTP to HTTPS (default: on when DEBUG is off)
SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD
                      HTTP Strict Transport Security (default when DEBUG is off: one year,
                      subdomains included, preload)
STATIC_ROOT           where collectstatic puts static files (default: staticfiles/)
LOG_LEVEL             level of the log written to standard error (default WARNING)
SIMPLE_HISTORY_ENABLED  record history (default on; off only while restoring a backup)
REDIS_URL             cache server for the public page cache (default: diskcache in CACHE_DIR)
CACHE_DIR             the directory of the embedded cache (diskcache) used without Redis
                      (default: .cache/diskcache/)
CACHE_PUBLIC_PAGES    cache whole public pages (default on; off to measure uncached rendering)
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DEBUG off the site refuses to start with the development "
        "key. Set SECRET_KEY in the environment to a long random value, for example the output "
        'of: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "calais.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_countries",
    "django_filters",
    "django_tables2",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "timeline",
    "timeline.public",
]

# The development tools (bench: synthetic data, factories) where their dependencies are installed.
if importlib.util.find_spec("factory") is not None:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that it sees a record page's 404 after every other middleware has.
    "timeline.redirects.OldSlugRedirectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # 503 with Retry-After, not 500, while the database cannot be reached.
    "calais.outage.DatabaseOutageMiddleware",
    # Last, as django-axes requires: it turns a lockout into the refusal response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "calais.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "timeline.public.environment.environment"},
    },
]

WSGI_APPLICATION = "calais.wsgi.application"
ASGI_APPLICATION = "calais.asgi.application"

# Connections are kept for CONN_MAX_AGE seconds and checked before reuse, so a worker whose
# connection died (PostgreSQL restarted, a connection terminated) reconnects on its next request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that is down but whose host does not refuse (a failover, a dead machine) must not
    # hold a request, or /healthz, for libpq's default of waiting for ever.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's defaults suit a small file: a 2 MB page cache a connection and a read() call for
    # every page it misses. A large file is read through a memory map instead (shared by every
    # worker, as the operating system caches the file anyway), with 64 MB of pages kept a
    # connection: the wide table pages read fewer pages from the kernel (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -64000"
    )

# The public page cache (timeline.public.caching). Redis when REDIS_URL names one; otherwise
# diskcache's Django cache under CACHE_DIR: SQLite files with an index, which every gunicorn
# worker of one machine shares and which need no server. Unlike Django's FileBasedCache (which
# lists its whole directory to cull on every write) a write costs the same at any size; and the
# cache is not the database that serves the pages, so its writes never take that one's lock.
# Eight shards, each with its own write lock, so that workers seldom wait for each other; the
# least recently stored entries go when it passes 1 GB.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "calais",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "calais.cache.DiskCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache" / "diskcache")),
            "SHARDS": 8,
            "OPTIONS": {"size_limit": 2**30},
        }
    }

CACHE_PUBLIC_PAGES = env_bool("CACHE_PUBLIC_PAGES", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Covering indexes (Index.include) are PostgreSQL's; on SQLite, whose indexes all end with the
# rowid (the id), Django creates them without the included columns, as timeline.models says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Django 6.0 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: served by whitenoise. In production from STATIC_ROOT after collectstatic, with
# hashed names (cached for ever) and gzip copies; in development straight from the apps.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers, on every response (SecurityMiddleware, XFrameOptionsMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS, terminated by a reverse proxy that sets X-Forwarded-Proto (and strips any the client
# sent). Off in development, where runserver speaks plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Content-Security-Policy (django-csp) on every page, the admin included: nothing inline, nothing
# from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The read-only API (timeline.public.api): anonymous, JSON only (the browsable API's pages would
# need inline scripts), no session or CSRF machinery, its schema by drf-spectacular with Swagger
# UI's files from drf-spectacular-sidecar, served as static files.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Calais Timeline API",
    "DESCRIPTION": "Read-only: the sources, actors with their roles, places, events, measures "
    "and statements of the UK–France policy timeline around Calais. Fields: docs/data.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "timeline.public.api.schema.allow_empty_filters",
        "timeline.public.api.schema.document_errors",
    ],
}

# Brute-force protection for the admin login (django-axes): five failures from one client for
# one username lock that pair out for an hour; every lockout is logged (logger "axes").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Name the account and the address in the log, so an operator can act on a lockout (the password
# is always masked).
AXES_SENSITIVE_PARAMETERS = []
# The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the address
# the outermost one appended to X-Forwarded-For (see calais/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "calais.client_ip.client_ip_address"

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()

# Every message reaches standard error once, through the root logger. Django's own defaults give
# the "django" logger a console handler of its own that also propagates to the root, so every
# "Not Found: /favicon.ico" printed twice under runserver: here it gets no handler and only
# propagates. The development server's request lines keep their own handler and format, as
# Django's defaults have them, and do not propagate.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "level": LOG_LEVEL},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# django-simple-history records every change. Off only while restoring a backup, whose history
# is restored as it was (docs/operations.md).
SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)
