"""The header's basket count (orders.basket.header) and the offer switch
(orders.basket.offers): cheaper than Oscar's load, never wrong.

The count is cached per buyer and per guest basket; every write to a basket or
a line drops it. A guest basket is still merged into the buyer's at login, and
an offer created in the dashboard still applies to the next page."""

import re
from decimal import Decimal

import pytest
from django.core.signing import Signer
from django.urls import reverse

from orders.basket.models import Basket
from tests.factories import SellerFactory, UserFactory, make_product

from .conftest import basket_with

pytestmark = pytest.mark.django_db

#: A page with the layout's header and no basket of its own.
PAGE = "/account/login/"


def header_count(response) -> str:
    match = re.search(r'data-testid="basket-count">([^<]*)<', response.content.decode())
    assert match, "the header shows the basket count"
    return match.group(1)


def add(client, product, quantity=1):
    client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}
    )


@pytest.fixture
def products(db):
    return [
        make_product(seller=SellerFactory(), title=f"دستبافت {i}", num_in_stock=20)
        for i in range(2)
    ]


def test_guest_count_follows_every_change_and_costs_no_query_when_cached(
    client, products, django_assert_num_queries
):
    assert header_count(client.get(PAGE)) == "۰"
    add(client, products[0], 2)
    assert header_count(client.get(PAGE)) == "۲"
    with django_assert_num_queries(0):
        assert header_count(client.get(PAGE)) == "۲"
    add(client, products[1])
    assert header_count(client.get(PAGE)) == "۳"
    line = Basket.objects.get().lines.get(product=products[0])
    client.post(reverse("basket:summary"), {"line": line.pk, "quantity": "۵"})
    assert header_count(client.get(PAGE)) == "۶"
    client.post(reverse("basket:summary"), {"line": line.pk, "remove": "1"})
    assert header_count(client.get(PAGE)) == "۱"


def test_signed_in_count_is_cached_per_buyer_and_dropped_on_write(
    client, products, django_assert_num_queries
):
    buyer = UserFactory()
    client.force_login(buyer)
    # No basket yet: the page does not create one (Oscar's load would).
    assert header_count(client.get(PAGE)) == "۰"
    assert not Basket.objects.filter(owner=buyer).exists()
    add(client, products[0])
    assert header_count(client.get(PAGE)) == "۱"
    client.get(PAGE)
    # session and user only: the count comes from the cache
    with django_assert_num_queries(2):
        assert header_count(client.get(PAGE)) == "۱"
    # A write that bypasses the views (a service, the dashboard) drops it too.
    line = Basket.objects.get(owner=buyer).lines.get()
    line.quantity = 4
    line.save()
    assert header_count(client.get(PAGE)) == "۴"
    Basket.objects.get(owner=buyer).submit()
    assert header_count(client.get(PAGE)) == "۰"


def test_guest_basket_is_merged_into_hers_at_login(client, products):
    buyer = UserFactory()
    basket_with([(products[1], 1)], owner=buyer)
    add(client, products[0], 2)
    assert header_count(client.get(PAGE)) == "۲"
    client.force_login(buyer)
    # Still holding the guest cookie: Oscar's load merges the two and says so.
    assert header_count(client.get(PAGE)) == "۳"
    assert Basket.open.filter(owner=buyer).get().num_items == 3
    assert not Basket.open.filter(owner=None).exists()


def test_other_baskets_and_bad_cookies_never_show_a_count(client, products):
    someone = basket_with([(products[0], 7)])
    # A forged cookie naming her basket is refused (Oscar deletes it).
    client.cookies["oscar_open_basket"] = f"{someone.pk}:forged"
    assert header_count(client.get(PAGE)) == "۰"
    # A signed cookie of a basket already submitted counts nothing either.
    someone.submit()
    client.cookies["oscar_open_basket"] = Signer().sign(someone.pk)
    assert header_count(client.get(PAGE)) == "۰"


def test_without_offers_none_are_looked_up_and_a_new_offer_applies(
    client, products, django_assert_num_queries
):
    from oscar.test.factories import create_offer

    add(client, products[0])
    client.get(reverse("basket:summary"))
    with django_assert_num_queries(3) as ctx:
        client.get(reverse("basket:summary"))
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "offer_conditionaloffer" not in sql and "voucher" not in sql
    # A site offer made in the dashboard applies from the next page on.
    create_offer(name="جشنواره")
    response = client.get(reverse("basket:summary"))
    basket = response.context["basket"]
    assert basket.offer_discounts, "the new offer was applied"
    assert basket.total_excl_tax < basket.total_excl_tax_excl_discounts
    assert basket.total_excl_tax == products[0].stockrecords.get().price * Decimal(
        "0.8"
    )
