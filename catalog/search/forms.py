"""The search page's query string, read into a `SearchQuery`. Anything a person
can type is accepted: what is not understood is ignored, never a 500."""

from __future__ import annotations

from django import forms

from catalog.forms import TomanField
from catalog.models import Product
from marketplace.forms import DISTRICT_CHOICES
from sellers.models import Seller

from .base import PRICE_BUCKET_KEYS, SearchQuery, province_names, region_of

MAX_QUERY_LENGTH = 200
MAX_PAGE = 400
PAGE_SIZE = 24

SORT_CHOICES = [
    ("relevance", "مرتبط‌ترین"),
    ("newest", "جدیدترین"),
    ("price_asc", "ارزان‌ترین"),
    ("price_desc", "گران‌ترین"),
]


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="جست‌وجو", strip=True)
    category = forms.RegexField(regex=r"^[0-9A-Za-z]{4,40}$", required=False)
    district = forms.TypedChoiceField(
        choices=DISTRICT_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    # Province codes (ISO 3166-2:IR), checked against `province_names` in
    # `clean` (cheaper than a ChoiceField's 31 choices copied per request).
    province = forms.CharField(required=False, max_length=8, label="استان غرفه")
    # "Ships to my city": where the buyer is (her province decides, by the
    # delivery rule, which booths deliver there; the city is named back to her).
    ships_to = forms.CharField(required=False, max_length=8, label="استان شما")
    city = forms.CharField(required=False, max_length=64, strip=True, label="شهر شما")
    price = forms.ChoiceField(
        choices=[(key, key) for key in PRICE_BUCKET_KEYS], required=False
    )
    min_price = TomanField(required=False, label="از (تومان)")
    max_price = TomanField(required=False, label="تا (تومان)")
    fulfilment = forms.ChoiceField(choices=Product.Fulfilment.choices, required=False)
    kind = forms.ChoiceField(choices=Seller.Kind.choices, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label="مرتب‌سازی")
    page = forms.IntegerField(required=False, min_value=1)

    def query(self) -> SearchQuery:
        """The query, from the fields that are valid (the rest are dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        page = min(data.get("page") or 1, MAX_PAGE)
        return SearchQuery(
            text=(data.get("q") or "")[:MAX_QUERY_LENGTH],
            category_path=data.get("category") or "",
            district=data.get("district"),
            province=data.get("province") or "",
            ships_to=region_of(data["ships_to"]) if data.get("ships_to") else "",
            price_bucket=data.get("price") or "",
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            fulfilment=data.get("fulfilment") or "",
            seller_kind=data.get("kind") or "",
            sort=data.get("sort") or "",
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    def _clean_province(self, name: str) -> str:
        code = self.cleaned_data.get(name) or ""
        if code and code not in province_names():
            raise forms.ValidationError("این استان را نمی‌شناسیم.")
        return code

    def clean_province(self) -> str:
        return self._clean_province("province")

    def clean_ships_to(self) -> str:
        return self._clean_province("ships_to")

    def clean(self):
        data = super().clean()
        # Bad input in one field drops that field only.
        for name in list(self.errors):
            data.pop(name, None)
        return data
