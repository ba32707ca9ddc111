"""A deploy check: production must not write one-time codes to the console."""

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
    return []
