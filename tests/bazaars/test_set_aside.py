"""Stock set aside for a bazaar: not sold online while it is held, back the day
after the bazaar, never more than she could sell online."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders.services import PlacementError
from sellers import services
from sellers.models import BazaarSetAside, SellerAuditEntry
from sellers.partner.models import StockRecord
from sellers.partner.strategy import MarketplaceStrategy
from tests.factories import UserFactory, make_product
from tests.orders.conftest import basket_with, place

from .conftest import make_bazaar

pytestmark = pytest.mark.dates


def record_of(product) -> StockRecord:
    return StockRecord.objects.get(product=product)


def test_set_aside_units_are_not_sold_online(order_booth, stall):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    services.bazaar_set_aside(
        stall=stall, stockrecord_id=record_of(product).pk, units=3, actor=owner
    )
    record = record_of(product)
    assert (record.num_set_aside, record.set_aside_until) == (3, stall.bazaar.ends_on)
    assert record.net_stock_level == 2
    info = MarketplaceStrategy().fetch_for_product(product)
    assert info.availability.num_available == 2
    assert not info.availability.is_purchase_permitted(3)[0]
    # An order for 3 fails under the locks with the buyer's message; 2 go through.
    with pytest.raises(PlacementError) as error:
        place(basket_with([(product, 3)]))
    assert error.value.message == "از «کیف چرمی» فقط ۲ عدد مانده است."
    place(basket_with([(product, 2)]))
    assert record_of(product).num_allocated == 2
    assert SellerAuditEntry.objects.filter(
        seller=seller, action="bazaar_set_aside"
    ).exists()


def test_set_aside_units_come_back_after_the_bazaar(order_booth, stall, monkeypatch):
    seller, owner = order_booth
    product = make_product(seller=seller, num_in_stock=5)
    services.bazaar_set_aside(
        stall=stall, stockrecord_id=record_of(product).pk, units=4, actor=owner
    )
    record = record_of(product)
    last_day = stall.bazaar.ends_on
    assert record.held_for_bazaars(last_day) == 4
    assert record.held_for_bazaars(last_day + dt.timedelta(days=1)) == 0
    # The day after the bazaar, with no job run, the units sell online again.
    monkeypatch.setattr(
        timezone, "localdate", lambda *a: last_day + dt.timedelta(days=1)
    )
    assert record_of(product).net_stock_level == 5
    place(basket_with([(product, 5)]))


def test_cannot_set_aside_more_than_is_free_online(order_booth, stall):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    place(basket_with([(product, 2)]))
    other = make_bazaar(starts_in=5, name="بازارچهٔ بهاره")
    from sellers.models import BazaarStall

    other_stall = BazaarStall.objects.create(
        bazaar=other, seller=seller, stall_number="3"
    )
    rid = record_of(product).pk
    services.bazaar_set_aside(
        stall=other_stall, stockrecord_id=rid, units=1, actor=owner
    )
    with pytest.raises(ValidationError) as error:
        services.bazaar_set_aside(stall=stall, stockrecord_id=rid, units=3, actor=owner)
    assert "فقط ۲ عدد" in " ".join(error.value.messages)
    services.bazaar_set_aside(stall=stall, stockrecord_id=rid, units=2, actor=owner)
    # Changing her mind: the new number replaces the old; 0 gives all back.
    services.bazaar_set_aside(stall=stall, stockrecord_id=rid, units=0, actor=owner)
    assert record_of(product).num_set_aside == 1
    assert BazaarSetAside.objects.get(stall=stall).units == 0


def test_set_aside_refuses_made_to_order_other_booths_and_strangers(
    order_booth, booth2, stall
):
    seller, owner = order_booth
    made = make_product(seller=seller, title="کیک تولد", made_to_order=True)
    with pytest.raises(ValidationError) as error:
        services.bazaar_set_aside(
            stall=stall, stockrecord_id=record_of(made).pk, units=1, actor=owner
        )
    assert "سفارشی" in error.value.messages[0]
    theirs = make_product(seller=booth2[0], num_in_stock=5)
    with pytest.raises(ValidationError):
        services.bazaar_set_aside(
            stall=stall, stockrecord_id=record_of(theirs).pk, units=1, actor=owner
        )
    assert record_of(theirs).num_set_aside == 0
    mine = make_product(seller=seller, num_in_stock=5)
    for stranger in (booth2[1], UserFactory(username="+989350000001")):
        with pytest.raises(PermissionDenied):
            services.bazaar_set_aside(
                stall=stall, stockrecord_id=record_of(mine).pk, units=1, actor=stranger
            )
    assert record_of(mine).num_set_aside == 0


def test_stock_cannot_be_edited_below_what_is_held(order_booth, stall):
    from catalog import services as catalog_services
    from tests.factories import CategoryFactory

    seller, owner = order_booth
    category = CategoryFactory()
    product = make_product(seller=seller, num_in_stock=5, category=category)
    services.bazaar_set_aside(
        stall=stall, stockrecord_id=record_of(product).pk, units=4, actor=owner
    )

    def update(stock):
        catalog_services.product_update(
            product=product,
            actor=owner,
            data=catalog_services.ProductData(
                title=product.title,
                description="چرم طبیعی",
                category=category,
                price_rials=1_250_000,
                num_in_stock=stock,
            ),
        )

    with pytest.raises(ValidationError) as error:
        update(3)
    assert "بازارچه" in " ".join(error.value.messages)
    update(4)
    assert record_of(product).net_stock_level == 0
