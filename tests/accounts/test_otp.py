"""One-time codes: sending, checking, expiry, the guess limit, the hourly limit,
single use, and the same behaviour for numbers with and without an account."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from marketplace.accounts import services
from marketplace.accounts.models import LoginThrottle, OneTimeCode, PhoneThrottle
from marketplace.accounts.services import (
    OtpRateLimited,
    otp_request,
    otp_verify,
    user_get_or_create_by_phone,
)
from tests.accounts.helpers import PHONE, UNKNOWN_PHONE, last_code

pytestmark = pytest.mark.django_db
IP = "192.0.2.10"


def request_code(phone=PHONE, purpose="login", ip=IP):
    otp_request(phone=phone, purpose=purpose, ip=ip)


def verify(code, phone=PHONE, purpose="login", ip=IP):
    return otp_verify(phone=phone, code=code, purpose=purpose, ip=ip)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- sending ----------------------------------------------------------------------


def test_a_code_is_sent_by_sms_in_persian(phone_user, outbox):
    request_code(phone="0912 123 4567")

    assert len(outbox) == 1
    assert outbox[0].phone == PHONE
    assert "کد تأیید شما" in outbox[0].text
    assert "۵ دقیقه" in outbox[0].text
    assert len(last_code(outbox)) == 6


def test_the_code_is_never_stored_in_clear(phone_user, outbox, clock):
    request_code()
    code = last_code(outbox)

    otp = OneTimeCode.objects.get()
    stored = [str(value) for value in OneTimeCode.objects.values().get().values()]
    assert not any(code in value for value in stored)
    assert len(otp.code_hash) == 64
    assert otp.created_at == clock.now
    assert otp.expires_at == clock.now + dt.timedelta(minutes=5)


def test_codes_are_random(phone_user, outbox, clock):
    for _ in range(3):
        request_code()
        clock.advance(hours=1)
    assert len({last_code([message]) for message in outbox}) > 1


# --- checking ---------------------------------------------------------------------


def test_the_right_code_works_once(phone_user, outbox):
    request_code()
    code = last_code(outbox)

    assert verify(code) is True
    assert verify(code) is False  # single use
    assert OneTimeCode.objects.get().used_at is not None


def test_a_code_typed_in_persian_digits_works(phone_user, outbox):
    request_code()
    code = last_code(outbox)
    assert verify(code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))) is True


def test_a_code_lives_five_minutes(phone_user, outbox, clock):
    request_code()
    code = last_code(outbox)

    clock.advance(minutes=4, seconds=59)
    assert verify(code) is True

    clock.advance(hours=1)
    request_code()
    code = last_code(outbox)
    clock.advance(minutes=5)
    assert verify(code) is False


def test_five_guesses_then_the_code_is_dead(phone_user, outbox):
    request_code()
    code = last_code(outbox)

    for _ in range(5):
        assert verify(wrong(code)) is False
    assert verify(code) is False  # the sixth guess is refused, though right
    assert OneTimeCode.objects.get().attempts == 5


def test_four_wrong_guesses_still_leave_one(phone_user, outbox):
    request_code()
    code = last_code(outbox)

    for _ in range(4):
        assert verify(wrong(code)) is False
    assert verify(code) is True


def test_only_the_newest_code_counts(phone_user, outbox):
    request_code()
    first = last_code(outbox)
    request_code()
    second = last_code(outbox)

    if first != second:
        assert verify(first) is False
    assert verify(second) is True


def test_a_code_is_bound_to_its_number_and_purpose(phone_user, outbox):
    request_code(purpose="signup")
    code = last_code(outbox)

    assert verify(code, purpose="login") is False
    assert verify(code, phone="+989121234568", purpose="signup") is False
    assert verify(code, purpose="signup") is True


def test_no_code_no_luck(db):
    assert verify("123456") is False


# --- the hourly limit -------------------------------------------------------------


def test_three_codes_an_hour_then_a_persian_refusal(phone_user, outbox, clock):
    for _ in range(3):
        request_code()
        clock.advance(minutes=10)
    with pytest.raises(OtpRateLimited) as info:
        request_code()

    assert len(outbox) == 3
    assert OneTimeCode.objects.count() == 3
    # The first code leaves the window 60 minutes after it was made: 30 to go.
    assert info.value.retry_after == dt.timedelta(minutes=30)
    assert str(info.value) == (
        "برای این شماره در یک ساعت گذشته ۳ کد فرستاده شده است. "
        "لطفاً ۳۰ دقیقه دیگر دوباره امتحان کنید."
    )


def test_the_window_rolls(phone_user, outbox, clock):
    for _ in range(3):
        request_code()
        clock.advance(minutes=10)
    clock.advance(minutes=29, seconds=59)  # 59:59 after the first
    with pytest.raises(OtpRateLimited):
        request_code()

    clock.advance(seconds=1)  # the first code is out of the hour
    request_code()
    with pytest.raises(OtpRateLimited):
        request_code()  # the other two are still in it
    assert len(outbox) == 4


def test_the_limit_counts_every_purpose_and_every_ip(phone_user, outbox):
    request_code(purpose="login", ip="192.0.2.1")
    request_code(purpose="signup", ip="192.0.2.2")
    request_code(purpose="login", ip="2001:db8::1")
    with pytest.raises(OtpRateLimited):
        request_code(purpose="signup", ip="198.51.100.7")


def test_the_limit_is_per_number(phone_user, outbox):
    for _ in range(3):
        request_code()
    request_code(phone="+989121234568", purpose="signup")  # another number is free
    assert outbox[-1].phone == "+989121234568"


# --- known and unknown numbers ----------------------------------------------------


def test_login_code_for_an_unknown_number_is_not_sent(db, outbox):
    request_code(phone=UNKNOWN_PHONE)

    assert outbox == []
    otp = OneTimeCode.objects.get()
    assert otp.phone == UNKNOWN_PHONE
    assert otp.delivered is False
    assert not get_user_model().objects.filter(username=UNKNOWN_PHONE).exists()


def test_an_unsent_code_never_matches(db, outbox, monkeypatch):
    monkeypatch.setattr(services, "_new_code", lambda: "123456")
    request_code(phone=UNKNOWN_PHONE)
    assert verify("123456", phone=UNKNOWN_PHONE) is False


def test_unknown_numbers_are_limited_like_known_ones(phone_user, db, outbox):
    for phone in (PHONE, UNKNOWN_PHONE):
        for _ in range(3):
            assert request_code(phone=phone) is None
        with pytest.raises(OtpRateLimited) as info:
            request_code(phone=phone)
        assert "۳ کد" in str(info.value)


def test_known_and_unknown_numbers_cost_the_same_queries(phone_user, db, outbox):
    counts = {}
    for phone in (PHONE, UNKNOWN_PHONE):
        with CaptureQueriesContext(connection) as queries:
            request_code(phone=phone)
        counts[phone] = len(queries)
    assert counts[PHONE] == counts[UNKNOWN_PHONE]


def test_signup_codes_are_sent_to_any_number(db, outbox):
    request_code(phone=UNKNOWN_PHONE, purpose="signup")
    assert verify(
        last_code(outbox, UNKNOWN_PHONE), phone=UNKNOWN_PHONE, purpose="signup"
    )


def test_a_failing_gateway_looks_like_success(phone_user, outbox, monkeypatch):
    def broken_gateway(**kwargs):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(services, "send_sms", broken_gateway)
    assert request_code() is None
    assert OneTimeCode.objects.count() == 1


# --- users ------------------------------------------------------------------------


def test_user_get_or_create_by_phone(db):
    user = user_get_or_create_by_phone(phone="۰۹۳۵ ۱۱۱ ۲۲۳۳")

    assert user.username == UNKNOWN_PHONE
    assert not user.has_usable_password()
    assert user.email == ""
    assert user_get_or_create_by_phone(phone="9351112233") == user
    assert get_user_model().objects.filter(username=UNKNOWN_PHONE).count() == 1


# --- across processes -------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_cannot_pass_the_hourly_limit(outbox):
    """Ten requests at once, each on its own database connection: three codes."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run under scripts/services")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    barrier = threading.Barrier(10)
    results: list[str] = []

    def worker():
        barrier.wait()
        try:
            request_code(phone=UNKNOWN_PHONE, purpose="signup")
            results.append("sent")
        except OtpRateLimited:
            results.append("limited")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["limited"] * 7 + ["sent"] * 3
    assert OneTimeCode.objects.filter(phone=UNKNOWN_PHONE).count() == 3


# --- housekeeping -----------------------------------------------------------------


def test_purge_keeps_what_the_rules_still_need(phone_user, outbox, clock):
    request_code()
    for _ in range(5):
        services.login_record_failure(phone=PHONE, ip=IP)
    clock.advance(days=1, seconds=1)
    request_code()

    # The day-old code and login throttle go; the number asked again, so its
    # code throttle and new code stay.
    assert services.accounts_purge_stale() == 2
    assert OneTimeCode.objects.count() == 1
    assert PhoneThrottle.objects.count() == 1
    assert LoginThrottle.objects.count() == 0
