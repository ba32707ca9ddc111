"""Account screens: password login, login by one-time code, signing up, logging out.

Thin views: they clean the input with a form, call a service or `authenticate`,
and choose what to render. The rules (limits, lockout, what an unknown number
sees) are in `services.py` and `backends.py`.

The code steps keep their state in the session, never in the URL:
`accounts_otp` = {phone, purpose, next} between asking for a code and typing it;
`accounts_signup` = {phone, verified_at, next} between the code and the last step.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import (
    authenticate,
    get_user_model,
    login,
    logout,
    update_session_auth_hash,
)
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from .forms import (
    AccountForm,
    CodeForm,
    PasswordLoginForm,
    PhoneForm,
    SignupDetailsForm,
    StaffOtpForm,
)
from .ip import client_ip
from .phone import InvalidPhoneNumber, format_phone_for_display
from .services import (
    FORM_TOKEN_FIELD,
    RESERVE_LOGIN_NOTICE,
    AccountDisabled,
    LoginLocked,
    OtpRateLimited,
    OtpVerifyBlocked,
    Purpose,
    login_check_lock,
    login_record_success,
    otp_form_token,
    otp_request,
    otp_verify,
    user_complete_signup,
    user_get_or_create_by_phone,
)
from .staff import FACTOR_PASSWORD, FACTOR_SMS, auth_factor_record

BACKEND = "marketplace.accounts.backends.PhonePasswordBackend"
OTP_SESSION_KEY = "accounts_otp"
SIGNUP_SESSION_KEY = "accounts_signup"
#: How long after verifying her number she may finish signing up.
SIGNUP_STEP_SECONDS = 15 * 60

WRONG_LOGIN = "شماره یا رمز عبور درست نیست."
WRONG_CODE = (
    "کد درست نیست یا دیگر اعتبار ندارد. هر کد ۵ دقیقه اعتبار دارد و "
    "۵ بار می‌شود امتحانش کرد؛ در غیر این صورت کد تازه بخواهید."
)
CODE_SENT = {
    Purpose.LOGIN: (
        "اگر این شماره در دستاورد حساب داشته باشد، کد ورود تا چند لحظه دیگر "
        "به آن پیامک می‌شود."
    ),
    Purpose.SIGNUP: "کد تأیید تا چند لحظه دیگر به این شماره پیامک می‌شود.",
}
START_AGAIN = "لطفاً ابتدا شماره موبایل خود را وارد کنید."
WELCOME = "خوش آمدید؛ وارد حساب خود شدید."
LOGGED_OUT = "از حساب خود خارج شدید."


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it points to this site, else an empty string."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _landing(request: HttpRequest) -> str:
    """Where a log-in with no `next` leads: staff to the staff home, everyone
    else to LOGIN_REDIRECT_URL."""
    if getattr(request.user, "is_staff", False):
        return resolve_url("reports:home")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _redirect_next(request: HttpRequest, candidate: str | None) -> HttpResponse:
    return redirect(_safe_next(request, candidate) or _landing(request))


def _requested_next(request: HttpRequest) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _bound(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _log_in(request: HttpRequest, user, *, phone: str) -> None:
    """Log in after a right one-time code (which also ends a password slowdown)."""
    login_record_success(phone=phone, ip=client_ip(request), by_code=True)
    login(request, user, backend=BACKEND)
    auth_factor_record(request, user=user, factor=FACTOR_SMS)
    messages.success(request, WELCOME)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Phone and password. One message for every wrong pair, known number or not;
    another, also the same for every number, while the (phone, IP) is locked."""
    next_url = _requested_next(request)
    form = PasswordLoginForm(_bound(request), initial={"next": next_url})
    if form.is_bound and form.is_valid():
        phone = form.cleaned_data["phone"]
        ip = client_ip(request)
        try:
            login_check_lock(phone=phone, ip=ip)
            user = authenticate(
                request, phone=phone, password=form.cleaned_data["password"]
            )
            if user is None:
                login_check_lock(phone=phone, ip=ip)  # this failure may have locked it
                form.add_error(None, WRONG_LOGIN)
        except LoginLocked as exc:
            form.add_error(None, exc.message)
        else:
            if user is not None:
                login(request, user, backend=BACKEND)
                auth_factor_record(request, user=user, factor=FACTOR_PASSWORD)
                messages.success(request, WELCOME)
                return _redirect_next(request, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def form_token_context(request: HttpRequest) -> dict:
    """The hidden field's value for a page whose form asks for a code."""
    return {FORM_TOKEN_FIELD: otp_form_token(ip=client_ip(request))}


def _request_code(request: HttpRequest, *, phone: str, purpose: str) -> None:
    """`otp_request` with this request's client and form token; after a login
    request while codes run short, the notice that tells her why no SMS may come."""
    reserve = otp_request(
        phone=phone,
        purpose=purpose,
        ip=client_ip(request),
        form_token=request.POST.get(FORM_TOKEN_FIELD),
    )
    if reserve and purpose == Purpose.LOGIN:
        messages.warning(request, RESERVE_LOGIN_NOTICE)


def _phone_step(request: HttpRequest, *, purpose: str, template: str) -> HttpResponse:
    next_url = _requested_next(request)
    form = PhoneForm(_bound(request), initial={"next": next_url})
    if form.is_bound and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            _request_code(request, phone=phone, purpose=purpose)
        except OtpRateLimited as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(SIGNUP_SESSION_KEY, None)
            request.session[OTP_SESSION_KEY] = {
                "phone": phone,
                "purpose": str(purpose),
                "next": next_url,
            }
            return redirect("accounts:otp_verify")
    context = {"form": form, "next": next_url, **form_token_context(request)}
    return render(request, template, context)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_request_view(request: HttpRequest) -> HttpResponse:
    """Login by code, step one: the phone number. Every valid number is answered
    with the same redirect to the code step."""
    return _phone_step(
        request, purpose=Purpose.LOGIN, template="accounts/otp_request.html"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    """Signing up, step one: the phone number (then the code, then her name)."""
    return _phone_step(request, purpose=Purpose.SIGNUP, template="accounts/signup.html")


def _otp_state(request: HttpRequest) -> dict | None:
    state = request.session.get(OTP_SESSION_KEY)
    if (
        isinstance(state, dict)
        and isinstance(state.get("phone"), str)
        and state.get("purpose") in Purpose.values
    ):
        return state
    return None


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """The code step, for logging in and for signing up. A right login code logs
    her in (creating her account if the number has none); a right signup code
    leads to the last signup step."""
    state = _otp_state(request)
    if state is None:
        messages.info(request, START_AGAIN)
        return redirect("accounts:otp_request")
    phone, purpose = state["phone"], Purpose(state["purpose"])
    form = CodeForm(_bound(request))
    if form.is_bound and form.is_valid():
        ip = client_ip(request)
        try:
            right = otp_verify(
                phone=phone, code=form.cleaned_data["code"], purpose=purpose, ip=ip
            )
        except OtpVerifyBlocked as exc:
            form.add_error(None, exc.message)
            right = None
        if right is False:
            form.add_error("code", WRONG_CODE)
        elif right:
            del request.session[OTP_SESSION_KEY]
            existing = get_user_model().objects.filter(username=phone).first()
            if purpose == Purpose.SIGNUP and existing is None:
                request.session[SIGNUP_SESSION_KEY] = {
                    "phone": phone,
                    "verified_at": timezone.now().timestamp(),
                    "next": state.get("next", ""),
                }
                return redirect("accounts:signup_details")
            # A login code, or signing up a number that already has an account:
            # the code proves the number, so she is logged in, and nothing of
            # the account (name, password) is shown or changed.
            user = existing or user_get_or_create_by_phone(phone=phone)
            if not user.is_active:
                form.add_error(None, AccountDisabled.message)
            else:
                _log_in(request, user, phone=phone)
                return _redirect_next(request, state.get("next"))
    context = {
        "form": form,
        "purpose": purpose,
        "phone_display": format_phone_for_display(phone),
        "sent_message": CODE_SENT[purpose],
        "change_url": resolve_url(
            "accounts:signup" if purpose == Purpose.SIGNUP else "accounts:otp_request"
        ),
        **form_token_context(request),
    }
    return render(request, "accounts/otp_verify.html", context)


@never_cache
@require_POST
def otp_resend_view(request: HttpRequest) -> HttpResponse:
    """Ask for a new code for the number of the code step (same limits)."""
    state = _otp_state(request)
    if state is None:
        messages.info(request, START_AGAIN)
        return redirect("accounts:otp_request")
    purpose = Purpose(state["purpose"])
    try:
        _request_code(request, phone=state["phone"], purpose=purpose)
    except OtpRateLimited as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, CODE_SENT[purpose])
    return redirect("accounts:otp_verify")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def signup_details_view(request: HttpRequest) -> HttpResponse:
    """Signing up, last step: her name and an optional password; then she is in.
    Open only for 15 minutes after her number was verified in this session."""
    state = request.session.get(SIGNUP_SESSION_KEY)
    if (
        not isinstance(state, dict)
        or not isinstance(state.get("phone"), str)
        or timezone.now().timestamp() - float(state.get("verified_at", 0))
        > SIGNUP_STEP_SECONDS
    ):
        request.session.pop(SIGNUP_SESSION_KEY, None)
        messages.info(request, START_AGAIN)
        return redirect("accounts:signup")
    phone = state["phone"]
    form = SignupDetailsForm(_bound(request), phone=phone)
    if form.is_bound and form.is_valid():
        try:
            user = user_complete_signup(
                phone=phone,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"] or None,
            )
        except AccountDisabled as exc:
            form.add_error(None, exc.message)
        else:
            del request.session[SIGNUP_SESSION_KEY]
            _log_in(request, user, phone=phone)
            return _redirect_next(request, state.get("next"))
    context = {"form": form, "phone_display": format_phone_for_display(phone)}
    return render(request, "accounts/signup_details.html", context)


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out on POST only, so a link or an image cannot log anyone out; a GET
    (an old link, such as Oscar's dashboard menu) shows the button."""
    if request.method != "POST":
        return render(request, "accounts/logout_confirm.html")
    logout(request)
    messages.info(request, LOGGED_OUT)
    return _redirect_next(request, request.POST.get("next"))


ACCOUNT_SAVED = "تغییرات حساب ذخیره شد."


@sensitive_post_parameters("current_password", "new_password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_view(request: HttpRequest) -> HttpResponse:
    """Her account: name and password (the old one is needed to change it). It
    replaces Oscar's profile pages; there is no e-mail here, since nothing uses
    one (recovery is by mobile number)."""
    user = request.user
    form = AccountForm(_bound(request), user=user, initial={"name": user.first_name})
    if form.is_bound and form.is_valid():
        user.first_name = form.cleaned_data["name"].strip()[:150]
        if form.cleaned_data.get("new_password"):
            user.set_password(form.cleaned_data["new_password"])
        user.save()
        update_session_auth_hash(request, user)
        messages.success(request, ACCOUNT_SAVED)
        return redirect("accounts:account")
    try:
        phone_display = format_phone_for_display(user.username)
    except InvalidPhoneNumber:  # an account made by hand, not by phone
        phone_display = user.username
    context = {"form": form, "phone_display": phone_display}
    return render(request, "accounts/account.html", context)


STAFF_OTP_WRONG = "کد درست نیست یا زمانش گذشته است. کد تازهٔ برنامه را وارد کنید."
STAFF_OTP_THROTTLED = (
    "چند کد نادرست پشت سر هم وارد شد؛ چند ثانیه صبر کنید و دوباره امتحان کنید."
)
STAFF_OTP_RESTART = "کلید این صفحه دیگر معتبر نیست؛ کد QR تازه را بخوانید."
STAFF_OTP_ADDED = (
    "برنامهٔ رمز دوم به حساب شما افزوده شد؛ پیامکی هم برای اطلاع به شمارهٔ شما رفت."
)


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_otp_view(request: HttpRequest) -> HttpResponse:
    """The staff second factor. With an authenticator already confirmed, she
    types its code. Without one, she may add one only after proving both her
    password and an SMS code in this session; each visit shows a new secret
    bound to this session (the rules: `staff.py`). django-otp checks the code
    (and slows down wrong guesses)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .staff import (
        enrol_missing_factors,
        is_staff_account,
        staff_device_confirm,
        staff_device_of_session,
        staff_device_start,
    )

    next_url = _requested_next(request)
    user = request.user
    if not is_staff_account(user):
        return _redirect_next(request, next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        missing = enrol_missing_factors(request)
        if missing:
            here = (
                _with_next("accounts:staff_otp", next_url)
                if next_url
                else resolve_url("accounts:staff_otp")
            )
            context = {
                "missing": missing,
                "password_url": _with_next("accounts:login", here),
                "code_url": _with_next("accounts:otp_request", here),
            }
            return render(request, "accounts/staff_otp_prove.html", context)
        if request.method == "POST":
            device = staff_device_of_session(request=request)
        else:
            device = staff_device_start(request=request)
    form = StaffOtpForm(_bound(request), initial={"next": next_url})
    if form.is_bound and device is None:
        # Her secret was replaced (another tab) or never shown to this session.
        form.add_error(None, STAFF_OTP_RESTART)
        device = staff_device_start(request=request)
    elif form.is_bound and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(None, STAFF_OTP_THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                staff_device_confirm(request=request, device=device)
                messages.success(request, STAFF_OTP_ADDED)
            otp_login(request, device)
            return _redirect_next(request, next_url)
        else:
            form.add_error("token", STAFF_OTP_WRONG)
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        import base64

        import segno

        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#000", light="#fff"
        )
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/staff_otp.html", context)


STAFF_LINK_ACCEPTED = "پیوند پذیرفته شد؛ حالا برنامهٔ رمزساز را اضافه کنید."


@never_cache
@login_required
@require_http_methods(["GET"])
def staff_enrol_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """A superuser's one-time enrolment link, opened in her own session."""
    from .staff import EnrolLinkRefused, staff_enrol_link_use

    try:
        staff_enrol_link_use(request=request, token=token)
    except EnrolLinkRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, STAFF_LINK_ACCEPTED)
    return redirect("accounts:staff_otp")


def _with_next(view_name: str, next_url: str) -> str:
    return f"{resolve_url(view_name)}?{urlencode({'next': next_url})}"
