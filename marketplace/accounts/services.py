"""Account rules: one-time codes by SMS, the password-login throttles, users by phone.

Every function takes keyword arguments only, accepts a phone number in any form
`normalize_phone` accepts (and raises `InvalidPhoneNumber` otherwise), and reads
the time from `django.utils.timezone.now`, so tests can move the clock.

"Client" below is `ip.client_key`: an IPv4 address, or an IPv6 /64; "network" is
`ip.network_key`: an IPv6 /56 (an IPv4 address stays itself). The model and its
reasons are in docs/SECURITY.md. The rules, in one place:

- A code is 6 digits from `secrets`, valid for 5 minutes, allows 5 guesses, and
  works once. Only the newest code for a (phone, purpose) counts.
- Codes for one number from one client: the first 2 in an hour come at once;
  each further one waits twice as long as the one before (1, 2, 4, 8 ...
  minutes after the previous code). Nobody else's requests count: an attacker
  cannot spend a woman's codes.
- One client gets at most OTP_CLIENT_MAX_PER_HOUR codes an hour over all numbers,
  one IPv6 /56 OTP_NETWORK_MAX_PER_HOUR, and the whole site sends at most
  OTP_GLOBAL_MAX_PER_HOUR SMS codes; a tripped cap logs an error (the alarm).
  More than OTP_PHONE_ALARM_PER_HOUR codes to one number in an hour, from any
  clients, also logs an error but refuses nothing.
- New numbers (signup and checkout codes) sharing their first 7 digits
  (`0912 123…`) get at most OTP_PREFIX_MAX_PER_HOUR SMS codes an hour together.
- The site's last OTP_GLOBAL_RESERVE_PERCENT % of codes in an hour are kept for
  known numbers (staff, booth members, buyers with orders: `phone_is_known`) and
  guests in checkout: signups are refused, and a login code goes only to a known
  number (every number still gets the same answer). Refusals for the site's
  budget say so: her network is not the cause.
- A new client (no right code typed from it in the last day) must send the
  form token `otp_form_token` gave her page at least OTP_NEW_CLIENT_DELAY_SECONDS
  earlier (no captcha, no script: a person reading the form takes longer).
- A client with OTP_VERIFY_MAX_FAILURES wrong codes in an hour, over all numbers,
  may not try codes again until the hour has passed.
- A (phone, client) pair is locked for 15 minutes after 5 failed password logins
  in a row (failures more than 15 minutes apart do not add up); a success
  resets it.
- An account with LOGIN_ACCOUNT_SLOW_AFTER failed passwords in an hour, from any
  addresses, is slowed down: one password try a minute, for everyone. Its owner
  gets straight in with a one-time code, which also clears the count.
- A buyer's order link sent again (`sms_link_request`, purpose `order-link`)
  goes through the same caps, reserve, delay and backoff as a code.
- Known and unknown numbers get the same answers: a login code asked for a number
  without an account is recorded (and rate-limited) like any other, but not sent.
- SMS leave after the response: `sms_send_later` queues them (Celery) when the
  transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from kombu.exceptions import OperationalError as BrokerUnavailable

from marketplace.metrics import OTP_THROTTLED
from marketplace.persian import to_latin_digits, to_persian_digits

from .fields import OTP_LENGTH
from .ip import client_key, network_key
from .models import LoginThrottle, OneTimeCode, PhoneThrottle, ThrottleEvent
from .phone import mask_phone, normalize_phone
from .sms import send_sms

logger = logging.getLogger(__name__)

OTP_LIFETIME = dt.timedelta(minutes=5)
OTP_MAX_ATTEMPTS = 5
OTP_RATE_WINDOW = dt.timedelta(hours=1)
#: Codes for one (number, client) that come without waiting, per window.
OTP_FREE_PER_CLIENT = 2
#: The wait before the third code; it doubles with each further one.
OTP_BACKOFF_BASE = dt.timedelta(minutes=1)

LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
LOGIN_LOCK_DURATION = dt.timedelta(minutes=15)
LOGIN_ACCOUNT_WINDOW = dt.timedelta(hours=1)
LOGIN_ACCOUNT_SLOW_AFTER = 10
LOGIN_ACCOUNT_SLOW_INTERVAL = dt.timedelta(minutes=1)


def _cap(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def otp_client_max_per_hour() -> int:
    """Codes one client (IPv4 address, IPv6 /64) may ask for in an hour."""
    return _cap("OTP_CLIENT_MAX_PER_HOUR", 20)


def otp_global_max_per_hour() -> int:
    """Codes the whole site sends in an hour, at most (the SMS bill's brake)."""
    return _cap("OTP_GLOBAL_MAX_PER_HOUR", 1000)


def otp_network_max_per_hour() -> int:
    """Codes one IPv6 /56 may ask for in an hour (an IPv4 address: the client cap)."""
    return _cap("OTP_NETWORK_MAX_PER_HOUR", 60)


def otp_prefix_max_per_hour() -> int:
    """SMS codes an hour for new numbers (signup, checkout) sharing a prefix."""
    return _cap("OTP_PREFIX_MAX_PER_HOUR", 30)


def otp_global_reserve() -> int:
    """How many of the site's hourly codes are kept for known numbers and
    guests in checkout."""
    percent = _cap("OTP_GLOBAL_RESERVE_PERCENT", 30)
    return math.ceil(otp_global_max_per_hour() * percent / 100)


def otp_new_client_delay() -> dt.timedelta:
    """How old a new client's form token must be."""
    return dt.timedelta(seconds=_cap("OTP_NEW_CLIENT_DELAY_SECONDS", 3))


def otp_phone_alarm_per_hour() -> int:
    return _cap("OTP_PHONE_ALARM_PER_HOUR", 10)


def otp_verify_max_failures() -> int:
    """Wrong codes one client may type in an hour, over all numbers."""
    return _cap("OTP_VERIFY_MAX_FAILURES", 30)


#: How long the rows behind the rules are kept (see `accounts_purge_stale`).
RECORDS_KEPT_FOR = dt.timedelta(days=1)

OTP_SMS_TEXT = (
    "دستاورد\nکد تأیید شما: {code}\nاین کد تا ۵ دقیقه معتبر است. آن را به هیچ‌کس ندهید."
)
LOGIN_LOCKED_MESSAGE = (
    "به دلیل تلاش‌های ناموفق، ورود با این شماره تا ۱۵ دقیقه ممکن نیست."
)
LOGIN_SLOWED_MESSAGE = (
    "برای این حساب تلاش‌های ناموفق زیادی ثبت شده است. برای امنیت حساب، ورود با رمز "
    "فعلاً فقط هر یک دقیقه یک بار ممکن است؛ با «ورود با کد پیامکی» همین حالا وارد شوید."
)
BUSY_MESSAGE = (
    "درخواست‌های کد از این شبکه در این ساعت بیش از حد بوده است. لطفاً کمی بعد دوباره "
    "امتحان کنید یا با رمز عبور وارد شوید."
)
NETWORK_BUSY_MESSAGE = (
    "درخواست‌های کد از شبکهٔ اینترنت شما در این ساعت بیش از حد بوده است. لطفاً کمی "
    "بعد یا با اینترنت دیگری (مثلاً اینترنت همراه به جای وای‌فای) دوباره امتحان کنید "
    "یا با رمز عبور وارد شوید."
)
PREFIX_BUSY_MESSAGE = (
    "در این ساعت برای شماره‌های هم‌پیش‌شماره با این شماره کد زیادی خواسته شده است. "
    "لطفاً کمی بعد دوباره امتحان کنید؛ مشکل از شبکهٔ شما نیست."
)
SITE_BUSY_MESSAGE = (
    "دستاورد در این ساعت درخواست کد بسیار زیادی دریافت کرده و ارسال کد موقتاً "
    "متوقف است؛ مشکل از شبکه یا شمارهٔ شما نیست. لطفاً تا یک ساعت دیگر دوباره "
    "امتحان کنید یا با رمز عبور وارد شوید."
)
SIGNUP_PAUSED_MESSAGE = (
    "دستاورد در این ساعت شلوغ است و کدهای پیامکی فعلاً به خریداران و غرفه‌های "
    "ثبت‌شده و خریدهای در حال انجام می‌رسد؛ مشکل از شبکهٔ شما نیست. لطفاً کمی بعد "
    "برای ثبت‌نام دوباره امتحان کنید. برای خرید نیازی به ثبت‌نام نیست."
)
#: Shown after a login-code request while the reserve is in use (to every
#: number alike, so it tells nothing about the number).
RESERVE_LOGIN_NOTICE = (
    "دستاورد در این ساعت شلوغ است و کد ورود فعلاً فقط برای خریداران دارای سفارش، "
    "غرفه‌ها و کارکنان فرستاده می‌شود. اگر پیامکی نرسید، با رمز عبور وارد شوید یا "
    "کمی بعد دوباره امتحان کنید؛ مشکل از شبکهٔ شما نیست."
)
FORM_TOO_FAST_MESSAGE = (
    "برای محافظت از سایت در برابر درخواست‌های خودکار، لطفاً {wait} صبر کنید و "
    "دوباره دکمهٔ فرستادن را بزنید."
)
VERIFY_BLOCKED_MESSAGE = (
    "از این شبکه کدهای نادرست زیادی وارد شده است. لطفاً یک ساعت دیگر دوباره امتحان "
    "کنید یا با رمز عبور وارد شوید."
)

Purpose = OneTimeCode.Purpose


def _wait_message(retry_after: dt.timedelta, *, what: str = "کد") -> str:
    seconds = max(1, math.ceil(retry_after.total_seconds()))
    if seconds < 60:
        wait = f"{to_persian_digits(seconds)} ثانیه"
    else:
        wait = f"{to_persian_digits(math.ceil(seconds / 60))} دقیقه"
    return (
        f"برای این شماره به‌تازگی {what} فرستاده شده است. لطفاً {wait} دیگر "
        "دوباره امتحان کنید."
    )


class OtpRateLimited(Exception):
    """No code now. `str(exc)` is Persian; `retry_after` is the wait, when known."""

    def __init__(self, *, retry_after: dt.timedelta, message: str | None = None):
        # Raised only where a throttle refuses: counted here, once for every path.
        OTP_THROTTLED.labels(kind="request").inc()
        self.retry_after = retry_after
        self.message = message or _wait_message(retry_after)
        super().__init__(self.message)


class OtpVerifyBlocked(Exception):
    """This client typed too many wrong codes this hour."""

    message = VERIFY_BLOCKED_MESSAGE

    def __init__(self):
        OTP_THROTTLED.labels(kind="verify").inc()
        super().__init__(self.message)


class LoginLocked(Exception):
    """The (phone, client) pair is locked, or the account is slowed down and its
    next password try is not due yet. `str(exc)` is the Persian message."""

    def __init__(
        self, *, locked_until: dt.datetime, message: str = LOGIN_LOCKED_MESSAGE
    ):
        self.locked_until = locked_until
        self.message = message
        super().__init__(self.message)


class AccountDisabled(Exception):
    """The number's account exists but is deactivated (`is_active=False`)."""

    message = "این حساب غیرفعال شده است. لطفاً با پشتیبانی دستاورد تماس بگیرید."

    def __init__(self):
        super().__init__(self.message)


def _alarm(scope: str, detail: str) -> None:
    """An error-level log line when a cap trips: once per scope and hour per
    process, so an attack does not bury the log."""
    if cache.add(f"accounts:alarm:{scope}", 1, timeout=3600):
        logger.error("Rate cap tripped: %s (%s)", scope, detail)


# --- SMS ----------------------------------------------------------------------------


def _after_commit(callback) -> None:
    """`transaction.on_commit`, named so the account tests can run it at once
    (their database never commits)."""
    transaction.on_commit(callback)


def _enqueue_sms(phone: str, text: str) -> None:
    from .tasks import sms_send_task

    try:
        sms_send_task.delay(phone, text)
    except BrokerUnavailable:
        # Redis is down: send it here rather than lose the code.
        logger.warning(
            "SMS to %s: broker unavailable, sending inline", mask_phone(phone)
        )
        try:
            send_sms(phone=phone, text=text)
        except Exception:
            logger.exception("Could not send an SMS to %s", mask_phone(phone))


def sms_send_later(*, phone: str, text: str) -> None:
    """Send an SMS after the response: queued (Celery) once the current
    transaction commits, sent by `tasks.sms_send_task`. Every SMS a request
    causes goes this way, so no request waits for the gateway."""
    phone = normalize_phone(phone)
    _after_commit(lambda: _enqueue_sms(phone, text))


# --- known numbers and new clients --------------------------------------------------

_known_number_checks: list[Callable[[str], bool]] = []


def register_known_number_check(check: Callable[[str], bool]) -> None:
    """Let another app say a number is known (`orders`: a buyer with orders,
    `sellers`: a booth member), without this module importing it. Called from
    the apps' `ready()`; `check` gets the number in E.164 form."""
    if check not in _known_number_checks:
        _known_number_checks.append(check)


def phone_is_known(*, phone: str) -> bool:
    """True for a number the site already trusts with its last codes: a staff
    account, or any registered check (buyers with orders, booth members)."""
    phone = normalize_phone(phone)
    staff = (
        get_user_model()
        .objects.filter(username=phone, is_active=True)
        .filter(models.Q(is_staff=True) | models.Q(is_superuser=True))
        .exists()
    )
    return staff or any(check(phone) for check in _known_number_checks)


def _number_prefix(phone: str) -> str:
    """The first 7 digits of the national form (`0912 123…` → `+98912123`)."""
    return phone[: len("+98") + 6]


FORM_TOKEN_SALT = "marketplace.accounts.otp-form"  # noqa: S105  (a salt)
#: The hidden field (and template variable) that carries the token.
FORM_TOKEN_FIELD = "otp_form_token"  # noqa: S105  (a field name)
#: A form older than this must be opened again (its token is refused).
FORM_TOKEN_MAX_AGE = dt.timedelta(hours=2)


def otp_form_token(*, ip: str) -> str:
    """A signed timestamp for a page that asks for a code, bound to the client:
    the form sends it back, and a new client's must be old enough (see
    `otp_request`). It costs the server nothing to check and needs no script."""
    payload = {"c": client_key(ip), "t": int(timezone.now().timestamp())}
    return signing.dumps(payload, salt=FORM_TOKEN_SALT)


def _form_token_wait(token: str | None, *, client: str, now: dt.datetime):
    """How much longer the client must wait before this token is accepted: zero
    when it is; the whole delay when it is missing, forged, someone else's or
    too old (the page she gets back carries a new one)."""
    delay = otp_new_client_delay()
    try:
        data = signing.loads(token or "", salt=FORM_TOKEN_SALT)
        issued = dt.datetime.fromtimestamp(int(data["t"]), tz=dt.UTC)
        ok = data["c"] == client
    except (signing.BadSignature, TypeError, KeyError, ValueError, OverflowError):
        return delay
    age = now - issued
    if not ok or age > FORM_TOKEN_MAX_AGE or age < dt.timedelta(0):
        return delay
    return max(dt.timedelta(0), delay - age)


def _client_is_new(client: str, now: dt.datetime) -> bool:
    """No right code was typed from this client in the last day."""
    return not OneTimeCode.objects.filter(
        ip=client, used_at__isnull=False, created_at__gt=now - RECORDS_KEPT_FOR
    ).exists()


def _check_form_token(token: str | None, *, client: str, now: dt.datetime) -> None:
    if not otp_new_client_delay() or not _client_is_new(client, now):
        return
    wait = _form_token_wait(token, client=client, now=now)
    if wait > dt.timedelta(0):
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise OtpRateLimited(
            retry_after=wait,
            message=FORM_TOO_FAST_MESSAGE.format(
                wait=f"{to_persian_digits(seconds)} ثانیه"
            ),
        )


# --- one-time codes -----------------------------------------------------------------


def _code_hash(*, phone: str, purpose: str, code: str) -> str:
    """HMAC-SHA256 of the code, keyed with SECRET_KEY and bound to phone and purpose.

    Fast on purpose: the same work is done for every request, so answers for
    known and unknown numbers take the same time. A leaked table alone does not
    give the codes away; with 10^6 possible codes a slow hash would not help.
    """
    value = f"{phone}|{Purpose(purpose).value}|{code}"
    return salted_hmac(
        "marketplace.accounts.otp", value, algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**OTP_LENGTH):0{OTP_LENGTH}d}"


