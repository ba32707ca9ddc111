"""Issue 24 §1.1: adding a staff authenticator (TOTP) needs her password and an
SMS code in the same session; each visit of the setup page shows a new secret
bound to that session; confirming one deletes every other unconfirmed one; she
gets an SMS and an audit entry when a device is added.

The review's two attacks: with only the SMS code, an attacker enrolled his own
app and read a case file; with the page open first, he read the secret the real
woman later confirmed, and his codes kept working."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.staff import DEVICE_ADDED_SMS
from tests.accounts.helpers import (
    STAFF_PHONE,
    log_in,
    log_in_by_code,
    totp_now,
)
from tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db
STAFF_OTP = reverse("accounts:staff_otp")
SECRET = re.compile(r'data-testid="otp-secret">([A-Z2-7=]+)<')


def secrets_on(response) -> list[bytes]:
    """The authenticator keys the page shows (base32 decoded)."""
    return [base64.b32decode(s) for s in SECRET.findall(response.content.decode())]


def case_file_url() -> str:
    return reverse("sellers_staff:case_file", kwargs={"seller_id": SellerFactory().pk})


def enrol_with(client, key: bytes):
    return client.post(STAFF_OTP, {"token": totp_now(key), "next": "/staff/sellers/"})


def test_an_sms_code_alone_neither_enrols_nor_reads_a_case_file(staff_user, outbox):
    """Attack 1: the attacker has her SMS code, not her password."""
    attacker = Client()
    log_in_by_code(attacker, outbox)
    page = attacker.get(STAFF_OTP)
    assert page.status_code == 200
    assert secrets_on(page) == []
    assert 'data-testid="otp-prove-password"' in page.content.decode()
    # Whatever unconfirmed secret exists, a code from it confirms nothing here.
    for device in TOTPDevice.objects.filter(user=staff_user):
        enrol_with(attacker, device.bin_key)
    assert not TOTPDevice.objects.filter(user=staff_user, confirmed=True).exists()
    response = attacker.get(case_file_url())
    assert response.status_code == 302
    assert response["Location"].startswith(STAFF_OTP)


def test_a_password_alone_shows_no_secret(staff_user):
    client = Client()
    log_in(client)
    page = client.get(STAFF_OTP)
    assert secrets_on(page) == []
    assert 'data-testid="otp-prove-sms"' in page.content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_secret_read_before_she_enrols_does_not_work_after(staff_user, outbox):
    """Attack 2: the attacker opens the setup page first (with her password);
    she then enrols; codes from what he read must not let him in."""
    attacker = Client()
    log_in(attacker)
    seen = secrets_on(attacker.get(STAFF_OTP))

    her = Client()
    log_in(her)
    log_in_by_code(her, outbox)
    [her_key] = secrets_on(her.get(STAFF_OTP))
    assert enrol_with(her, her_key).status_code == 302

    for key in seen:
        enrol_with(attacker, key)
    assert attacker.get(case_file_url()).status_code == 302
    assert seen == []
    assert her.get(case_file_url()).status_code == 200


def test_each_visit_shows_a_new_secret_bound_to_its_session(staff_user, outbox):
    """She opened the setup page on two computers (both fully logged in): each
    visit has its own secret, and confirming one kills the other."""
    first, second = Client(), Client()
    for client in (first, second):
        log_in(client)
        log_in_by_code(client, outbox)
    [key_1] = secrets_on(first.get(STAFF_OTP))
    [key_1_again] = secrets_on(first.get(STAFF_OTP))
    [key_2] = secrets_on(second.get(STAFF_OTP))
    assert len({key_1, key_1_again, key_2}) == 3
    # A visit replaces the session's previous secret; the other session's stays.
    assert TOTPDevice.objects.filter(user=staff_user, confirmed=False).count() == 2

    # A code of the other session's secret is not accepted in this one.
    assert enrol_with(first, key_2).status_code == 200
    assert enrol_with(second, key_2).status_code == 302
    devices = TOTPDevice.objects.filter(user=staff_user)
    assert [(d.bin_key, d.confirmed) for d in devices] == [(key_2, True)]
    assert enrol_with(first, key_1_again).status_code == 200
    assert first.get(case_file_url()).status_code == 302


def test_enrolling_needs_both_factors_within_fifteen_minutes(
    staff_user, outbox, monkeypatch
):
    client = Client()
    start = time.time()
    log_in(client)
    monkeypatch.setattr(time, "time", lambda: start + 16 * 60)
    log_in_by_code(client, outbox)
    page = client.get(STAFF_OTP)
    assert secrets_on(page) == []
    assert 'data-testid="otp-prove-password"' in page.content.decode()
    log_in(client)  # the same account again: the session keeps both
    assert len(secrets_on(client.get(STAFF_OTP))) == 1


def test_a_factor_of_another_account_does_not_count(staff_user, outbox, phone_user):
    """Her code cannot be added to another account's password in one browser:
    logging in as someone else starts over."""
    client = Client()
    log_in_by_code(client, outbox)  # the staff number
    log_in(client, phone_user.username)  # then another account's password
    log_in(client)  # back to hers, by password: the code was for the session before
    assert secrets_on(client.get(STAFF_OTP)) == []


def test_adding_a_device_sends_her_an_sms_and_writes_an_audit_entry(staff_user, outbox):
    client = Client()
    log_in(client)
    log_in_by_code(client, outbox)
    [key] = secrets_on(client.get(STAFF_OTP))
    outbox.clear()
    assert enrol_with(client, key).status_code == 302
    assert [(m.phone, m.text) for m in outbox] == [(STAFF_PHONE, DEVICE_ADDED_SMS)]
    device = TOTPDevice.objects.get(user=staff_user, confirmed=True)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(TOTPDevice),
        object_id=str(device.pk),
    )
    assert entry.action_flag == ADDITION and entry.user_id == staff_user.pk


def test_a_code_posted_without_visiting_the_page_confirms_nothing(staff_user, outbox):
    """A session that never saw a secret cannot confirm one it guessed or read
    elsewhere (here: the secret of another session)."""
    shown, poster = Client(), Client()
    for client in (shown, poster):
        log_in(client)
        log_in_by_code(client, outbox)
    [key] = secrets_on(shown.get(STAFF_OTP))
    response = enrol_with(poster, key)
    assert response.status_code == 200
    assert "دیگر معتبر نیست" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


# --- a superuser's one-time enrolment link ---------------------------------------


def issue_link(staff_user) -> str:
    """A superuser issues her a link through /django-admin/'s user action; the
    link is read from the admin's message."""
    admin = UserFactory(username="+989120000009", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)  # a finished login, second factor included
    response = client.post(
        "/django-admin/auth/user/",
        {"action": "issue_enrol_link", "_selected_action": [staff_user.pk]},
        follow=True,
    )
    [link] = re.findall(
        r"https?://[^\s<]+/account/staff/second-factor/link/[^\s<]+/",
        response.content.decode(),
    )
    return link.split("testserver", 1)[1]


