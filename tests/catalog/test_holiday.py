"""Holiday mode: the booth's products stay visible, with prices, but cannot be
bought, and show the date she returns."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from oscar.apps.basket.models import Line

from catalog.models import Product
from catalog.selectors import product_list_public
from marketplace.persian import (
    format_jalali,
    format_jalali_numeric,
    to_persian_digits,
)
from sellers.models import SellerAuditEntry
from sellers.panel.forms import HolidayForm
from sellers.partner.strategy import Selector
from sellers.services import seller_holiday_set
from tests.catalog.panel_fixtures import approved_product
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def holiday_url(seller) -> str:
    return reverse("panel:holiday", kwargs={"seller_id": seller.pk})


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- the date field ---------------------------------------------------------------------


def jalali_parts(day: dt.date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


# How she may type a date (ten days ahead): Jalali or ISO, Persian or Latin digits,
# with or without leading zeros, any of / - . between the parts.
TYPINGS = {
    "jalali-persian": lambda d: to_persian_digits(
        "{:04d}/{:02d}/{:02d}".format(*jalali_parts(d))
    ),
    "jalali-latin": lambda d: "{:04d}/{:02d}/{:02d}".format(*jalali_parts(d)),
    "jalali-dashes-short": lambda d: to_persian_digits(
        "{}-{}-{}".format(*jalali_parts(d))
    ),
    "jalali-dots": lambda d: "{}.{}.{}".format(*jalali_parts(d)),
    "iso": lambda d: d.isoformat(),
    "iso-persian": lambda d: to_persian_digits(d.isoformat()),
}


@pytest.mark.parametrize("typing", TYPINGS)
def test_holiday_date_takes_jalali_or_iso_with_any_digits(typing):
    until = in_days(10)
    form = HolidayForm({"until": TYPINGS[typing](until), "message": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] == until


@pytest.mark.parametrize("typed", ["۱۴۰۵/۱۳/۰۱", "فردا", "1405/09", "2026-02-30"])
def test_a_date_that_is_not_one_gets_a_persian_message(typed):
    form = HolidayForm({"until": typed})
    assert not form.is_valid()
    assert "تاریخ را به شکل ۱۴۰۵/۰۹/۱۵ بنویسید" in form.errors["until"][0]


# --- the panel page ---------------------------------------------------------------------


def test_owner_starts_holiday_with_a_jalali_date(client, panel_booth):
    seller, owner = panel_booth
    until = in_days(10)
    client.force_login(owner)
    response = client.post(
        holiday_url(seller),
        {"op": "set", "until": format_jalali_numeric(until), "message": "سفر مشهد"},
    )
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.holiday_until == until
    assert seller.holiday_message == "سفر مشهد"
    assert SellerAuditEntry.objects.filter(
        seller=seller, action="holiday_start"
    ).exists()
    page = client.get(holiday_url(seller)).content.decode()
    assert f"غرفه تا {format_jalali(until)} در تعطیلات است" in page
    home = client.get(reverse("panel:home", kwargs={"seller_id": seller.pk}))
    assert 'data-testid="holiday-reminder"' in home.content.decode()


def test_a_past_date_is_refused(client, panel_booth):
    seller, owner = panel_booth
    client.force_login(owner)
    response = client.post(
        holiday_url(seller),
        {"op": "set", "until": in_days(-1).isoformat()},
    )
    assert response.status_code == 200
    assert "امروز یا روزهای بعد" in response.content.decode()
    seller.refresh_from_db()
    assert seller.holiday_until is None


def test_holiday_is_for_owners_members_only_see_it(client, group_booth):
    seller, owner, member = group_booth
    client.force_login(member)
    page = client.get(holiday_url(seller))
    assert page.status_code == 200
    assert 'data-testid="holiday-form"' not in page.content.decode()
    response = client.post(
        holiday_url(seller), {"op": "set", "until": in_days(3).isoformat()}
    )
    assert response.status_code == 403
    seller.refresh_from_db()
    assert seller.holiday_until is None
    with pytest.raises(PermissionDenied):
        seller_holiday_set(seller=seller, actor=member, until=in_days(3))


def test_another_booths_holiday_page_is_404(client, panel_booth, group_booth):
    _, owner = panel_booth
    other, _, _ = group_booth
    client.force_login(owner)
    assert client.get(holiday_url(other)).status_code == 404
    response = client.post(
        holiday_url(other), {"op": "set", "until": in_days(3).isoformat()}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.holiday_until is None


def test_holiday_message_is_plain_text(panel_booth):
    seller, owner = panel_booth
    seller_holiday_set(
        seller=seller,
        actor=owner,
        until=in_days(2),
        message="<script>alert(1)</script>برمی‌گردم",
    )
    seller.refresh_from_db()
    assert seller.holiday_message == "برمی‌گردم"
    with pytest.raises(ValidationError):
        seller_holiday_set(
            seller=seller, actor=owner, until=in_days(400), message="خیلی دور"
        )


# --- what buyers see ----------------------------------------------------------------------


def test_on_holiday_products_stay_visible_with_the_return_date_but_cannot_be_bought(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    until = in_days(7)
    seller_holiday_set(seller=seller, actor=owner, until=until)

    # visible in the listing, with its price
    assert product.pk in set(product_list_public().values_list("pk", flat=True))
    listing = client.get(reverse("catalogue:index")).content.decode()
    assert product.title in listing

    # the product page: price, the return date, no basket button
    page = client.get(product.get_absolute_url()).content.decode()
    assert "۱۵۰٬۰۰۰ تومان" in page
    assert f"فروشنده تا {format_jalali(until)} در تعطیلات است" in page
    assert 'data-testid="add-to-basket"' not in page

    # and a basket add straight to Oscar's URL is refused
    buyer = UserFactory(username="+989351112233")
    client.force_login(buyer)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert not Line.objects.filter(product=product).exists()


def test_back_to_work_makes_products_buyable_again(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    seller_holiday_set(seller=seller, actor=owner, until=in_days(7))
    strategy = Selector().strategy()
    assert not strategy.fetch_for_product(product).availability.is_available_to_buy

    client.force_login(owner)
    client.post(holiday_url(seller), {"op": "end"})
    seller.refresh_from_db()
    assert seller.holiday_until is None
    # the cached open-booth data was dropped when the seller was saved
    assert strategy.fetch_for_product(product).availability.is_available_to_buy
    assert 'data-testid="add-to-basket"' in (
        client.get(product.get_absolute_url()).content.decode()
    )


def test_a_holiday_that_ended_yesterday_does_not_block(panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    type(seller).objects.filter(pk=seller.pk).update(holiday_until=in_days(-1))
    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.is_available_to_buy


def test_holiday_ends_after_the_return_date_itself(panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    seller_holiday_set(seller=seller, actor=owner, until=timezone.localdate())
    info = Selector().strategy().fetch_for_product(product)
    assert not info.availability.is_available_to_buy  # still off today
    assert info.price.exists  # prices are still shown


def test_the_strategy_knows_holidays_without_a_query(
    panel_booth, bracelet_category, django_assert_num_queries
):
    seller, owner = panel_booth
    seller_holiday_set(seller=seller, actor=owner, until=in_days(3))
    products = [
        approved_product(seller, owner, bracelet_category, title=f"کار {i}")
        for i in range(3)
    ]
    products = list(
        Product.objects.filter(pk__in=[p.pk for p in products])
        .select_related("product_class")
        .prefetch_related("stockrecords")
    )
    strategy = Selector().strategy()
    strategy.fetch_for_product(products[0])  # warms the open-booth cache
    with django_assert_num_queries(0):
        for product in products:
            info = strategy.fetch_for_product(product)
            assert info.availability.code == "holiday"


def test_paused_or_pending_products_cannot_be_added_to_a_basket(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    paused = approved_product(seller, owner, bracelet_category, title="متوقف")
    Product.objects.filter(pk=paused.pk).update(is_paused=True)
    pending = approved_product(seller, owner, bracelet_category, title="منتظر")
    Product.objects.filter(pk=pending.pk).update(moderation_status="pending")
    client.force_login(UserFactory(username="+989351112244"))
    for product in (paused, pending):
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert not Line.objects.exists()
