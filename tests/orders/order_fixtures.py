"""Order fixtures more than one test module uses, registered once for the whole
suite as a pytest plugin (`pytest_plugins` in tests/conftest.py): the staff
member who works the order pages, and a guest's order paid by card. They build
on the fixtures of tests/orders/conftest.py (`booth`, `booth2`, `product`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.factories import StaffFactory, make_product


@pytest.fixture
def staff(db):
    """Staff with the order pages' permissions (`order.change_order`, which
    `orders.permissions.can_manage_orders` asks, and `order.view_order`)."""
    user = StaffFactory(username="+989120000009")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_order", "view_order"])
    )
    return user


@pytest.fixture
def card_order(stripe_mock, booth, booth2, product):
    """A guest's order from two booths, both parts paid by card, with its
    PaymentIntent created at stripe-mock: (order, the payment start)."""
    from tests.orders.conftest import basket_with, place
    from tests.orders.stripe_helpers import set_rate, start

    set_rate()
    cake = make_product(seller=booth2[0], title="کیک خانگی", num_in_stock=3)
    order = place(basket_with([(product, 2), (cake, 1)]), method="card")
    return order, start(order)
