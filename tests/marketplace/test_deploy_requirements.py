"""Issue 26: `check --deploy` knows what production needs. Each check is run
in-process with the settings a mistaken deploy could have, and with the right
ones (so each test fails if its check stops firing or fires on a good deploy)."""

import pytest
from django.core import checks

#: A deploy with nothing missing (the checks only read these, never connect).
GOOD = {
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_TASK_ALWAYS_EAGER": False,
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "ALLOWED_HOSTS": ["dastavard.ir"],
    "APP_SERVERS": 1,
    "STAFF_OTP_DEMO_BYPASS": False,
}


def deploy_ids(settings, **changes) -> set[str]:
    for name, value in {**GOOD, **changes}.items():
        setattr(settings, name, value)
    return {m.id for m in checks.run_checks(include_deployment_checks=True)}


@pytest.fixture
def postgres_database(monkeypatch):
    """The check reads the engine through `default_database_engine`; the test
    database itself may be SQLite."""
    monkeypatch.setattr(
        "marketplace.checks.default_database_engine",
        lambda: "django.db.backends.postgresql",
    )


def test_a_good_deploy_passes_every_new_check(settings, postgres_database):
    ids = deploy_ids(settings)
    assert not {i for i in ids if i.startswith("marketplace.E01")}, ids
    assert "accounts.E003" not in ids


def test_no_redis_means_tasks_inside_requests(settings, postgres_database):
    assert "marketplace.E010" in deploy_ids(settings, REDIS_URL="")
    assert "marketplace.E010" in deploy_ids(settings, CELERY_TASK_ALWAYS_EAGER=True)


def test_the_console_email_backend_fails(settings, postgres_database):
    ids = deploy_ids(
        settings, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    assert "marketplace.E011" in ids


def test_card_payment_without_webhook_secret_fails(settings, postgres_database):
    assert "marketplace.E012" in deploy_ids(settings, STRIPE_WEBHOOK_SECRET="")
    # No card payment offered: no secret needed.
    assert "marketplace.E012" not in deploy_ids(
        settings, STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET=""
    )


def test_a_database_other_than_postgresql_fails(settings, monkeypatch):
    monkeypatch.setattr(
        "marketplace.checks.default_database_engine",
        lambda: "django.db.backends.sqlite3",
    )
    assert "marketplace.E013" in deploy_ids(settings)


@pytest.mark.parametrize("hosts", [[], ["*"], ["127.0.0.1", "localhost"]])
def test_allowed_hosts_missing_or_open_fails(settings, postgres_database, hosts):
    assert "marketplace.E014" in deploy_ids(settings, ALLOWED_HOSTS=hosts)


def test_local_media_with_two_app_servers_fails(settings, postgres_database):
    assert "marketplace.E015" not in deploy_ids(settings, APP_SERVERS=1)
    assert "marketplace.E015" in deploy_ids(settings, APP_SERVERS=2)


def test_the_demo_totp_bypass_fails(settings, postgres_database):
    assert "accounts.E003" in deploy_ids(settings, STAFF_OTP_DEMO_BYPASS=True)
