"""The account screens: Persian messages, the same answers for known and unknown
numbers, the lockout and the code steps as a person meets them, and no 500 on
bad input."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.accounts.models import OneTimeCode
from marketplace.accounts.views import CODE_SENT, WRONG_CODE, WRONG_LOGIN
from tests.accounts.helpers import (
    PASSWORD,
    PHONE,
    UNKNOWN_PHONE,
    WRONG_PASSWORD,
    last_code,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
OTP_REQUEST = reverse("accounts:otp_request")
OTP_VERIFY = reverse("accounts:otp_verify")
OTP_RESEND = reverse("accounts:otp_resend")
SIGNUP = reverse("accounts:signup")
SIGNUP_DETAILS = reverse("accounts:signup_details")
LOGOUT = reverse("accounts:logout")
LOCKED = "به دلیل تلاش‌های ناموفق، ورود با این شماره تا ۱۵ دقیقه ممکن نیست."
OTHER_IP = "198.51.100.20"


def template_names(response) -> list[str]:
    return [t.name for t in response.templates if t.name.startswith("accounts/")]


def errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


def user_id(client):
    return client.session.get("_auth_user_id")


def test_urls_are_under_account():
    assert LOGIN == "/account/login/"
    assert OTP_REQUEST == "/account/login/code/"
    assert SIGNUP == "/account/signup/"
    assert LOGOUT == "/account/logout/"


# --- password login ---------------------------------------------------------------


def test_login_page_is_persian_and_made_for_phones(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert template_names(response)[0] == "accounts/login.html"
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'inputmode="tel"' in html
    assert 'autocomplete="current-password"' in html
    assert "ورود با کد یکبار مصرف" in html
    assert f'href="{OTP_REQUEST}"' in html


def test_login_with_any_form_of_the_number(client, phone_user):
    response = client.post(
        LOGIN, {"phone": "۰۹۱۲ ۱۲۳ ۴۵۶۷", "password": PASSWORD, "next": "/basket/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/basket/"
    assert user_id(client) == str(phone_user.pk)


def test_login_ignores_a_next_that_leaves_the_site(client, phone_user):
    response = client.post(
        LOGIN,
        {"phone": PHONE, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_wrong_password_and_unknown_number_get_the_same_answer(client, phone_user):
    known = client.post(LOGIN, {"phone": PHONE, "password": WRONG_PASSWORD})
    unknown = client.post(LOGIN, {"phone": UNKNOWN_PHONE, "password": WRONG_PASSWORD})

    for response in (known, unknown):
        assert response.status_code == 200
        assert template_names(response)[0] == "accounts/login.html"
        assert errors(response) == [WRONG_LOGIN]
        assert WRONG_LOGIN in response.content.decode()
    assert WRONG_LOGIN == "شماره یا رمز عبور درست نیست."
    assert user_id(client) is None


def test_five_failures_lock_the_number_on_this_ip_only(client, phone_user, clock):
    for _ in range(4):
        response = client.post(LOGIN, {"phone": PHONE, "password": WRONG_PASSWORD})
        assert errors(response) == [WRONG_LOGIN]
    response = client.post(LOGIN, {"phone": PHONE, "password": WRONG_PASSWORD})
    assert errors(response) == [LOCKED]

    # The right password does not help from this IP...
    response = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD})
    assert response.status_code == 200
    assert errors(response) == [LOCKED]
    assert LOCKED in response.content.decode()
    assert user_id(client) is None

    # ...but works from another one.
    response = client.post(
        LOGIN, {"phone": PHONE, "password": PASSWORD}, REMOTE_ADDR=OTHER_IP
    )
    assert response.status_code == 302
    client.logout()

    # And from this one again after 15 minutes.
    clock.advance(minutes=15)
    response = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD})
    assert response.status_code == 302
    assert user_id(client) == str(phone_user.pk)


def test_unknown_numbers_get_the_same_lock_message(client, phone_user, clock):
    answers = {}
    for phone in (PHONE, UNKNOWN_PHONE):
        for _ in range(5):
            response = client.post(LOGIN, {"phone": phone, "password": WRONG_PASSWORD})
        answers[phone] = (
            response.status_code,
            template_names(response),
            errors(response),
        )
    assert answers[PHONE] == answers[UNKNOWN_PHONE]
    assert answers[PHONE][0] == 200
    assert answers[PHONE][1][0] == "accounts/login.html"
    assert answers[PHONE][2] == [LOCKED]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "", "password": ""}, "شماره موبایل را وارد کنید."),
        ({"phone": "", "password": ""}, "رمز عبور را وارد کنید."),
        ({"phone": "abc", "password": "x"}, "شماره موبایل فقط از رقم تشکیل می‌شود"),
        ({"phone": "0" * 500, "password": "x"}, "شماره موبایل بلند است"),
        ({"phone": "021 8877 6655", "password": "x"}, "شماره تلفن ثابت پذیرفته نمی‌شود"),
        ({"phone": "0912123", "password": "x"}, "شماره موبایل کوتاه است"),
        ({"phone": PHONE, "password": "x" * 5000}, "رمز عبور بیش از اندازه بلند است."),
        ({"phone": "0912\x001234567", "password": "x"}, "فقط از رقم"),
        ({}, "شماره موبایل را وارد کنید."),
    ],
)
def test_bad_login_input_gets_a_persian_message_not_a_500(client, data, message):
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OneTimeCode.objects.exists()


# --- login by one-time code -------------------------------------------------------


def test_code_login_end_to_end(client, phone_user, outbox):
    response = client.get(OTP_REQUEST)
    assert 'inputmode="tel"' in response.content.decode()

    response = client.post(OTP_REQUEST, {"phone": "09121234567", "next": "/basket/"})
    assert response.status_code == 302
    assert response["Location"] == OTP_VERIFY

    response = client.get(OTP_VERIFY)
    html = response.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "۰۹۱۲ ۱۲۳ ۴۵۶۷" in html

    response = client.post(OTP_VERIFY, {"code": last_code(outbox)})
    assert response.status_code == 302
    assert response["Location"] == "/basket/"
    assert user_id(client) == str(phone_user.pk)


def test_code_request_answers_known_and_unknown_numbers_alike(
    client, phone_user, outbox
):
    answers = []
    for phone in (PHONE, UNKNOWN_PHONE):
        client.cookies.clear()
        request = client.post(OTP_REQUEST, {"phone": phone, "next": "/basket/"})
        page = client.get(OTP_VERIFY)
        answers.append(
            (
                request.status_code,
                request["Location"],
                page.status_code,
                template_names(page),
                page.context["sent_message"],
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][4] == CODE_SENT["login"]
    assert [message.phone for message in outbox] == [PHONE]  # only the real account


def test_unsafe_next_is_dropped_from_the_code_flow(client, phone_user, outbox):
    client.post(OTP_REQUEST, {"phone": PHONE, "next": "//evil.example/x"})
    response = client.post(OTP_VERIFY, {"code": last_code(outbox)})
    assert response["Location"] == "/"


def test_a_wrong_code_gets_a_persian_message(client, phone_user, outbox):
    client.post(OTP_REQUEST, {"phone": PHONE})
    code = last_code(outbox)
    response = client.post(OTP_VERIFY, {"code": f"{(int(code) + 1) % 10**6:06d}"})

    assert response.status_code == 200
    assert errors(response) == [WRONG_CODE]
    assert user_id(client) is None


def test_after_five_wrong_codes_the_right_one_fails(client, phone_user, outbox):
    client.post(OTP_REQUEST, {"phone": PHONE})
    code = last_code(outbox)
    for _ in range(5):
        client.post(OTP_VERIFY, {"code": f"{(int(code) + 1) % 10**6:06d}"})
    response = client.post(OTP_VERIFY, {"code": code})
    assert errors(response) == [WRONG_CODE]
    assert user_id(client) is None


def test_a_deactivated_account_cannot_log_in_by_code(client, phone_user, outbox):
    phone_user.is_active = False
    phone_user.save()
    client.post(OTP_REQUEST, {"phone": PHONE})
    response = client.post(OTP_VERIFY, {"code": last_code(outbox)})

    assert response.status_code == 200
    assert "این حساب غیرفعال شده است" in response.content.decode()
    assert user_id(client) is None


def test_an_expired_code_fails(client, phone_user, outbox, clock):
    client.post(OTP_REQUEST, {"phone": PHONE})
    clock.advance(minutes=5)
    response = client.post(OTP_VERIFY, {"code": last_code(outbox)})
    assert errors(response) == [WRONG_CODE]


@pytest.mark.parametrize("code", ["", "12", "abcdef", "1234567", "۱۲۳۴۵x"])
def test_malformed_codes_get_a_persian_message_and_cost_no_guess(
    client, phone_user, outbox, code
):
    client.post(OTP_REQUEST, {"phone": PHONE})
    response = client.post(OTP_VERIFY, {"code": code})
    assert response.status_code == 200
    assert errors(response) == ["کد ۶ رقمی پیامک‌شده را وارد کنید."]
    assert OneTimeCode.objects.get().attempts == 0


def test_the_third_code_at_once_is_refused_in_persian(client, phone_user, outbox):
    for _ in range(2):
        assert client.post(OTP_REQUEST, {"phone": PHONE}).status_code == 302
    response = client.post(OTP_REQUEST, {"phone": PHONE})

    assert response.status_code == 200
    assert "لطفاً ۱ دقیقه دیگر" in errors(response)[0]
    assert len(outbox) == 2


def test_resend_sends_a_new_code_within_the_limit(client, phone_user, outbox):
    client.post(OTP_REQUEST, {"phone": PHONE})
    response = client.post(OTP_RESEND, follow=True)
    assert response.redirect_chain == [(OTP_VERIFY, 302)]
    assert len(outbox) == 2

    response = client.post(OTP_RESEND, follow=True)
    assert len(outbox) == 2
    assert "لطفاً ۱ دقیقه دیگر" in response.content.decode()
    assert client.get(OTP_RESEND).status_code == 405


def test_the_code_step_needs_a_number_first(client):
    response = client.get(OTP_VERIFY)
    assert response.status_code == 302
    assert response["Location"] == OTP_REQUEST


def test_bad_phone_on_the_code_request_gets_a_persian_message(client, outbox):
    response = client.post(OTP_REQUEST, {"phone": "+1 202 555 0143"})
    assert response.status_code == 200
    assert errors(response) == ["فقط شماره موبایل‌های ایران پذیرفته می‌شود."]
    assert outbox == []


# --- signing up -------------------------------------------------------------------


def test_signup_end_to_end_with_a_password(client, outbox):
    response = client.post(SIGNUP, {"phone": "۰۹۳۵ ۱۱۱ ۲۲۳۳", "next": "/panel/"})
    assert response["Location"] == OTP_VERIFY
    response = client.get(OTP_VERIFY)
    assert response.context["sent_message"] == CODE_SENT["signup"]

    response = client.post(OTP_VERIFY, {"code": last_code(outbox, UNKNOWN_PHONE)})
    assert response["Location"] == SIGNUP_DETAILS
    assert user_id(client) is None  # not yet

    response = client.get(SIGNUP_DETAILS)
    assert 'autocomplete="new-password"' in response.content.decode()
    response = client.post(
        SIGNUP_DETAILS, {"name": "زهرا احمدی", "password": "Charm-e-dast-1403"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/panel/"

    user = get_user_model().objects.get(username=UNKNOWN_PHONE)
    assert user.first_name == "زهرا احمدی"
    assert user.email == ""
    assert user.check_password("Charm-e-dast-1403")
    assert user_id(client) == str(user.pk)

    # She can now log in with that password.
    client.post(LOGOUT)
    response = client.post(
        LOGIN, {"phone": "9351112233", "password": "Charm-e-dast-1403"}
    )
    assert response.status_code == 302


def test_signup_without_a_password(client, outbox):
    client.post(SIGNUP, {"phone": UNKNOWN_PHONE})
    client.post(OTP_VERIFY, {"code": last_code(outbox, UNKNOWN_PHONE)})
    response = client.post(SIGNUP_DETAILS, {"name": "زهرا", "password": ""})

    assert response["Location"] == "/"
    user = get_user_model().objects.get(username=UNKNOWN_PHONE)
    assert not user.has_usable_password()


def test_signup_checks_the_password_in_persian(client, outbox):
    client.post(SIGNUP, {"phone": UNKNOWN_PHONE})
    client.post(OTP_VERIFY, {"code": last_code(outbox, UNKNOWN_PHONE)})
    response = client.post(SIGNUP_DETAILS, {"name": "زهرا", "password": "123"})

    assert response.status_code == 200
    assert errors(response) == [
        "رمز عبور کوتاه است؛ دست‌کم ۱۲ نویسه بنویسید.",
        "این رمز عبور بسیار رایج است؛ رمز دیگری انتخاب کنید.",
    ]
    assert not get_user_model().objects.filter(username=UNKNOWN_PHONE).exists()


def test_signup_with_a_known_number_answers_alike_and_never_touches_the_account(
    client, phone_user, outbox
):
    """Issue 11 item 10: signing up on an existing (staff) number showed her name
    and replaced her password."""
    answers = []
    for phone in (PHONE, UNKNOWN_PHONE):
        client.cookies.clear()
        response = client.post(SIGNUP, {"phone": phone})
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1]

    # The owner of the known number proves it and lands in her own account.
    client.cookies.clear()
    client.post(SIGNUP, {"phone": PHONE})
    response = client.post(OTP_VERIFY, {"code": last_code(outbox, PHONE)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert user_id(client) == str(phone_user.pk)
    assert "مریم" not in client.get(SIGNUP_DETAILS, follow=True).content.decode()
    client.post(SIGNUP_DETAILS, {"name": "مهاجم", "password": "a-new-long-password-1"})

    phone_user.refresh_from_db()
    assert phone_user.first_name == "مریم"
    assert phone_user.check_password(PASSWORD)


def test_completing_signup_never_changes_an_existing_password(phone_user):
    from marketplace.accounts.services import user_complete_signup

    user_complete_signup(phone=PHONE, name="مهاجم", password="a-new-long-password-1")
    phone_user.refresh_from_db()
    assert phone_user.check_password(PASSWORD)
    assert phone_user.first_name == "مریم"


def test_the_last_signup_step_needs_a_fresh_verification(client, outbox, clock):
    assert client.get(SIGNUP_DETAILS)["Location"] == SIGNUP

    client.post(SIGNUP, {"phone": UNKNOWN_PHONE})
    client.post(OTP_VERIFY, {"code": last_code(outbox, UNKNOWN_PHONE)})
    clock.advance(minutes=16)
    response = client.post(SIGNUP_DETAILS, {"name": "زهرا"})
    assert response["Location"] == SIGNUP
    assert not get_user_model().objects.filter(username=UNKNOWN_PHONE).exists()


def test_signup_name_is_required_in_persian(client, outbox):
    client.post(SIGNUP, {"phone": UNKNOWN_PHONE})
    client.post(OTP_VERIFY, {"code": last_code(outbox, UNKNOWN_PHONE)})
    response = client.post(SIGNUP_DETAILS, {"name": "   "})
    assert errors(response) == ["نام خود را وارد کنید."]


# --- logging out, and the header --------------------------------------------------


@pytest.mark.parametrize("url", [LOGOUT, "/accounts/logout/"])
def test_logout_is_post_only(client, phone_user, url):
    """Issue 11 item 12: Oscar's /accounts/logout/ logged out on GET."""
    client.force_login(phone_user)
    response = client.get(url)
    assert response.status_code == 200  # a page with the button, no logout
    assert user_id(client) == str(phone_user.pk)

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert user_id(client) is None


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/cms-admin/logout/", 200),  # ours: the button
        ("/dashboard/logout/", 405),  # Django's LogoutView
        ("/django-admin/logout/", 405),
    ],
)
def test_a_get_on_an_admin_logout_leaves_the_session_alone(client, url, status):
    """Issue 24 §1.3: Wagtail's /cms-admin/logout/ answered a GET with 405 but
    deleted the session cookie."""
    editor = UserFactory(username="+989120000003", is_staff=True, is_superuser=True)
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get(url)
    assert response.status_code == status
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == cookie
    assert user_id(client) == str(editor.pk)


def test_wagtail_logout_logs_out_on_post(client):
    editor = UserFactory(username="+989120000003", is_staff=True, is_superuser=True)
    client.force_login(editor)
    page = client.get("/cms-admin/logout/")
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    response = client.post("/cms-admin/logout/")
    assert response.status_code == 302
    assert user_id(client) is None


def test_header_links_to_our_login_and_logout(client, phone_user):
    assert f'href="{LOGIN}"' in client.get(SIGNUP).content.decode()

    client.force_login(phone_user)
    assert f'action="{LOGOUT}"' in client.get(SIGNUP).content.decode()


def test_login_required_pages_send_people_to_our_login(settings):
    assert settings.LOGIN_URL == "accounts:login"
    assert settings.AUTHENTICATION_BACKENDS[0] == (
        "marketplace.accounts.backends.PhonePasswordBackend"
    )