def _user_exists(phone: str) -> bool:
    return get_user_model().objects.filter(username=phone).exists()


def otp_backoff(count: int) -> dt.timedelta:
    """The wait after the `count`-th code of a (number, client) in the window."""
    if count < OTP_FREE_PER_CLIENT:
        return dt.timedelta(0)
    return OTP_BACKOFF_BASE * 2 ** (count - OTP_FREE_PER_CLIENT)


def _check_otp_caps(
    *, phone: str, purpose: str, client: str, network: str, now: dt.datetime
) -> bool:
    """Raise `OtpRateLimited` if any cap refuses a code now (see the module doc);
    return True when the site is down to its reserve."""
    since = now - OTP_RATE_WINDOW
    recent = OneTimeCode.objects.filter(created_at__gt=since)
    # The budget is SMS sent: a login code for a number without an account is
    # never sent, so it spends nothing.
    spent = recent.filter(delivered=True).count()
    budget = otp_global_max_per_hour()
    if spent >= budget:
        _alarm("global", f"{budget} codes an hour")
        raise OtpRateLimited(retry_after=OTP_RATE_WINDOW, message=SITE_BUSY_MESSAGE)
    reserve = spent >= budget - otp_global_reserve()
    if reserve:
        _alarm("reserve", f"{spent} of {budget} codes spent this hour")
        if purpose == Purpose.SIGNUP:
            raise OtpRateLimited(
                retry_after=OTP_RATE_WINDOW, message=SIGNUP_PAUSED_MESSAGE
            )
    if recent.filter(ip=client).count() >= otp_client_max_per_hour():
        _alarm(f"client:{client}", f"{client} asked for too many codes")
        raise OtpRateLimited(retry_after=OTP_RATE_WINDOW, message=BUSY_MESSAGE)
    if (
        network != client
        and recent.filter(network=network).count() >= otp_network_max_per_hour()
    ):
        _alarm(f"network:{network}", f"{network}/56 asked for too many codes")
        raise OtpRateLimited(retry_after=OTP_RATE_WINDOW, message=NETWORK_BUSY_MESSAGE)
    if purpose in (Purpose.SIGNUP, Purpose.CHECKOUT):
        prefix = _number_prefix(phone)
        same_prefix = recent.filter(
            phone__startswith=prefix,
            purpose__in=(Purpose.SIGNUP, Purpose.CHECKOUT),
            delivered=True,
        )
        if same_prefix.count() >= otp_prefix_max_per_hour():
            _alarm(f"prefix:{prefix}", f"many codes for numbers {prefix}…")
            raise OtpRateLimited(
                retry_after=OTP_RATE_WINDOW, message=PREFIX_BUSY_MESSAGE
            )
    mine = list(
        recent.filter(phone=phone, ip=client)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    wait = otp_backoff(len(mine))
    if mine and wait:
        due = mine[0] + wait
        if due > now:
            what = "پیوند سفارش" if purpose == Purpose.ORDER_LINK else "کد"
            raise OtpRateLimited(
                retry_after=due - now,
                message=_wait_message(due - now, what=what),
            )
    if recent.filter(phone=phone).count() + 1 == otp_phone_alarm_per_hour():
        _alarm(f"phone:{phone}", f"many codes for {mask_phone(phone)}")
    return reserve


def otp_request(
    *, phone: str, purpose: str, ip: str, form_token: str | None = None
) -> bool:
    """Make a one-time code for `phone` and send it by SMS after the response;
    return True when the site is down to its reserve of codes (the caller shows
    `RESERVE_LOGIN_NOTICE` after a login request).

    Rules: the caps, the reserve, the new-client delay (`form_token`, from
    `otp_form_token`) and the backoff of the module docstring (else
    `OtpRateLimited`, with a Persian message naming the true cause). The code
    is 6 digits from `secrets`, lives 5 minutes and makes every older code for
    the same (phone, purpose) useless.

    For `signup` and `checkout` (a guest proving her number) the code is always
    sent. For `login` to a number without an account no SMS is sent, but everything
    else happens exactly as for a known number (same queries, same row, same
    limits, same return), so the caller cannot tell the two apart; and since the
    SMS leaves after the response, neither can the time it takes. While the
    reserve is in use, the same holds for an account that is not a known number
    (`phone_is_known`): the answer is the same, the SMS goes to known ones only.
    """
    phone = normalize_phone(phone)
    purpose = Purpose(purpose)
    if purpose == Purpose.ORDER_LINK:
        raise ValueError("order links go through sms_link_request")
    has_account = _user_exists(phone)
    code = _new_code()

    def deliver(reserve: bool) -> bool:
        if purpose in (Purpose.SIGNUP, Purpose.CHECKOUT):
            return True
        if reserve:
            # Asked for every number alike, so the queries do not tell either.
            return phone_is_known(phone=phone) and has_account
        return has_account

    return _throttled_sms(
        phone=phone,
        purpose=purpose,
        ip=ip,
        form_token=form_token,
        code_hash=_code_hash(phone=phone, purpose=purpose, code=code),
        text=OTP_SMS_TEXT.format(code=code),
        deliver=deliver,
    )


def sms_link_request(
    *, phone: str, ip: str, text: str | None, form_token: str | None = None
) -> None:
    """Send `text` (a buyer's link to her order) to `phone` by SMS after the
    response, throttled and budgeted exactly like a code (`OtpRateLimited`
    otherwise). `text=None` when there is nothing to send (the number and the
    order do not match): recorded and limited the same, so the answer does not
    tell."""
    phone = normalize_phone(phone)
    _throttled_sms(
        phone=phone,
        purpose=Purpose.ORDER_LINK,
        ip=ip,
        form_token=form_token,
        code_hash="",  # matches no code
        text=text or "",
        deliver=lambda reserve: text is not None,
    )


def _throttled_sms(
    *,
    phone: str,
    purpose: str,
    ip: str,
    form_token: str | None,
    code_hash: str,
    text: str,
    deliver: Callable[[bool], bool],
) -> bool:
    """The caps, the reserve and the delay for one SMS to `phone`; records it
    and sends it if `deliver(reserve)`. Returns whether the reserve is in use."""
    client = client_key(ip)
    network = network_key(ip)
    _check_form_token(form_token, client=client, now=timezone.now())
    with transaction.atomic():
        # One row per number, locked: parallel requests for a number queue here,
        # so they cannot get past its backoff together. The time is read once
        # the lock is held, so it is never earlier than a code made before.
        throttle, _ = PhoneThrottle.objects.select_for_update().get_or_create(
            phone=phone
        )
        now = timezone.now()
        reserve = _check_otp_caps(
            phone=phone, purpose=purpose, client=client, network=network, now=now
        )
        sent = deliver(reserve)
        OneTimeCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=code_hash,
            delivered=sent,
            ip=client,
            network=network,
            created_at=now,
            expires_at=now + OTP_LIFETIME,
        )
        throttle.last_request_at = now
        throttle.save(update_fields=["last_request_at"])
        if sent:
            sms_send_later(phone=phone, text=text)
    return reserve


