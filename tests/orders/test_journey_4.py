"""Journey 4 (pay on delivery): each booth sees only its part; one booth declines,
another ships; the buyer tracks each part; the declined part alone is cancelled
(nothing to refund in cash; its ledger nets to zero)."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from marketplace.accounts import sms
from orders.models import LedgerEntry, Order
from orders.notifications import buyer_link_token
from tests.factories import make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


def test_journey_4(client, django_capture_on_commit_callbacks):
    leather, leather_owner = make_booth("+989121111111", name="چرم نیلوفر")
    sweets, sweets_owner = make_booth("+989122222222", name="شیرینی مهر")
    bag = make_product(seller=leather, title="کیف چرمی")
    cake = make_product(seller=sweets, title="کیک خانگی")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(bag, 1), (cake, 1)]))
    leather_part = order.seller_orders.get(seller=leather)
    sweets_part = order.seller_orders.get(seller=sweets)

    # each booth sees only its own part
    client.force_login(leather_owner)
    inbox = client.get(
        reverse("orders_panel:inbox", args=[leather.pk])
    ).content.decode()
    assert "کیف چرمی" in inbox
    assert "کیک خانگی" not in inbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "orders_panel:part_action", args=[leather.pk, leather_part.pk, "accept"]
            )
        )
        client.post(
            reverse(
                "orders_panel:part_action", args=[leather.pk, leather_part.pk, "ship"]
            ),
            {"tracking_code": "TRK-77"},
        )
    client.force_login(sweets_owner)
    assert (
        "کیف چرمی"
        not in client.get(
            reverse("orders_panel:inbox", args=[sweets.pk]) + "?tab=new"
        ).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "orders_panel:part_action", args=[sweets.pk, sweets_part.pk, "decline"]
            ),
            {"reason": "فر خراب شده است"},
        )
    client.logout()

    # the buyer tracks each part through her link
    page = client.get(
        reverse("orders:track", args=[buyer_link_token(order)])
    ).content.decode()
    assert page.count('data-testid="order-part"') == 2
    assert "ارسال شد" in page and "TRK-۷۷" in page
    assert "لغو شد" in page and "فر خراب شده است" in page
    assert "در حال انجام" in page  # the order as a whole
    # she heard of each change, part by part
    texts = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert any("چرم نیلوفر" in t and "ارسال شد" in t for t in texts)
    assert any("شیرینی مهر" in t and "فر خراب شده است" in t for t in texts)
    # the declined part alone is cancelled, and nets to zero in its booth's ledger
    assert (
        LedgerEntry.objects.filter(seller_order=sweets_part).aggregate(s=Sum("amount"))[
            "s"
        ]
        == 0
    )
    assert (
        LedgerEntry.objects.filter(seller_order=leather_part).aggregate(
            s=Sum("amount")
        )["s"]
        < 0
    )
    # she confirms delivery of the shipped part herself
    client.post(
        reverse(
            "orders:track_action",
            args=[buyer_link_token(order), leather_part.pk, "deliver"],
        )
    )
    order = Order.objects.get(pk=order.pk)
    assert order.status == "completed"


@pytest.mark.parametrize("parts", [1, 3])
def test_order_pages_query_count(client, django_assert_max_num_queries, parts):
    from orders.services import BuyerData
    from tests.factories import UserFactory

    buyer = UserFactory(username="+989351112233")
    products = [
        make_product(
            seller=make_booth(f"+98912{i}111111", name=f"غرفه {i}")[0],
            title=f"کالا {i}",
        )
        for i in range(parts)
    ]
    for _ in range(2):
        place(
            basket_with([(p, 1) for p in products], owner=buyer),
            buyer=BuyerData(user=buyer, name="مریم", phone="+989351112233"),
        )
    order = Order.objects.first()
    client.force_login(buyer)
    for url in (
        reverse("orders:detail", args=[order.number]),
        reverse("orders:history"),
        reverse("orders:track", args=[buyer_link_token(order)]),
    ):
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
