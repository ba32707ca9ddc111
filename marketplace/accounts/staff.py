"""Staff accounts: a second factor (TOTP, django-otp) and a 30-minute idle limit.

A *staff account* is any user who can do more than a buyer or a seller: staff or
superuser flags, or any Django permission at all (the case-file permission above
all). Sellers act through booth membership, not permissions, so they are not
staff accounts.

`StaffSecurityMiddleware` (after django-otp's `OTPMiddleware`) enforces, for staff
accounts only:

- **Second factor.** On the staff areas (STAFF_PATH_PREFIXES: our staff pages,
  Oscar's dashboard, Django's admin, Wagtail's admin) a session that has not
  passed a TOTP code is sent to `accounts:staff_otp`, which enrols an
  authenticator app on her first staff login and asks for a code after that.
  The one-time SMS code is not a second factor: it is the same thing as the
  number. Under `make run` only, STAFF_OTP_DEMO_BYPASS lets the demo staff in
  without it, with a banner on every staff page saying so; `check --deploy`
  fails (accounts.E003) if it is on, and production settings force it off.
- **Idle limit.** A staff session ends after STAFF_SESSION_IDLE_SECONDS (30
  minutes) without a request, whatever page she was on (to the minute: the
  stamp is written at most once a minute).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

STAFF_PATH_PREFIXES = ("/staff/", "/dashboard/", "/django-admin/", "/cms-admin/")
LAST_SEEN_SESSION_KEY = "staff_last_seen"
#: Set at login (and on any staff page) for staff accounts, so other pages need
#: no permission query to apply the idle limit.
STAFF_SESSION_KEY = "staff_account"
STAFF_SESSION_IDLE_SECONDS = 30 * 60
#: How often the last-seen stamp is written (the idle limit is that much coarse).
STAMP_EVERY = 60

DEMO_BANNER = (
    '<div class="demo-staff-banner" role="alert" data-testid="demo-2fa-banner">'
    '<link rel="stylesheet" href="{css}">'
    "نسخهٔ نمایشی (make run): ورود کارکنان بدون رمز دوم (TOTP) باز است تا صفحه‌های "
    "کارکنان را ببینید. در نسخهٔ واقعی این کار ممکن نیست."
    "</div>"
)


def is_staff_account(user) -> bool:
    """True for users with staff powers (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.get_all_permissions())


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


def idle_seconds() -> int:
    return int(
        getattr(settings, "STAFF_SESSION_IDLE_SECONDS", STAFF_SESSION_IDLE_SECONDS)
    )


def demo_bypass_on() -> bool:
    return bool(getattr(settings, "STAFF_OTP_DEMO_BYPASS", False))


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        bypassed = False
        session = getattr(request, "session", None)
        staff = False
        if user is not None and user.is_authenticated and session is not None:
            if is_staff_path(request.path):
                staff = is_staff_account(user)  # views check permissions anyway
                if staff and not session.get(STAFF_SESSION_KEY):
                    session[STAFF_SESSION_KEY] = True
            else:
                staff = bool(session.get(STAFF_SESSION_KEY))
        if staff:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if isinstance(last_seen, (int, float)) and now - last_seen > idle_seconds():
                logout(request)
                return redirect(
                    f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if (
                not isinstance(last_seen, (int, float))
                or now - last_seen >= STAMP_EVERY
            ):
                # A write a minute at most, not one per request.
                request.session[LAST_SEEN_SESSION_KEY] = now
                # The cookie and the stored session end with the idle limit too.
                request.session.set_expiry(idle_seconds())
            if is_staff_path(request.path) and not user.is_verified():
                if demo_bypass_on():
                    bypassed = True
                else:
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('accounts:staff_otp')}?{query}")
        response = self.get_response(request)
        if bypassed:
            _add_banner(response)
        return response


def _add_banner(response: HttpResponse) -> None:
    """Put the demo banner right after <body> of an HTML page (ours, Oscar's
    dashboard, Django's or Wagtail's admin alike)."""
    if getattr(response, "streaming", False) or "text/html" not in response.get(
        "Content-Type", ""
    ):
        return
    from django.templatetags.static import static

    content = response.content.decode(response.charset or "utf-8")
    start = content.find("<body")
    if start < 0:
        return
    end = content.find(">", start)
    banner = DEMO_BANNER.format(css=static("accounts/staff-banner.css"))
    content = content[: end + 1] + banner + content[end + 1 :]
    response.content = content.encode(response.charset or "utf-8")
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def mark_staff_session(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: remember in the session whether she is staff."""
    if request is not None and hasattr(request, "session") and is_staff_account(user):
        request.session[STAFF_SESSION_KEY] = True
        request.session[LAST_SEEN_SESSION_KEY] = time.time()
        request.session.set_expiry(idle_seconds())
