"""What the account rules need to remember: one-time codes and login throttles.

The rules themselves live in `services.py`; these models only hold the state, in
the database, so they hold across processes and machines.
"""

from django.db import models


class OneTimeCode(models.Model):
    """One code sent (or, for a login to an unknown number, pretended to be sent)
    to a phone. The code itself is never stored: `code_hash` is an HMAC keyed with
    SECRET_KEY (see `services._code_hash`)."""

    class Purpose(models.TextChoices):
        LOGIN = "login", "ورود"
        SIGNUP = "signup", "ثبت‌نام"
        # A guest proving her mobile number at checkout (orders.checkout).
        CHECKOUT = "checkout", "خرید مهمان"
        # Not a code: her order's link sent again (orders.notifications), kept
        # here so it is throttled and budgeted exactly like a code.
        ORDER_LINK = "order-link", "پیوند سفارش"

    phone = models.CharField("شماره موبایل", max_length=16)
    purpose = models.CharField("کاربرد", max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    # False when no SMS was sent (login to a number without an account): the row
    # exists so that the rate limit and the answers are the same, but no code can
    # ever match it.
    delivered = models.BooleanField(default=True)
    # The client as the throttles key it (`ip.client_key`: an IPv6 /64 as the
    # first address of the network).
    ip = models.GenericIPAddressField("IP درخواست", null=True, blank=True)
    # The wider network (`ip.network_key`: an IPv6 /56), counted by a second cap.
    network = models.GenericIPAddressField("شبکهٔ درخواست", null=True, blank=True)
    created_at = models.DateTimeField("زمان ساخت")
    expires_at = models.DateTimeField("زمان انقضا")
    attempts = models.PositiveSmallIntegerField("تعداد حدس", default=0)
    used_at = models.DateTimeField("زمان استفاده", null=True, blank=True)

    class Meta:
        verbose_name = "کد یکبار مصرف"
        verbose_name_plural = "کدهای یکبار مصرف"
        indexes = [
            models.Index(
                fields=["phone", "created_at"], name="accounts_otp_phone_time"
            ),
            # The per-client cap and the global cap count codes by time.
            models.Index(fields=["ip", "created_at"], name="accounts_otp_ip_time"),
            models.Index(
                fields=["network", "created_at"], name="accounts_otp_network_time"
            ),
            models.Index(fields=["created_at"], name="accounts_otp_time"),
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{self.get_purpose_display()} {self.phone} {when}"


class PhoneThrottle(models.Model):
    """One row per phone number that has asked for a code. Requests for codes lock
    this row (SELECT … FOR UPDATE) so that concurrent requests, in any process,
    cannot get past the hourly limit together."""

    phone = models.CharField("شماره موبایل", max_length=16, unique=True)
    last_request_at = models.DateTimeField("آخرین درخواست کد", null=True, blank=True)

    class Meta:
        verbose_name = "محدودیت ارسال کد"
        verbose_name_plural = "محدودیت‌های ارسال کد"

    def __str__(self) -> str:
        return self.phone


class LoginThrottle(models.Model):
    """Failed password logins for one (phone, IP) pair, and the lock they cause.

    The phone is the normalised number typed into the form, whether or not an
    account has it, so unknown numbers are locked exactly like known ones.
    """

    phone = models.CharField("شماره موبایل", max_length=16)
    ip = models.GenericIPAddressField("IP")
    failures = models.PositiveSmallIntegerField("تلاش ناموفق پیاپی", default=0)
    last_failure_at = models.DateTimeField("آخرین تلاش ناموفق", null=True, blank=True)
    locked_until = models.DateTimeField("قفل تا", null=True, blank=True)

    class Meta:
        verbose_name = "قفل ورود"
        verbose_name_plural = "قفل‌های ورود"
        constraints = [
            models.UniqueConstraint(
                fields=["phone", "ip"], name="accounts_login_throttle_phone_ip"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.ip}"


class ThrottleEvent(models.Model):
    """One failure a throttle counts over a window: a wrong one-time code from a
    client, or a wrong password for an account from any address. Rows older than
    a day are purged (`services.accounts_purge_stale`)."""

    class Kind(models.TextChoices):
        CODE_FAILED = "code-failed", "کد نادرست (به ازای IP)"
        PASSWORD_FAILED = "password-failed", "رمز نادرست (به ازای حساب)"

    kind = models.CharField("نوع", max_length=24, choices=Kind.choices)
    key = models.CharField("کلید", max_length=64)
    at = models.DateTimeField("زمان")

    class Meta:
        verbose_name = "رخداد محدودیت"
        verbose_name_plural = "رخدادهای محدودیت"
        indexes = [
            models.Index(fields=["kind", "key", "at"], name="accounts_event_kind_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.at:%Y-%m-%d %H:%M}"
