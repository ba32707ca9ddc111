"""Stall sales: recorded while the bazaar runs, from the set-aside units first,
then from stock, under the stock lock; each one two entries in her ledger (a
cash sale with her commission, frozen); made-to-order units take her week."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orders.ledger import ledger_balance, ledger_payable
from orders.models import LedgerEntry, StallSale
from orders.stalls import stall_sale_record
from sellers import services
from sellers.models import BazaarSetAside, BazaarStall, SellerWeekLoad
from sellers.partner.models import StockRecord
from tests.factories import ProgrammeFactory, UserFactory, make_product
from tests.orders.conftest import basket_with, place

from .conftest import make_bazaar

pytestmark = pytest.mark.dates


def rid(product) -> int:
    return StockRecord.objects.get(product=product).pk


def test_a_stall_sale_is_a_cash_sale_with_her_commission_in_the_ledger(
    order_booth, stall, settings
):
    seller, owner = order_booth
    seller.programme = ProgrammeFactory(code="hamyar", commission_rate=Decimal("0.03"))
    seller.save()
    product = make_product(seller=seller, price_rials=2_000_000, num_in_stock=5)
    sale = stall_sale_record(
        stall=stall, stockrecord_id=rid(product), quantity=2, actor=owner
    )
    assert (sale.total, sale.commission_rate, sale.by_staff) == (
        Decimal(4_000_000),
        Decimal("0.03"),
        False,
    )
    entries = list(LedgerEntry.objects.filter(stall_sale=sale).order_by("pk"))
    assert [(e.kind, e.gross, e.amount, e.cash_held_by_seller) for e in entries] == [
        ("sale", Decimal(4_000_000), Decimal(0), True),
        ("commission", Decimal(120_000), Decimal(-120_000), True),
    ]
    # She holds the cash and owes the commission, settled at once (no part to wait for).
    assert ledger_balance(seller) == Decimal(-120_000)
    assert ledger_payable(seller) == Decimal(-120_000)
    assert StockRecord.objects.get(pk=rid(product)).num_in_stock == 3
    # The rate is frozen: a later change of the programme's rate leaves it.
    seller.programme.commission_rate = Decimal("0.10")
    seller.programme.save()
    sale.refresh_from_db()
    assert sale.commission_rate == Decimal("0.03")
    # Append-only, as every ledger entry.
    with pytest.raises(ValidationError):
        entries[0].delete()


def test_stall_sales_draw_from_set_aside_first_then_stock(order_booth, stall):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=6)
    services.bazaar_set_aside(
        stall=stall, stockrecord_id=rid(product), units=3, actor=owner
    )
    place(basket_with([(product, 2)]))  # 2 allocated online: 6 - 2 - 3 = 1 free
    first = stall_sale_record(
        stall=stall, stockrecord_id=rid(product), quantity=2, actor=owner
    )
    assert first.from_set_aside == 2
    second = stall_sale_record(
        stall=stall, stockrecord_id=rid(product), quantity=2, actor=owner
    )
    assert second.from_set_aside == 1  # the last held unit, then one from stock
    record = StockRecord.objects.get(pk=rid(product))
    assert (record.num_in_stock, record.num_allocated, record.num_set_aside) == (
        2,
        2,
        0,
    )
    assert record.net_stock_level == 0
    row = BazaarSetAside.objects.get(stall=stall)
    assert (row.units, row.sold) == (0, 3)
    # The two units ordered online are never sold at the stall.
    with pytest.raises(ValidationError) as error:
        stall_sale_record(
            stall=stall, stockrecord_id=rid(product), quantity=1, actor=owner
        )
    assert error.value.message_dict["quantity"] == ["از «کیف چرمی» فقط ۰ عدد دارید."]
    assert StallSale.objects.count() == 2
    assert LedgerEntry.objects.filter(stall_sale__isnull=False).count() == 4


def test_made_to_order_stall_sales_take_her_weekly_capacity(order_booth, stall):
    seller, owner = order_booth
    seller.weekly_capacity = 3
    seller.save()
    cake = make_product(seller=seller, title="کیک تولد", made_to_order=True)
    stall_sale_record(stall=stall, stockrecord_id=rid(cake), quantity=2, actor=owner)
    assert SellerWeekLoad.objects.get(seller=seller).units == 2
    with pytest.raises(ValidationError) as error:
        stall_sale_record(
            stall=stall, stockrecord_id=rid(cake), quantity=2, actor=owner
        )
    assert "ظرفیت" in error.value.message_dict["quantity"][0]
    assert SellerWeekLoad.objects.get(seller=seller).units == 2
    # Online, the last slot is still hers to sell; then the week is full.
    place(basket_with([(cake, 1)]))
    assert SellerWeekLoad.objects.get(seller=seller).units == 3


def test_stall_sales_only_while_the_bazaar_runs(order_booth):
    seller, owner = order_booth
    product = make_product(seller=seller, num_in_stock=5)
    for bazaar in (make_bazaar(starts_in=2), make_bazaar(starts_in=-10)):
        stall = BazaarStall.objects.create(
            bazaar=bazaar, seller=seller, stall_number=str(bazaar.pk)
        )
        with pytest.raises(ValidationError):
            stall_sale_record(
                stall=stall, stockrecord_id=rid(product), quantity=1, actor=owner
            )
    assert not StallSale.objects.exists()
    assert StockRecord.objects.get(pk=rid(product)).num_in_stock == 5


def test_a_stall_sale_beyond_the_money_columns_is_refused(order_booth, stall):
    """Issue 24 §1.1: 1,000 units at a typed price overflowed the sale's and
    the ledger's money columns (a 500 on PostgreSQL)."""
    seller, owner = order_booth
    product = make_product(seller=seller, num_in_stock=5, made_to_order=True)
    with pytest.raises(ValidationError, match="مبلغ هر فروش حداکثر"):
        stall_sale_record(
            stall=stall,
            stockrecord_id=rid(product),
            quantity=1000,
            actor=owner,
            unit_price=Decimal(9_000_000_000),
        )
    assert not StallSale.objects.exists()


def test_staff_record_for_her_and_strangers_cannot(
    order_booth, booth2, stall, bazaar_staff
):
    seller, owner = order_booth
    product = make_product(seller=seller, num_in_stock=5)
    sale = stall_sale_record(
        stall=stall,
        stockrecord_id=rid(product),
        quantity=1,
        actor=bazaar_staff,
        unit_price=Decimal(900_000),
    )
    assert (sale.by_staff, sale.total) == (True, Decimal(900_000))
    for stranger in (booth2[1], UserFactory(username="+989350000002")):
        with pytest.raises(PermissionDenied):
            stall_sale_record(
                stall=stall, stockrecord_id=rid(product), quantity=1, actor=stranger
            )
    theirs = make_product(seller=booth2[0], num_in_stock=5)
    with pytest.raises(ValidationError):
        stall_sale_record(
            stall=stall, stockrecord_id=rid(theirs), quantity=1, actor=owner
        )
    assert StallSale.objects.count() == 1
