from functools import lru_cache

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from marketplace.forms import DISTRICT_CHOICES, TomanField

from .models import Product
from .selectors import DEFAULT_SORT, SORTS, ProductFilters

SORT_CHOICES = [
    ("newest", "جدیدترین"),
    ("price_asc", "ارزان‌ترین"),
    ("price_desc", "گران‌ترین"),
]
assert {key for key, _ in SORT_CHOICES} == set(SORTS)  # noqa: S101


class ProductFilterForm(forms.Form):
    """The filters and sort of a product listing. Invalid input shows a message and
    the unfiltered list; it never breaks the page."""

    min_price = TomanField(required=False, label="از قیمت (تومان)")
    max_price = TomanField(required=False, label="تا قیمت (تومان)")
    district = forms.TypedChoiceField(
        choices=DISTRICT_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        label="منطقه",
    )
    fulfilment = forms.ChoiceField(
        choices=[("", "همه")] + list(Product.Fulfilment.choices),
        required=False,
        label="آماده یا سفارشی",
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label="مرتب‌سازی")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError("حداقل قیمت نباید از حداکثر قیمت بیشتر باشد.")
        return data

    def to_filters(self) -> ProductFilters:
        if not self.is_valid():
            return ProductFilters()
        data = self.cleaned_data
        return ProductFilters(
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            district=data.get("district"),
            fulfilment=data.get("fulfilment") or None,
            sort=data.get("sort") or DEFAULT_SORT,
        )


@lru_cache(maxsize=512)
def _filter_form_state(
    items: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[ProductFilters, str]:
    data = QueryDict(mutable=True)
    for name, values in items:
        data.setlist(name, list(values))
    form = ProductFilterForm(data or None)
    html = render_to_string("partials/filter_form.html", {"filter_form": form})
    return form.to_filters(), html


def filter_form_state(query: QueryDict) -> tuple[ProductFilters, SafeString]:
    """What a listing's query string asks for, and the filter form's HTML for it.

    Both are a pure function of the form's own fields' values (the choices are
    fixed), so they are kept per process for the last 512 distinct queries:
    building the form deep-copies its fields and rendering five widgets through
    Django's form renderer costs more than the rest of a listing's template.
    Other parameters (the page number) do not count.
    """
    items = tuple(
        sorted(
            (name, tuple(values))
            for name, values in query.lists()
            if name in ProductFilterForm.base_fields
        )
    )
    filters, html = _filter_form_state(items)
    return filters, mark_safe(html)  # noqa: S308
