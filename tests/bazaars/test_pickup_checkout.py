"""Pickup at a bazaar in checkout: offered for a booth while a bazaar she has a
stall at runs (and only then), free, paid at pickup; the order's part says where."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Order
from orders.services import PartChoice
from sellers import services
from sellers.models import Bazaar, BazaarStall
from tests.factories import make_product
from tests.orders.checkout_helpers import address_data, guest_through_who
from tests.orders.conftest import basket_with, place

from .conftest import make_bazaar

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_buyer_picks_up_at_the_running_bazaar_and_pays_there(
    client, order_booth, booth2, stall
):
    seller, _ = order_booth
    product = make_product(seller=seller, title="کیف چرمی")
    other = make_product(seller=booth2[0], title="شیرینی")
    for item in (product, other):
        client.post(reverse("basket:add", kwargs={"pk": item.pk}), {"quantity": 1})
    guest_through_who(client)
    client.post(reverse("checkout:shipping-address"), address_data())
    page = client.get(reverse("checkout:payment-method")).content.decode()
    # Her part offers the bazaar; the other booth (no stall) does not.
    assert page.count('data-testid="offer-bazaar_pickup"') == 1
    assert 'value="bazaar_pickup:pickup"' in page
    assert (
        "بازارچه دستاوردهای زنان شهر تهران – منطقه ۶، بوستان لاله، ضلع شمالی"
        " — جایگاه ۱۲، ساعت ۱۰ تا ۲۰" in page
    )
    client.post(
        reverse("checkout:payment-method"),
        {
            f"part-{seller.pk}": "bazaar_pickup:pickup",
            f"part-{booth2[0].pk}": "post:cod",
        },
    )
    review = client.get(reverse("checkout:preview")).content.decode()
    assert "محل تحویل: بازارچه دستاوردهای زنان شهر تهران – منطقه ۶" in review
    client.post(reverse("checkout:place"))
    order = Order.objects.get()
    part = order.seller_orders.get(seller=seller)
    assert (part.delivery_kind, part.payment_method, part.delivery_fee) == (
        "bazaar_pickup",
        "pickup",
        Decimal(0),
    )
    assert part.is_pickup and part.seller_holds_cash
    assert "جایگاه ۱۲" in part.pickup_address


def test_no_bazaar_pickup_before_or_after_the_bazaar(order_booth):
    seller, _ = order_booth
    product = make_product(seller=seller)
    coming = make_bazaar(starts_in=3)
    past = make_bazaar(starts_in=-9, days=2)
    for bazaar in (coming, past):
        BazaarStall.objects.create(bazaar=bazaar, seller=seller, stall_number="1")
    from orders.parts import basket_parts

    parts = basket_parts(basket_with([(product, 1)]))
    assert "bazaar_pickup" not in [c.kind for c in parts[0].options]
    # Placing it anyway (a stale form) is refused under the locks.
    from orders.services import PlacementError

    with pytest.raises(PlacementError):
        place(
            basket_with([(product, 1)]),
            choices={seller.pk: PartChoice("bazaar_pickup", "pickup")},
        )


def test_pickup_appears_when_staff_assign_the_stall(
    order_booth, bazaar, bazaar_staff, django_capture_on_commit_callbacks
):
    """The offer is cached per day; assigning a stall drops the cache."""
    from orders.parts import basket_parts

    seller, _ = order_booth
    product = make_product(seller=seller)

    def kinds():
        parts = basket_parts(basket_with([(product, 1)]))
        return [choice.kind for choice in parts[0].options]

    assert "bazaar_pickup" not in kinds()  # now cached for today
    with django_capture_on_commit_callbacks(execute=True):
        services.bazaar_stall_assign(
            bazaar=bazaar, seller=seller, stall_number="۷", actor=bazaar_staff
        )
    assert "bazaar_pickup" in kinds()
    assert BazaarStall.objects.get(bazaar=bazaar).stall_number == "7"
    assert Bazaar.objects.running().filter(pk=bazaar.pk).exists()


@pytest.mark.parametrize(
    ("name", "hours", "label"),
    [
        (
            "بازارچهٔ پاییزی بوستان لاله",
            "ساعت 10 تا 20",
            "بازارچهٔ پاییزی بوستان لاله — جایگاه ۱۲، ساعت ۱۰ تا ۲۰",
        ),
        ("بازارچهٔ محله", "", "بازارچهٔ محله، بوستان لاله، ضلع شمالی — جایگاه ۱۲"),
    ],
)
def test_the_pickup_label_names_the_place_once_and_says_the_hours(
    order_booth, name, hours, label
):
    from sellers.selectors import bazaar_pickup_place

    bazaar = make_bazaar(name=name)
    bazaar.opening_hours = hours
    bazaar.save()
    stall = BazaarStall.objects.create(
        bazaar=bazaar, seller=order_booth[0], stall_number="12"
    )
    assert bazaar_pickup_place(stall) == label
