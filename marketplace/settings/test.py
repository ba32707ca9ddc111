"""pytest: the database and Redis come from the environment set by scripts/services."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# SMS go to `marketplace.accounts.sms.outbox`, like e-mail to `mail.outbox`.
SMS_BACKEND = "marketplace.accounts.sms.RecordingSmsBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
WIZARD_UPLOAD_ROOT = BASE_DIR / "var" / "test-private" / "wizard"
# Tests that need Redis ask for it explicitly (fixture `redis_url`); the default
# cache stays per-process so tests do not see each other's keys.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
TEST_REDIS_URL = env("REDIS_URL", "")
# Tests that need Elasticsearch ask for it (fixture `search_es`, which switches
# it on with an index of their own); the others search the database.
TEST_ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_URL = ""
SEARCH_INDEX = f"test-{os.getpid()}-products"
SEARCH_REFRESH_ON_WRITE = "true"
# Tests that need Stripe ask for stripe-mock (fixture `stripe_mock`, which sets
# test keys and points the SDK at it); the others never reach an API.
TEST_STRIPE_API_BASE = env("STRIPE_API_BASE", "")
STRIPE_API_BASE = ""
STRIPE_SECRET_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
STRIPE_PUBLISHABLE_KEY = ""

# On a laptop without PostgreSQL, TEST_SQLITE_NAME=var/test.sqlite3 keeps the
# SQLite test database in a file so `pytest --reuse-db` can skip the long Oscar +
# Wagtail migrations next time (in memory otherwise; one file per concurrent run).
if env("TEST_SQLITE_NAME") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME")}  # noqa: F405
# Tests post forms at once; the new-client delay is tested on its own
# (tests/accounts/test_sms_budget.py sets it back).
OTP_NEW_CLIENT_DELAY_SECONDS = 0
