"""Issue 24 §1.1: the caps of one basket line and one order (`orders.limits`),
in every way into a basket and at placement, and money columns wide enough for
any order the caps allow.

Before: Oscar's `/basket/add/<id>/` took 10,000 units of a made-to-order
product, whose total overflowed the money columns (500 on the order pages)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse

from catalog.services import MAX_PRICE_RIALS
from orders.basket.forms import BasketLineForm
from orders.basket.models import Basket
from orders.limits import order_total_max
from orders.services import BuyerData, PlacementError
from sellers.partner.strategy import MarketplaceStrategy
from tests.factories import UserFactory, make_product

from .conftest import basket_with, place

pytestmark = pytest.mark.django_db

CAP = settings.BASKET_MAX_LINE_QUANTITY


def add(client, product, quantity):
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}
    )


def units_in_basket(client, product) -> int:
    basket = Basket.objects.filter(lines__product=product).first()
    if basket is None:
        return 0
    return basket.lines.get(product=product).quantity


def error_messages(response) -> list[str]:
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


def test_add_view_refuses_ten_thousand_units_of_a_made_to_order_product(
    client, order_booth
):
    seller, _ = order_booth
    assert seller.weekly_capacity is None
    product = make_product(seller=seller, title="رومیزی سفارشی", made_to_order=True)
    response = add(client, product, 10_000)
    assert units_in_basket(client, product) == 0
    assert error_messages(response) == [
        "از «رومیزی سفارشی» در هر سفارش حداکثر ۹۹ عدد می‌توانید بخرید."
    ]


def test_add_view_refuses_a_number_no_column_holds(client, order_booth):
    product = make_product(seller=order_booth[0], made_to_order=True)
    response = add(client, product, 10**20)
    assert response.status_code == 302
    assert units_in_basket(client, product) == 0


def test_add_view_counts_the_units_already_in_the_line(client, order_booth):
    product = make_product(seller=order_booth[0], made_to_order=True)
    add(client, product, CAP)
    add(client, product, 1)
    assert units_in_basket(client, product) == CAP


def test_add_view_keeps_made_to_order_within_the_weekly_capacity(client, order_booth):
    seller, _ = order_booth
    seller.weekly_capacity = 5
    seller.save(update_fields=["weekly_capacity"])
    product = make_product(seller=seller, title="کیک تولد", made_to_order=True)
    response = add(client, product, 6)
    assert units_in_basket(client, product) == 0
    assert "هر هفته حداکثر ۵ عدد" in error_messages(response)[0]
    add(client, product, 5)
    assert units_in_basket(client, product) == 5


def test_add_view_refuses_a_basket_beyond_the_order_total(client, order_booth):
    price = int(order_total_max()) // 2 + 1
    first = make_product(seller=order_booth[0], title="فرش", price_rials=price)
    second = make_product(seller=order_booth[0], title="گلیم", price_rials=price)
    add(client, first, 1)
    response = add(client, second, 1)
    assert units_in_basket(client, first) == 1
    assert units_in_basket(client, second) == 0
    assert "مبلغ هر سفارش حداکثر" in error_messages(response)[0]


def test_basket_page_refuses_beyond_the_line_cap(client, order_booth):
    product = make_product(seller=order_booth[0], made_to_order=True)
    add(client, product, 1)
    line = Basket.objects.get(lines__product=product).lines.get()
    response = client.post(
        reverse("basket:summary"), {"line": line.pk, "quantity": "۱۰۰۰۰"}
    )
    assert units_in_basket(client, product) == 1
    assert "حداکثر ۹۹ عدد" in error_messages(response)[0]


def test_oscar_line_form_refuses_beyond_the_line_cap(order_booth):
    product = make_product(seller=order_booth[0], made_to_order=True)
    basket = basket_with([(product, 1)])
    line = basket.lines.get()
    form = BasketLineForm(
        MarketplaceStrategy(), instance=line, data={"quantity": 10_000}
    )
    assert not form.is_valid()
    assert "حداکثر ۹۹ عدد" in form.errors["quantity"][0]


def test_merging_baskets_keeps_a_line_within_the_cap(order_booth):
    product = make_product(seller=order_booth[0], made_to_order=True)
    mine = basket_with([(product, 60)])
    other = basket_with([(product, 60)])
    mine.merge(other, add_quantities=True)  # the saved-basket path adds them
    assert mine.lines.get().quantity == CAP


def test_placement_refuses_a_line_beyond_the_cap(order_booth):
    product = make_product(
        seller=order_booth[0], title="رومیزی سفارشی", made_to_order=True
    )
    basket = basket_with([(product, 1)])
    basket.lines.update(quantity=10_000)  # a line from before the caps
    with pytest.raises(PlacementError, match="حداکثر ۹۹ عدد"):
        place(basket)


def test_placement_refuses_an_order_beyond_the_total_with_delivery(order_booth):
    # goods exactly at the cap: the post fee puts the order over it
    price = int(order_total_max()) // CAP
    product = make_product(seller=order_booth[0], price_rials=price, num_in_stock=CAP)
    basket = basket_with([(product, CAP)])
    with pytest.raises(PlacementError, match="مبلغ هر سفارش حداکثر"):
        place(basket)


def money_fields():
    for label in ("order", "basket", "payment", "partner"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.DecimalField) and field.decimal_places == 2:
                    yield f"{label}.{model.__name__}.{field.name}", field


def test_every_money_column_holds_any_order_the_caps_allow():
    fields = dict(money_fields())
    assert "order.Order.total_incl_tax" in fields
    assert "payment.Source.amount_allocated" in fields
    assert "order.LedgerEntry.amount" in fields
    too_narrow = [
        name
        for name, field in fields.items()
        if 10 ** (field.max_digits - field.decimal_places) <= order_total_max()
    ]
    assert too_narrow == []
    # the dearest product a booth may list fits its column and one order
    assert MAX_PRICE_RIALS <= order_total_max()


def test_an_order_at_the_caps_is_placed_and_its_pages_render(client, order_booth):
    """At the caps: a line of the most units and an order of the most rials,
    delivery included. Run on PostgreSQL by `make test` (and on SQLite, whose
    decimal converter failed the pages before)."""
    seller, _ = order_booth
    buyer = UserFactory(username="+989351112299")
    unit = Decimal(90_000_000)
    post_fee = Decimal(600_000)
    many = make_product(seller=seller, price_rials=int(unit), num_in_stock=CAP)
    last_price = order_total_max() - unit * CAP - post_fee
    one = make_product(seller=seller, title="گلیم", price_rials=int(last_price))
    basket = basket_with([(many, CAP), (one, 1)], owner=buyer)
    order = place(
        basket,
        buyer=BuyerData(user=buyer, name="مریم احمدی", phone="+989351112299"),
    )
    order.refresh_from_db()
    assert order.total_incl_tax == order_total_max()

    client.force_login(buyer)
    for url in (
        reverse("orders:history"),
        reverse("orders:detail", args=[order.number]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert order.number in response.content.decode()

    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    for url in (
        reverse("dashboard:order-list"),
        reverse("dashboard:order-detail", args=[order.number]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert order.number in response.content.decode()
