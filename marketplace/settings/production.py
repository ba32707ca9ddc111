"""Production: every secret and host comes from the environment; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    MIDDLEWARE,
    REDIS_CACHE_OPTIONS,
    REDIS_URL,
    SECRET_KEY,
    STORAGES,
    env,
    env_bool,
)

DEBUG = False
# Staff always pass the TOTP second factor in production (no environment switch).
STAFF_OTP_DEMO_BYPASS = False
SMS_BACKEND = env("SMS_BACKEND", "marketplace.accounts.sms.HttpGatewaySmsBackend")

if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set a long random SECRET_KEY for production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Whole public catalogue pages, for visitors with no session and no basket
# (marketplace.page_cache.anonymous_page_cache); a change shows at most this many seconds
# late. 0 turns it off.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "30"))
if REDIS_URL:
    # The page cache is read on every anonymous request: django-redis keeps one
    # client per process, where Django's backend builds one per call (~0.07 ms,
    # a tenth of a cached hit).
    CACHES = {
        **CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHES['default'].get('KEY_PREFIX', '')}:pages",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }

STORAGES = {
    # Media as base.py chose it: the local disk, or object storage (MEDIA_STORAGE).
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MIDDLEWARE = list(MIDDLEWARE)
# Cached public pages are served before the session, auth, messages and basket
# middleware (see PAGE_CACHE_SECONDS above), and inside GZip, so hits leave
# compressed too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.gzip.GZipMiddleware") + 1,
    "marketplace.page_cache.AnonymousPageCacheMiddleware",
)
