"""Settings for Sundhedsaftale-monitor, read from the environment.

Without any environment the project runs on SQLite with tasks executed in-process, which is what
`make run` and `make test` use. With DATABASE_URL and REDIS_URL set, the same code runs on
PostgreSQL with real Celery workers (see docker-compose.yml and .env.example).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is acceptable only while DEBUG is on or under tests; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-set-SECRET_KEY-in-production"
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
    "clusters",
    "indicators",
    "goals",
    "reports",
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
# Failed log-ins per user name and address before log-in is refused for the window (seconds).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", str(15 * 60)))
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Celery: REDIS_URL switches from in-process tasks to a real broker and workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache (log-in throttling) is shared by all web workers through Redis when there is one.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sa",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Uploads awaiting confirmation longer than this are discarded (their staged rows freed) by Celery beat.
UPLOAD_CONFIRM_DAYS = int(os.environ.get("UPLOAD_CONFIRM_DAYS", "14"))
# The in-process broker is named with a host, or kombu logs "No hostname was supplied" on every task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery beat (the `beat` service in docker-compose.yml): reminders before reporting deadlines, daily.
CELERY_BEAT_SCHEDULE = {
    "stale-uploads": {
        "task": "indicators.uploads_discard_stale",
        "schedule": crontab(hour=3, minute=30),
    },
    "reporting-reminders": {
        "task": "goals.tasks.reporting_reminders_task",
        "schedule": crontab(hour=int(os.environ.get("REPORT_REMINDER_HOUR", "7")), minute=0),
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sundhedsaftale@localhost")
# The status reports' PDFs are printed by headless Chromium through Playwright (docs/reports.md); without
# it the report page says so and its HTML and print still work.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails


if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
