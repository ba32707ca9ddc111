"""The forms of a bazaar stall, shared by the booth's panel and the staff pages
(both record stall sales and set stock aside): a product of hers, a quantity
and a price typed with Persian or Latin digits."""

from __future__ import annotations

from django import forms

from marketplace.forms import PersianIntegerField, TomanField


class _StallProductForm(forms.Form):
    stockrecord_id = forms.TypedChoiceField(label="محصول", coerce=int, choices=())

    def __init__(self, *args, products: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stockrecord_id"].choices = products


class StallSaleForm(_StallProductForm):
    quantity = PersianIntegerField(
        label="تعداد", min_value=1, max_value=1000, initial=1
    )
    unit_price = TomanField(
        label="قیمت هر عدد (تومان)",
        required=False,
        help_text="اگر خالی بماند، قیمت غرفه در سایت حساب می‌شود.",
    )


class SetAsideForm(_StallProductForm):
    units = PersianIntegerField(
        label="تعداد کنار گذاشته برای بازارچه",
        min_value=0,
        max_value=100_000,
        help_text="صفر یعنی همه به فروش اینترنتی برگردد.",
    )
