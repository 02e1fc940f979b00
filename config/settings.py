"""houqin settings: one module, everything read from the environment with safe defaults.

Environment variables (all optional):
  DATABASE_URL        any dj-database-url form; default sqlite:///var/houqin.sqlite3
  HOUQIN_DEBUG        "1" to turn DEBUG on (off by default)
  HOUQIN_ENV          development | production (production refuses demo seeding)
  SECRET_KEY          default: generated once into var/secret_key
  FIELD_ENCRYPTION_KEY  Fernet key for ID numbers at rest; default: generated into var/
  ALLOWED_HOSTS       comma-separated; default 127.0.0.1,localhost
  CSRF_TRUSTED_ORIGINS comma-separated origins when served behind a proxy
  HOUQIN_SECURE       "1" behind HTTPS: secure cookies, HSTS, SSL redirect
  HOUQIN_BEHIND_PROXY "1" behind a reverse proxy: audit logs take the client IP from
                      X-Forwarded-For (set it only when the proxy overwrites that header)
  REDIS_URL           cache (default: local memory)
  HOUQIN_PAYMENT_PROVIDER  dotted path of the canteen's online-payment provider class;
                      default houqin.canteen.payments.FakeProvider (no real money, for demos)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOUQIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _persistent_secret(env_name: str, filename: str, factory) -> str:
    """Read a secret from the environment, else from var/, generating it there on first run.

    The file is created with mode 0600 so other local users cannot read it.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    path = VAR_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(factory())
    return path.read_text().strip()


