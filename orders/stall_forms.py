"""The forms of a bazaar stall, shared by the booth's panel and the staff pages
(both record stall sales and set stock aside): a product of hers, a quantity
and a price typed with Persian or Latin digits."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from catalog.services import MAX_PRICE_RIALS
from marketplace.forms import PersianIntegerField, TomanField, add_service_errors
from sellers.services import bazaar_set_aside

from .stalls import stall_products, stall_sale_record


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
        # A stall price is held to what a listed price may be.
        max_rials=MAX_PRICE_RIALS,
        help_text="اگر خالی بماند، قیمت غرفه در سایت حساب می‌شود.",
    )


class SetAsideForm(_StallProductForm):
    units = PersianIntegerField(
        label="تعداد کنار گذاشته برای بازارچه",
        min_value=0,
        max_value=100_000,
        help_text="صفر یعنی همه به فروش اینترنتی برگردد.",
    )


def stall_form_submit(data, *, stall, actor):
    """A stall page's POST, for her panel and for staff alike: `op=set_aside`
    changes the units she holds for the bazaar, anything else records a sale.

    Returns `(done, sale_form, aside_form)`. `done` is the Persian message of a
    write that succeeded; otherwise the posted form comes back bound, with the
    service's refusal on it, and nothing was written."""
    products = stall_products(stall)
    if data.get("op") == "set_aside":
        form = SetAsideForm(data, products=products)
        if form.is_valid():
            try:
                bazaar_set_aside(stall=stall, actor=actor, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return "موجودی بازارچه ثبت شد.", None, None
        return None, None, form
    form = StallSaleForm(data, products=products)
    if form.is_valid():
        try:
            sale = stall_sale_record(stall=stall, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return f"فروش «{sale.title}» ثبت شد.", None, None
    return None, form, None
