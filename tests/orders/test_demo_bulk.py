"""`seed_demo --orders N`: the first orders through the real services, the rest
bulk-written with the same rows (parts, lines, events, ledger, allocations), so
the benchmark's 1,000-part inbox and the staff reports' 100,000 orders seed fast."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.demo import orders as demo
from orders.models import LedgerEntry, Line, Order, SellerOrder
from orders.status import order_status_derive
from sellers.partner.models import StockRecord
from tests.factories import make_product

from .conftest import make_booth


@pytest.fixture
def bulk_demo_shop(db):
    booths = [make_booth(f"+98912888000{i}", name=f"غرفهٔ {i}") for i in range(3)]
    # the first booth has the most products: every bulk order includes her
    for i in range(4):
        make_product(seller=booths[0][0], title=f"کالا الف {i}", num_in_stock=50)
    for booth, _ in booths[1:]:
        make_product(seller=booth, title=f"کالا {booth.pk}", num_in_stock=50)
    return booths


def test_bulk_orders_hold_what_the_services_would_write(bulk_demo_shop, monkeypatch):
    monkeypatch.setattr(demo, "SERVICE_ORDERS", 2)
    monkeypatch.setattr(demo, "BULK_BATCH", 15)
    with CaptureQueriesContext(connection) as queries:
        placed = demo.seed_orders(40, buyer_username="nobody")
    assert placed == 40
    assert Order.objects.count() == 40
    anchor = bulk_demo_shop[0][0]
    bulk = Order.objects.filter(number__gte=str(demo.BULK_NUMBER_BASE))
    assert bulk.count() == 38
    assert SellerOrder.objects.filter(order__in=bulk, seller=anchor).count() == 38
    # every order's status is derived from its parts
    for order in Order.objects.prefetch_related("seller_orders"):
        statuses = [p.status for p in order.seller_orders.all()]
        assert order.status == order_status_derive(statuses)
        assert order.total_incl_tax == sum(p.total for p in order.seller_orders.all())
    parts = SellerOrder.objects.filter(order__in=bulk)
    seen = Counter(parts.values_list("status", flat=True))
    assert {"new", "accepted", "delivered", "cancelled"} <= set(seen)
    # ledger: every part has its entries, a cancelled part nets to zero
    for part in parts:
        kinds = set(part.ledger_entries.values_list("kind", flat=True))
        assert {"sale", "commission"} <= kinds
        net = part.ledger_entries.aggregate(s=Sum("amount"), g=Sum("gross"))
        if part.status == "cancelled":
            assert net == {"s": 0, "g": 0}
        assert part.lines.count() == 1
        assert part.events.filter(action="placed").count() == 1
    # stock: what open parts hold is allocated, and never more than in stock
    for record in StockRecord.objects.all():
        open_units = (
            Line.objects.filter(stockrecord=record, num_allocated__gt=0).aggregate(
                n=Sum("num_allocated")
            )["n"]
            or 0
        )
        assert (record.num_allocated or 0) == open_units
        assert (record.num_allocated or 0) <= record.num_in_stock
    # idempotent, and the bulk path takes a few queries per batch, not per order
    assert demo.seed_orders(40, buyer_username="nobody") == 0
    bulk_queries = [
        q for q in queries.captured_queries if 'INSERT INTO "order_line"' in q["sql"]
    ]
    assert len(bulk_queries) <= 2 + 3  # 2 through the services, 3 bulk batches


def test_the_full_inbox_stays_within_its_query_pin(bulk_demo_shop, client, monkeypatch):
    monkeypatch.setattr(demo, "SERVICE_ORDERS", 0)
    demo.seed_orders(60, buyer_username="nobody")
    seller, owner = bulk_demo_shop[0]
    client.force_login(owner)
    url = reverse("orders_panel:inbox", args=[seller.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 12
    assert LedgerEntry.objects.filter(seller=seller).exists()