SECRET_KEY = _persistent_secret("SECRET_KEY", "secret_key", get_random_secret_key)
FIELD_ENCRYPTION_KEY = _persistent_secret(
    "FIELD_ENCRYPTION_KEY", "field_encryption_key", lambda: Fernet.generate_key().decode()
)
DEBUG = env_bool("HOUQIN_DEBUG")
HOUQIN_ENV = os.environ.get("HOUQIN_ENV", "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind nginx: trust X-Forwarded-For for the client address recorded in audit logs.
USE_X_FORWARDED_FOR = env_bool("HOUQIN_BEHIND_PROXY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "treebeard",
    "axes",
    "auditlog",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "template_partials",
    "csp",
    # houqin
    "houqin.core",
    "houqin.core.workdays",
    "houqin.core.notifications",
    "houqin.core.approvals",
    "houqin.core.duties",
    "houqin.org",
    "houqin.meetings",
    "houqin.fleet",
    "houqin.canteen",
    "houqin.maintenance",
    "houqin.space",
    "houqin.security",
    "houqin.energy",
    "houqin.finance",
    "houqin.vendors",
    "houqin.activities",
    "houqin.reports",
    "houqin.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "houqin.core.middleware.SessionTimeoutMiddleware",
    "houqin.core.middleware.PasswordChangeRequiredMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must be last so it sees the authentication outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "houqin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "houqin.core.context_processors.shell",
                "houqin.core.notifications.context_processors.unread",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'houqin.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE makes check-then-insert services safe on SQLite (ARCHITECTURE rule 3).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- auth and session security (等保 2.0 style, DOMAIN.md §10) ------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "houqin.core.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "houqin.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "houqin.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "houqin.core.passwords.NotUsernameValidator"},
    {"NAME": "houqin.core.passwords.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True  # sliding expiry: the 30 minutes count from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "houqin.core.views.csrf_failure"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account (等保: login-failure lockout), not the IP: a whole office shares one NAT
# address, and IP lockout would let one user's typos lock out the department.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "houqin.org.views.auth.lockout_response"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("HOUQIN_SECURE"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: everything is served locally, so 'self' is enough (no CDN, ever).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- audit ----------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "core.AuditLogEntry"
# auditlog's own migrations always create its default `auditlog_logentry` table, even when
# the model is swapped for ours; that stray table (with an FK to users) breaks flushes on
# PostgreSQL. Its only model is swapped out, so it needs no migrations at all.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "houqin" / "locale"]

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "houqin" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, development) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated API client gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "houqin.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "houqin.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "houqin API",
    "DESCRIPTION": "机关后勤服务中心综合业务平台接口（/api/v1/）",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema lists every endpoint: signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Explicit enum names, so apps adding their own `status`/`kind` fields never collide.
    "ENUM_NAME_OVERRIDES": {
        "PersonStatusEnum": "houqin.org.models.Person.Status",
        "PersonGenderEnum": "houqin.org.models.Person.Gender",
        "EmploymentTypeEnum": "houqin.org.models.Person.EmploymentType",
        "OrgUnitKindEnum": "houqin.org.models.OrgUnit.Kind",
        "OrganLevelEnum": "houqin.org.models.OrganLevel",
        "ApprovalStatusEnum": "houqin.core.approvals.models.ApprovalRequest.Status",
        "ApprovalStepStatusEnum": "houqin.core.approvals.models.ApprovalStep.Status",
        "DutyCategoryEnum": "houqin.core.duties.models.DutyPlan.Category",
        "DutyTaskStatusEnum": "houqin.core.duties.models.DutyTask.Status",
        "MeetingLevelEnum": "houqin.meetings.models.Booking.Level",
        "BookingStatusEnum": "houqin.meetings.models.Booking.Status",
        "RoomKindEnum": "houqin.meetings.models.Room.Kind",
    },
}

# django-filter: choice filters offer “全部” (all) rather than “---------”.
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

# --- tables -----------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# --- email / notifications ----------------------------------------------------------------------
# Console by default; for a real SMTP server set EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the EMAIL_* variables below.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "houqin@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# --- background jobs (Celery) --------------------------------------------------------------------
# No broker configured: tasks run eagerly, in-process (the embedded default still works).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic jobs; each also exists as a management command for cron (see docs/operations.md).
CELERY_BEAT_SCHEDULE = {
    "generate-duty-tasks": {"task": "duties.generate_tasks", "schedule": 3600.0},
    "send-duty-reminders": {"task": "duties.send_reminders", "schedule": 900.0},
    "retry-notifications": {"task": "notifications.retry_deliveries", "schedule": 300.0},
    "release-unchecked-bookings": {"task": "meetings.release_unchecked", "schedule": 300.0},
    "fleet-expiry-reminders": {"task": "fleet.expiry_reminders", "schedule": 86400.0},
    "canteen-settle-meals": {"task": "canteen.settle_meals", "schedule": 900.0},
    "maintenance-overdue-reminders": {"task": "maintenance.overdue_reminders", "schedule": 3600.0},
    "space-reminders": {"task": "space.reminders", "schedule": 86400.0},
    "security-daily": {"task": "security.daily", "schedule": 86400.0},
}
# Canteen online top-ups: the provider class (see houqin/canteen/payments.py).
HOUQIN_PAYMENT_PROVIDER = os.environ.get(
    "HOUQIN_PAYMENT_PROVIDER", "houqin.canteen.payments.FakeProvider"
)
# Absolute links in emails and webhook posts.
HOUQIN_SITE_URL = os.environ.get("HOUQIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Threads (each with its own database connection) computing the annual summary's module
# figures side by side on PostgreSQL; 1 computes them one after another.
REPORTS_WORKERS = int(os.environ.get("REPORTS_WORKERS", "4"))
# Webhook deliveries: seconds to wait for the remote end, and the retry back-off.
NOTIFICATION_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFICATION_WEBHOOK_TIMEOUT", "5"))
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))

# Visitor records are kept this many days, then purged by the security.daily job (PIPL:
# no longer than needed).
SECURITY_VISIT_RETENTION_DAYS = int(os.environ.get("SECURITY_VISIT_RETENTION_DAYS", "180"))

# --- imports --------------------------------------------------------------------------------------
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
