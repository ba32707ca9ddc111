"""The password-login lockout: 5 failures lock a (phone, IP) pair for 15 minutes;
other IPs are unaffected; a success resets; unknown numbers are treated alike.
Also the authentication backend that applies it."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from marketplace.accounts.models import LoginThrottle
from marketplace.accounts.services import (
    LoginLocked,
    login_check_lock,
    login_record_failure,
    login_record_success,
)
from tests.accounts.helpers import PASSWORD, PHONE, UNKNOWN_PHONE, WRONG_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
IP, OTHER_IP = "192.0.2.10", "198.51.100.20"


def fail(times, phone=PHONE, ip=IP):
    return [login_record_failure(phone=phone, ip=ip) for _ in range(times)]


def is_locked(phone=PHONE, ip=IP) -> bool:
    try:
        login_check_lock(phone=phone, ip=ip)
    except LoginLocked:
        return True
    return False


def test_the_fifth_failure_locks_the_pair(clock):
    assert fail(4) == [False] * 4
    assert not is_locked()

    assert fail(1) == [True]
    assert is_locked()
    assert is_locked(phone="0912 123 4567")  # any form of the number


def test_the_lock_message_is_persian(clock):
    fail(5)
    with pytest.raises(LoginLocked) as info:
        login_check_lock(phone=PHONE, ip=IP)
    assert str(info.value) == (
        "به دلیل تلاش‌های ناموفق، ورود با این شماره تا ۱۵ دقیقه ممکن نیست."
    )


def test_another_ip_and_another_number_are_not_locked(clock):
    fail(5)
    assert not is_locked(ip=OTHER_IP)
    assert not is_locked(phone="+989121234568")


def test_the_lock_lasts_fifteen_minutes(clock):
    fail(5)
    clock.advance(minutes=14, seconds=59)
    assert is_locked()
    clock.advance(seconds=1)
    assert not is_locked()
    # ...and the count starts again from zero.
    assert fail(4) == [False] * 4


def test_failures_during_a_lock_do_not_lengthen_it(clock):
    fail(5)
    clock.advance(minutes=10)
    assert fail(3) == [True] * 3
    clock.advance(minutes=5)
    assert not is_locked()


def test_a_success_resets_the_count(clock):
    fail(4)
    login_record_success(phone=PHONE, ip=IP)
    assert fail(4) == [False] * 4
    assert not is_locked()


def test_failures_far_apart_do_not_add_up(clock):
    for _ in range(6):
        assert fail(1) == [False]
        clock.advance(minutes=15)
    assert not is_locked()


def test_unknown_numbers_lock_the_same_way(clock):
    assert fail(5, phone=UNKNOWN_PHONE) == [False] * 4 + [True]
    assert is_locked(phone=UNKNOWN_PHONE)


# --- the authentication backend -----------------------------------------------------


def login_request(ip=IP):
    return RequestFactory().post("/account/login/", REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    "typed", ["+989121234567", "09121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "0098-912-123-4567"]
)
def test_backend_accepts_any_form_of_the_number(phone_user, typed):
    assert authenticate(login_request(), phone=typed, password=PASSWORD) == phone_user
    assert (
        authenticate(login_request(), username=typed, password=PASSWORD) == phone_user
    )


def test_backend_counts_failures_and_resets_on_success(phone_user, clock):
    for _ in range(4):
        assert (
            authenticate(login_request(), phone=PHONE, password=WRONG_PASSWORD) is None
        )
    assert LoginThrottle.objects.get(phone=PHONE, ip=IP).failures == 4

    assert authenticate(login_request(), phone=PHONE, password=PASSWORD) == phone_user
    assert not LoginThrottle.objects.filter(phone=PHONE, ip=IP).exists()


def test_a_locked_pair_is_refused_even_with_the_right_password(phone_user, clock):
    for _ in range(5):
        authenticate(login_request(), phone=PHONE, password=WRONG_PASSWORD)

    # Not through our backend, and not round it through Django's ModelBackend.
    assert authenticate(login_request(), phone=PHONE, password=PASSWORD) is None
    assert authenticate(login_request(), username=PHONE, password=PASSWORD) is None
    # Another IP still gets in; and this one does after 15 minutes.
    assert authenticate(login_request(OTHER_IP), phone=PHONE, password=PASSWORD)
    clock.advance(minutes=15)
    assert authenticate(login_request(), phone=PHONE, password=PASSWORD) == phone_user


def test_backend_locks_unknown_numbers_too(db, clock):
    for _ in range(5):
        assert (
            authenticate(login_request(), phone=UNKNOWN_PHONE, password=WRONG_PASSWORD)
            is None
        )
    assert is_locked(phone=UNKNOWN_PHONE)


def test_there_is_no_way_in_but_the_mobile_number(django_user_model):
    """Issue 11 item 1: Oscar's EmailBackend (and Django's username backend) let a
    password in by e-mail or username, past the phone lockout."""
    django_user_model.objects.create_user(
        username="staff-admin", email="staff@example.com", password=PASSWORD
    )
    assert (
        authenticate(login_request(), username="staff-admin", password=PASSWORD) is None
    )
    assert (
        authenticate(login_request(), username="staff@example.com", password=PASSWORD)
        is None
    )
    assert (
        authenticate(login_request(), email="staff@example.com", password=PASSWORD)
        is None
    )


def test_an_ipv6_64_is_one_address_for_the_lock(clock):
    """Issue 11 item 8: 60 addresses in one /64 never locked the account."""
    for n in range(5):
        login_record_failure(phone=PHONE, ip=f"2001:db8:7:7::{n + 1:x}")
    assert is_locked(ip="2001:db8:7:7:ffff::1")
    assert not is_locked(ip="2001:db8:7:8::1")


def test_many_addresses_slow_the_account_down(clock):
    """Issue 11 item 8: failures from many addresses add up per account, as a
    slowdown (one try a minute), not a lock."""
    for n in range(10):
        login_record_failure(phone=PHONE, ip=f"198.51.100.{n + 1}")
    with pytest.raises(LoginLocked) as info:
        login_check_lock(phone=PHONE, ip="192.0.2.99")  # a fresh address
    assert "کد پیامکی" in info.value.message
    clock.advance(minutes=1)
    login_check_lock(phone=PHONE, ip="192.0.2.99")  # one try a minute
    login_record_failure(phone=PHONE, ip="192.0.2.99")
    assert is_locked(ip="192.0.2.1")
    assert not is_locked(phone=UNKNOWN_PHONE, ip="192.0.2.1")


def test_a_login_by_code_ends_the_slowdown(clock):
    for n in range(10):
        login_record_failure(phone=PHONE, ip=f"198.51.100.{n + 1}")
    assert is_locked(ip="192.0.2.99")
    login_record_success(phone=PHONE, ip="192.0.2.99")  # a password: not enough
    assert is_locked(ip="192.0.2.99")
    login_record_success(phone=PHONE, ip="192.0.2.99", by_code=True)
    assert not is_locked(ip="192.0.2.99")


def test_an_inactive_account_cannot_log_in(phone_user):
    phone_user.is_active = False
    phone_user.save()
    assert authenticate(login_request(), phone=PHONE, password=PASSWORD) is None
