"""The baseline: the smallest Django project that stores one inbound message per request.

Same database settings as CareDesk (SQLite in WAL mode with IMMEDIATE transactions, or DATABASE_URL),
no middleware, no auth, so the benchmark shows what Django itself costs under the same server.
"""

import os

import dj_database_url

SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bench.bare"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.bare.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("CAREDESK_CONN_MAX_AGE", "60"))
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["BARE_SQLITE_PATH"],
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
