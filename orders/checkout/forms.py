"""Checkout forms: few fields, Persian messages, Persian or Latin digits."""

from __future__ import annotations

from django import forms

from marketplace.accounts.fields import CodeField, PhoneField
from marketplace.forms import DISTRICTS
from marketplace.persian import to_latin_digits
from sellers.fields import ProvinceField
from sellers.selectors import province_tehran


class GuestForm(forms.Form):
    name = forms.CharField(
        label="نام و نام خانوادگی",
        max_length=128,
        error_messages={"required": "نام خود را بنویسید."},
    )
    phone = PhoneField(help_text="کد تأیید به این شماره پیامک می‌شود.")
    email = forms.EmailField(
        label="ایمیل (اختیاری)",
        required=False,
        error_messages={"invalid": "نشانی ایمیل درست نیست."},
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    code = CodeField()


DISTRICT_OPTIONS = [("", "انتخاب منطقه"), *DISTRICTS]


class AddressForm(forms.Form):
    province = ProvinceField(
        label="استان",
        empty_label="انتخاب استان",
        error_messages={
            "required": "استان را انتخاب کنید.",
            "invalid_choice": "استان را از فهرست انتخاب کنید.",
        },
    )
    city = forms.CharField(
        label="شهر", max_length=64, error_messages={"required": "شهر را بنویسید."}
    )
    district = forms.TypedChoiceField(
        label="منطقهٔ شهرداری (فقط تهران)",
        choices=DISTRICT_OPTIONS,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "منطقه را از فهرست انتخاب کنید."},
    )
    neighbourhood = forms.CharField(label="محله", max_length=64, required=False)
    street = forms.CharField(
        label="نشانی (خیابان، کوچه، پلاک، واحد)",
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "نشانی را بنویسید."},
    )
    postcode = forms.CharField(
        label="کد پستی ۱۰ رقمی",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        error_messages={"required": "کد پستی را بنویسید."},
    )
    recipient_name = forms.CharField(
        label="نام گیرنده",
        max_length=128,
        error_messages={"required": "نام گیرنده را بنویسید."},
    )
    recipient_phone = PhoneField(label="موبایل گیرنده")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tehran = province_tehran()
        if tehran is not None and not self.is_bound:
            self.fields["province"].initial = tehran.pk
            self.fields["city"].initial = "تهران"

    def clean_postcode(self):
        code = "".join(to_latin_digits(self.cleaned_data["postcode"]).split())
        code = code.replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == 10):
            raise forms.ValidationError("کد پستی باید ۱۰ رقم باشد.")
        return code

    def clean(self):
        data = super().clean()
        province = data.get("province")
        if province is not None and not province.is_tehran:
            data["district"] = None
        elif (
            province is not None
            and not data.get("district")
            and "district" not in self.errors
        ):
            self.add_error("district", "منطقهٔ تهران را انتخاب کنید.")
        for key in ("city", "neighbourhood", "street", "recipient_name"):
            if isinstance(data.get(key), str):
                data[key] = " ".join(data[key].split())
        return data


class SaveAddressForm(forms.Form):
    save_address = forms.BooleanField(
        label="این نشانی را برای دفعهٔ بعد نگه دار", required=False
    )
