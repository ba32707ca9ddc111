"""The checkout and the log-in screens share one mobile field and one code field
(`marketplace.accounts.fields`, core layer), not copies."""

from __future__ import annotations

import pytest

from marketplace.accounts import fields
from marketplace.accounts import forms as account_forms
from orders.checkout import forms as checkout_forms


def test_checkout_and_log_in_use_the_same_fields():
    assert checkout_forms.PhoneField is fields.PhoneField
    assert checkout_forms.CodeField is fields.CodeField
    assert account_forms.PhoneField is fields.PhoneField
    assert account_forms.CodeField is fields.CodeField
    for form in (checkout_forms.GuestForm, checkout_forms.CodeForm):
        for field in form.base_fields.values():
            if "Phone" in type(field).__name__ or "Code" in type(field).__name__:
                assert type(field).__module__ == fields.__name__


@pytest.mark.parametrize(
    ("typed", "clean"),
    [("۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567"), ("00989121234567", "+989121234567")],
)
def test_the_guest_form_takes_persian_digits(typed, clean):
    form = checkout_forms.GuestForm(data={"name": "مریم", "phone": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == clean


def test_the_code_field_says_what_is_wrong_in_persian():
    field = fields.CodeField()
    assert field.clean("۱۲۳-۴۵۶") == "123456"
    with pytest.raises(Exception, match="کد ۶ رقمی"):
        field.clean("12")
