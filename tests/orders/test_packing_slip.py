"""A part that will not ship has no packing slip: no link, and its address is a
404 (issue 24 §3.4)."""

import pytest
from django.urls import reverse

from orders.services import seller_order_transition

from .conftest import basket_with, place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "party", "data"),
    [
        ("decline", "seller", {"note": "مواد اولیه تمام شده است"}),
        ("cancel", "buyer", {}),
    ],
)
def test_a_part_that_will_not_ship_has_no_slip(
    client, order_booth, product, action, party, data
):
    seller, owner = order_booth
    part = place(basket_with([(product, 1)])).seller_orders.get()
    client.force_login(owner)
    page = reverse("orders_panel:part", args=[seller.pk, part.pk])
    slip = reverse("orders_panel:slip", args=[seller.pk, part.pk])
    assert 'data-testid="slip-link"' in client.get(page).content.decode()
    assert client.get(slip).status_code == 200

    seller_order_transition(seller_order=part, action=action, party=party, **data)
    part.refresh_from_db()
    assert part.status == "cancelled"
    assert 'data-testid="slip-link"' not in client.get(page).content.decode()
    assert client.get(slip).status_code == 404
