"""Form fields for a mobile number and a one-time code (core layer: the log-in
screens and the checkout both use them, and the checkout, in `orders`, may not
import the log-in screens' forms). They only turn what was typed into clean
values; whether a code is right is for `marketplace.accounts.services`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from marketplace.persian import to_latin_digits, to_persian_digits

from .phone import InvalidPhoneNumber, format_phone_for_input, normalize_phone

#: Digits in a one-time code (the services generate them, `CodeField` checks them).
OTP_LENGTH = 6
CODE_MESSAGE = f"کد {to_persian_digits(OTP_LENGTH)} رقمی پیامک‌شده را وارد کنید."


class PhoneField(forms.CharField):
    """Cleans to `+989xxxxxxxxx`, or says in Persian what is wrong with the input."""

    widget = forms.TextInput(
        attrs={
            "type": "tel",
            "inputmode": "tel",
            "autocomplete": "tel",
            "dir": "ltr",
            "placeholder": "۰۹۱۲ ۱۲۳ ۴۵۶۷",
            "class": "ltr-input",
        }
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "شماره موبایل")
        kwargs.setdefault("strip", True)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.error_messages["required"] = "شماره موبایل را وارد کنید."

    def prepare_value(self, value):
        # A number we hold is `+989…`; she writes and reads `۰۹۱۲…`.
        if isinstance(value, str) and value:
            return format_phone_for_input(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalize_phone(value)
        except InvalidPhoneNumber as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


class CodeField(forms.CharField):
    """The six-digit code, typed with Latin, Persian or Arabic digits."""

    widget = forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "dir": "ltr",
            "placeholder": "------",
            "class": "ltr-input code-input",
        }
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "کد تأیید")
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.error_messages["required"] = CODE_MESSAGE

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        code = "".join(to_latin_digits(value).split()).replace("-", "")
        if len(code) != OTP_LENGTH or not (code.isascii() and code.isdigit()):
            raise ValidationError(CODE_MESSAGE, code="invalid")
        return code
