"""The card refund outbox (issue 25 §2): a cancellation commits with a pending
refund row and never calls Stripe under its locks; a Celery task sends it after
commit, with the same idempotency key on every attempt and a backoff between
them; the beat sweep sends what was never queued or failed; the buyer, the
booth and staff see where it stands. Against a real stripe-mock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from orders import refunds, stripe_gateway, tasks
from orders.models import CardRefund, LedgerEntry, SellerOrder, SellerOrderEvent
from orders.notifications import buyer_link_token
from orders.refunds import card_refunds_sweep
from orders.services import BUYER, SELLER, seller_order_transition
from orders.stripe_gateway import CardPaymentError

from .conftest import basket_with, place
from .stripe_helpers import intent_object, post_event

pytestmark = pytest.mark.django_db
S = SellerOrder.Status
R = CardRefund.Status


def _paid(client, card_order):
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    return order, payment, list(order.seller_orders.order_by("pk"))


@pytest.fixture
def stripe_calls(monkeypatch):
    """Every refund the outbox asks Stripe for (passed on to stripe-mock)."""
    calls = []
    real = stripe_gateway.refund_create
    monkeypatch.setattr(
        refunds, "refund_create", lambda **kw: calls.append(kw) or real(**kw)
    )
    return calls


@pytest.fixture
def stripe_refusing(monkeypatch):
    """Stripe cannot be reached for refunds until `.stop()`."""
    real = stripe_gateway.refund_create
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        raise CardPaymentError("unavailable") from ConnectionError("boom")

    class Switch:
        def stop(self):
            monkeypatch.setattr(
                refunds, "refund_create", lambda **kw: calls.append(kw) or real(**kw)
            )

    monkeypatch.setattr(refunds, "refund_create", refuse)
    switch = Switch()
    switch.calls = calls
    return switch


def test_cancelling_commits_a_pending_refund_and_calls_stripe_only_after_commit(
    client, card_order, stripe_calls, django_capture_on_commit_callbacks
):
    from oscar.apps.payment.models import Source

    order, payment, (first, second) = _paid(client, card_order)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seller_order_transition(
            seller_order=first, action="decline", party=SELLER, note="تمام شد"
        )
    # the transition wrote everything, and asked Stripe for nothing
    assert stripe_calls == []
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    refund = CardRefund.objects.get()
    key = f"refund-{order.number}-{first.seller_id}-decline"
    assert (refund.seller_order, refund.status, refund.idempotency_key) == (
        first,
        R.PENDING,
        key,
    )
    assert refund.amount_rials == first.total
    assert refund.attempts == 0 and refund.stripe_refund_id == ""
    assert (
        LedgerEntry.objects.filter(seller_order=first).aggregate(s=Sum("amount"))["s"]
        == 0
    )
    source = Source.objects.get(reference=first.number)
    assert source.amount_refunded == 0  # not until Stripe confirms
    # after commit: one call, with the key
    for callback in callbacks:
        callback()
    assert [c["idempotency_key"] for c in stripe_calls] == [key]
    refund.refresh_from_db()
    assert refund.status == R.SENT and refund.stripe_refund_id.startswith("re_")
    assert refund.attempts == 1
    source.refresh_from_db()
    assert source.amount_refunded == first.total
    assert source.transactions.filter(
        txn_type="Refund", reference=refund.stripe_refund_id
    ).exists()
    assert SellerOrderEvent.objects.filter(
        seller_order=first, action="refund_sent"
    ).exists()
    # the sweep finds nothing more to send; the other part is untouched
    assert card_refunds_sweep(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(stripe_calls) == 1
    assert not CardRefund.objects.filter(seller_order=second).exists()


@pytest.mark.dates
def test_a_failed_attempt_backs_off_and_the_sweep_sends_it_once(
    client, card_order, stripe_refusing, django_capture_on_commit_callbacks
):
    order, _, (first, _) = _paid(client, card_order)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    refund = CardRefund.objects.get()
    assert refund.status == R.PENDING and refund.attempts == 1
    assert refund.last_error == "ConnectionError: boom"
    wait = dt.timedelta(seconds=django_settings.CARD_REFUND_RETRY_SECONDS)
    assert start + wait <= refund.next_attempt_at <= timezone.now() + wait
    # not due yet: the sweep leaves it
    assert card_refunds_sweep(now=start) == 0
    assert len(stripe_refusing.calls) == 1
    # due, still down: a second attempt, twice the wait
    later = refund.next_attempt_at + dt.timedelta(seconds=1)
    assert card_refunds_sweep(now=later) == 0
    refund.refresh_from_db()
    assert refund.attempts == 2
    assert refund.next_attempt_at == later + 2 * wait
    # Stripe back: sent, once, with the same key every time
    stripe_refusing.stop()
    assert card_refunds_sweep(now=later + dt.timedelta(hours=1)) == 1
    assert card_refunds_sweep(now=later + dt.timedelta(days=1)) == 0
    refund.refresh_from_db()
    assert refund.status == R.SENT and refund.last_error == ""
    keys = {c["idempotency_key"] for c in stripe_refusing.calls}
    assert keys == {f"refund-{order.number}-{first.seller_id}-cancel"}
    assert len(stripe_refusing.calls) == 3


@pytest.mark.dates
def test_after_the_last_attempt_it_fails_and_staff_see_what_is_stuck(
    client, card_order, staff, settings, stripe_refusing
):
    settings.CARD_REFUND_MAX_ATTEMPTS = 2
    order, _, (first, second) = _paid(client, card_order)
    seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    seller_order_transition(seller_order=second, action="cancel", party=BUYER)
    young, old = CardRefund.objects.order_by("pk")
    client.force_login(staff)
    url = reverse("orders_staff:attention")
    page = client.get(url).content.decode()
    assert 'data-testid="refund-stuck"' not in page  # both under an hour old
    CardRefund.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    page = client.get(url).content.decode()
    assert page.count('data-testid="refund-stuck"') == 1
    now = timezone.now()
    for step in range(2):
        card_refunds_sweep(now=now + dt.timedelta(days=step + 1))
    young.refresh_from_db()
    assert young.status == R.FAILED and young.attempts == 2
    page = client.get(url).content.decode()
    assert page.count('data-testid="refund-stuck"') == 2  # failed, however young
    assert "ConnectionError: boom" in page
    # a failed refund is not retried by the sweep
    calls = len(stripe_refusing.calls)
    card_refunds_sweep(now=now + dt.timedelta(days=9))
    assert len(stripe_refusing.calls) == calls


def test_a_lost_enqueue_is_sent_by_the_sweep(
    client, card_order, monkeypatch, stripe_calls, django_capture_on_commit_callbacks
):
    """Redis down when the cancellation commits: nothing lost, no error."""
    order, _, (first, _) = _paid(client, card_order)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.card_refund_send, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    refund = CardRefund.objects.get()
    assert refund.status == R.PENDING and refund.attempts == 0
    assert stripe_calls == []
    assert tasks.card_refunds_sweep() == 1
    refund.refresh_from_db()
    assert refund.status == R.SENT
    assert len(stripe_calls) == 1


def test_buyer_and_booth_see_the_refund_under_way_then_done(
    client, card_order, order_booth, stripe_calls
):
    order, _, (first, _) = _paid(client, card_order)
    seller, owner = order_booth
    assert first.seller_id == seller.pk
    seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    buyer_url = reverse("orders:track", args=[buyer_link_token(order)])
    panel_url = reverse(
        "orders_panel:part", kwargs={"seller_id": seller.pk, "part_id": first.pk}
    )

    def pages():
        client.logout()
        buyer = client.get(buyer_url).content.decode()
        client.force_login(owner)
        booth = client.get(panel_url).content.decode()
        return buyer, booth

    for page in pages():
        assert "بازپرداخت در جریان است" in page
        assert 'data-refund-status="pending"' in page
    assert card_refunds_sweep() == 1
    for page in pages():
        assert "بازپرداخت در جریان است" not in page
        assert 'data-refund-status="sent"' in page
        assert "به کارت خریدار بازگردانده شد" in page


def test_a_late_payment_for_a_sold_out_part_is_refunded_through_the_outbox(
    client, stripe_mock, order_booth, stripe_calls, django_capture_on_commit_callbacks
):
    from marketplace.accounts import sms
    from orders.card import card_parts_expire_unpaid
    from tests.factories import make_product

    from .stripe_helpers import set_rate, start

    set_rate()
    bag = make_product(seller=order_booth[0], title="کیف آخر", num_in_stock=1)
    order = place(basket_with([(bag, 1)]), method="card")
    payment = start(order)
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(minutes=1))
    card_parts_expire_unpaid()
    place(basket_with([(bag, 1)]))  # someone else buys the last one
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_event(
            client, "payment_intent.succeeded", intent_object(payment)
        )
    assert response.json()["outcome"] == "paid_refunded_1"
    # the webhook only wrote the row; she is told when Stripe confirms
    assert stripe_calls == []
    refund = CardRefund.objects.get()
    assert refund.status == R.PENDING and refund.action == "sold_out"
    assert not [m for m in sms.outbox if m.phone == order.buyer_phone]
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    refund.refresh_from_db()
    assert refund.status == R.SENT
    assert [c["idempotency_key"] for c in stripe_calls] == [refund.idempotency_key]
    told = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert len(told) == 1 and "بازگردانده شد" in told[0]


# --- the expiry run ------------------------------------------------------------------


def test_one_part_failing_never_stops_the_expiry_run(
    order_booth, booth2, product, monkeypatch
):
    from orders import services
    from tests.factories import make_product

    cake = make_product(seller=booth2[0], title="کیک خانگی", num_in_stock=3)
    order = place(basket_with([(product, 1), (cake, 1)]))
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(hours=1))
    first, second = order.seller_orders.order_by("pk")
    real = services.notifications.part_changed

    def breaks_on_first(part, action):
        if part.pk == first.pk:
            raise RuntimeError("provider down")
        return real(part, action)

    monkeypatch.setattr(services.notifications, "part_changed", breaks_on_first)
    assert services.seller_orders_expire() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.NEW  # rolled back; the next run tries again
    assert second.status == S.CANCELLED


def test_the_unpaid_card_parts_expire_even_when_the_first_run_fails(
    card_order, monkeypatch
):
    from orders import services

    order, _ = card_order
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(hours=2))

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "seller_orders_expire", broken)
    assert tasks.expire_overdue_seller_orders() == 2
    assert {p.status for p in order.seller_orders.all()} == {S.CANCELLED}


def test_the_sweep_is_scheduled():
    entry = django_settings.CELERY_BEAT_SCHEDULE["orders-card-refunds-sweep"]
    assert entry["task"] == "orders.tasks.card_refunds_sweep"
    assert entry["schedule"] <= 15 * 60


def test_stripe_is_never_called_inside_a_transaction(
    transactional_db, client, card_order, monkeypatch
):
    """Committed for real (no test transaction around it): the refund is sent
    after the cancellation's commit, with no transaction, so no row lock, open."""
    from django.db import connection

    order, _, (first, second) = _paid(client, card_order)
    open_transaction = []
    real = stripe_gateway.refund_create

    def spy(**kwargs):
        open_transaction.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(refunds, "refund_create", spy)
    seller_order_transition(
        seller_order=first, action="decline", party=SELLER, note="تمام شد"
    )
    SellerOrder.objects.filter(pk=second.pk).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    assert tasks.expire_overdue_seller_orders() == 1
    assert open_transaction == [False, False]
    assert set(CardRefund.objects.values_list("status", flat=True)) == {R.SENT}
