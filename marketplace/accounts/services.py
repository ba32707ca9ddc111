"""Account rules: one-time codes by SMS, the password-login lockout, users by phone.

Every function takes keyword arguments only, accepts a phone number in any form
`normalize_phone` accepts (and raises `InvalidPhoneNumber` otherwise), and reads
the time from `django.utils.timezone.now`, so tests can move the clock.

The rules, in one place:

- A code is 6 digits from `secrets`, valid for 5 minutes, allows 5 guesses, and
  works once. Only the newest code for a (phone, purpose) counts.
- A phone number gets at most 3 codes in any rolling hour, whatever the purpose.
- A (phone, IP) pair is locked for 15 minutes after 5 failed password logins in a
  row (failures more than 15 minutes apart do not add up); a success resets it.
- Known and unknown numbers get the same answers: a login code asked for a number
  without an account is recorded (and rate-limited) like any other, but not sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from marketplace.persian import to_latin_digits, to_persian_digits

from .ip import normalize_ip
from .models import LoginThrottle, OneTimeCode, PhoneThrottle
from .phone import mask_phone, normalize_phone
from .sms import send_sms

logger = logging.getLogger(__name__)

OTP_LENGTH = 6
OTP_LIFETIME = dt.timedelta(minutes=5)
OTP_MAX_ATTEMPTS = 5
OTP_MAX_PER_WINDOW = 3
OTP_RATE_WINDOW = dt.timedelta(hours=1)

LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW = dt.timedelta(minutes=15)
LOGIN_LOCK_DURATION = dt.timedelta(minutes=15)

#: How long the rows behind the rules are kept (see `accounts_purge_stale`).
RECORDS_KEPT_FOR = dt.timedelta(days=1)

OTP_SMS_TEXT = (
    "دستاورد\nکد تأیید شما: {code}\nاین کد تا ۵ دقیقه معتبر است. آن را به هیچ‌کس ندهید."
)
LOGIN_LOCKED_MESSAGE = (
    "به دلیل تلاش‌های ناموفق، ورود با این شماره تا ۱۵ دقیقه ممکن نیست."
)

Purpose = OneTimeCode.Purpose


class OtpRateLimited(Exception):
    """The number already had its 3 codes this hour. `str(exc)` is Persian."""

    def __init__(self, *, retry_after: dt.timedelta):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        self.message = (
            f"برای این شماره در یک ساعت گذشته {to_persian_digits(OTP_MAX_PER_WINDOW)} "
            f"کد فرستاده شده است. لطفاً {to_persian_digits(minutes)} دقیقه دیگر "
            "دوباره امتحان کنید."
        )
        super().__init__(self.message)


class LoginLocked(Exception):
    """The (phone, IP) pair is locked. `str(exc)` is the Persian message."""

    def __init__(self, *, locked_until: dt.datetime):
        self.locked_until = locked_until
        self.message = LOGIN_LOCKED_MESSAGE
        super().__init__(self.message)


class AccountDisabled(Exception):
    """The number's account exists but is deactivated (`is_active=False`)."""

    message = "این حساب غیرفعال شده است. لطفاً با پشتیبانی دستاورد تماس بگیرید."

    def __init__(self):
        super().__init__(self.message)


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


