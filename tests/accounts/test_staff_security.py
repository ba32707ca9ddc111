"""Issue 11 item 10: staff accounts need a second factor that is not the SMS
(TOTP through django-otp, enrolled on the first staff login), staff sessions end
after 30 idle minutes, and only `make run` may skip the second factor, with a
banner; production never can (a deploy check)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import Permission
from django.core import checks
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import (
    PASSWORD,
    STAFF_PHONE,
    last_code,
    log_in,
    log_in_by_code,
    token_for,
)
from tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
STAFF_OTP = reverse("accounts:staff_otp")


@pytest.mark.parametrize(
    "url", ["/staff/sellers/", "/dashboard/", "/django-admin/", "/cms-admin/"]
)
def test_a_password_alone_does_not_open_the_staff_areas(client, staff_user, url):
    log_in(client)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(STAFF_OTP)


@pytest.mark.dates
def test_first_staff_login_enrols_totp_then_asks_for_it(client, staff_user, outbox):
    log_in(client)
    log_in_by_code(client, outbox)  # enrolling needs the password and a code
    response = client.get(client.get("/staff/sellers/")["Location"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'data-testid="otp-secret"' in page
    bad = client.post(STAFF_OTP, {"token": "000000", "next": "/staff/sellers/"})
    assert bad.status_code == 200
    assert "کد درست نیست" in bad.content.decode()
    assert client.get("/staff/sellers/").status_code == 302
    # django-otp makes her wait a second after a wrong code; let it pass.
    TOTPDevice.objects.filter(user=staff_user).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=5)
    )

    good = client.post(
        STAFF_OTP, {"token": token_for(staff_user), "next": "/staff/sellers/"}
    )
    assert good.status_code == 302 and good["Location"] == "/staff/sellers/"
    assert client.get("/staff/sellers/").status_code == 200
    assert TOTPDevice.objects.get(user=staff_user).confirmed

    # Next login: a code, no new enrolment (no QR code, no key shown).
    client.post(reverse("accounts:logout"))
    log_in(client)
    page = client.get(STAFF_OTP + "?next=/staff/sellers/").content.decode()
    assert "<svg" not in page and "otp-secret" not in page


def test_a_case_file_reader_is_staff_even_without_the_staff_flag(client):
    reader = UserFactory(username="+989120000002")
    reader.set_password(PASSWORD)
    reader.save()
    reader.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="sellers", codename="view_casefile"
        )
    )
    seller = SellerFactory()
    log_in(client, "+989120000002")
    response = client.get(
        reverse("sellers_staff:case_file", kwargs={"seller_id": seller.pk})
    )
    assert response.status_code == 302 and response["Location"].startswith(STAFF_OTP)


def test_one_sms_no_longer_opens_the_staff_areas(client, staff_user, outbox):
    """Signing up by code on a staff number used to replace her password and
    open case files and /django-admin/."""
    client.post(reverse("accounts:signup"), {"phone": STAFF_PHONE})
    client.post(
        reverse("accounts:otp_verify"), {"code": last_code(outbox, STAFF_PHONE)}
    )
    assert client.session.get("_auth_user_id") == str(staff_user.pk)
    for url in ("/django-admin/", "/staff/sellers/"):
        assert client.get(url)["Location"].startswith(STAFF_OTP)
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_buyers_and_sellers_are_not_asked_for_a_second_factor(client):
    buyer = UserFactory(username="+989121234567")
    client.force_login(buyer)
    assert client.get(STAFF_OTP)["Location"] == "/"
    assert not TOTPDevice.objects.exists()


def test_staff_sessions_end_after_thirty_idle_minutes(client, staff_user, monkeypatch):
    client.force_login(staff_user)
    assert client.get("/staff/sellers/").status_code == 200
    assert client.session.get_expiry_age() == 30 * 60  # the stored session too
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60)
    assert client.get("/staff/sellers/").status_code == 200  # activity renews it
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60 + 31 * 60)
    response = client.get("/")  # any page
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.session.get("_auth_user_id") is None


def test_a_buyer_session_has_no_idle_limit(client, monkeypatch):
    buyer = UserFactory(username="+989121234567")
    client.force_login(buyer)
    start = time.time()
    client.get("/account/")
    monkeypatch.setattr(time, "time", lambda: start + 3 * 3600)
    assert client.get("/account/").status_code == 200


def test_the_demo_bypass_shows_a_banner(client, staff_user, settings):
    settings.STAFF_OTP_DEMO_BYPASS = True
    log_in(client)
    # /dashboard/ itself now leads to the staff home (issue 27)
    for url in ("/staff/sellers/", "/staff/", "/dashboard/orders/"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'data-testid="demo-2fa-banner"' in response.content.decode()


def test_deploy_check_refuses_the_demo_bypass(settings):
    settings.STAFF_OTP_DEMO_BYPASS = True
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "accounts.E003" in ids
    settings.STAFF_OTP_DEMO_BYPASS = False
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "accounts.E003" not in ids


def test_production_settings_force_the_second_factor():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "STAFF_OTP_DEMO_BYPASS": "1",
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
    }
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.STAFF_OTP_DEMO_BYPASS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
