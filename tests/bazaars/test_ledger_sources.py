"""Her ledger says what each row is for: its order, the bazaar where she sold at
her stall, or a settlement; never a bare «—» (issue 24 §3.7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.persian import format_jalali_numeric, to_persian_digits
from orders.models import LedgerEntry
from orders.payouts import collection_record, payout_batch_create
from orders.services import seller_order_transition
from orders.stalls import stall_sale_record
from tests.factories import StaffFactory, make_product
from tests.orders.conftest import basket_with, place

pytestmark = pytest.mark.django_db


def test_every_ledger_row_says_what_it_is_for(client, order_booth, stall):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    part = place(basket_with([(product, 1)])).seller_orders.get()
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=part, action=action, party="seller")
    stall_sale_record(
        stall=stall,
        stockrecord_id=product.stockrecords.get().pk,
        quantity=1,
        actor=owner,
    )
    staff = StaffFactory()
    batch = payout_batch_create(kind="collection", actor=staff)
    assert collection_record(line=batch.lines.get(), actor=staff) is not None
    kinds = set(
        LedgerEntry.objects.filter(seller=seller).values_list("kind", flat=True)
    )
    assert {"sale", "commission", "collection"} <= kinds

    client.force_login(owner)
    body = client.get(reverse("orders_panel:ledger", args=[seller.pk])).content.decode()
    sources = [
        cell.split(">", 1)[1].split("</td>", 1)[0]
        for cell in body.split('data-testid="ledger-source"')[1:]
    ]
    assert len(sources) == LedgerEntry.objects.filter(seller=seller).count()
    assert "—" not in sources
    assert f"سفارش {to_persian_digits(part.number)}" in sources
    assert "فروش در بازارچه دستاوردهای زنان شهر تهران – منطقه ۶" in sources
    day = format_jalali_numeric(batch.created_at)
    assert f"پرداخت کارمزد به دستاورد (فهرست {day})" in sources
