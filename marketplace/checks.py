"""A deploy check: production enforces the Content-Security-Policy."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or directives.get(
        "default-src"
    ) != ["'self'"]:
        return [
            checks.Error(
                "The Content-Security-Policy is not enforced (report-only or missing).",
                hint="Production needs CSPMiddleware and CONTENT_SECURITY_POLICY "
                "with default-src 'self' (marketplace/settings/base.py).",
                id="marketplace.E001",
            )
        ]
    script = directives.get("script-src", [])
    if "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        return [
            checks.Error(
                "script-src allows inline or eval'd code.",
                hint="Give inline scripts the request's nonce instead.",
                id="marketplace.E002",
            )
        ]
    return []


# --- What production needs (issue 26): `manage.py check --deploy` fails on each ---

#: E-mail backends that never deliver anything to anyone.
DEV_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
#: Hosts that only this machine can reach: base.py's default when ALLOWED_HOSTS
#: is not set.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CARD_GATEWAY = "orders.stripe_gateway.StripeGateway"


@checks.register(checks.Tags.compatibility, deploy=True)
def check_background_jobs_leave_the_request(app_configs, **kwargs):
    """Without REDIS_URL (or CELERY_BROKER_URL) Celery runs every task eagerly,
    inside the request that queued it: each SMS waits on the gateway, each photo
    is processed while the seller waits, and the beat schedule never runs."""
    if not getattr(settings, "REDIS_URL", "") or getattr(
        settings, "CELERY_TASK_ALWAYS_EAGER", False
    ):
        return [
            checks.Error(
                "Background tasks run inside the request (no REDIS_URL, or "
                "CELERY_TASK_ALWAYS_EAGER is on).",
                hint="Set REDIS_URL (the cache and Celery's broker) and run a Celery "
                "worker and one beat (deploy/).",
                id="marketplace.E010",
            )
        ]
    return []


@checks.register(checks.Tags.compatibility, deploy=True)
def check_email_is_delivered(app_configs, **kwargs):
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend in DEV_EMAIL_BACKENDS:
        return [
            checks.Error(
                f"EMAIL_BACKEND is {backend}: no e-mail reaches anyone.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
                "and EMAIL_HOST (and its credentials).",
                id="marketplace.E011",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_card_payment_has_webhook_secret(app_configs, **kwargs):
    """The card gateway is offered as soon as STRIPE_SECRET_KEY is set; without
    the webhook's signing secret every `payment_intent.succeeded` is refused,
    so buyers pay and their orders never learn it."""
    offered = CARD_GATEWAY in getattr(settings, "ORDER_PAYMENT_GATEWAYS", []) and bool(
        getattr(settings, "STRIPE_SECRET_KEY", "")
    )
    if offered and not getattr(settings, "STRIPE_WEBHOOK_SECRET", ""):
        return [
            checks.Error(
                "Card payment is offered (STRIPE_SECRET_KEY) but "
                "STRIPE_WEBHOOK_SECRET is not set: every webhook would be refused.",
                hint="Set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret "
                "(whsec_…), or unset STRIPE_SECRET_KEY to offer no card payment.",
                id="marketplace.E012",
            )
        ]
    return []


def default_database_engine() -> str:
    return settings.DATABASES.get("default", {}).get("ENGINE", "")


@checks.register(checks.Tags.database, deploy=True)
def check_database_is_configured(app_configs, **kwargs):
    """base.py falls back to a SQLite file under var/ when DATABASE_URL is unset;
    the append-only triggers, full-text search and row locks need PostgreSQL."""
    engine = default_database_engine()
    if not engine.endswith("postgresql"):
        return [
            checks.Error(
                f"The database is {engine or 'not configured'}, not PostgreSQL "
                "(DATABASE_URL is missing).",
                hint="Set DATABASE_URL=postgres://user:password@host:port/name.",
                id="marketplace.E013",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):
    hosts = set(getattr(settings, "ALLOWED_HOSTS", []))
    if not hosts or "*" in hosts or hosts <= LOOPBACK_HOSTS:
        return [
            checks.Error(
                f"ALLOWED_HOSTS is {sorted(hosts)}: set it to the site's host names.",
                hint="ALLOWED_HOSTS=dastavard.ir,www.dastavard.ir (no '*').",
                id="marketplace.E014",
            )
        ]
    return []


def _local_storages() -> list[str]:
    """The STORAGES aliases (static files aside) whose files stay on this
    machine's disk."""
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string

    local = []
    for alias, spec in getattr(settings, "STORAGES", {}).items():
        if alias == "staticfiles":
            continue
        try:
            backend = import_string(spec["BACKEND"])
        except ImportError:
            continue
        if isinstance(backend, type) and issubclass(backend, FileSystemStorage):
            local.append(alias)
    if "wizard_uploads" not in getattr(settings, "STORAGES", {}):
        # marketplace.storage.wizard_upload_storage: the local directory.
        local.append("wizard uploads")
    return local


@checks.register(checks.Tags.compatibility, deploy=True)
def check_media_is_shared_between_app_servers(app_configs, **kwargs):
    """A photo uploaded through one app server must be there for the other and
    for the Celery worker: with more than one, media lives in object storage."""
    servers = int(getattr(settings, "APP_SERVERS", 1) or 1)
    local = _local_storages()
    if servers > 1 and local:
        return [
            checks.Error(
                f"APP_SERVERS is {servers} but media is on the local disk "
                f"({', '.join(local)}): an upload to one server is missing on the others.",
                hint="Set MEDIA_STORAGE=s3 with AWS_STORAGE_BUCKET_NAME, "
                "AWS_PRIVATE_BUCKET_NAME and AWS_S3_ENDPOINT_URL (django-storages).",
                id="marketplace.E015",
            )
        ]
    return []
