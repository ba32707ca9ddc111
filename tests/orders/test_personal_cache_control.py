"""Issue 24 §1.5: personal pages said nothing about caching, so a browser's disk
cache or a shared proxy could keep a buyer's order and address or a booth's
inbox and bank details. Every one of them answers `Cache-Control: private,
no-store` (marketplace.personal_pages); public pages stay cacheable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.notifications import buyer_link_token
from orders.services import BuyerData
from tests.factories import UserFactory
from tests.orders.conftest import basket_with, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(order_booth, product):
    buyer = UserFactory(username="+989351112233")
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone="+989351112233"),
    )
    return order, buyer


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d}


def buyer_urls(order) -> list[str]:
    return [
        reverse("orders:history"),
        reverse("orders:detail", args=[order.number]),
        reverse("orders:addresses"),
    ]


def panel_urls(seller, part) -> list[str]:
    return [
        reverse("orders_panel:inbox", args=[seller.pk]),
        reverse("orders_panel:part", args=[seller.pk, part.pk]),
        reverse("orders_panel:slip", args=[seller.pk, part.pk]),
        reverse("orders_panel:ledger", args=[seller.pk]),
        reverse("panel:payout", args=[seller.pk]),
    ]


def test_her_order_pages_are_private_and_not_stored(client, placed):
    order, buyer = placed
    client.force_login(buyer)
    for url in buyer_urls(order):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url


def test_the_guest_link_is_private_and_not_stored(client, placed):
    order, _ = placed
    response = client.get(reverse("orders:track", args=[buyer_link_token(order)]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_the_panel_pages_are_private_and_not_stored(client, order_booth, placed):
    seller, owner = order_booth
    order, _ = placed
    client.force_login(owner)
    for url in panel_urls(seller, order.seller_orders.get()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url


def test_a_redirect_to_log_in_from_a_personal_page_is_not_stored(client, placed):
    order, _ = placed
    response = client.get(reverse("orders:detail", args=[order.number]))
    assert response.status_code == 302
    assert {"private", "no-store"} <= directives(response)


def test_public_pages_stay_in_the_anonymous_page_cache(
    client, product, page_cache, django_assert_num_queries
):
    url = product.get_absolute_url()
    first = client.get(url)
    assert "no-store" not in directives(first)
    assert "private" not in directives(first)
    client.cookies.clear()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
