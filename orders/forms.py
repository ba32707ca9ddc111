"""Forms of the staff order pages, and the buyer's request for her order link."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from marketplace.accounts.fields import PhoneField
from marketplace.forms import PersianDateField, TomanField
from marketplace.persian import format_jalali_numeric, to_latin_digits

POSITIVE_RATE = "نرخ را به تومان و با عدد مثبت بنویسید."


class LinkResendForm(forms.Form):
    """Her mobile and the order number from her SMS (Persian or Latin digits)."""

    phone = PhoneField(help_text="شماره‌ای که سفارش را با آن ثبت کرده‌اید.")
    number = forms.CharField(
        label="شمارهٔ سفارش",
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        error_messages={"required": "شمارهٔ سفارش را وارد کنید."},
    )

    def clean_number(self) -> str:
        return to_latin_digits(self.cleaned_data["number"]).strip()


class ExchangeRateForm(forms.Form):
    """Toman per unit of the card currency, and the Jalali date of the rate
    (Persian or Latin digits). The amount is parsed by `TomanField` and cleans
    to rials (toman ↔ rial lives in `marketplace.persian`)."""

    toman = TomanField(
        label="تومان به ازای هر واحد ارز",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "dir": "ltr", "maxlength": 16}
        ),
        error_messages={"invalid": POSITIVE_RATE, "required": POSITIVE_RATE},
    )
    effective_on = PersianDateField(
        label="تاریخ نرخ (مثلاً ۱۴۰۵/۰۹/۱۰)",
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        error_messages={
            "invalid": "تاریخ را به شکل سال/ماه/روز شمسی بنویسید، مثلاً ۱۴۰۵/۰۹/۱۰."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = format_jalali_numeric(
            timezone.localdate()
        )

    def clean_toman(self) -> int:
        """Rials per unit (the field typed in toman)."""
        rials = self.cleaned_data["toman"]
        if not rials or rials <= 0:
            raise forms.ValidationError(POSITIVE_RATE)
        return rials

    def clean_effective_on(self) -> dt.date:
        date = self.cleaned_data["effective_on"]
        if date > timezone.localdate():
            raise forms.ValidationError("تاریخ نرخ نمی‌تواند در آینده باشد.")
        return date
