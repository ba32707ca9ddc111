"""Staff cancel a booth's part (a staff transition in the one transition table):
with a reason, stock back, ledger reversed, buyer and booth told, audited; from
the attention page or the dashboard's order page. Anyone else: 404, nothing
changes. And Oscar's dashboard order list shows each order's parts, with a
constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts import sms
from orders.models import LedgerEntry, SellerOrder, SellerOrderEvent
from orders.services import seller_order_transition
from sellers.partner.models import StockRecord
from tests.factories import StaffFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(order_booth, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(product, 2)]))
    part = order.seller_orders.get()
    seller_order_transition(seller_order=part, action="accept", party="seller")
    sms.outbox.clear()
    return part


def _snapshot(part):
    part.refresh_from_db()
    stock = StockRecord.objects.get(pk=part.lines.get().stockrecord_id)
    return (
        part.status,
        stock.num_allocated,
        SellerOrderEvent.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_staff_cancel_an_accepted_part_from_the_dashboard(
    client, staff, order_booth, accepted, django_capture_on_commit_callbacks
):
    part = accepted
    record = StockRecord.objects.get(pk=part.lines.get().stockrecord_id)
    assert record.num_allocated == 2
    client.force_login(staff)
    detail = reverse("dashboard:order-detail", args=[part.order.number])
    page = client.get(detail).content.decode()
    assert 'data-testid="staff-cancel-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orders_staff:part_cancel", args=[part.pk]),
            {"reason": "غرفه نمی‌تواند ارسال کند", "next": detail},
        )
    assert response.status_code == 302 and response["Location"] == detail
    part.refresh_from_db()
    assert part.status == SellerOrder.Status.CANCELLED
    assert part.cancelled_by == SellerOrder.CancelledBy.STAFF
    assert part.decline_reason == "غرفه نمی‌تواند ارسال کند"
    event = part.events.get(action="staff_cancel")
    assert (event.actor, event.from_status) == (staff, "accepted")
    record.refresh_from_db()
    assert record.num_allocated == 0  # stock back
    net = LedgerEntry.objects.filter(seller_order=part).aggregate(
        s=Sum("amount"), g=Sum("gross")
    )
    assert net == {"s": 0, "g": 0}
    part.order.refresh_from_db()
    assert part.order.status == "cancelled"
    told = {m.phone: m.text for m in sms.outbox}
    assert "غرفه نمی‌تواند ارسال کند" in told[part.order.buyer_phone]
    assert "غرفه نمی‌تواند ارسال کند" in told[order_booth[1].username]
    page = client.get(detail).content.decode()
    assert 'data-testid="staff-cancel-form"' not in page  # nothing left to cancel
    assert "کارکنان دستاورد" in page


def test_staff_cancel_an_overdue_part_from_the_attention_page(client, staff, product):
    part = place(basket_with([(product, 1)])).seller_orders.get()
    SellerOrder.objects.filter(pk=part.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(staff)
    attention = reverse("orders_staff:attention")
    assert 'data-testid="staff-cancel-form"' in client.get(attention).content.decode()
    response = client.post(
        reverse("orders_staff:part_cancel", args=[part.pk]),
        {"reason": "دیرکرد", "next": attention},
    )
    assert response["Location"] == attention
    part.refresh_from_db()
    assert (part.status, part.cancelled_by) == ("cancelled", "staff")


def test_a_reason_is_required_and_a_shipped_part_cannot_be_cancelled(
    client, staff, accepted
):
    part = accepted
    client.force_login(staff)
    before = _snapshot(part)
    response = client.post(
        reverse("orders_staff:part_cancel", args=[part.pk]),
        {"reason": "  "},
        follow=True,
    )
    assert "دلیل لغو را بنویسید" in response.content.decode()
    assert _snapshot(part) == before
    seller_order_transition(seller_order=part, action="ship", party="seller")
    before = _snapshot(part)
    response = client.post(
        reverse("orders_staff:part_cancel", args=[part.pk]),
        {"reason": "دیر شد"},
        follow=True,
    )
    assert "این کار در وضعیت کنونی سفارش ممکن نیست" in response.content.decode()
    assert _snapshot(part) == before


def test_an_outside_next_is_not_followed(client, staff, accepted):
    client.force_login(staff)
    response = client.post(
        reverse("orders_staff:part_cancel", args=[accepted.pk]),
        {"reason": "دلیل", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("orders_staff:attention")


@pytest.mark.parametrize("back", ["-1", "۹۹۹", "متن", "9" * 5000])
def test_a_next_that_is_not_a_path_goes_back_to_attention(
    client, staff, accepted, back
):
    """`redirect()` took it for a URL name: NoReverseMatch, a 500."""
    client.force_login(staff)
    response = client.post(
        reverse("orders_staff:part_cancel", args=[accepted.pk]),
        {"reason": "دلیل", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orders_staff:attention")


def test_only_staff_with_the_permission_can_cancel(client, order_booth, accepted):
    part = accepted
    other_seller, other_owner = make_booth("+989125555555", name="غرفهٔ دیگر")
    buyer = UserFactory(username="+989351234567")
    for user in (
        None,
        buyer,
        order_booth[1],  # the booth's own owner
        other_owner,
        StaffFactory(username="plainstaff"),  # staff without order.change_order
    ):
        client.logout()
        if user:
            client.force_login(user)
        before = _snapshot(part)
        response = client.post(
            reverse("orders_staff:part_cancel", args=[part.pk]), {"reason": "x"}
        )
        assert response.status_code == 404
        assert _snapshot(part) == before
    # and the service itself refuses a non-staff actor
    with pytest.raises(Exception, match="staff_cancel"):
        seller_order_transition(
            seller_order=part,
            action="staff_cancel",
            party="staff",
            actor=order_booth[1],
            note="x",
        )
    assert _snapshot(part)[0] == "accepted"


def _order_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:order-list"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_order_list_shows_each_orders_parts_in_constant_queries(client):
    booths = [make_booth(f"+98912777000{i}", name=f"غرفهٔ {i}")[0] for i in range(3)]
    products = [make_product(seller=b, title=f"کالا {b.pk}") for b in booths]
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    place(basket_with([(products[0], 1), (products[1], 1)]))
    _order_list_queries(client)  # warm (sessions, content types)
    one, body = _order_list_queries(client)
    assert body.count('data-testid="dashboard-order-parts"') == 1
    assert "غرفهٔ 0" in body and "غرفهٔ 1" in body
    for _ in range(4):
        place(basket_with([(p, 1) for p in products]))
    five, body = _order_list_queries(client)
    assert body.count('data-testid="dashboard-order-parts"') == 5
    assert body.count("در انتظار تأیید غرفه") >= 14  # 2 + 4 × 3 parts
    assert five == one
    assert five <= 16
