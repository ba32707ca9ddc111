"""Settings shared by every environment.

Each environment module (local, test, production) imports this one and changes only
what differs. Everything that varies between machines is read from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from oscar.defaults import *  # noqa: F403  (Oscar's settings are the baseline we override)

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Append-only money and audit tables: PostgreSQL triggers (marketplace.append_only).
    "pgtrigger",
    # Our own apps come before Oscar's so their templates win.
    "marketplace.apps.MarketplaceConfig",
    "marketplace.accounts.apps.AccountsConfig",
    "sellers.apps.SellersConfig",
    "cms.apps.CmsConfig",
    # Oscar, with our forks in place of catalogue, partner and order.
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "orders.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "sellers.partner.apps.PartnerConfig",
    "orders.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "orders.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    # Oscar's search app forked (label `search`): our search, no Haystack.
    "catalog.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "marketplace.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Staff second factor (TOTP): marketplace.accounts.staff.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "widget_tweaks",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    "formtools",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Form widgets' default templates, for FORM_RENDERER below.
    "django.forms",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Orders, account and panel pages: `Cache-Control: private, no-store`, also
    # on the redirects other middleware answers with (marketplace.personal_pages).
    "marketplace.personal_pages.PersonalPagesMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave gzipped (a catalogue page: ~20 KB -> ~4 KB). After WhiteNoise,
    # which serves static files already compressed (and never re-compresses
    # fonts or pictures). Django's gzip pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff accounts: TOTP on the staff areas, 30 idle minutes.
    "marketplace.accounts.staff.StaffSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Oscar's, applying offers only while one exists (orders.basket.offers).
    "orders.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "oscar.apps.checkout.context_processors.checkout",
                "marketplace.context_processors.notifications",
                "marketplace.context_processors.basket_count",
                "oscar.core.context_processors.metadata",
                "marketplace.context_processors.storefront",
            ],
            "builtins": [
                "marketplace.templatetags.persian",
                "marketplace.templatetags.people",
            ],
            # Oscar's templates load `currency_filters`; ours prints toman.
            "libraries": {
                "currency_filters": "marketplace.templatetags.currency_filters"
            },
        },
    }
]

# Widgets render through the project's template engine, so templates/django/forms/
# can replace Django's select and radio/checkbox lists with ones that write the
# default option markup inline (same output, a fraction of the includes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# We replace Oscar's `currency_filters` library on purpose (see TEMPLATES above),
# which Django reports as two libraries sharing a name.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
_prepare_threshold = env("DB_PREPARE_THRESHOLD", "5")
if (
    DATABASES["default"]["ENGINE"].endswith("postgresql")
    and _prepare_threshold != "off"
):
    # Parameters bound by the server, and each statement prepared once a
    # connection has run it DB_PREPARE_THRESHOLD times: PostgreSQL then skips
    # parsing and planning it, which costs more than running most of our queries
    # (the basket's lines, a 7-table join: 1.7 ms to plan, 0.35 ms to run). Django
    # leaves both off so that a transaction-pooling PgBouncer works; behind one,
    # set DB_PREPARE_THRESHOLD=off (Django's defaults).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": int(_prepare_threshold),
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", "")
# Redis down must not stop the site selling (DESIGN.md §6): with django-redis
# ignoring connection errors every cache read is a miss and every write a no-op,
# so pages are built from the database; the errors are logged. Nothing that
# guards access (sessions, OTP, lockouts) lives in the cache.
REDIS_CACHE_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "dastavard"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One way to authenticate: mobile number + password, through the throttles of
# marketplace.accounts (no e-mail or username backend). It is a ModelBackend, so
# permissions work as usual.
AUTHENTICATION_BACKENDS = ["marketplace.accounts.backends.PhonePasswordBackend"]

# ASVS 4.0 level 2 (2.1.1, 2.1.7): at least 12 characters, not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Content-Security-Policy (django-csp) ------------------------------------------
# Everything from this site only; the few inline <script>/<style> blocks carry
# the request's nonce (`{{ request.csp_nonce }}`). Enforced here (tests and
# production); `make run` sends it report-only (settings.local). The browser
# suite checks the storefront, panel, staff pages, Oscar's dashboard and
# Wagtail's admin report no violation (tests/browser/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # style="…" attributes (Oscar's and Wagtail's templates have a few):
        # they cannot run code, and a nonce cannot cover an attribute.
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Staff accounts (marketplace.accounts.staff) ----------------------------------
# Only `make run` (settings.local) turns the demo bypass on; production forces it
# off and `check --deploy` fails if it is on (accounts.E003).
STAFF_OTP_DEMO_BYPASS = False
STAFF_SESSION_IDLE_SECONDS = 30 * 60
OTP_TOTP_ISSUER = "Dastavard"

# --- Client addresses behind a proxy (marketplace.accounts.ip) -------------------
# The throttles key on the client's address. Behind a reverse proxy, name the
# proxy's addresses or networks here and the header it writes the client into;
# otherwise every visitor has the proxy's address (docs/SECURITY.md).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")

# --- Code-request caps (marketplace.accounts.services; docs/SECURITY.md) ---------
OTP_CLIENT_MAX_PER_HOUR = int(env("OTP_CLIENT_MAX_PER_HOUR", "20"))
OTP_GLOBAL_MAX_PER_HOUR = int(env("OTP_GLOBAL_MAX_PER_HOUR", "1000"))
OTP_PHONE_ALARM_PER_HOUR = int(env("OTP_PHONE_ALARM_PER_HOUR", "10"))
OTP_VERIFY_MAX_FAILURES = int(env("OTP_VERIFY_MAX_FAILURES", "30"))
# Issue 24: one IPv6 /56, one number prefix (first 7 digits, new numbers only),
# the share of the global budget kept for known numbers and checkout, and the
# age a new client's form must have before it may ask for a code.
OTP_NETWORK_MAX_PER_HOUR = int(env("OTP_NETWORK_MAX_PER_HOUR", "60"))
OTP_PREFIX_MAX_PER_HOUR = int(env("OTP_PREFIX_MAX_PER_HOUR", "30"))
OTP_GLOBAL_RESERVE_PERCENT = int(env("OTP_GLOBAL_RESERVE_PERCENT", "30"))
OTP_NEW_CLIENT_DELAY_SECONDS = int(env("OTP_NEW_CLIENT_DELAY_SECONDS", "3"))

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
# Persian digits and separators are applied by our own filters, not by Django's
# localisation, so numbers in forms and URLs stay machine-readable.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Django serves MEDIA_ROOT itself only where no web server does: `make run` and
# the page-weight bench (bench/weight.py).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    # Every image saved here goes through the image pipeline (marketplace.images).
    "default": {"BACKEND": "marketplace.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"

# --- Oscar -----------------------------------------------------------------
OSCAR_SHOP_NAME = "دستاورد"
OSCAR_SHOP_TAGLINE = "بازارچه دستاوردهای زنان شهر تهران"
OSCAR_HOMEPAGE = "/"
# Money is kept in rials (integers in Decimal fields) and shown in toman.
OSCAR_DEFAULT_CURRENCY = "IRR"
OSCAR_CURRENCY_FORMAT = {"IRR": {"format": "#,##0", "format_type": "standard"}}
OSCAR_SLUG_ALLOW_UNICODE = True
# The Persian half-space (ZWNJ) joins parts of one word; in a slug it becomes a
# hyphen instead of vanishing («کم‌شیرین» → «کم-شیرین», not «کمشیرین»).
OSCAR_SLUG_MAP = {"\u200c": "-"}
# Demo products share a pool of picture files; deleting one product must not
# delete a file that others still show. (When sellers upload their own photos,
# unreferenced files are for a clean-up job to remove, not for a delete hook.)
OSCAR_DELETE_IMAGE_FILES = False
# Images staff upload in Oscar's dashboard (Oscar's default is under images/,
# where Wagtail writes its renditions).
OSCAR_IMAGE_FOLDER = "catalogue/%Y/%m/"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
# Oscar's product reviews are off (their URLs are gone, templates hide them): an
# open review form let anyone write a label on a seller's product (the dignity
# rule). Moderated reviews from verified buyers are a later issue.
OSCAR_HIDDEN_FEATURES = ["reviews"]
# Oscar's "tell me when it is back in stock" alerts are not offered (no form
# asks for one; their pages and e-mails are Oscar's English ones, and their
# URLs answer 404). Off, Oscar no longer runs its alert lookups (five queries
# per line) on every stock save, every order included.
OSCAR_EAGER_ALERTS = False
OSCAR_DASHBOARD_NAVIGATION = [
    {
        **section,
        "children": [
            child
            for child in section["children"]
            if child.get("url_name")
            not in {"dashboard:reviews-list", "dashboard:user-alert-list"}
        ],
    }
    if "children" in section
    else section
    for section in OSCAR_DASHBOARD_NAVIGATION  # noqa: F405  (from oscar.defaults)
]
OSCAR_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@dastavard.ir")
# A seller's first N listings wait in the staff moderation queue
# (/staff/moderation/); after N approved ones, new listings go live at once.
FIRST_LISTINGS_REVIEWED = int(env("FIRST_LISTINGS_REVIEWED", "3"))

# Haystack is not installed as an app and nothing of ours uses it: product search
# is catalog/search/. Oscar's own catalogue and search view modules still import
# it when Oscar loads a class from them, and its import needs a connection.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "دستاورد"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAIL_I18N_ENABLED = False
# No Gravatar: it would send each editor's e-mail hash to a third party, and the
# Content-Security-Policy allows images from this site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call to releases.wagtail.org from editors' browsers.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Recovery is by mobile number only (docs/SECURITY.md): Wagtail's e-mail reset
# at /cms-admin/password_reset/ answers 404, and its login page has no link.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# The formats the image pipeline reads (marketplace.images); others are refused
# by Wagtail's form with its own message.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Documents (issue 24): only through Wagtail's view (/documents/<id>/<name>),
# always as a download with `Content-Security-Policy: default-src 'none'`: an
# HTML or SVG document opened inline on the site's own address could run
# script there. MEDIA_ROOT/documents/ is never served directly (the web server
# denies it, README "Production"; `make run`'s media view refuses it).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []

# --- Uploads -----------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Product photos (catalog.photos) -------------------------------------------
# Checked at upload: the file size, then the decoded size from the header alone.
# 50 MP lets phones' 48/50 MP modes through. Peak memory of one photo being
# processed (measured): 12 MP JPEG ~35 MB (draft mode), 48 MP HEIC ~360 MB, the
# worst accepted input, a 50 MP PNG with transparency, ~430 MB. Size Celery's
# worker concurrency for that.
PRODUCT_PHOTO_MAX_BYTES = 15 * 1024 * 1024
PRODUCT_PHOTO_MAX_PIXELS = 50_000_000
# Longest side in pixels of each stored size (WebP and JPEG each; never enlarged).
# "small" serves the panel's 72-96 px thumbnails on a 2-3x phone screen and
# cards on a 1x one; the browser picks from all of them through srcset/sizes.
PRODUCT_PHOTO_SIZES = {"small": 240, "list": 400, "detail": 1000, "zoom": 1600}
PRODUCT_PHOTO_JPEG_QUALITY = 80
PRODUCT_PHOTO_WEBP_QUALITY = 80
# Raw uploads (EXIF and GPS still in them) wait here for processing, then are
# deleted. Outside MEDIA_ROOT and never served; shared by web and workers.
PRODUCT_PHOTO_PRIVATE_ROOT = Path(
    env("PRODUCT_PHOTO_PRIVATE_ROOT", str(BASE_DIR / "var" / "private-uploads"))
)
STORAGES["product_photo_sources"] = {"BACKEND": "catalog.storage.PrivateUploadStorage"}
# The application wizard's uploads between steps (a booth logo): private, random
# names, deleted when the wizard ends; abandoned ones are swept hourly
# (sellers.tasks.wizard_uploads_sweep) once older than WIZARD_UPLOAD_MAX_AGE.
WIZARD_UPLOAD_ROOT = Path(
    env("WIZARD_UPLOAD_ROOT", str(BASE_DIR / "var" / "private-uploads" / "wizard"))
)
WIZARD_UPLOAD_MAX_AGE_HOURS = int(env("WIZARD_UPLOAD_MAX_AGE_HOURS", "24"))
# Booth logos are kept at most this many pixels on their longest side.
BOOTH_LOGO_SIDE = 512

# Product cards in listings are rendered once and cached (catalog.cards); a change
# to a product, its stock, photos or booth makes them stale at once, and this
# bounds what a missed signal or an ended holiday can leave. 0 = off.
CARD_CACHE_SECONDS = int(env("CARD_CACHE_SECONDS", "600"))
# A listing's ordered product ids (catalog.listings), the same way: the COUNT and
# every page, deep ones too, are slices of it. 0 = off.
LISTING_CACHE_SECONDS = int(env("LISTING_CACHE_SECONDS", "600"))

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, in code (Celery beat's own scheduler, no django-celery-beat:
# nothing here needs changing from an admin page). Run `celery -A marketplace
# beat` next to the workers.
CELERY_BEAT_SCHEDULE = {
    "sweep-abandoned-wizard-uploads": {
        "task": "sellers.tasks.wizard_uploads_sweep",
        "schedule": 3600.0,
    },
    "purge-stale-account-throttles": {
        "task": "marketplace.accounts.tasks.accounts_purge_task",
        "schedule": 3600.0,
    },
}

# --- Search (catalog.search) -----------------------------------------------------
# Without ELASTICSEARCH_URL search runs on the database (SQLite under `make run`).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
# The alias the site searches; `search_reindex` swaps a new index in behind it.
SEARCH_INDEX = env("SEARCH_INDEX", "dastavard-products")
# Seconds an Elasticsearch request may take before the database answers instead.
SEARCH_TIMEOUT = min(float(env("SEARCH_TIMEOUT", "0.8")), 1.0)
# The circuit breaker: this many failures in a row, then the database alone for
# this many seconds before Elasticsearch is tried again.
SEARCH_BREAKER_FAILURES = int(env("SEARCH_BREAKER_FAILURES", "3"))
SEARCH_BREAKER_SECONDS = float(env("SEARCH_BREAKER_SECONDS", "30"))
# Make each indexing write visible at once (tests); else the indexing task waits
# for the next refresh (at most a second), so the cached results it drops are
# not rebuilt from the old documents.
SEARCH_REFRESH_ON_WRITE = False
# How long the search page keeps a query's results and facet counts (the cache
# entry is dropped sooner by any write to the search documents); 0 turns it off.
SEARCH_CACHE_SECONDS = int(env("SEARCH_CACHE_SECONDS", "300"))
# Searches a client (its address, `marketplace.accounts.ip`) may make in
# SEARCH_RATE_SECONDS: the search page, and the header's suggestions (one a pause
# in typing). Generous: many phones share one carrier address.
SEARCH_RATE_SECONDS = int(env("SEARCH_RATE_SECONDS", "60"))
SEARCH_RATE_LIMITS = {
    "page": int(env("SEARCH_RATE_PAGE", "60")),
    "suggest": int(env("SEARCH_RATE_SUGGEST", "120")),
}
CELERY_BEAT_SCHEDULE |= {
    "search-reconcile": {
        "task": "catalog.search.tasks.search_reconcile",
        "schedule": 3600.0,
    },
}

# --- Integrations ---------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env("STRIPE_API_BASE", "")
STRIPE_CURRENCY = env("STRIPE_CURRENCY", "eur")
STRIPE_TIMEOUT_SECONDS = float(env("STRIPE_TIMEOUT_SECONDS", "10"))
# The SDK retries connection errors and 5xx itself; every write has an
# idempotency key, so a retry never charges or refunds twice.
STRIPE_MAX_NETWORK_RETRIES = int(env("STRIPE_MAX_NETWORK_RETRIES", "2"))
STRIPE_JS_URL = "https://js.stripe.com/v3/"
# Added to the site's Content-Security-Policy on the card payment page only
# (orders.checkout.csp): Stripe.js, its iframes, and its API calls.
STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}
# Minutes a card part's stock is held while the buyer pays (then cancelled).
CARD_PAYMENT_HOLD_MINUTES = int(env("CARD_PAYMENT_HOLD_MINUTES", "60"))
# The card refund outbox (orders.refunds): the first retry after this many
# seconds, doubling up to the cap; failed (staff act) after this many attempts.
CARD_REFUND_RETRY_SECONDS = int(env("CARD_REFUND_RETRY_SECONDS", "60"))
CARD_REFUND_RETRY_MAX_SECONDS = int(env("CARD_REFUND_RETRY_MAX_SECONDS", "21600"))
CARD_REFUND_MAX_ATTEMPTS = int(env("CARD_REFUND_MAX_ATTEMPTS", "20"))
# A refund still pending after this long shows on the staff attention page.
CARD_REFUND_STUCK_MINUTES = int(env("CARD_REFUND_STUCK_MINUTES", "60"))
# Reconciliation asks Stripe about unsettled card payments this many days old
# at most (an older PaymentIntent is abandoned); paid ones only while a refund
# is outstanding.
STRIPE_RECONCILE_DAYS = int(env("STRIPE_RECONCILE_DAYS", "7"))

# --- SMS (marketplace.accounts.sms) -----------------------------------------------
# Dotted path of the backend `send_sms` uses. The console one only prints;
# production must name a real gateway backend (`check --deploy` warns otherwise).
SMS_BACKEND = env("SMS_BACKEND", "marketplace.accounts.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", "")
# A gateway that fails is tried again by the worker (`sms_send_task`): after
# SMS_RETRY_SECONDS, then twice as long each time, SMS_RETRIES times (15 s → 2 min:
# about 4 minutes in all, within a one-time code's life).
SMS_RETRIES = int(env("SMS_RETRIES", "4"))
SMS_RETRY_SECONDS = float(env("SMS_RETRY_SECONDS", "15"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# --- Orders (orders/) -------------------------------------------------------------
# Hours a booth has to accept or decline a new part before it is cancelled.
ORDER_ACCEPT_HOURS = int(env("ORDER_ACCEPT_HOURS", "48"))
# Days after a part is delivered or cancelled during which the booth still sees
# the buyer's name, mobile and address (masked after that).
ORDER_BUYER_DETAILS_DAYS = int(env("ORDER_BUYER_DETAILS_DAYS", "14"))
# A buyer's order link works until this many days after its last part ended
# (orders.permissions.buyer_link_open).
ORDER_BUYER_LINK_DAYS = int(env("ORDER_BUYER_LINK_DAYS", "30"))
# The platform's commission on a sale (a fraction; 0 allowed); a programme may
# override it (Programme.commission_rate). Frozen on each order line.
ORDER_COMMISSION_RATE = env("ORDER_COMMISSION_RATE", "0.05")
# Working days a ready-made product takes to prepare (made-to-order: its own).
ORDER_READY_MADE_PREPARATION_DAYS = int(env("ORDER_READY_MADE_PREPARATION_DAYS", "1"))
# The most units of one product in one basket line or order (every add path,
# the basket page, the merge at login and placement: orders.limits).
BASKET_MAX_LINE_QUANTITY = 99
# The most one order may come to, goods and delivery together, in rials
# (900 million toman). It keeps every amount an order writes below 10^10 rials,
# which Oscar's narrowest money columns (max_digits=12, 2 places) hold;
# tests/orders/test_limits.py checks every money column against it.
BASKET_MAX_ORDER_TOTAL = 9_000_000_000
ORDER_PAYMENT_GATEWAYS = [
    "orders.payments.PayOnDelivery",
    "orders.payments.PayAtPickup",
    # Offered only when STRIPE_SECRET_KEY is set (buyers abroad).
    "orders.stripe_gateway.StripeGateway",
]
# Absolute links in SMS and e-mail (a guest's signed order link).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

CELERY_BEAT_SCHEDULE |= {
    # Parts not accepted within ORDER_ACCEPT_HOURS are cancelled, stock put back.
    "orders-expire-overdue-parts": {
        "task": "orders.tasks.expire_overdue_seller_orders",
        "schedule": 15 * 60,
    },
    # Card refunds still pending and due (orders.refunds): a lost enqueue, a
    # broker or Stripe outage ends here.
    "orders-card-refunds-sweep": {
        "task": "orders.tasks.card_refunds_sweep",
        "schedule": 5 * 60,
    },
    # Card payments that can still change, compared with Stripe (orders.card).
    "orders-stripe-reconcile": {
        "task": "orders.tasks.stripe_reconcile_run",
        "schedule": 3600.0,
    },
}

# Our Persian for the Oscar messages we still show (locale/fa).
LOCALE_PATHS = [BASE_DIR / "locale"]
