"""Issue 24 §1.1: one attacker must not spend the site's SMS codes for everyone.

The caps on an IPv6 /56 and on a number prefix, the reserve kept for known
numbers and guests in checkout (with the true reason when it refuses), and the
delay a new client's form must wait (docs/SECURITY.md, "Issue 24 review").
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from marketplace.accounts import services
from marketplace.accounts.models import OneTimeCode
from marketplace.accounts.services import OtpRateLimited, otp_request
from orders.models import Order
from tests.accounts.helpers import PHONE, UNKNOWN_PHONE, last_code
from tests.factories import SellerMemberFactory, StaffFactory, UserFactory

NOT_HER_NETWORK = "مشکل از شبکهٔ شما نیست"
NOT_HER_NETWORK_OR_NUMBER = "مشکل از شبکه یا شمارهٔ شما نیست"


def ask(phone: str, *, purpose: str = "signup", ip: str = "192.0.2.1") -> bool:
    return otp_request(phone=phone, purpose=purpose, ip=ip)


def spend(count: int) -> None:
    """`count` SMS codes to distinct numbers, prefixes and addresses."""
    for n in range(count):
        ask(f"+98935{n:03d}0000", purpose="checkout", ip=f"198.51.100.{n + 1}")


# --- IPv6 /56 ------------------------------------------------------------------------


def test_the_64s_of_one_56_share_a_cap(db, outbox, settings):
    """The finding: 27 /64s of one /56 each stayed under the /64 cap."""
    settings.OTP_NETWORK_MAX_PER_HOUR = 6
    for n in range(6):
        ask(f"+9891{n}1230000", ip=f"2001:db8:0:1{n:x}::1")
    with pytest.raises(OtpRateLimited) as refused:
        ask("+989171230000", ip="2001:db8:0:ff::1")
    assert refused.value.message == services.NETWORK_BUSY_MESSAGE
    assert OneTimeCode.objects.filter(network="2001:db8::").count() == 6
    # The next /56 is someone else.
    ask("+989171230000", ip="2001:db8:0:100::1")


def test_ipv4_addresses_count_as_themselves():
    from marketplace.accounts.ip import network_key

    assert network_key("192.0.2.7") == "192.0.2.7"
    assert network_key("2001:db8:0:12:aa::5") == "2001:db8::"
    assert network_key("2001:db8:0:1ff::5") == "2001:db8:0:100::"


# --- number prefix -------------------------------------------------------------------


def test_new_numbers_sharing_seven_digits_share_a_cap(db, outbox, settings):
    settings.OTP_PREFIX_MAX_PER_HOUR = 3
    for n in range(3):
        ask(f"+98912123000{n}", ip=f"192.0.2.{n + 1}")
    with pytest.raises(OtpRateLimited) as refused:
        ask("+989121239999", purpose="checkout", ip="192.0.2.50")
    assert refused.value.message == services.PREFIX_BUSY_MESSAGE
    assert NOT_HER_NETWORK in refused.value.message
    ask("+989121240000", ip="192.0.2.51")  # 0912 124: another prefix
    # Her own account in the flooded prefix still gets a login code.
    UserFactory(username="+989121235555")
    ask("+989121235555", purpose="login", ip="192.0.2.52")
    assert last_code(outbox, "+989121235555")


# --- the reserve ---------------------------------------------------------------------


@pytest.fixture
def low_budget(db, settings):
    """10 codes an hour, 30 % kept: 7 spent, so the reserve is in use."""
    settings.OTP_GLOBAL_MAX_PER_HOUR = 10
    settings.OTP_GLOBAL_RESERVE_PERCENT = 30
    spend(7)


def test_in_the_reserve_a_new_signup_is_refused_with_the_true_reason(
    low_budget, outbox
):
    before = len(outbox)
    with pytest.raises(OtpRateLimited) as refused:
        ask(UNKNOWN_PHONE)
    assert refused.value.message == services.SIGNUP_PAUSED_MESSAGE
    assert NOT_HER_NETWORK in refused.value.message
    assert refused.value.message != services.BUSY_MESSAGE
    assert len(outbox) == before


@pytest.mark.parametrize("known", ["buyer", "booth", "staff"])
def test_in_the_reserve_known_numbers_still_get_a_login_code(low_budget, outbox, known):
    user = UserFactory(username=PHONE)
    if known == "buyer":
        Order.objects.create(
            number="240001", total_incl_tax=0, total_excl_tax=0, buyer_phone=PHONE
        )
    elif known == "booth":
        SellerMemberFactory(user=user)
    else:
        user.delete()
        StaffFactory(username=PHONE)
    assert ask(PHONE, purpose="login") is True
    assert last_code(outbox, PHONE)


def test_in_the_reserve_a_guest_in_checkout_gets_her_code(low_budget, outbox):
    assert ask(UNKNOWN_PHONE, purpose="checkout") is True
    assert last_code(outbox, UNKNOWN_PHONE)


def test_in_the_reserve_other_login_numbers_get_the_same_answer_and_no_sms(
    low_budget, outbox
):
    UserFactory(username=PHONE)  # an account, but no order, booth or staff role
    before = len(outbox)
    assert ask(PHONE, purpose="login") is True
    assert ask(UNKNOWN_PHONE, purpose="login") is True
    assert len(outbox) == before
    assert not OneTimeCode.objects.filter(purpose="login", delivered=True).exists()


def test_the_reserve_is_spent_on_known_numbers_then_everyone_hears_why(
    low_budget, outbox
):
    spend_more = [f"+98936{n:03d}0000" for n in range(3)]
    for n, phone in enumerate(spend_more):
        ask(phone, purpose="checkout", ip=f"203.0.113.{n + 1}")
    with pytest.raises(OtpRateLimited) as refused:
        ask(UNKNOWN_PHONE, purpose="checkout", ip="203.0.113.99")
    assert refused.value.message == services.SITE_BUSY_MESSAGE
    assert NOT_HER_NETWORK_OR_NUMBER in refused.value.message


def test_the_signup_page_shows_the_true_reason(low_budget, client):
    response = client.post(reverse("accounts:signup"), {"phone": "09351112233"})
    assert response.status_code == 200
    assert services.SIGNUP_PAUSED_MESSAGE in response.content.decode()


def test_the_login_code_page_tells_every_number_why_no_sms_may_come(low_budget, client):
    response = client.post(
        reverse("accounts:otp_request"), {"phone": "09351112233"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:otp_verify")
    assert services.RESERVE_LOGIN_NOTICE in response.content.decode()


# --- the delay for new clients -------------------------------------------------------

TOKEN = re.compile(r'name="otp_form_token" value="([^"]+)"')


@pytest.fixture
def delay(settings):
    settings.OTP_NEW_CLIENT_DELAY_SECONDS = 3


def page_token(client, url: str) -> str:
    return TOKEN.search(client.get(url).content.decode()).group(1)


def test_a_new_client_must_wait_for_its_form(client, db, outbox, clock, delay):
    url = reverse("accounts:signup")
    token = page_token(client, url)
    response = client.post(url, {"phone": "09351112233", "otp_form_token": token})
    assert response.status_code == 200
    assert "۳ ثانیه صبر کنید" in response.content.decode()
    assert not OneTimeCode.objects.exists()

    clock.advance(seconds=3)
    response = client.post(url, {"phone": "09351112233", "otp_form_token": token})
    assert response.status_code == 302
    assert last_code(outbox, UNKNOWN_PHONE)


@pytest.mark.parametrize("token", ["", "forged", "someone-else"])
def test_a_new_client_without_its_own_token_gets_nothing(
    client, db, outbox, clock, delay, token
):
    if token == "someone-else":
        token = services.otp_form_token(ip="198.51.100.200")
    clock.advance(seconds=30)
    with pytest.raises(OtpRateLimited):
        otp_request(
            phone=UNKNOWN_PHONE, purpose="signup", ip="192.0.2.9", form_token=token
        )
    assert outbox == []


def test_a_client_that_typed_a_right_code_today_need_not_wait(
    db, outbox, clock, delay, settings
):
    settings.OTP_NEW_CLIENT_DELAY_SECONDS = 0
    otp_request(phone=UNKNOWN_PHONE, purpose="signup", ip="192.0.2.9")
    code = last_code(outbox, UNKNOWN_PHONE)
    assert services.otp_verify(
        phone=UNKNOWN_PHONE, code=code, purpose="signup", ip="192.0.2.9"
    )
    settings.OTP_NEW_CLIENT_DELAY_SECONDS = 3
    clock.advance(minutes=10)
    otp_request(phone=PHONE, purpose="signup", ip="192.0.2.9", form_token=None)
    assert last_code(outbox, PHONE)
    with pytest.raises(OtpRateLimited):  # a new client still waits
        otp_request(phone=PHONE, purpose="signup", ip="192.0.2.10", form_token=None)