def _events(kind: str, key: str, since: dt.datetime):
    return ThrottleEvent.objects.filter(kind=kind, key=key, at__gt=since)


def otp_verify(*, phone: str, code: str, purpose: str, ip: str) -> bool:
    """True when `code` is the newest code sent to `phone` for `purpose`, and uses it.

    Rules: only the newest code for the (phone, purpose) counts; it must not be
    older than 5 minutes nor used before; each call spends one of its 5 guesses,
    right or wrong, and after the fifth the code is dead even if the sixth guess
    would be right. Guesses and use are claimed with conditional UPDATEs, so
    parallel requests cannot get extra guesses or use a code twice. A client
    with too many wrong codes this hour (over all numbers) gets
    `OtpVerifyBlocked` before any guess is spent.
    """
    phone = normalize_phone(phone)
    purpose = Purpose(purpose)
    client = client_key(ip)
    now = timezone.now()
    failures = _events(ThrottleEvent.Kind.CODE_FAILED, client, now - OTP_RATE_WINDOW)
    if failures.count() >= otp_verify_max_failures():
        _alarm(f"verify:{client}", f"{client} typed too many wrong codes")
        raise OtpVerifyBlocked()
    otp = (
        OneTimeCode.objects.filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-pk")
        .first()
    )
    if otp is None:
        return False
    live = OneTimeCode.objects.filter(
        pk=otp.pk,
        used_at__isnull=True,
        expires_at__gt=now,
        attempts__lt=OTP_MAX_ATTEMPTS,
    )
    if not live.update(attempts=F("attempts") + 1):
        return False
    given = _code_hash(
        phone=phone, purpose=purpose, code=to_latin_digits(str(code)).strip()
    )
    if not (otp.delivered and constant_time_compare(given, otp.code_hash)):
        ThrottleEvent.objects.create(
            kind=ThrottleEvent.Kind.CODE_FAILED, key=client, at=now
        )
        logger.info("Wrong one-time code for %s from %s", mask_phone(phone), client)
        return False
    return bool(
        OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now)
    )


