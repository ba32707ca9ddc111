"""The basket page: grouped by booth, Persian reasons for lines that cannot be
bought, Persian digits in quantities, the guest basket merged at login, and a
constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sellers.models import Seller
from tests.factories import UserFactory, make_product

from .conftest import make_booth

pytestmark = pytest.mark.django_db


def add(client, product, quantity=1):
    client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}
    )


def three_booth_basket(client, lines_per_booth=1):
    booths = [make_booth(f"+98912{i}000000", name=f"غرفهٔ {i}")[0] for i in range(3)]
    products = []
    for booth in booths:
        for j in range(lines_per_booth):
            product = make_product(seller=booth, title=f"کالا {booth.pk}-{j}")
            add(client, product)
            products.append(product)
    return booths, products


def test_lines_are_grouped_by_booth_with_delivery_and_subtotal(client):
    booths, _ = three_booth_basket(client, lines_per_booth=2)
    response = client.get(reverse("basket:summary"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="basket-part"') == 3
    for booth in booths:
        assert f"غرفهٔ {booth.brand_name}" in body
    assert "۲۵۰٬۰۰۰ تومان" in body  # each booth: 2 × 125,000 toman
    assert "پست: ۶۰٬۰۰۰ تومان" in body
    assert "روز کاری" in body
    assert "Your basket" not in body and "Quantity" not in body


@pytest.mark.parametrize("lines_per_booth", [1, 3])
def test_basket_query_count_is_constant(
    client, django_assert_max_num_queries, lines_per_booth
):
    three_booth_basket(client, lines_per_booth)
    client.get(reverse("basket:summary"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert (
        response.content.decode().count('data-testid="basket-line"')
        == 3 * lines_per_booth
    )


def test_persian_digits_in_quantity(client):
    booth, _ = make_booth("+989121111111", name="چرم")
    product = make_product(seller=booth, title="کیف", num_in_stock=5)
    add(client, product)
    line = client.get(reverse("basket:summary")).wsgi_request.basket.all_lines()[0]
    response = client.post(
        reverse("basket:summary"), {"line": line.pk, "quantity": "۲"}, follow=True
    )
    assert "تعداد «کیف» ۲ شد." in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 2
    # too many, or not a number: a Persian message and the line kept
    response = client.post(
        reverse("basket:summary"), {"line": line.pk, "quantity": "۹"}, follow=True
    )
    assert "فقط ۵ عدد موجود است" in response.content.decode()
    response = client.post(
        reverse("basket:summary"), {"line": line.pk, "quantity": "دو"}, follow=True
    )
    assert "تعداد را با عدد بنویسید" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 2


@pytest.mark.dates
@pytest.mark.parametrize(
    "change, reason",
    [
        ("sold_out", "تمام شده است"),
        ("paused", "فعلاً متوقف است"),
        ("holiday", "در تعطیلات است"),
        ("suspended", "فعلاً سفارش نمی‌پذیرد"),
        ("week_full", "ظرفیت سفارش این هفته"),
    ],
)
def test_unbuyable_lines_are_marked_with_a_reason(client, change, reason):
    booth, _ = make_booth("+989121111111", name="چرم")
    keep = make_product(seller=make_booth("+989122222222", name="دیگر")[0], title="شال")
    product = make_product(
        seller=booth, title="کیک", made_to_order=change == "week_full"
    )
    add(client, product)
    add(client, keep)
    record = product.stockrecords.get()
    if change == "sold_out":
        record.num_allocated = record.num_in_stock
        record.save()
    elif change == "paused":
        product.is_paused = True
        product.save()
    elif change == "holiday":
        booth.holiday_until = timezone.localdate() + dt.timedelta(days=3)
        booth.save()
    elif change == "suspended":
        booth.status = Seller.Status.SUSPENDED
        booth.save()
    else:
        from orders.calendar import week_start
        from sellers.models import SellerWeekLoad

        booth.weekly_capacity = 1
        booth.save()
        SellerWeekLoad.objects.create(
            seller=booth, week_start=week_start(timezone.localdate()), units=1
        )
    body = client.get(reverse("basket:summary")).content.decode()
    assert reason in body
    assert body.count('data-testid="line-problem"') == 1
    assert 'data-testid="checkout-link"' in body  # the other line can still be bought


def test_guest_basket_is_merged_at_login_with_a_persian_message(client):
    booth, _ = make_booth("+989121111111", name="چرم")
    product = make_product(seller=booth, title="کیف")
    add(client, product)
    user = UserFactory(username="+989351234567")
    client.force_login(user)
    response = client.get(reverse("basket:summary"))
    body = response.content.decode()
    assert "کیف" in body
    assert "به سبد خرید شما اضافه شد" in body
    assert "merged" not in body


def test_add_to_basket_message_is_persian(client):
    booth, _ = make_booth("+989121111111", name="چرم")
    product = make_product(seller=booth, title="کیف")
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True
    )
    body = response.content.decode()
    assert "«کیف» به سبد خرید اضافه شد." in body
    assert "has been added" not in body and "Your basket total" not in body
