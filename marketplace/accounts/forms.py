"""Forms of the account screens: few fields each, Persian messages, no rules.

The fields only turn what was typed into clean values (a normalised phone number,
a six-digit code); whether a code or a password is right is for the services and
the authentication backend to say.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from marketplace.persian import to_persian_digits

from .fields import CodeField, PhoneField

MAX_PASSWORD_LENGTH = 128
MAX_NAME_LENGTH = 150


def _password_widget(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={"autocomplete": autocomplete, "dir": "ltr", "class": "ltr-input"}
    )


class NextForm(forms.Form):
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class PhoneForm(NextForm):
    """Step one of a code login or of signing up."""

    phone = PhoneField()


class CodeForm(forms.Form):
    code = CodeField()


class PasswordLoginForm(NextForm):
    phone = PhoneField()
    password = forms.CharField(
        label="رمز عبور",
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=_password_widget("current-password"),
        error_messages={
            "required": "رمز عبور را وارد کنید.",
            "max_length": "رمز عبور بیش از اندازه بلند است.",
        },
    )


class SignupDetailsForm(forms.Form):
    """The last step of signing up: her name and, if she wants one, a password."""

    name = forms.CharField(
        label="نام و نام خانوادگی",
        max_length=MAX_NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "نام خود را وارد کنید.",
            "max_length": "نام بیش از اندازه بلند است.",
        },
    )
    password = forms.CharField(
        label="رمز عبور (اختیاری)",
        required=False,
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        help_text="اگر رمز نگذارید، هر بار با کد پیامکی وارد می‌شوید.",
        widget=_password_widget("new-password"),
        error_messages={"max_length": "رمز عبور بیش از اندازه بلند است."},
    )

    def __init__(self, *args, phone: str, **kwargs):
        self.phone = phone
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data.get("password") or ""
        if password:
            user = get_user_model()(
                username=self.phone, first_name=self.cleaned_data.get("name", "")
            )
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                raise ValidationError(
                    [_persian(error) for error in exc.error_list]
                ) from exc
        return password


# Django's Persian catalogue misses some validator messages (the "too short" one
# comes out in English), so the known ones are ours.
PASSWORD_MESSAGES = {
    "password_too_short": "رمز عبور کوتاه است؛ دست‌کم {min_length} نویسه بنویسید.",
    "password_too_common": "این رمز عبور بسیار رایج است؛ رمز دیگری انتخاب کنید.",
    "password_entirely_numeric": "رمز عبور نباید فقط از رقم تشکیل شود.",
    "password_too_similar": "رمز عبور به اطلاعات حساب شما بسیار شبیه است.",
}


def _persian(error: ValidationError) -> str:
    template = PASSWORD_MESSAGES.get(error.code)
    if template is None:
        return to_persian_digits(" ".join(error.messages))
    return to_persian_digits(template.format(**(error.params or {})))


class AccountForm(forms.Form):
    """Her name, and a new password (with the old one, if she has one)."""

    name = forms.CharField(
        label="نام و نام خانوادگی",
        max_length=MAX_NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "نام خود را وارد کنید."},
    )
    current_password = forms.CharField(
        label="رمز عبور فعلی",
        required=False,
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=_password_widget("current-password"),
    )
    new_password = forms.CharField(
        label="رمز عبور تازه (اختیاری)",
        required=False,
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        help_text="خالی بگذارید تا رمز عوض نشود.",
        widget=_password_widget("new-password"),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["current_password"]

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password") or ""
        if password:
            try:
                validate_password(password, user=self.user)
            except ValidationError as exc:
                raise ValidationError(
                    [_persian(error) for error in exc.error_list]
                ) from exc
        return password

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password")
            and "current_password" in self.fields
            and not self.user.check_password(data.get("current_password") or "")
        ):
            self.add_error("current_password", "رمز عبور فعلی درست نیست.")
        return data


class StaffOtpForm(NextForm):
    """The six-digit code of her authenticator app."""

    token = CodeField(label="کد برنامهٔ رمز دوم")
