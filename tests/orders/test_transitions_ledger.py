"""The seller order's state machine and the ledger's invariants."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from oscar.apps.payment.models import Source

from marketplace.accounts import sms
from orders.ledger import ledger_balance, ledger_balances, ledger_payable
from orders.models import LedgerEntry, SellerOrder, SellerOrderEvent
from orders.payouts import collection_record, payout_batch_create
from orders.services import seller_order_transition, seller_orders_expire
from sellers.models import SellerAuditEntry, SellerWeekLoad
from sellers.partner.models import StockRecord
from tests.factories import StaffFactory, make_product

from .conftest import Kind, basket_with, place

pytestmark = pytest.mark.django_db
S = SellerOrder.Status


def act(part, action, party="seller", actor=None, **kw):
    return seller_order_transition(
        seller_order=part, action=action, party=party, actor=actor, **kw
    )


def test_accept_ship_deliver(order_booth, product, django_capture_on_commit_callbacks):
    order = place(basket_with([(product, 2)]), kind=Kind.POST)
    part = order.seller_orders.get()
    owner = order_booth[1]
    with django_capture_on_commit_callbacks(execute=True):
        act(part, "accept", actor=owner)
        act(part, "ship", actor=owner, tracking_code="۱۲۳۴۵")
    order.refresh_from_db()
    assert order.status == "in_progress"
    with pytest.raises(ValidationError):
        act(part, "ready", actor=owner)  # a post part is shipped, not "ready"
    act(part, "deliver", party="buyer")
    part.refresh_from_db()
    order.refresh_from_db()
    assert part.status == S.DELIVERED and order.status == "completed"
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (3, 0)
    source = Source.objects.get(reference=part.number)
    assert source.amount_debited == part.total
    events = list(
        SellerOrderEvent.objects.filter(seller_order=part).values_list(
            "action", "actor"
        )
    )
    assert events == [
        ("placed", None),
        ("accept", owner.pk),
        ("ship", owner.pk),
        ("deliver", None),
    ]
    assert any("ارسال شد" in m.text and "۱۲۳۴۵" in m.text for m in sms.outbox)


def test_decline_needs_a_reason_and_puts_stock_back(order_booth, product):
    part = place(basket_with([(product, 2)])).seller_orders.get()
    with pytest.raises(ValidationError):
        act(part, "decline", actor=order_booth[1])
    act(part, "decline", actor=order_booth[1], note="مواد اولیه تمام شده")
    part.refresh_from_db()
    assert part.status == S.CANCELLED and part.cancelled_by == "seller"
    assert StockRecord.objects.get(product=product).num_allocated == 0
    part.order.refresh_from_db()
    assert part.order.status == "cancelled"


def test_buyer_cancels_only_before_acceptance(order_booth, product):
    part = place(basket_with([(product, 1)])).seller_orders.get()
    act(part, "accept")
    with pytest.raises(ValidationError):
        act(part, "cancel", party="buyer")
    with pytest.raises(PermissionDenied):
        act(part, "accept", party="buyer")


def test_overdue_parts_are_cancelled(
    order_booth, booth2, product, django_capture_on_commit_callbacks
):
    other = make_product(seller=booth2[0], title="شال")
    order = place(basket_with([(product, 1), (other, 1)]))
    late, on_time = order.seller_orders.order_by("number")
    act(on_time, "accept")
    SellerOrder.objects.filter(pk=late.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert seller_orders_expire() == 1
    late.refresh_from_db()
    assert late.status == S.CANCELLED and late.cancelled_by == "system"
    assert not StockRecord.objects.get(product=product).num_allocated
    phones = {m.phone for m in sms.outbox}
    assert order.buyer_phone in phones and order_booth[1].username in phones
    assert seller_orders_expire() == 0


def test_made_to_order_cancel_gives_capacity_back(order_booth):
    seller = order_booth[0]
    seller.weekly_capacity = 2
    seller.save()
    cake = make_product(seller=seller, title="کیک", made_to_order=True)
    part = place(basket_with([(cake, 2)])).seller_orders.get()
    act(part, "cancel", party="buyer")
    assert SellerWeekLoad.objects.get(seller=seller).units == 0


# --- ledger --------------------------------------------------------------------------


def test_cash_sale_records_what_she_owes(order_booth, product):
    order = place(basket_with([(product, 2)]), kind=Kind.POST)  # 2 × 1,250,000
    part = order.seller_orders.get()
    entries = {e.kind: e for e in LedgerEntry.objects.filter(seller_order=part)}
    assert entries["sale"].gross == 2_500_000 and entries["sale"].amount == 0
    assert (
        entries["delivery_fee"].gross == 600_000 and entries["delivery_fee"].amount == 0
    )
    assert entries["commission"].amount == Decimal("-125000")
    assert all(e.cash_held_by_seller for e in entries.values())
    # 2 × 1,250,000 at 5%: she owes 125,000 rials and nothing else moves
    assert ledger_balance(order_booth[0]) == Decimal("-125000")


def test_a_cancelled_part_nets_to_zero(order_booth, booth2, product):
    other = make_product(seller=booth2[0], title="شال", price_rials=999_999)
    order = place(basket_with([(product, 1), (other, 3)]))
    for part in order.seller_orders.all():
        act(part, "cancel", party="buyer")
        net = LedgerEntry.objects.filter(seller_order=part).aggregate(
            s=Sum("amount"), g=Sum("gross")
        )
        assert net == {"s": 0, "g": 0}
    assert ledger_balance(order_booth[0]) == 0 == ledger_balance(booth2[0])


def test_entries_are_append_only(order_booth, product):
    place(basket_with([(product, 1)]))
    entry = LedgerEntry.objects.first()
    entry.amount = 1
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_balance_equals_sum_of_entries_through_a_lifecycle(order_booth, product):
    """Her balance against figures worked out by hand: each part is one bag at
    1,250,000 rials, posted, cash on delivery, so she holds the cash and owes
    the 5% commission, 62,500 rials, per part."""
    seller = order_booth[0]
    parts = [place(basket_with([(product, 1)])).seller_orders.get() for _ in range(3)]
    act(parts[0], "accept")
    act(parts[0], "ship")
    act(parts[0], "deliver")
    act(parts[1], "cancel", party="buyer")
    # per part: the sale and the 600,000 post fee for the record (0: she holds
    # the cash) and the commission she owes; the cancelled part's three reversed
    amounts = Counter(
        LedgerEntry.objects.filter(seller=seller).values_list("kind", "amount")
    )
    assert amounts == {
        ("sale", 0): 3,
        ("delivery_fee", 0): 3,
        ("commission", Decimal("-62500")): 3,
        ("reversal", 0): 2,
        ("reversal", Decimal("62500")): 1,
    }
    # owed: the delivered part's and the open part's commissions (2 × 62,500);
    # only the delivered one (and the cancelled pair, net 0) is settled
    assert ledger_balance(seller) == Decimal("-125000")
    assert ledger_payable(seller) == Decimal("-62500")
    staff = StaffFactory()
    line = payout_batch_create(kind="collection", actor=staff).lines.get()
    received = collection_record(line=line, actor=staff, note="واریز کارمزد")
    assert received.amount == Decimal("62500")
    assert collection_record(line=line, actor=staff) is None
    assert (
        SellerAuditEntry.objects.filter(
            seller=seller, action="collection_received"
        ).count()
        == 1
    )
    # -125,000 + 62,500 received: the open part's commission is still owed,
    # and none of it is settled yet
    assert ledger_balance(seller) == Decimal("-62500")
    assert ledger_payable(seller) == 0
    assert [(row.pk, row.balance, row.payable) for row in ledger_balances()] == [
        (seller.pk, Decimal("-62500"), 0)
    ]


def test_the_expiry_task_is_scheduled_and_runs():
    from django.conf import settings

    from marketplace.celery import app
    from orders.tasks import expire_overdue_seller_orders

    entry = settings.CELERY_BEAT_SCHEDULE["orders-expire-overdue-parts"]
    assert entry["task"] == expire_overdue_seller_orders.name
    assert entry["task"] in app.tasks
    assert expire_overdue_seller_orders.delay().get() == 0
