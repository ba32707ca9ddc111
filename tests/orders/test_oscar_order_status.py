"""Issue 24 §1.4: Oscar's anonymous order-status pages still answered: the
status URL led to Oscar's untranslated e-mail form and, with a valid hash and
the guest's e-mail, showed her order and address. Guests follow their order at
/orders/t/<token>/; Oscar's pages are closed like its other account pages."""

from __future__ import annotations

import pytest

from tests.orders.conftest import basket_with, guest, place

pytestmark = pytest.mark.django_db


def test_oscar_order_status_is_closed_even_with_a_valid_hash(client, product):
    order = place(basket_with([(product, 1)]), buyer=guest(email="maryam@example.com"))
    valid = order.verification_hash()
    for url in (
        f"/accounts/order-status/{order.number}/{valid}/",
        f"/accounts/order-status-form/{order.number}/{valid}/",
    ):
        for response in (
            client.get(url),
            client.post(url, {"email_address": "maryam@example.com"}),
        ):
            assert response.status_code == 404
            assert "یوسف‌آباد" not in response.content.decode()