def test_a_superusers_link_lets_her_enrol_with_one_factor(staff_user, outbox):
    link = issue_link(staff_user)
    client = Client()
    log_in(client)  # the password only
    assert client.get(link)["Location"] == STAFF_OTP
    [key] = secrets_on(client.get(STAFF_OTP))
    assert enrol_with(client, key).status_code == 302
    assert client.get(case_file_url()).status_code == 200
    assert LogEntry.objects.filter(
        change_message="Second-factor enrolment link issued.",
        object_id=str(staff_user.pk),
    ).exists()


def test_the_link_works_only_in_her_own_session(staff_user, outbox, phone_user):
    link = issue_link(staff_user)
    stranger = Client()
    log_in(stranger, phone_user.username)
    stranger.get(link)
    log_in_by_code(stranger, outbox)  # now logged in as her, by SMS only
    assert secrets_on(stranger.get(STAFF_OTP)) == []


def test_the_link_dies_when_a_device_is_confirmed(staff_user, outbox):
    link = issue_link(staff_user)
    her = Client()
    log_in(her)
    her.get(link)
    [key] = secrets_on(her.get(STAFF_OTP))
    assert enrol_with(her, key).status_code == 302
    TOTPDevice.objects.filter(user=staff_user).delete()  # she lost her phone
    attacker = Client()
    log_in_by_code(attacker, outbox)
    attacker.get(link)
    assert secrets_on(attacker.get(STAFF_OTP)) == []


def test_the_link_expires_after_a_day(staff_user, monkeypatch):
    link = issue_link(staff_user)
    later = time.time() + 24 * 3600 + 60
    monkeypatch.setattr(time, "time", lambda: later)
    client = Client()
    log_in(client)
    client.get(link)
    assert secrets_on(client.get(STAFF_OTP)) == []


def test_only_a_superuser_may_issue_a_link(staff_user):
    from django.contrib.auth.models import Permission

    editor = UserFactory(username="+989120000008", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename="change_user"))
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/django-admin/auth/user/",
        {"action": "issue_enrol_link", "_selected_action": [staff_user.pk]},
        follow=True,
    )
    assert "second-factor/link/" not in response.content.decode()
    assert not LogEntry.objects.filter(
        change_message="Second-factor enrolment link issued."
    ).exists()


def test_a_device_added_in_the_admin_sends_her_an_sms(staff_user, outbox, rf):
    from django.contrib import admin

    model_admin = admin.site._registry[TOTPDevice]
    superuser = UserFactory(username="+989120000009", is_superuser=True)
    request = rf.post("/django-admin/otp_totp/totpdevice/add/")
    request.user = superuser
    device = TOTPDevice(user=staff_user, name="app", confirmed=True)
    model_admin.save_model(request, device, form=None, change=False)
    assert [(m.phone, m.text) for m in outbox] == [(STAFF_PHONE, DEVICE_ADDED_SMS)]
    model_admin.save_model(request, device, form=None, change=True)
    assert len(outbox) == 1  # saved again: not added again


def test_only_superusers_manage_devices_in_the_admin(client):
    from django.contrib.auth.models import Permission

    editor = UserFactory(username="+989120000008", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="otp_totp")
    )
    client.force_login(editor)
    assert client.get("/django-admin/otp_totp/totpdevice/add/").status_code == 403
    assert client.get("/django-admin/otp_totp/totpdevice/").status_code == 403
