"""The checkout's province list comes from the cache (no query per page) and
follows any change to a province at once."""

from __future__ import annotations

import pytest

from orders.checkout.forms import AddressForm
from sellers.models import Province
from sellers.selectors import province_list

from .checkout_helpers import address_data

pytestmark = pytest.mark.django_db


def test_the_form_lists_every_province_without_a_query_once_cached(
    django_assert_num_queries,
):
    province_list()
    with django_assert_num_queries(0):
        html = str(AddressForm()["province"])
    assert html.count("<option") == Province.objects.count() + 1
    tehran = Province.objects.get(code=Province.TEHRAN_CODE)
    assert f'<option value="{tehran.pk}" selected>تهران</option>' in html


def test_a_province_cleans_to_its_row_and_a_made_up_one_is_refused_in_persian():
    isfahan = Province.objects.get(code="IR-10")
    isfahan_address = address_data(city="اصفهان", district="")
    form = AddressForm(data={**isfahan_address, "province": str(isfahan.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["province"] == isfahan
    assert form.cleaned_data["district"] is None
    form = AddressForm(data={**isfahan_address, "province": "99999"})
    assert not form.is_valid()
    assert form.errors["province"] == ["استان را از فهرست انتخاب کنید."]
    form = AddressForm(data={**isfahan_address, "province": ""})
    assert form.errors["province"] == ["استان را انتخاب کنید."]


def test_renaming_a_province_shows_in_the_next_form():
    province_list()
    isfahan = Province.objects.get(code="IR-10")
    isfahan.name = "اصفهانِ نو"
    isfahan.save()
    assert "اصفهانِ نو" in str(AddressForm()["province"])
