"""Deploy checks: production must not write one-time codes to the console, nor let
staff in without their second factor."""

from django.conf import settings
from django.core import checks

from .sms import DEFAULT_BACKEND

DEV_BACKENDS = {
    "marketplace.accounts.sms.ConsoleSmsBackend",
    "marketplace.accounts.sms.RecordingSmsBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_sms_backend(app_configs, **kwargs):
    backend = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    if backend in DEV_BACKENDS:
        return [
            checks.Warning(
                f"SMS_BACKEND is {backend}: one-time codes never reach anyone's phone.",
                hint="Set SMS_BACKEND to a real SMS gateway backend in production.",
                id="accounts.W001",
            )
        ]
    if backend == "marketplace.accounts.sms.HttpGatewaySmsBackend" and not str(
        getattr(settings, "SMS_GATEWAY_URL", "")
    ).startswith("https://"):
        return [
            checks.Warning(
                "SMS_GATEWAY_URL is not an https:// URL.",
                hint="Set SMS_GATEWAY_URL (and SMS_GATEWAY_TOKEN) for the SMS gateway.",
                id="accounts.W002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_staff_second_factor(app_configs, **kwargs):
    """Production never lets staff in without the TOTP second factor."""
    errors = []
    if getattr(settings, "STAFF_OTP_DEMO_BYPASS", False):
        errors.append(
            checks.Error(
                "STAFF_OTP_DEMO_BYPASS is on: staff pages open without a second factor.",
                hint="It is for `make run` only; production settings force it off.",
                id="accounts.E003",
            )
        )
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    needed = [
        "django_otp.middleware.OTPMiddleware",
        "marketplace.accounts.staff.StaffSecurityMiddleware",
    ]
    if any(name not in middleware for name in needed):
        errors.append(
            checks.Error(
                "The staff second factor is not enforced (middleware missing).",
                hint=f"MIDDLEWARE must contain {', '.join(needed)}.",
                id="accounts.E004",
            )
        )
    return errors
