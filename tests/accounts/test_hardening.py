"""Issue 11, the account doors: one way in, SMS after the response, the client's
address behind a proxy, no e-mail recovery, our account page, password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from marketplace.accounts.ip import client_ip, client_key
from tests.accounts.helpers import PASSWORD, PHONE, WRONG_PASSWORD, last_code

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
OTP_REQUEST = reverse("accounts:otp_request")


def user_id(client):
    return client.session.get("_auth_user_id")


# --- one way in (item 1) ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/dashboard/login/", "/django-admin/login/", "/cms-admin/login/", "/_util/login/"],
)
def test_every_login_form_is_ours(client, django_user_model, url):
    """Each of these had its own password form, by e-mail or username, with no
    throttle; now each leads to our login (and keeps `next`)."""
    django_user_model.objects.create_user(
        username="+989120000001",
        email="staff@example.com",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    response = client.get(url + "?next=/staff/sellers/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/staff/sellers/"
    for username in ("staff@example.com", "+989120000001"):
        client.post(url, {"username": username, "password": PASSWORD})
        assert user_id(client) is None


def test_a_locked_number_stays_locked_whatever_the_form(client, phone_user):
    for _ in range(20):
        client.post(LOGIN, {"phone": PHONE, "password": WRONG_PASSWORD})
    response = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD})
    assert user_id(client) is None
    assert "۱۵ دقیقه" in response.content.decode()


# --- the client's address (item 8) --------------------------------------------------


def meta_request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(meta_request("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = meta_request("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.1.1.1")
    assert client_ip(request) == "203.0.113.9"  # 6.6.6.6 was written by the client
    assert client_ip(meta_request("192.0.2.1", "203.0.113.9")) == "192.0.2.1"
    assert client_ip(meta_request("10.0.0.5")) == "10.0.0.5"


def test_behind_the_proxy_one_attacker_does_not_lock_everyone(
    client, phone_user, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(5):
        client.post(
            LOGIN,
            {"phone": PHONE, "password": WRONG_PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    client.post(
        LOGIN,
        {"phone": PHONE, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert user_id(client) == str(phone_user.pk)


def test_client_key_takes_the_64_of_an_ipv6_address():
    assert client_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::"
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_key("192.0.2.1") == "192.0.2.1"
    assert client_key("nonsense") == "0.0.0.0"  # noqa: S104


# --- no e-mail recovery, our account page (item 9) ----------------------------------


def test_oscar_password_reset_is_gone(client, phone_user):
    phone_user.email = "maryam@example.com"
    phone_user.save()
    response = client.get("/password-reset/")
    assert response.status_code == 302
    assert response["Location"] == OTP_REQUEST
    client.post("/password-reset/", {"email": "maryam@example.com"})
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/",
        "/accounts/profile/",
        "/accounts/profile/edit/",
        "/accounts/profile/delete/",
        "/accounts/change-password/",
    ],
)
def test_oscar_profile_pages_lead_to_ours(client, phone_user, url):
    client.force_login(phone_user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    client.post(url, {"email": "attacker@example.com"})
    phone_user.refresh_from_db()
    assert phone_user.email == ""


def test_the_account_page_changes_the_password_only_with_the_old_one(
    client, phone_user
):
    client.force_login(phone_user)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    new = "a-brand-new-long-password-1403"
    response = client.post(
        reverse("accounts:account"),
        {"name": "مریم", "current_password": WRONG_PASSWORD, "new_password": new},
    )
    assert response.status_code == 200
    phone_user.refresh_from_db()
    assert phone_user.check_password(PASSWORD)
    response = client.post(
        reverse("accounts:account"),
        {"name": "مریم", "current_password": PASSWORD, "new_password": new},
    )
    assert response.status_code == 302
    phone_user.refresh_from_db()
    assert phone_user.check_password(new)
    assert user_id(client) == str(phone_user.pk)  # still logged in


# --- password rules (item 16) -------------------------------------------------------


def test_passwords_need_twelve_characters_and_not_a_common_one():
    with pytest.raises(ValidationError):
        validate_password("Tehran-1403")  # 11 characters
    with pytest.raises(ValidationError):
        validate_password("password1234")  # on the common-password list
    validate_password("Tehran-14031")


def test_the_signup_form_says_twelve_in_persian(client, outbox):
    client.post(reverse("accounts:signup"), {"phone": "+989351112233"})
    client.post(
        reverse("accounts:otp_verify"), {"code": last_code(outbox, "+989351112233")}
    )
    response = client.post(
        reverse("accounts:signup_details"), {"name": "زهرا", "password": "Tehran-1403"}
    )
    assert "۱۲ نویسه" in response.content.decode()
