"""CareDesk settings, read from the environment.

The embedded default (no DATABASE_URL, CAREDESK_DEMO=1 via `caredesk run`) keeps everything under
CAREDESK_DATA_DIR and generates its own keys there. Anything else must be configured explicitly:
a production start without CAREDESK_SECRET_KEY or CAREDESK_ENCRYPTION_KEYS is a start-up error.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from caredesk.keys import load_or_create_local_keys


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CAREDESK_DATA_DIR", Path.cwd() / "var")).resolve()
DEMO = env_bool("CAREDESK_DEMO")
TESTING = env_bool("CAREDESK_TESTING")
DEBUG = env_bool("CAREDESK_DEBUG")

if DEMO or TESTING:
    _local = load_or_create_local_keys(DATA_DIR)
    SECRET_KEY = os.environ.get("CAREDESK_SECRET_KEY") or _local["secret_key"]
    ENCRYPTION_KEYS = os.environ.get("CAREDESK_ENCRYPTION_KEYS") or _local["encryption_keys"]
    BLIND_INDEX_KEY = os.environ.get("CAREDESK_BLIND_INDEX_KEY") or _local["blind_index_key"]
else:
    SECRET_KEY = os.environ.get("CAREDESK_SECRET_KEY", "")
    ENCRYPTION_KEYS = os.environ.get("CAREDESK_ENCRYPTION_KEYS", "")
    BLIND_INDEX_KEY = os.environ.get("CAREDESK_BLIND_INDEX_KEY", "")
    required = {
        "CAREDESK_SECRET_KEY": SECRET_KEY,
        "CAREDESK_ENCRYPTION_KEYS": ENCRYPTION_KEYS,
        "CAREDESK_BLIND_INDEX_KEY": BLIND_INDEX_KEY,
    }
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set outside demo mode (generate them with `caredesk keys generate`)."
        )

ALLOWED_HOSTS = [h for h in os.environ.get("CAREDESK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CAREDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
PUBLIC_BASE_URL = os.environ.get("CAREDESK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks_db",
    "caredesk.accounts",
    "caredesk.audit",
    "caredesk.patients",
    "caredesk.inbox",
    "caredesk.integrations",
    "caredesk.integrations.webchat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "caredesk.api.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "caredesk.accounts.middleware.IdleLogoffMiddleware",
    "caredesk.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "caredesk.urls"
WSGI_APPLICATION = "caredesk.wsgi.application"
ASGI_APPLICATION = "caredesk.asgi.application"

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
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    use_pool = env_bool("CAREDESK_DB_POOL", True) and not TESTING
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CAREDESK_CONN_MAX_AGE", 60)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and use_pool:
        # Under ASGI every request may run on a new thread, and persistent per-thread connections
        # then run the server out of connections: use psycopg's pool with CONN_MAX_AGE=0 instead.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("CAREDESK_DB_POOL_MIN", 2),
            "max_size": env_int("CAREDESK_DB_POOL_MAX", 10),
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "caredesk.sqlite3",
            # WAL lets readers run beside the single writer; IMMEDIATE avoids lock-upgrade deadlocks.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": DATA_DIR / "test-caredesk.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; Argon2 at production cost would dominate the suite's time.
    PASSWORD_HASHERS = ["caredesk.accounts.hashers.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CAREDESK_SECURE_COOKIES", not (DEMO or TESTING or DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

CAREDESK_IDLE_TIMEOUT_SECONDS = env_int("CAREDESK_IDLE_TIMEOUT_SECONDS", 15 * 60)
CAREDESK_MFA_REQUIRED = env_bool("CAREDESK_MFA_REQUIRED")
CAREDESK_LOCKOUT_THRESHOLD = env_int("CAREDESK_LOCKOUT_THRESHOLD", 5)
CAREDESK_LOCKOUT_SECONDS = env_int("CAREDESK_LOCKOUT_SECONDS", 15 * 60)
CAREDESK_CLINIC_NAME = os.environ.get("CAREDESK_CLINIC_NAME", "Riverside Family Health")
CAREDESK_CLINIC_PHONE = os.environ.get("CAREDESK_CLINIC_PHONE", "+1 555 0100")
CAREDESK_PHONE_REGION = os.environ.get("CAREDESK_PHONE_REGION", "US")
CAREDESK_API_WEBHOOK_URL = os.environ.get("CAREDESK_API_WEBHOOK_URL", "")
CAREDESK_API_WEBHOOK_SECRET = os.environ.get("CAREDESK_API_WEBHOOK_SECRET", "")
CAREDESK_MAX_ATTACHMENT_BYTES = env_int("CAREDESK_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)
CAREDESK_WEBCHAT_SESSION_DAYS = env_int("CAREDESK_WEBCHAT_SESSION_DAYS", 30)
CAREDESK_DELIVERY_MAX_ATTEMPTS = env_int("CAREDESK_DELIVERY_MAX_ATTEMPTS", 8)

# First-response targets by priority, in seconds; the inbox sorts and alerts by these.
CAREDESK_SLA_SECONDS = {"emergency": 5 * 60, "urgent": 30 * 60, "normal": 4 * 3600, "low": 24 * 3600}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CAREDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("CAREDESK_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("CAREDESK_STATIC_ROOT") or None  # `collectstatic` target in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Request bodies and exception values can carry PHI; the filter keeps both out of log records.
    "filters": {"no_phi": {"()": "caredesk.logging_filters.RedactPhiFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_phi"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAREDESK_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "caredesk": {
            "handlers": ["console"],
            "level": os.environ.get("CAREDESK_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Every task start and finish is logged at INFO there; only problems belong in the console.
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
