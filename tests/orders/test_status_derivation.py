"""The parent order's status is derived from its parts by one function: checked
here over every combination of part statuses for one, two and three parts, against
a table written independently (by counting), and kept in sync by every transition."""

import itertools

import pytest

from orders.models import SellerOrder
from orders.status import OrderStatus, order_status_derive

STATUSES = [s.value for s in SellerOrder.Status]


def expected(statuses):
    counts = {s: statuses.count(s) for s in STATUSES}
    n = len(statuses)
    live = n - counts["cancelled"]
    if live == 0:
        return OrderStatus.CANCELLED
    if counts["delivered"] == live:
        return OrderStatus.COMPLETED
    if counts["awaiting_payment"] == live:
        return OrderStatus.AWAITING_PAYMENT
    if counts["new"] + counts["awaiting_payment"] == live:
        return OrderStatus.NEW
    return OrderStatus.IN_PROGRESS


COMBINATIONS = [
    combo for size in (1, 2, 3) for combo in itertools.product(STATUSES, repeat=size)
]


def test_every_combination_is_covered():
    assert len(COMBINATIONS) == 7 + 49 + 343


@pytest.mark.parametrize("statuses", COMBINATIONS, ids="-".join)
def test_derivation_table(statuses):
    assert order_status_derive(statuses) == expected(list(statuses))
    # order of the parts never matters
    assert order_status_derive(reversed(statuses)) == order_status_derive(statuses)


def test_no_parts_is_an_error():
    with pytest.raises(ValueError):
        order_status_derive([])


def test_spot_checks():
    assert order_status_derive(["cancelled", "delivered"]) == "completed"
    assert order_status_derive(["new", "cancelled", "new"]) == "new"
    assert order_status_derive(["new", "accepted"]) == "in_progress"
    assert order_status_derive(["cancelled"] * 3) == "cancelled"
    assert order_status_derive(["delivered", "shipped"]) == "in_progress"
    assert order_status_derive(["awaiting_payment"]) == "awaiting_payment"
    assert order_status_derive(["awaiting_payment", "new"]) == "new"
    assert order_status_derive(["awaiting_payment", "cancelled"]) == (
        "awaiting_payment"
    )
