"""Placing an order: one transaction, one seller order per booth, frozen lines,
idempotent, no oversell, capacity, delivery rules."""

from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.accounts import sms
from orders.calendar import add_working_days
from orders.models import LedgerEntry, Line, Order, SellerOrder
from orders.services import PartChoice, PlacementError, order_place
from sellers.models import Province, SellerWeekLoad
from sellers.partner.models import StockRecord
from sellers.partner.strategy import MarketplaceStrategy
from tests.factories import make_product

from .conftest import Kind, basket_with, guest, place, tehran_address

pytestmark = pytest.mark.django_db


def test_one_order_three_booths(
    order_booth, booth2, booth3, django_capture_on_commit_callbacks
):
    products = [
        make_product(seller=b[0], title=f"کالای {i}", price_rials=1_000_000)
        for i, b in enumerate((order_booth, booth2, booth3))
    ]
    basket = basket_with([(p, 2) for p in products])
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket, kind=Kind.POST)

    parts = list(order.seller_orders.order_by("number"))
    assert [p.number for p in parts] == [f"{order.number}-{i}" for i in (1, 2, 3)]
    assert {p.seller_id for p in parts} == {
        b[0].pk for b in (order_booth, booth2, booth3)
    }
    assert all(p.status == SellerOrder.Status.NEW for p in parts)
    assert all(p.delivery_fee == Decimal(600_000) for p in parts)
    assert order.total_incl_tax == 3 * (2_000_000 + 600_000)
    assert order.status == "new"
    assert order.shipping_address.country.iso_3166_1_a2 == "IR"
    basket.refresh_from_db()
    assert basket.status == "Submitted"
    for product in products:
        record = StockRecord.objects.get(product=product)
        assert record.num_allocated == 2
    # owners hear of their own part, the buyer of all three
    phones = [m.phone for m in sms.outbox]
    assert phones.count("+989351112233") == 1
    for b in (order_booth, booth2, booth3):
        assert phones.count(b[1].username) == 1


def test_lines_freeze_the_booth_at_sale(order_booth, product):
    seller = order_booth[0]
    order = place(basket_with([(product, 1)]))
    line = Line.objects.get(order=order)
    assert line.seller == seller
    assert line.seller_province.code == "IR-23"
    assert line.seller_district == seller.district
    assert line.seller_centre == seller.centre
    assert line.seller_programme == seller.programme
    assert line.seller_kind == seller.kind
    assert line.commission_rate == Decimal("0.05")
    # she moves: the line keeps what was true when she sold
    seller.province = Province.objects.get(code="IR-10")
    seller.district = None
    seller.save()
    line.refresh_from_db()
    assert line.seller_province.code == "IR-23"


def test_programme_commission_overrides_the_default(order_booth, product):
    programme = order_booth[0].programme
    programme.commission_rate = Decimal(0)
    programme.save()
    order = place(basket_with([(product, 1)]))
    assert Line.objects.get(order=order).commission_rate == 0
    commission = LedgerEntry.objects.get(kind="commission")
    assert commission.amount == 0


def test_placing_twice_gives_one_order(order_booth, product):
    basket = basket_with([(product, 2)])
    first = place(basket)
    second = place(basket)
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=product).num_allocated == 2


def test_a_line_that_lost_the_race_fails_the_whole_order(order_booth, booth2, product):
    other = make_product(seller=booth2[0], title="شال ابریشمی", num_in_stock=1)
    basket = basket_with([(product, 1), (other, 1)])
    # someone else buys the last shawl first
    place(basket_with([(other, 1)]))
    with pytest.raises(PlacementError) as error:
        place(basket)
    assert "شال ابریشمی" in error.value.message
    assert "تمام" in error.value.message
    assert Order.objects.count() == 1
    assert not StockRecord.objects.get(product=product).num_allocated
    basket.refresh_from_db()
    assert basket.status == "Open"


@pytest.mark.dates
def test_made_to_order_counts_against_weekly_capacity(
    order_booth, django_capture_on_commit_callbacks
):
    seller = order_booth[0]
    seller.weekly_capacity = 3
    seller.save()
    cake = make_product(
        seller=seller, title="کیک سفارشی", made_to_order=True, preparation_days=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(cake, 3)]))
    part = order.seller_orders.get()
    assert part.preparation_days == 2
    assert part.expected_ready_on == add_working_days(timezone.localdate(), 2)
    assert SellerWeekLoad.objects.get(seller=seller).units == 3
    # the week is full: the product says so and cannot be bought
    info = MarketplaceStrategy().fetch_for_product(cake)
    assert not info.availability.is_available_to_buy
    assert "ظرفیت" in info.availability.message
    basket = basket_with([])
    basket.lines.create(
        product=cake,
        stockrecord=cake.stockrecords.get(),
        quantity=1,
        price_currency="IRR",
        price_excl_tax=Decimal(1_250_000),
        price_incl_tax=Decimal(1_250_000),
        line_reference="x",
    )
    with pytest.raises(PlacementError) as error:
        place(basket)
    assert "ظرفیت" in error.value.message


def test_courier_and_pickup_only_for_tehran_addresses(order_booth, product):
    isfahan = tehran_address(
        province=Province.objects.get(code="IR-10"), city="اصفهان", district=None
    )
    basket = basket_with([(product, 1)])
    with pytest.raises(PlacementError):
        place(basket, kind=Kind.COURIER, address=isfahan)
    with pytest.raises(PlacementError):
        place(basket, kind=Kind.CENTRE_PICKUP, address=isfahan)
    order = place(basket, kind=Kind.POST, address=isfahan)
    assert order.seller_orders.get().delivery_kind == "post"


def test_courier_is_free_above_her_amount(order_booth):
    bag = make_product(seller=order_booth[0], title="کیف بزرگ", price_rials=6_000_000)
    order = place(basket_with([(bag, 1)]), kind=Kind.COURIER)
    assert order.seller_orders.get().delivery_fee == 0


def test_payment_must_suit_the_delivery(order_booth, product):
    basket = basket_with([(product, 1)])
    with pytest.raises(PlacementError):
        order_place(
            basket=basket,
            buyer=guest(),
            address=tehran_address(),
            choices={
                order_booth[0].pk: PartChoice(
                    delivery_kind=Kind.POST, payment_method="pickup"
                )
            },
        )


def test_unreviewed_lines_stay_in_a_basket(order_booth, booth2, product):
    other = make_product(seller=booth2[0], title="شال")
    basket = basket_with([(product, 1), (other, 1)])
    keep = basket.all_lines()[0]
    order, leftover = order_place(
        basket=basket,
        buyer=guest(),
        address=tehran_address(),
        choices={
            order_booth[0].pk: PartChoice(delivery_kind=Kind.POST, payment_method="cod")
        },
        line_ids=[keep.pk],
    )
    assert order.lines.count() == 1
    assert [line.product for line in leftover.all_lines()] == [other]
