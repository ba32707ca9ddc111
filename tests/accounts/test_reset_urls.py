"""Issue 24 §1.2: no e-mail password reset anywhere. Recovery is by mobile
number only (a login code); every reset URL of Django, Oscar and Wagtail answers
404 or leads to our code login, sends no e-mail and changes no password, even
with a valid reset link."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.accounts.helpers import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OTP_REQUEST = reverse("accounts:otp_request")
NEW_PASSWORD = "Attacker-chose-this-1"  # noqa: S105  (a test password)
UID_TOKEN = "{uid}/{token}/"

#: Every URL pattern with "reset" in it, and what it must answer.
RESET_URLS = {
    # Oscar's customer app includes Django's auth views here.
    "password-reset/": "redirect",
    "password-reset/done/": "redirect",
    "password-reset/confirm/<str:uidb64>/<str:token>/": "redirect",
    "password-reset/complete/": "redirect",
    # Wagtail's admin.
    "cms-admin/password_reset/": 404,
    "cms-admin/password_reset/done/": 404,
    "cms-admin/password_reset/confirm/<uidb64>/<token>/": 404,
    "cms-admin/password_reset/complete/": 404,
    # Oscar's dashboard: staff e-mailing a customer a reset link.
    "dashboard/users/<pk>/password-reset/": 404,
}


def concrete(route: str, user) -> str:
    """The route with a *valid* reset link (or the user's id) filled in."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    for name in ("<str:uidb64>", "<uidb64>"):
        route = route.replace(name, uid)
    for name in ("<str:token>", "<token>"):
        route = route.replace(name, token)
    return "/" + route.replace("<pk>", str(user.pk))


def reset_routes() -> set[str]:
    """The routes of every URL pattern whose path or name mentions a reset."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and (
                "reset" in route.lower() or "reset" in (pattern.name or "")
            ):
                found.add(route)

    walk(get_resolver().url_patterns, "")
    return found


def normal(route: str) -> str:
    """Oscar's regex routes (`^(?P<pk>-?\\d+)/password-reset/$`) as path routes."""
    return (
        route.replace("^(?P<pk>-?\\d+)/", "<pk>/")
        .replace("^", "")
        .replace("$", "")
        .replace("\\d+/", "<pk>/")
    )


def test_the_list_names_every_reset_url():
    """A new app or upgrade adding a reset URL makes this fail until it is
    closed and listed."""
    shadowed = {"dashboard/users/<pk>/password-reset/"}  # ours and Oscar's
    assert {normal(route) for route in reset_routes()} == set(RESET_URLS) | shadowed


@pytest.mark.parametrize(("route", "answer"), RESET_URLS.items())
def test_no_reset_url_sends_mail_or_resets_a_password(client, route, answer):
    staff = UserFactory(username="+989120000009", is_staff=True, is_superuser=True)
    user = UserFactory(username="+989121234567", email="maryam@example.com")
    user.set_password(PASSWORD)
    user.save()
    if route.startswith("dashboard/"):
        client.force_login(staff)
    url = concrete(route, user)
    data = {
        "email": "maryam@example.com",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    for response in (client.get(url), client.post(url, data), client.post(url, data)):
        if answer == "redirect":
            assert response.status_code == 302
            assert response["Location"] == OTP_REQUEST
        else:
            assert response.status_code == answer
    assert mail.outbox == []
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_wagtail_login_page_offers_no_reset_link():
    from wagtail.admin.views.account import password_reset_enabled

    assert password_reset_enabled() is False