# --- password login throttles -------------------------------------------------------


def login_check_lock(*, phone: str, ip: str) -> None:
    """Raise `LoginLocked` while a password try for `phone` from `ip` is refused.

    Two reasons: the (phone, client) pair is locked (5 failures, 15 minutes;
    other clients are not affected), or the account is slowed down (many
    failures from any addresses: one try a minute for everyone, the owner gets in
    with a one-time code). The number need not belong to an account.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    locked_until = (
        LoginThrottle.objects.filter(
            phone=phone, ip=client_key(ip), locked_until__gt=now
        )
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked_until is not None:
        raise LoginLocked(locked_until=locked_until)
    recent = list(
        _events(ThrottleEvent.Kind.PASSWORD_FAILED, phone, now - LOGIN_ACCOUNT_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:LOGIN_ACCOUNT_SLOW_AFTER]
    )
    if len(recent) >= LOGIN_ACCOUNT_SLOW_AFTER:
        due = recent[0] + LOGIN_ACCOUNT_SLOW_INTERVAL
        if due > now:
            raise LoginLocked(locked_until=due, message=LOGIN_SLOWED_MESSAGE)


def login_record_failure(*, phone: str, ip: str) -> bool:
    """Count one failed password login for (phone, client) and for the account;
    True if the pair is now locked.

    Rules: failures add up while each comes within 15 minutes of the previous
    one; the fifth locks the pair for 15 minutes and starts the count again.
    Failures during a lock are not counted and do not lengthen it.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
            phone=phone, ip=client_key(ip)
        )
        if throttle.locked_until and throttle.locked_until > now:
            return True
        ThrottleEvent.objects.create(
            kind=ThrottleEvent.Kind.PASSWORD_FAILED, key=phone, at=now
        )
        if (
            throttle.last_failure_at is None
            or now - throttle.last_failure_at >= LOGIN_FAILURE_WINDOW
        ):
            throttle.failures = 0
        throttle.failures += 1
        throttle.last_failure_at = now
        locked = throttle.failures >= LOGIN_MAX_FAILURES
        if locked:
            throttle.locked_until = now + LOGIN_LOCK_DURATION
            throttle.failures = 0
            logger.warning(
                "Password login locked for %s from %s", mask_phone(phone), throttle.ip
            )
        throttle.save()
    return locked