def otp_request(*, phone: str, purpose: str, ip: str) -> None:
    """Make a one-time code for `phone` and send it by SMS.

    Rules: at most 3 codes per number in any rolling hour, counted over every
    purpose (otherwise `OtpRateLimited`, with the wait in its message). The code
    is 6 digits from `secrets`, lives 5 minutes and makes every older code for
    the same (phone, purpose) useless.

    For `signup` and `checkout` (a guest proving her number) the code is always
    sent. For `login` to a number without an account no SMS is sent, but everything
    else happens exactly as for a known number (same queries, same row, same rate
    limit, same return), so the caller cannot tell the two apart. An SMS backend
    failure is logged and swallowed for the same reason; the person can ask again.
    """
    phone = normalize_phone(phone)
    purpose = Purpose(purpose)
    ip = normalize_ip(ip)
    now = timezone.now()
    deliver = purpose in (Purpose.SIGNUP, Purpose.CHECKOUT) or _user_exists(phone)
    code = _new_code()
    code_hash = _code_hash(phone=phone, purpose=purpose, code=code)

    with transaction.atomic():
        throttle, _ = PhoneThrottle.objects.select_for_update().get_or_create(
            phone=phone
        )
        recent = list(
            OneTimeCode.objects.filter(
                phone=phone, created_at__gt=now - OTP_RATE_WINDOW
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if len(recent) >= OTP_MAX_PER_WINDOW:
            oldest_counted = recent[-OTP_MAX_PER_WINDOW]
            raise OtpRateLimited(retry_after=oldest_counted + OTP_RATE_WINDOW - now)
        OneTimeCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=code_hash,
            delivered=deliver,
            ip=ip,
            created_at=now,
            expires_at=now + OTP_LIFETIME,
        )
        throttle.last_request_at = now
        throttle.save(update_fields=["last_request_at"])

    if deliver:
        try:
            send_sms(phone=phone, text=OTP_SMS_TEXT.format(code=code))
        except Exception:  # any gateway failure: same answer, logged for staff
            logger.exception(
                "Could not send the one-time code to %s", mask_phone(phone)
            )


def otp_verify(*, phone: str, code: str, purpose: str, ip: str) -> bool:
    """True when `code` is the newest code sent to `phone` for `purpose`, and uses it.

    Rules: only the newest code for the (phone, purpose) counts; it must not be
    older than 5 minutes nor used before; each call spends one of its 5 guesses,
    right or wrong, and after the fifth the code is dead even if the sixth guess
    would be right. Guesses and use are claimed with conditional UPDATEs, so
    parallel requests cannot get extra guesses or use a code twice.
    """
    phone = normalize_phone(phone)
    purpose = Purpose(purpose)
    now = timezone.now()
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
        logger.info(
            "Wrong one-time code for %s from %s", mask_phone(phone), normalize_ip(ip)
        )
        return False
    return bool(
        OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now)
    )


# --- password login lockout ---------------------------------------------------------


def login_check_lock(*, phone: str, ip: str) -> None:
    """Raise `LoginLocked` while the (phone, IP) pair is locked; otherwise return.

    The lock follows 5 failed password logins and lasts 15 minutes. Other IPs
    are not affected, and the number need not belong to an account.
    """
    phone = normalize_phone(phone)
    locked_until = (
        LoginThrottle.objects.filter(
            phone=phone, ip=normalize_ip(ip), locked_until__gt=timezone.now()
        )
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked_until is not None:
        raise LoginLocked(locked_until=locked_until)


def login_record_failure(*, phone: str, ip: str) -> bool:
    """Count one failed password login for (phone, IP); True if the pair is locked.

    Rules: failures add up while each comes within 15 minutes of the previous
    one; the fifth locks the pair for 15 minutes and starts the count again.
    Failures during a lock are not counted and do not lengthen it.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
            phone=phone, ip=normalize_ip(ip)
        )
        if throttle.locked_until and throttle.locked_until > now:
            return True
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


def login_record_success(*, phone: str, ip: str) -> None:
    """A successful login (password or one-time code) clears the pair's failures
    and lock."""
    LoginThrottle.objects.filter(
        phone=normalize_phone(phone), ip=normalize_ip(ip)
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
    """Finish signing up a number whose code was just verified: set her name and,
    if given, her password. A number that already has an account keeps it (and
    gets the new name and password): proving the number is proof enough.
    A deactivated account raises `AccountDisabled` and is left untouched."""
    user = user_get_or_create_by_phone(phone=phone)
    if not user.is_active:
        raise AccountDisabled()
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
    deleted += (
        LoginThrottle.objects.filter(last_failure_at__lt=cutoff)
        .exclude(locked_until__gt=now)
        .delete()[0]
    )
    return deleted
