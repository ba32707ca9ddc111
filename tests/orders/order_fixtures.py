"""Order fixtures more than one test folder uses, registered once for the whole
suite as a pytest plugin (`pytest_plugins` in tests/conftest.py): the booths that
take orders (orders and bazaars tests), the staff member who works the order
pages, and a guest's order paid by card. The booths come from `make_booth` and
the order from `place` (tests/orders/conftest.py), whose autouse fixtures load
the provinces the booths need."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.factories import StaffFactory, make_product


@pytest.fixture
def order_booth(db):
    """An approved Tehran booth that takes orders: courier, post and Kowsar-centre
    pickup (`make_booth`)."""
    from tests.orders.conftest import make_booth

    return make_booth("+989121111111", name="چرم نیلوفر")


@pytest.fixture
def booth2(db):
    """A second such booth, for orders from two booths."""
    from tests.orders.conftest import make_booth

    return make_booth("+989122222222", name="شیرینی مهر")


@pytest.fixture
def booth3(db):
    from tests.orders.conftest import make_booth

    return make_booth("+989123333333", name="گلیم سارا")


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
def card_order(stripe_mock, order_booth, booth2, product):
    """A guest's order from two booths, both parts paid by card, with its
    PaymentIntent created at stripe-mock: (order, the payment start)."""
    from tests.orders.conftest import basket_with, place
    from tests.orders.stripe_helpers import set_rate, start

    set_rate()
    cake = make_product(seller=booth2[0], title="کیک خانگی", num_in_stock=3)
    order = place(basket_with([(product, 2), (cake, 1)]), method="card")
    return order, start(order)
