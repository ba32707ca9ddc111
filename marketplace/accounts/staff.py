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

**Enrolling an authenticator** (issue 24: the page used to show one secret to
anyone who reached it, and a password or one SMS code was enough to reach it):

- only a session that has proved both her password and an SMS code to her
  number, for the same account and within ENROL_FACTORS_SECONDS, sees a secret
  (`enrol_missing_factors`; the login views call `auth_factor_record`);
- every visit of the enrolment page makes a new secret, bound to that session
  (`staff_device_start`); a code is checked only against the session's own;
- confirming a device deletes every other unconfirmed one of hers, writes an
  audit entry (Django's admin log) and sends her an SMS (`staff_device_confirm`);
- instead of the two factors, a superuser may issue her a one-time enrolment
  link (`staff_enrol_link_issue`, an action on /django-admin/'s users): opened
  in her own logged-in session within ENROL_LINK_SECONDS, it lets that session
  enrol; it dies when any device of hers is confirmed.
"""

from __future__ import annotations

import logging
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

logger = logging.getLogger(__name__)

#: {"user": pk, "password": ts, "sms": ts}: how this session logged in.
AUTH_FACTORS_SESSION_KEY = "auth_factors"
FACTOR_PASSWORD = "password"  # noqa: S105  (a factor name, not a password)
FACTOR_SMS = "sms"
FACTOR_LINK = "link"
ENROL_FACTORS = (FACTOR_PASSWORD, FACTOR_SMS)
#: How long a superuser's enrolment link may be used.
ENROL_LINK_SECONDS = 24 * 3600
ENROL_LINK_SALT = "marketplace.accounts.staff.enrol-link"
#: Both factors must be this fresh to enrol an authenticator.
ENROL_FACTORS_SECONDS = 15 * 60
#: The persistent id of the unconfirmed device this session is enrolling.
ENROL_DEVICE_SESSION_KEY = "staff_enrol_device"
DEVICE_ADDED_SMS = (
    "دستاورد: یک برنامهٔ رمز دوم به حساب کارکنان شما افزوده شد. "
    "اگر این کار را شما نکرده‌اید، همین حالا به مدیر سامانه خبر دهید."
)

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


# --- enrolling an authenticator --------------------------------------------------


def auth_factor_record(request: HttpRequest, *, user, factor: str) -> None:
    """Remember that this session has just proved `factor` (password or SMS code)
    for `user`. Called by the login views after `login()`; logging in again as
    the same user keeps the session, so both factors can add up in one session.
    """
    session = request.session
    factors = session.get(AUTH_FACTORS_SESSION_KEY)
    if not isinstance(factors, dict) or factors.get("user") != user.pk:
        factors = {"user": user.pk}
    factors[factor] = time.time()
    session[AUTH_FACTORS_SESSION_KEY] = factors


def enrol_missing_factors(request: HttpRequest) -> list[str]:
    """The factors this session still has to prove before it may see or confirm
    a new authenticator secret: the password and an SMS code, both for the
    logged-in user and both within ENROL_FACTORS_SECONDS. Empty when she may."""
    factors = request.session.get(AUTH_FACTORS_SESSION_KEY)
    if not isinstance(factors, dict) or factors.get("user") != request.user.pk:
        return list(ENROL_FACTORS)
    now = time.time()
    link = factors.get(FACTOR_LINK)
    if isinstance(link, (int, float)) and now - link <= ENROL_FACTORS_SECONDS:
        return []
    return [
        factor
        for factor in ENROL_FACTORS
        if not isinstance(factors.get(factor), (int, float))
        or now - factors[factor] > ENROL_FACTORS_SECONDS
    ]


def staff_device_start(*, request: HttpRequest):
    """A new unconfirmed TOTP device (a new secret) for the logged-in user, bound
    to this session; the session's previous unconfirmed one is deleted. Every
    visit of the enrolment page calls this, so no two visits, and no two
    people, ever see the same secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    previous = request.session.pop(ENROL_DEVICE_SESSION_KEY, None)
    if isinstance(previous, int):
        TOTPDevice.objects.filter(
            pk=previous, user=request.user, confirmed=False
        ).delete()
    device = TOTPDevice.objects.create(
        user=request.user, name="برنامهٔ رمز دوم", confirmed=False
    )
    request.session[ENROL_DEVICE_SESSION_KEY] = device.pk
    return device


def staff_device_of_session(*, request: HttpRequest):
    """The unconfirmed device this session is enrolling, or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pk = request.session.get(ENROL_DEVICE_SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


def staff_device_confirm(*, request: HttpRequest, device) -> None:
    """Confirm `device` after a right code: every other unconfirmed device of
    hers is deleted (a secret someone else read is dead), the addition is
    written to the audit log (Django's admin log, shown in /django-admin/) and
    she gets an SMS, so a device added behind her back does not go unnoticed."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = device.user
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(
            pk=device.pk
        ).delete()
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=TOTPDevice.objects.filter(pk=device.pk),
            action_flag=ADDITION,
            change_message="Authenticator added on the staff second-factor page.",
            single_object=True,
        )
        staff_device_added_notify(device=device)
    request.session.pop(ENROL_DEVICE_SESSION_KEY, None)


def staff_device_added_notify(*, device) -> None:
    """Tell her by SMS (after the commit) that an authenticator was added to her
    account, wherever it was added (her setup page, /django-admin/), and log
    it; a device added behind her back does not go unnoticed."""
    from .phone import InvalidPhoneNumber, mask_phone
    from .services import sms_send_later

    user = device.user
    try:
        sms_send_later(phone=user.username, text=DEVICE_ADDED_SMS)
    except InvalidPhoneNumber:  # an account made by hand, not by phone
        logger.warning("Staff user %s has no mobile number to tell", user.pk)
    logger.warning(
        "Authenticator added for staff account %s", mask_phone(user.username)
    )


def _enrol_state(user) -> str:
    """What a link is bound to: her account, its password and the last device
    addition in the audit log. Confirming a device adds an entry, so the link
    is dead from then on, even if that device is deleted later."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils.crypto import salted_hmac
    from django_otp.plugins.otp_totp.models import TOTPDevice

    last_added = (
        LogEntry.objects.filter(
            user_id=user.pk,
            content_type=ContentType.objects.get_for_model(TOTPDevice),
            action_flag=ADDITION,
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    value = f"{user.pk}|{user.password}|{last_added or 0}"
    return salted_hmac(ENROL_LINK_SALT, value).hexdigest()[:32]


class EnrolLinkRefused(Exception):
    message = "این پیوند افزودن رمز دوم معتبر نیست یا زمانش گذشته است."


def staff_enrol_link_issue(*, issuer, user) -> str:
    """The path of a one-time link that lets `user` add an authenticator without
    proving both her password and an SMS code (she has no password, or no SMS
    reaches her). Only a superuser who has passed her own second factor may
    issue one, for a staff account; the issue is written to the admin log."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.core import signing
    from django.core.exceptions import PermissionDenied

    if not (issuer.is_superuser and issuer.is_verified()):
        raise PermissionDenied
    if not is_staff_account(user):
        raise EnrolLinkRefused
    token = signing.dumps(
        {"u": user.pk, "s": _enrol_state(user)}, salt=ENROL_LINK_SALT, compress=True
    )
    LogEntry.objects.log_actions(
        user_id=issuer.pk,
        queryset=get_user_model().objects.filter(pk=user.pk),
        action_flag=CHANGE,
        change_message="Second-factor enrolment link issued.",
        single_object=True,
    )
    return reverse("accounts:staff_enrol_link", kwargs={"token": token})


def staff_enrol_link_use(*, request: HttpRequest, token: str) -> None:
    """Let this session enrol, if `token` is a live link for the logged-in user.
    Raises EnrolLinkRefused otherwise (another account's link, expired, or a
    device confirmed since it was issued)."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=ENROL_LINK_SALT, max_age=ENROL_LINK_SECONDS)
    except signing.BadSignature as error:
        raise EnrolLinkRefused from error
    user = request.user
    if (
        not isinstance(data, dict)
        or data.get("u") != user.pk
        or data.get("s") != _enrol_state(user)
    ):
        raise EnrolLinkRefused
    auth_factor_record(request, user=user, factor=FACTOR_LINK)
