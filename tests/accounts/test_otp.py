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

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
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


# --- the limits -----------------------------------------------------------------


def test_two_codes_at_once_then_a_doubling_wait(phone_user, outbox, clock):
    request_code()
    request_code()
    with pytest.raises(OtpRateLimited) as info:
        request_code()
    assert info.value.retry_after == dt.timedelta(minutes=1)
    assert str(info.value) == (
        "برای این شماره به‌تازگی کد فرستاده شده است. لطفاً ۱ دقیقه دیگر "
        "دوباره امتحان کنید."
    )
    for wait in (1, 2, 4, 8):
        clock.advance(minutes=wait, seconds=-1)
        with pytest.raises(OtpRateLimited):
            request_code()
        clock.advance(seconds=1)
        request_code()
    assert len(outbox) == 6


def test_the_backoff_is_forgotten_after_a_quiet_hour(phone_user, outbox, clock):
    request_code()
    request_code()
    clock.advance(hours=1, seconds=1)
    request_code()
    request_code()
    assert len(outbox) == 4


def test_another_client_cannot_spend_her_codes(phone_user, outbox):
    """Issue 11 item 5: three requests from anyone used to lock her out."""
    for _ in range(2):
        request_code(ip="203.0.113.66")
    with pytest.raises(OtpRateLimited):
        request_code(ip="203.0.113.66")
    request_code(ip="192.0.2.1")  # her phone, on its own address
    assert verify(last_code(outbox), ip="192.0.2.1")


def test_the_backoff_is_per_number(phone_user, outbox):
    request_code()
    request_code()
    request_code(phone="+989121234568", purpose="signup")  # another number is free
    assert outbox[-1].phone == "+989121234568"


def test_an_ipv6_64_is_one_client(phone_user, outbox):
    request_code(ip="2001:db8:1:2::1")
    request_code(ip="2001:db8:1:2:ffff::9")
    with pytest.raises(OtpRateLimited):
        request_code(ip="2001:db8:1:2:abcd::1")
    request_code(ip="2001:db8:1:3::1")  # the next /64 is another client


def test_one_client_gets_a_capped_number_of_codes_and_an_alarm(
    db, outbox, settings, caplog
):
    """Issue 11 item 6: one IP sent 30 signup codes to 30 numbers."""
    settings.OTP_CLIENT_MAX_PER_HOUR = 20
    for n in range(20):
        request_code(phone=f"+98912000{n:04d}", purpose="signup")
    with caplog.at_level("ERROR", logger="marketplace.accounts.services"):
        with pytest.raises(OtpRateLimited) as info:
            request_code(phone="+989120009999", purpose="signup")
    assert "بیش از حد" in str(info.value)
    assert len(outbox) == 20
    assert any(
        r.levelname == "ERROR" and "Rate cap tripped" in r.getMessage()
        for r in caplog.records
    )
    request_code(phone="+989120009999", purpose="signup", ip="192.0.2.77")


def test_the_global_cap_stops_everyone(db, outbox, settings, caplog):
    settings.OTP_GLOBAL_MAX_PER_HOUR = 5
    # Checkout codes may spend the reserve too (issue 24), so they fill it all.
    for n in range(5):
        request_code(phone=f"+98912000{n:04d}", purpose="checkout", ip=f"192.0.2.{n}")
    with caplog.at_level("ERROR", logger="marketplace.accounts.services"):
        with pytest.raises(OtpRateLimited) as refused:
            request_code(phone="+989120009999", purpose="checkout", ip="198.51.100.1")
    assert refused.value.message == services.SITE_BUSY_MESSAGE
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_wrong_codes_are_capped_per_client_across_numbers(db, outbox, settings):
    """Issue 11 item 6: guesses spread over many accounts from one address."""
    settings.OTP_VERIFY_MAX_FAILURES = 6
    phones = [f"+98912000{n:04d}" for n in range(3)]
    for phone in phones:
        request_code(phone=phone, purpose="signup")
    for phone in phones:
        for _ in range(2):
            assert verify("000000", phone=phone, purpose="signup") is False
    right = last_code(outbox, phones[0])
    with pytest.raises(services.OtpVerifyBlocked):
        verify(right, phone=phones[0], purpose="signup")
    # Another address is not blocked (and this one's guesses were not spent).
    assert verify(right, phone=phones[0], purpose="signup", ip="192.0.2.200")


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
        for _ in range(2):
            assert request_code(phone=phone) is None
        with pytest.raises(OtpRateLimited) as info:
            request_code(phone=phone)
        assert "۱ دقیقه" in str(info.value)


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

    monkeypatch.setattr("marketplace.accounts.tasks.send_sms", broken_gateway)
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
def test_parallel_requests_cannot_pass_the_backoff(outbox, postgres_required):
    """Ten requests at once, each on its own database connection: two codes."""
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

    assert sorted(results) == ["limited"] * 8 + ["sent"] * 2
    assert OneTimeCode.objects.filter(phone=UNKNOWN_PHONE).count() == 2


# --- housekeeping -----------------------------------------------------------------


def test_purge_keeps_what_the_rules_still_need(phone_user, outbox, clock):
    request_code()
    for _ in range(5):
        services.login_record_failure(phone=PHONE, ip=IP)
    clock.advance(days=1, seconds=1)
    request_code()

    # The day-old code and login throttle go; the number asked again, so its
    # code throttle and new code stay.
    # ... and so do the five failures the per-account slowdown counted.
    assert services.accounts_purge_stale() == 7
    assert OneTimeCode.objects.count() == 1
    assert PhoneThrottle.objects.count() == 1
    assert LoginThrottle.objects.count() == 0