def login_record_success(*, phone: str, ip: str, by_code: bool = False) -> None:
    """A successful login clears the pair's failures and lock; one by one-time
    code (only the number's owner has it) also ends the account's slowdown."""
    phone = normalize_phone(phone)
    LoginThrottle.objects.filter(phone=phone, ip=client_key(ip)).delete()
    if by_code:
        ThrottleEvent.objects.filter(
            kind=ThrottleEvent.Kind.PASSWORD_FAILED, key=phone
        ).delete()


# --- users --------------------------------------------------------------------------


def user_get_or_create_by_phone(*, phone: str) -> AbstractBaseUser:
    """The user whose username is this number in E.164 form, created if missing.

    A new user has no usable password (she logs in with one-time codes until she
    sets one) and no e-mail.
    """
    phone = normalize_phone(phone)
    user, _ = get_user_model().objects.get_or_create(
        username=phone, defaults={"password": make_password(None)}
    )
    return user


@transaction.atomic
def user_complete_signup(
    *, phone: str, name: str, password: str | None = None
) -> AbstractBaseUser:
    """Finish signing up a number whose code was just verified: a new account with
    her name and, if given, her password.

    A number that already has an account keeps it exactly as it is: its name and
    its password are never changed here, since a one-time code only proves the
    number, and a password is the second thing some accounts (staff) rely on.
    A deactivated account raises `AccountDisabled`.
    """
    phone = normalize_phone(phone)
    existing = get_user_model().objects.filter(username=phone).first()
    if existing is not None:
        if not existing.is_active:
            raise AccountDisabled()
        return existing
    user = user_get_or_create_by_phone(phone=phone)
    user.first_name = name.strip()[:150]
    if password:
        user.set_password(password)
    user.save()
    return user


# --- housekeeping -------------------------------------------------------------------


def accounts_purge_stale(*, now: dt.datetime | None = None) -> int:
    """Delete the rows no rule needs any more (codes, and throttles idle for a day);
    return how many went."""
    now = now or timezone.now()
    cutoff = now - RECORDS_KEPT_FOR
    deleted = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()[0]
    deleted += PhoneThrottle.objects.filter(last_request_at__lt=cutoff).delete()[0]
    deleted += ThrottleEvent.objects.filter(at__lt=cutoff).delete()[0]
    deleted += (
        LoginThrottle.objects.filter(last_failure_at__lt=cutoff)
        .exclude(locked_until__gt=now)
        .delete()[0]
    )
    return deleted
