"""The bazaar pages: staff list, bazaar and stall pages; her bazaars and stall in
the panel. Query counts pinned (≤ 12, constant in the number of rows), who may
open what, and a stall sale typed in Persian digits on her phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.persian import format_jalali_numeric
from orders.models import LedgerEntry, StallSale
from sellers.models import Bazaar, BazaarStall, SellerAuditEntry
from sellers.partner.models import StockRecord
from tests.factories import make_product
from tests.orders.conftest import make_booth

from .conftest import make_bazaar

pytestmark = pytest.mark.django_db


def add_stalls(bazaar, n):
    stalls = []
    for i in range(n):
        seller, _ = make_booth(f"+98912555{bazaar.pk:02d}{i:02d}", name=f"غرفه {i}")
        stalls.append(
            BazaarStall.objects.create(
                bazaar=bazaar, seller=seller, stall_number=str(i + 1)
            )
        )
    return stalls


@pytest.mark.parametrize("rows", [1, 4])
def test_staff_pages_query_counts(
    client, bazaar_staff, rows, django_assert_max_num_queries
):
    client.force_login(bazaar_staff)
    bazaars = [make_bazaar(starts_in=i * 10) for i in range(rows)]
    stalls = [add_stalls(b, rows) for b in bazaars]
    stall = stalls[0][0]
    for i in range(rows):
        make_product(seller=stall.seller, title=f"کالا {i}")
    urls = [
        reverse("bazaars_staff:list"),
        reverse("bazaars_staff:detail", args=[bazaars[0].pk]),
        reverse("bazaars_staff:stall", args=[bazaars[0].pk, stall.pk]),
    ]
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("rows", [1, 4])
def test_panel_pages_query_counts(
    client, order_booth, rows, django_assert_max_num_queries
):
    seller, owner = order_booth
    client.force_login(owner)
    stalls = [
        BazaarStall.objects.create(
            bazaar=make_bazaar(starts_in=i * 10), seller=seller, stall_number="5"
        )
        for i in range(rows)
    ]
    products = [make_product(seller=seller, title=f"کالا {i}") for i in range(rows)]
    from orders.stalls import stall_sale_record

    for product in products:
        stall_sale_record(
            stall=stalls[0],
            stockrecord_id=StockRecord.objects.get(product=product).pk,
            quantity=1,
            actor=owner,
        )
    urls = [
        reverse("panel:bazaars", kwargs={"seller_id": seller.pk}),
        reverse(
            "panel:bazaar_stall",
            kwargs={"seller_id": seller.pk, "stall_id": stalls[0].pk},
        ),
    ]
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, url


def test_seller_records_a_stall_sale_in_persian_digits(client, order_booth, stall):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    record = StockRecord.objects.get(product=product)
    client.force_login(owner)
    url = reverse(
        "panel:bazaar_stall", kwargs={"seller_id": seller.pk, "stall_id": stall.pk}
    )
    page = client.get(url).content.decode()
    assert 'data-testid="stall-sale-form"' in page
    response = client.post(
        url,
        {
            "op": "sale",
            "stockrecord_id": record.pk,
            "quantity": "۲",
            "unit_price": "۱۲۰٬۰۰۰",
        },
    )
    assert response.status_code == 302
    sale = StallSale.objects.get()
    assert (sale.quantity, sale.unit_price, sale.total) == (2, 1_200_000, 2_400_000)
    assert LedgerEntry.objects.filter(stall_sale=sale).count() == 2
    # Too many: a Persian message on the form, nothing written.
    response = client.post(
        url, {"op": "sale", "stockrecord_id": record.pk, "quantity": "۹"}
    )
    assert response.status_code == 200
    assert "از «کیف چرمی» فقط ۳ عدد دارید." in response.content.decode()
    assert StallSale.objects.count() == 1
    # Set aside in Persian digits too.
    client.post(url, {"op": "set_aside", "stockrecord_id": record.pk, "units": "۲"})
    assert StockRecord.objects.get(pk=record.pk).num_set_aside == 2


@pytest.mark.parametrize(
    ("quantity", "unit_price", "message"),
    [
        # 999,999,999,999 toman: a 13-digit rial price, more than the column
        # holds; PostgreSQL refused it (500), SQLite stored it and the stall page
        # and her ledger then failed to read it back (500).
        ("1", "999999999999", "مبلغ بیش از اندازه است"),
        # Each within its cap, but the total is over the order cap.
        ("۹۹۹", "۹۰۰٬۰۰۰٬۰۰۰", "مبلغ هر فروش حداکثر"),
    ],
)
def test_a_stall_price_too_big_for_the_ledger_is_a_form_error(
    client, order_booth, stall, quantity, unit_price, message
):
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5000)
    record = StockRecord.objects.get(product=product)
    client.force_login(owner)
    url = reverse(
        "panel:bazaar_stall", kwargs={"seller_id": seller.pk, "stall_id": stall.pk}
    )
    response = client.post(
        url,
        {
            "op": "sale",
            "stockrecord_id": record.pk,
            "quantity": quantity,
            "unit_price": unit_price,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="form-errors"' in body
    assert message in body
    assert not StallSale.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 5000
    assert client.get(url).status_code == 200
    ledger = reverse("orders_panel:ledger", kwargs={"seller_id": seller.pk})
    assert client.get(ledger).status_code == 200


def test_another_booths_stall_is_not_found_and_changes_nothing(
    client, order_booth, booth2, stall
):
    seller, owner = order_booth
    product = make_product(seller=seller, num_in_stock=5)
    record = StockRecord.objects.get(product=product)
    other_seller, other_owner = booth2
    client.force_login(other_owner)
    for kwargs in (
        {"seller_id": seller.pk, "stall_id": stall.pk},
        {"seller_id": other_seller.pk, "stall_id": stall.pk},
    ):
        for name in ("panel:bazaar_stall", "panel:bazaar_poster"):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
        response = client.post(
            reverse("panel:bazaar_stall", kwargs=kwargs),
            {"op": "sale", "stockrecord_id": record.pk, "quantity": "1"},
        )
        assert response.status_code == 404
    assert not StallSale.objects.exists()
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 5


def test_staff_pages_need_the_bazaar_permission(client, order_booth, bazaar):
    from tests.factories import StaffFactory

    url = reverse("bazaars_staff:list")
    assert client.get(url).status_code == 302  # to log in
    client.force_login(StaffFactory(username="+989120000999"))
    assert client.get(url).status_code == 403
    response = client.post(
        reverse("bazaars_staff:detail", args=[bazaar.pk]),
        {"seller": order_booth[0].pk, "stall_number": "3"},
    )
    assert response.status_code == 403
    assert not BazaarStall.objects.exists()
    client.force_login(order_booth[1])
    assert client.get(url).status_code == 403


@pytest.mark.dates
def test_staff_create_a_bazaar_and_assign_only_approved_booths(client, bazaar_staff):
    client.force_login(bazaar_staff)
    today = timezone.localdate()
    response = client.post(
        reverse("bazaars_staff:new"),
        {
            "name": "بازارچه دستاوردهای زنان شهر تهران – منطقه ۴",
            # typed as she would: Jalali, Persian digits; a bazaar still ahead
            "starts_on": format_jalali_numeric(today + dt.timedelta(days=3)),
            "ends_on": format_jalali_numeric(today + dt.timedelta(days=5)),
            "place": "فرهنگسرای خاوران",
            "opening_hours": "۱۰ تا ۱۹",
        },
    )
    assert response.status_code == 302
    bazaar = Bazaar.objects.get()
    assert bazaar.starts_on == today + dt.timedelta(days=3)
    assert bazaar.ends_on == today + dt.timedelta(days=5)
    approved, _ = make_booth("+989126660001", name="سفال آبی")
    pending, _ = make_booth("+989126660002", name="گلدوزی", status="submitted")
    url = reverse("bazaars_staff:detail", args=[bazaar.pk])
    response = client.post(url, {"seller": approved.pk, "stall_number": "۸"})
    assert response.status_code == 302
    assert BazaarStall.objects.get().stall_number == "8"
    assert SellerAuditEntry.objects.filter(
        seller=approved, action="bazaar_stall_assign"
    ).exists()
    # An unapproved booth is not even offered; forced, the service refuses it.
    from django.core.exceptions import ValidationError

    from sellers import services

    with pytest.raises(ValidationError) as error:
        services.bazaar_stall_assign(
            bazaar=bazaar, seller=pending, stall_number="9", actor=bazaar_staff
        )
    assert error.value.messages == [
        "فقط غرفه‌های تأییدشده می‌توانند در بازارچه جایگاه بگیرند."
    ]
    # The same stall number for another booth: a Persian message.
    other, _ = make_booth("+989126660003", name="چرم")
    response = client.post(url, {"seller": other.pk, "stall_number": "8"})
    assert "جایگاه شمارهٔ ۸ را غرفهٔ دیگری گرفته است." in response.content.decode()
    assert BazaarStall.objects.count() == 1


def test_staff_remove_a_stall_by_a_hand_made_id_is_a_message(
    client, bazaar_staff, stall
):
    """The stall id went to the database unchecked: letters or 5,000 digits
    were a 500. Another bazaar's stall stays where it is."""
    other = BazaarStall.objects.create(
        bazaar=make_bazaar(name="بازارچهٔ دیگر"), seller=stall.seller, stall_number="3"
    )
    client.force_login(bazaar_staff)
    url = reverse("bazaars_staff:detail", args=[stall.bazaar_id])
    for value in ("9" * 5000, "xx", "\u202e۱۲", str(other.pk)):
        response = client.post(url, {"op": "remove", "stall": value}, follow=True)
        assert response.status_code == 200
        assert "این غرفه در این بازارچه نیست." in response.content.decode()
    assert BazaarStall.objects.count() == 2
    response = client.post(url, {"op": "remove", "stall": stall.pk}, follow=True)
    assert "غرفه از بازارچه برداشته شد." in response.content.decode()
    assert list(BazaarStall.objects.all()) == [other]
