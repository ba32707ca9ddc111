"""Staff: Oscar's dashboard order list and page still work and show the seller
orders; the page of overdue and declined parts; ledger balances, payout CSV,
marking a payout paid."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import LedgerEntry, SellerOrder
from orders.services import seller_order_transition
from sellers.models import SellerAuditEntry
from tests.factories import StaffFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(db):
    booth, _ = make_booth("+989121111111", name="چرم نیلوفر")
    booth2, _ = make_booth("+989122222222", name="شیرینی مهر")
    bag = make_product(seller=booth, title="کیف")
    cake = make_product(seller=booth2, title="کیک")
    order = place(basket_with([(bag, 1), (cake, 1)]))
    late, declined = order.seller_orders.order_by("number")
    SellerOrder.objects.filter(pk=late.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    seller_order_transition(
        seller_order=declined, action="decline", party="seller", note="تمام شد"
    )
    return order, late, declined


def test_dashboard_order_list_and_page(client, orders):
    order, late, declined = orders
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.get(reverse("dashboard:order-list"))
    assert response.status_code == 200
    assert order.number in response.content.decode()
    page = client.get(reverse("dashboard:order-detail", args=[order.number]))
    body = page.content.decode()
    assert page.status_code == 200
    assert late.number in body and declined.number in body
    assert "چرم نیلوفر" in body and "تمام شد" in body


def test_attention_page(client, staff, orders):
    _, late, declined = orders
    client.force_login(staff)
    body = client.get(reverse("orders_staff:attention")).content.decode()
    assert body.count('data-testid="attention-part"') == 2
    assert "دیرکرد در پذیرش" in body and "تمام شد" in body


def test_staff_pages_are_404_for_others(client, orders):
    for user in (
        None,
        UserFactory(username="+989351234567"),
        StaffFactory(username="plainstaff"),
    ):
        client.logout()
        if user:
            client.force_login(user)
        for name in (
            "orders_staff:attention",
            "orders_staff:ledger",
            "orders_staff:payouts_csv",
        ):
            assert client.get(reverse(name)).status_code == 404
        seller_id = orders[1].seller_id
        before = LedgerEntry.objects.count()
        assert (
            client.post(reverse("orders_staff:payout", args=[seller_id])).status_code
            == 404
        )
        assert LedgerEntry.objects.count() == before


def test_ledger_csv_and_mark_paid(client, staff, orders):
    order, late, declined = orders
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=late, action=action, party="seller")
    client.force_login(staff)
    page = client.get(reverse("orders_staff:ledger")).content.decode()
    assert "چرم نیلوفر" in page
    csv_text = client.get(reverse("orders_staff:payouts_csv")).content.decode(
        "utf-8-sig"
    )
    rows = [r.split(",") for r in csv_text.strip().splitlines()]
    assert rows[0][0] == "seller_id"
    assert [r[1] for r in rows[1:]] == ["چرم نیلوفر"]
    assert rows[1][2] == "-62500"  # she owes 5 % of 1,250,000 rials
    client.post(
        reverse("orders_staff:payout", args=[late.seller_id]), {"note": "واریز ۱۲"}
    )
    payout = LedgerEntry.objects.get(kind="payout")
    assert payout.amount == 62500 and payout.created_by == staff
    assert SellerAuditEntry.objects.filter(action="payout_paid", actor=staff).exists()
    csv_text = client.get(reverse("orders_staff:payouts_csv")).content.decode(
        "utf-8-sig"
    )
    assert len(csv_text.strip().splitlines()) == 1
