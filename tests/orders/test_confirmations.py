"""Cancelling or declining a part takes a second, deliberate tap, without
JavaScript: the real submit button sits inside a closed `<details>` (issue 24 §3.3)."""

import re

import pytest
from django.urls import reverse

from orders.notifications import buyer_link_token
from orders.services import BuyerData
from tests.factories import UserFactory

from .conftest import basket_with, place

pytestmark = pytest.mark.django_db


def _inside_closed_details(body: str, confirm_id: str, button_id: str) -> None:
    """The button is in the page only inside its closed confirmation."""
    assert body.count(f'data-testid="{button_id}"') == 1
    block = re.search(
        rf'<details class="confirm" data-testid="{confirm_id}">(.*?)</details>',
        body,
        re.DOTALL,
    )
    assert block is not None, f"{button_id} has no confirmation step"
    assert f'data-testid="{button_id}"' in block.group(1)
    assert "<summary>" in block.group(1) and 'type="submit"' in block.group(1)


def test_the_buyer_confirms_before_a_part_is_cancelled(client, product):
    buyer = UserFactory(username="+989351110002")
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone=buyer.username, email=""),
    )
    client.force_login(buyer)
    body = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    _inside_closed_details(body, "buyer-cancel-confirm", "buyer-cancel")
    assert "بله، این بخش لغو شود" in body


def test_the_guest_confirms_before_a_part_is_cancelled(client, product):
    order = place(basket_with([(product, 1)]))
    body = client.get(
        reverse("orders:track", args=[buyer_link_token(order)])
    ).content.decode()
    _inside_closed_details(body, "buyer-cancel-confirm", "buyer-cancel")


def test_the_seller_confirms_before_she_declines(client, order_booth, product):
    seller, owner = order_booth
    part = place(basket_with([(product, 1)])).seller_orders.get()
    client.force_login(owner)
    body = client.get(
        reverse("orders_panel:part", args=[seller.pk, part.pk])
    ).content.decode()
    _inside_closed_details(body, "decline-confirm", "action-decline")
    # the other actions stay one tap
    assert body.count("<details") == 1
