"""`manage.py check --deploy` is clean with the production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_deploy_check(**extra_env) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "SMS_BACKEND",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="dastavard.ir",
        SMS_GATEWAY_URL="https://sms-gateway.dastavard.ir/send",
        # Only read, never connected to, by the checks.
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://dastavard:secret@127.0.0.1:5432/dastavard",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        APP_SERVERS="1",
    )
    # None: the variable is not set at all (what a forgotten one looks like).
    env.update({key: value for key, value in extra_env.items() if value is not None})
    for key in [key for key, value in extra_env.items() if value is None]:
        env.pop(key, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_sms_would_go_to_the_console():
    result = run_deploy_check(SMS_BACKEND="marketplace.accounts.sms.ConsoleSmsBackend")
    assert result.returncode != 0
    assert "accounts.W001" in result.stdout + result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_deploy_check(SECRET_KEY="dev-only-insecure-key-change-me")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_warns_when_the_catalogue_caches_are_per_process():
    result = run_deploy_check(REDIS_URL="")
    assert result.returncode != 0
    assert "catalog.W001" in result.stdout + result.stderr


def test_check_deploy_fails_on_each_missing_production_setting():
    """Issue 26: with the production settings module, a deploy that forgot
    REDIS_URL, the e-mail backend, DATABASE_URL or ALLOWED_HOSTS fails the
    check at ERROR level (not only with --fail-level WARNING)."""
    result = run_deploy_check(
        REDIS_URL=None,
        CELERY_BROKER_URL=None,
        EMAIL_BACKEND=None,
        DATABASE_URL=None,
        ALLOWED_HOSTS=None,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    for check_id in (
        "marketplace.E010",
        "marketplace.E011",
        "marketplace.E013",
        "marketplace.E014",
    ):
        assert check_id in out, out


def test_check_deploy_refuses_the_staff_demo_bypass_and_a_missing_policy(settings):
    """Issue 11: production never lets staff in without the second factor, and
    enforces the Content-Security-Policy (the checks themselves, with the
    settings a mistaken deploy could have)."""
    from django.core import checks

    settings.STAFF_OTP_DEMO_BYPASS = True
    settings.CONTENT_SECURITY_POLICY = None
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert {"accounts.E003", "marketplace.E001"} <= ids
