"""Settings for Sundhedsaftale-monitor, read from the environment.

Without any environment the project runs on SQLite with tasks executed in-process, which is what
`make run` and `make test` use. With DATABASE_URL and REDIS_URL set, the same code runs on
PostgreSQL with real Celery workers (see docker-compose.yml and .env.example).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting. A typo ("ture", "Y") must not quietly mean "off": it stops the start."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value; use one of {sorted(TRUE_WORDS | FALSE_WORDS)}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key only while DEBUG is on. Without DEBUG an unset key stays empty: Django then refuses
# everything that signs (sessions, CSRF, password-reset links), and wsgi.py and the Celery worker refuse to
# start (sundhedsaftale/production.py). Commands that sign nothing (migrate, makemigrations) still run.
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key-never-in-production" if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "accounts",
    "clusters",
    "indicators",
    "goals",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sundhedsaftale.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sundhedsaftale.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sundhedsaftale.middleware.CurrentUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sundhedsaftale.middleware.ContentSecurityPolicyMiddleware",
]

# Published dashboard pages are public; DASHBOARD_REQUIRE_LOGIN=1 makes every page ask for a log-in
# (the log-in, password-reset, language and health-check views stay open).
DASHBOARD_REQUIRE_LOGIN = env_bool("DASHBOARD_REQUIRE_LOGIN", False)
if DASHBOARD_REQUIRE_LOGIN:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    )

ROOT_URLCONF = "sundhedsaftale.urls"
WSGI_APPLICATION = "sundhedsaftale.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a busy timeout keeps a Celery-less dev server from erroring under load.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# English with Danish dates and a 24-hour clock (sundhedsaftale/formats/en/formats.py).
FORMAT_MODULE_PATH = ["sundhedsaftale.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# The largest indicator file accepted (bytes). Larger requests are streamed to a temporary file, not memory.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 300 * 1024 * 1024))
# What reading any one file may cost at most (docs/ingest.md); each is checked before the part of the file that
# breaks it is parsed, and a file beyond one is rejected at once with one short Danish message.
UPLOAD_MAX_COLUMNS = int(os.environ.get("UPLOAD_MAX_COLUMNS", "500"))  # header cells
UPLOAD_MAX_FIELDS = int(os.environ.get("UPLOAD_MAX_FIELDS", "1000"))  # fields on any one line
UPLOAD_MAX_LINE_BYTES = int(os.environ.get("UPLOAD_MAX_LINE_BYTES", str(64 * 1024)))  # one line
UPLOAD_MAX_CELLS = int(os.environ.get("UPLOAD_MAX_CELLS", "100000000"))  # lines x columns
# The sum of an .xlsx file's unpacked parts (a zip bomb is refused before openpyxl opens it).
UPLOAD_MAX_XLSX_UNCOMPRESSED = int(os.environ.get("UPLOAD_MAX_XLSX_UNCOMPRESSED", str(500 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Hashed, compressed file names need `collectstatic`; the Docker image runs it and sets STATIC_MANIFEST=1.
# Without it (make run, tests) WhiteNoise serves the files straight from static/.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
# Log-in throttling (sundhedsaftale/auth.py, accounts/throttle.py): attempts are counted in the database,
# atomically, per user name (NFKC-normalised, casefolded) and address, per user name from any address and per
# address for any user name. Each limit holds for LOGIN_FAILURE_WINDOW seconds from the first failure.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_USER_LIMIT = env_int("LOGIN_FAILURE_USER_LIMIT", 20)
LOGIN_FAILURE_ADDRESS_LIMIT = env_int("LOGIN_FAILURE_ADDRESS_LIMIT", 50)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
# Password-reset e-mails asked for per address and per e-mail address in the same kind of window.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The proxies (Caddy in docker-compose.yml) whose X-Forwarded-For is believed, as addresses or networks
# ("172.16.0.0/12"). Without any, the client's address is REMOTE_ADDR and the header is ignored: anyone can
# write it, and behind an untrusted proxy every user would share one address (and one throttle).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Sessions: two weeks for everyone who is not staff; staff (who can change users and agreement texts)
# are logged out after STAFF_SESSION_SECONDS without a request (sundhedsaftale/middleware.py).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 8 * 3600)

# Celery: REDIS_URL switches from in-process tasks to a real broker and workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache (page fragments, the worker's heartbeat) is shared by all web workers through Redis when there
# is one. A Redis outage is a degradation, not an outage: the backend answers every error with a miss
# (sundhedsaftale/cache.py), and gives up on a dead server within a second.
CACHES = {
    "default": {
        "BACKEND": "sundhedsaftale.cache.TolerantRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sa",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Uploads awaiting confirmation longer than this are discarded (their staged rows freed) by Celery beat.
UPLOAD_CONFIRM_DAYS = env_int("UPLOAD_CONFIRM_DAYS", 14)
# An upload being received, validated or loaded whose step has not moved for this long (seconds) is
# started again by the `uploads-watch` beat job, or marked failed once UPLOAD_MAX_ATTEMPTS runs have
# begun. Longer than the hard time limit, so a task still running is never taken for a stalled one.
UPLOAD_STALL_SECONDS = env_int("UPLOAD_STALL_SECONDS", 15 * 60)
UPLOAD_MAX_ATTEMPTS = 2
# How often the beat job looks (seconds): also how soon an upload that could not be queued (the broker was
# down) starts once the broker is back, and how often the worker writes its heartbeat for /healthz.
UPLOAD_WATCH_SECONDS = env_int("UPLOAD_WATCH_SECONDS", 60)

# The in-process broker is named with a host, or kombu logs "No hostname was supplied" on every task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No result backend: nothing reads a task's return value, and with Redis as the backend every send also
# subscribes to the result, which with Redis down blocks a request for 20 s and then raises RuntimeError.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, so a worker that dies mid-task (killed, out of memory) gets it
# redelivered. That cannot go on for ever: each start of an upload's task counts an attempt on the upload,
# and the third start marks it failed instead of running (indicators/tasks.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Time limits for every task (seconds): at the soft limit the task gets an exception it handles (an upload
# is failed or tried once more), at the hard limit its process is killed. A million-row file validates and
# loads in well under two minutes (README), so ten minutes is only ever reached by something wrong.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 10 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT + 60)
# A worker process using more than this (KiB) after a task is replaced by a fresh one (also
# `--max-memory-per-child` in docker-compose.yml); the container's memory limit caps a task while it runs.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_500_000)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a task while the broker is down must not hold a web request for long: a few quick retries, then
# the caller records that the upload waits in the queue (indicators/services/uploads.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Celery beat (the `beat` service in docker-compose.yml), by the tasks' explicit names.
CELERY_BEAT_SCHEDULE = {
    "stale-uploads": {
        "task": "indicators.uploads_discard_stale",
        "schedule": crontab(hour=3, minute=30),
    },
    "uploads-watch": {
        "task": "indicators.uploads_watch",
        "schedule": float(UPLOAD_WATCH_SECONDS),
    },
    "reports-watch": {
        "task": "reports.reports_watch",
        "schedule": float(UPLOAD_WATCH_SECONDS),
    },
    "attempts-forget-old": {
        "task": "accounts.attempts_forget_old",
        "schedule": crontab(hour=3, minute=45),
    },
    "reporting-reminders": {
        "task": "goals.tasks.reporting_reminders_task",
        "schedule": crontab(hour=env_int("REPORT_REMINDER_HOUR", 7), minute=0),
    },
}

# The open data API (api/, docs/api.md). Read-only; public data needs no key, and a key (api.ApiToken) lets a
# program see what its user may see on the pages. Anonymous clients are limited per address (API_ANON_RATE,
# DRF's "N/second|minute|hour|day"; empty: no limit); API_NUM_PROXIES is how many proxies in front of the app
# add to X-Forwarded-For (0: the client is REMOTE_ADDR).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "EXCEPTION_HANDLER": "api.throttling.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DASHBOARD_REQUIRE_LOGIN:
    # A closed dashboard has a closed API: every request needs a key.
    REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["rest_framework.permissions.IsAuthenticated"]
SPECTACULAR_SETTINGS = {
    "TITLE": "Sundhedsaftale-monitor: åbne data / open data",
    "DESCRIPTION": (
        "Aftaler, områder, indikatorer, observationer og status som JSON eller CSV (semikolon, decimalkomma). "
        "Se docs/api.md. / Agreements, areas, indicators, observations and statuses as JSON or CSV."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the app's own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "clusters.models.Area.Kind",
        "MembershipKindEnum": "clusters.models.ClusterMembership.Kind",
        "AgreementKindEnum": "goals.models.Agreement.Kind",
        "SectionKindEnum": "goals.models.AgreementSection.Kind",
        "MeasureKindEnum": "goals.models.Measure.Kind",
        "TargetKindEnum": "goals.models.Target.Kind",
    },
}

# Production must name a real mail server (sundhedsaftale/production.py refuses to start without it); the
# console backend is the development default only.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else ""
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "sundhedsaftale@localhost"
# The status reports' PDFs are printed by headless Chromium through Playwright (docs/reports.md); without
# it the report page says so and its HTML and print still work.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails

# Content-Security-Policy on every response (sundhedsaftale/middleware.py). Scripts only from our own
# static files: no inline script, no eval (data for the charts travels in <script type="application/json">,
# which is not executed). Styles allow 'unsafe-inline' because plotly.js sets style attributes on the SVG
# it draws (docs/security.md).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

if not DEBUG:
    # Production behind a TLS-terminating proxy (docker-compose.yml: Caddy). Every one of these is on by
    # default, so `manage.py check --deploy` is silent with the settings docs/security.md lists; each can
    # be turned off for a test set-up without TLS.
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_REFERRER_POLICY = "same-origin"
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The health check is asked over plain HTTP from inside the stack.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # The proxy says whether the browser used HTTPS; believed only when it is there to say so.
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
