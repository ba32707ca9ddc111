"""Browser helper: a staff member passes her TOTP second factor (issue 11)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.phone import normalize_phone


def pass_staff_second_factor(page, phone: str) -> None:
    """On the second-factor page she reaches after her password, type the code
    her authenticator app would show. Enrolling needs an SMS code as well
    (tests/accounts/test_staff_enrolment.py), so a first-time user gets a
    confirmed device here, as if an administrator had added it."""
    page.wait_for_url("**/account/staff/second-factor/**")
    user = get_user_model().objects.get(username=normalize_phone(phone))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="browser", confirmed=True)
        page.reload()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("کد برنامهٔ رمز دوم").fill(f"{code:06d}")
    page.get_by_role("button", name="تأیید").click()
