"""Fixtures for the account tests: the SMS outbox, a movable clock, phone users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.accounts import sms
from marketplace.accounts.services import user_get_or_create_by_phone
from tests.accounts.helpers import PASSWORD, PHONE, STAFF_PHONE
from tests.factories import UserFactory


class Clock:
    """Stands in for `django.utils.timezone.now`; tests move it with `advance`."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def outbox(sms_outbox) -> list[sms.SmsMessage]:
    """The SMS sent (tests/conftest.py's `sms_outbox`, emptied around each test)."""
    return sms_outbox


@pytest.fixture(autouse=True)
def sms_at_commit_run_at_once(monkeypatch):
    """The test database never commits, so SMS queued "after commit"
    (`services.sms_send_later`) are sent at once here, and tests read the outbox
    right after the call. `test_sms_after_response.py` tests the real wait."""
    monkeypatch.setattr(
        "marketplace.accounts.services._after_commit", lambda callback: callback()
    )


@pytest.fixture
def clock(monkeypatch) -> Clock:
    current = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", current)
    return current


@pytest.fixture
def phone_user(db):
    """A woman whose account is +989121234567, with a password."""
    user = user_get_or_create_by_phone(phone=PHONE)
    user.first_name = "مریم"
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def staff_user(db):
    """A superuser whose account is +989120000001, with a password and no
    authenticator yet."""
    user = UserFactory(username=STAFF_PHONE, is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user
