"""Forms of the staff order pages, and the buyer's request for her order link."""

from __future__ import annotations

import datetime as dt

import jdatetime
from django import forms
from django.utils import timezone

from marketplace.accounts.fields import PhoneField
from marketplace.persian import format_jalali_numeric, to_latin_digits


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
    (Persian or Latin digits)."""

    toman = forms.CharField(
        label="تومان به ازای هر واحد ارز",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    effective_on = forms.CharField(
        label="تاریخ نرخ (مثلاً ۱۴۰۵/۰۹/۱۰)",
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = format_jalali_numeric(
            timezone.localdate()
        )

    def clean_toman(self) -> int:
        raw = to_latin_digits(self.cleaned_data["toman"]).replace(",", "")
        raw = raw.replace("٬", "").strip()
        if not raw.isdigit() or int(raw) <= 0:
            raise forms.ValidationError("نرخ را به تومان و با عدد مثبت بنویسید.")
        return int(raw)

    def clean_effective_on(self) -> dt.date:
        raw = to_latin_digits(self.cleaned_data["effective_on"]).strip()
        try:
            year, month, day = (int(x) for x in raw.replace("-", "/").split("/"))
            date = jdatetime.date(year, month, day).togregorian()
        except (ValueError, TypeError):
            raise forms.ValidationError(
                "تاریخ را به شکل سال/ماه/روز شمسی بنویسید، مثلاً ۱۴۰۵/۰۹/۱۰."
            ) from None
        if date > timezone.localdate():
            raise forms.ValidationError("تاریخ نرخ نمی‌تواند در آینده باشد.")
        return date
