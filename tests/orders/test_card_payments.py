"""Card payment (Stripe) against a real stripe-mock: one PaymentIntent per order,
confirmation from the signed webhook only, idempotent events, a refund per
booth's part, a late payment after the stock ran out, and Stripe failing."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts import sms
from orders import card as card_module
from orders import stripe_gateway
from orders.card import (
    card_parts_expire_unpaid,
    card_payment_start,
    rials_to_minor,
)
from orders.models import (
    CardPayment,
    LedgerEntry,
    SellerOrder,
    SellerOrderEvent,
    StripeEvent,
)
from orders.services import BUYER, SELLER, seller_order_transition
from orders.stripe_gateway import CardPaymentError

from .conftest import basket_with, place
from .stripe_helpers import (
    error_server,
    hanging_server,
    intent_object,
    post_event,
    set_rate,
    start,
)

pytestmark = pytest.mark.django_db
S = SellerOrder.Status


def _parts(order):
    return list(order.seller_orders.order_by("pk"))


# --- placing and paying ------------------------------------------------------------


def test_card_parts_wait_for_payment_and_hold_stock(card_order, order_booth):
    order, payment = card_order
    parts = _parts(order)
    assert [p.status for p in parts] == [S.AWAITING_PAYMENT] * 2
    assert order.status == "awaiting_payment"
    # stock is held while she pays; nothing is owed to anyone yet
    product_stock = parts[0].lines.get().stockrecord
    product_stock.refresh_from_db()
    assert product_stock.num_allocated == 2
    assert not LedgerEntry.objects.filter(seller_order__order=order).exists()
    # both amounts and the rate with its date are kept
    assert payment.payment_intent_id.startswith("pi_")
    assert payment.amount_rials == sum((p.total for p in parts), Decimal(0))
    assert payment.amount_minor == sum(
        rials_to_minor(p.total, payment.rials_per_unit) for p in parts
    )
    assert payment.currency == "eur"
    assert payment.rate_effective_on == timezone.localdate()
    assert payment.idempotency_key == f"pi-basket-{order.basket_id}"
    # the booth does not see it yet
    seller, owner = order_booth
    assert not [m for m in sms.outbox if m.phone == owner.username]


def test_one_payment_intent_per_order_with_transfer_group(card_order, monkeypatch):
    """A double click or a second tab: the one intent, never a second create."""
    order, payment = card_order
    calls = []
    real = stripe_gateway.payment_intent_create
    monkeypatch.setattr(
        card_module,
        "payment_intent_create",
        lambda **kw: calls.append(kw) or real(**kw),
    )
    again = card_payment_start(order=order)
    third = card_payment_start(order=order)
    assert again.payment.pk == third.payment.pk == payment.pk
    assert again.client_secret  # fetched from Stripe each time, never stored
    assert calls == []
    assert CardPayment.objects.filter(order=order).count() == 1


def test_payment_intent_is_created_with_basket_key_and_order_number(
    stripe_mock, order_booth, product, monkeypatch
):
    set_rate()
    order = place(basket_with([(product, 1)]), method="card")
    seen = []
    real = stripe_gateway.payment_intent_create
    monkeypatch.setattr(
        card_module,
        "payment_intent_create",
        lambda **kw: seen.append(kw) or real(**kw),
    )
    start(order)
    start(order)
    assert len(seen) == 1
    assert seen[0]["order_number"] == order.number  # transfer_group
    assert seen[0]["idempotency_key"] == f"pi-basket-{order.basket_id}"


def test_webhook_succeeded_confirms_and_writes_ledger_owed_to_booth(
    client, card_order, order_booth, django_capture_on_commit_callbacks
):
    order, payment = card_order
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(
            client, "payment_intent.succeeded", intent_object(payment)
        )
    assert response.status_code == 200
    parts = _parts(order)
    assert [p.status for p in parts] == [S.NEW, S.NEW]
    for part in parts:
        # a fresh acceptance deadline from the payment on
        assert part.accept_deadline > timezone.now() + dt.timedelta(hours=47)
        entries = LedgerEntry.objects.filter(seller_order=part)
        assert {e.payment_reference for e in entries} == {f"ch_test_{payment.pk}"}
        sale = entries.get(kind="sale")
        assert sale.amount == part.subtotal > 0  # owed TO her: the platform holds it
        assert not sale.cash_held_by_seller
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    order.refresh_from_db()
    assert order.status == "new"
    # now the booth hears of it
    _, owner = order_booth
    assert any("سفارش تازه" in m.text for m in sms.outbox if m.phone == owner.username)


def test_same_event_ten_times_has_one_effect(
    client, card_order, django_capture_on_commit_callbacks
):
    order, payment = card_order
    obj = intent_object(payment)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, "payment_intent.succeeded", obj)
        event_id = first.event_id
        for _ in range(9):
            again = post_event(
                client, "payment_intent.succeeded", obj, event_id=event_id
            )
            assert again.status_code == 200
            assert again.json()["outcome"] == "duplicate"
    assert StripeEvent.objects.filter(event_id=event_id).count() == 1
    assert LedgerEntry.objects.filter(seller_order__order=order).count() == 2 * 3
    assert (
        SellerOrderEvent.objects.filter(seller_order__order=order, action="pay").count()
        == 2
    )
    # a second succeeded event (another id) for the same intent changes nothing
    other = post_event(client, "payment_intent.succeeded", obj)
    assert other.json()["outcome"] == "already_paid"
    assert LedgerEntry.objects.filter(seller_order__order=order).count() == 6


@pytest.mark.parametrize(
    "change", [{"amount": -1}, {"currency": "usd"}], ids=["amount", "currency"]
)
def test_success_for_another_amount_or_currency_pays_nothing(
    client, card_order, staff, change
):
    """Issue 24 §1.4: a signed `payment_intent.succeeded` whose amount or
    currency is not the intent's we recorded marked the order paid."""
    order, payment = card_order
    obj = intent_object(payment)
    if "amount" in change:
        obj["amount"] = payment.amount_minor + change["amount"]
    else:
        obj["currency"] = change["currency"]
    response = post_event(client, "payment_intent.succeeded", obj)
    assert response.status_code == 200
    assert response.json()["outcome"] == "mismatch"
    payment.refresh_from_db()
    assert payment.status == CardPayment.Status.MISMATCH
    assert f"expected {payment.amount_minor} {payment.currency}" in (
        payment.failure_message
    )
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}
    assert not LedgerEntry.objects.filter(seller_order__order=order).exists()
    # a late failure event does not hide it
    late = post_event(
        client,
        "payment_intent.payment_failed",
        intent_object(payment, status="requires_payment_method", error="declined"),
    )
    assert late.json()["outcome"] == "mismatch"
    client.force_login(staff)
    page = client.get(reverse("orders_staff:attention")).content.decode()
    assert page.count('data-testid="payment-mismatch"') == 1
    assert payment.payment_intent_id in page


def test_out_of_order_failure_after_success_changes_nothing(client, card_order):
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    late = post_event(
        client,
        "payment_intent.payment_failed",
        intent_object(payment, status="requires_payment_method", error="declined"),
    )
    assert late.json()["outcome"] == "already_paid"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert {p.status for p in _parts(order)} == {S.NEW}


def test_bad_signature_is_400_and_changes_nothing(client, card_order):
    order, payment = card_order
    wrong = post_event(
        client,
        "payment_intent.succeeded",
        intent_object(payment),
        secret="whsec_someone_else",
    )
    assert wrong.status_code == 400
    missing = client.post(
        reverse("stripe:webhook"), data="{}", content_type="application/json"
    )
    assert missing.status_code == 400
    assert not StripeEvent.objects.exists()
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}


def test_unknown_event_type_is_logged_and_ignored(client, card_order, caplog):
    order, _ = card_order
    with caplog.at_level(logging.INFO, logger="orders.card"):
        response = post_event(
            client, "customer.created", {"id": "cus_1", "object": "customer"}
        )
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert "customer.created" in caplog.text
    assert StripeEvent.objects.get(event_id=response.event_id).outcome == "ignored"
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}


def test_declined_card_keeps_order_waiting_and_tells_her(client, card_order, settings):
    order, payment = card_order
    response = post_event(
        client,
        "payment_intent.payment_failed",
        intent_object(
            payment,
            status="requires_payment_method",
            error="Your card was declined.",
        ),
    )
    assert response.json()["outcome"] == "failed"
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}
    assert not LedgerEntry.objects.filter(seller_order__order=order).exists()
    # her payment page says so, and she may try another card or pay otherwise
    session = client.session
    session["orders_checkout"] = {"placed": order.number, "token": "x"}
    session.save()
    page = client.get(reverse("checkout:card")).content.decode()
    assert "پرداخت قبلی انجام نشد" in page and "Your card was declined." in page
    assert 'data-testid="card-switch"' in page
    # a later success still goes through
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    assert {p.status for p in _parts(order)} == {S.NEW}


def test_redirect_back_never_confirms(client, card_order):
    order, payment = card_order
    session = client.session
    session["orders_checkout"] = {"placed": order.number, "token": "x"}
    session.save()
    response = client.get(
        reverse("checkout:card-return"),
        {"payment_intent": payment.payment_intent_id, "redirect_status": "succeeded"},
    )
    assert response.status_code == 200
    assert "منتظر تأیید Stripe" in response.content.decode()
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}
    # once the webhook has come, the same page sends her to the thank-you step
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    response = client.get(reverse("checkout:card-return"))
    assert response.url == reverse("checkout:thank-you")


# --- Stripe failing ----------------------------------------------------------------


@pytest.mark.parametrize(
    "server", [hanging_server, error_server], ids=["timeout", "500"]
)
def test_stripe_unreachable_or_500_gives_persian_message_and_other_methods(
    client, stripe_mock, settings, order_booth, product, server
):
    set_rate()
    order = place(basket_with([(product, 1)]), method="card")
    session = client.session
    session["orders_checkout"] = {"placed": order.number, "token": "x"}
    session.save()
    settings.STRIPE_TIMEOUT_SECONDS = 0.5
    with server() as url:
        settings.STRIPE_API_BASE = url
        with pytest.raises(CardPaymentError) as error:
            card_payment_start(order=order)
        assert "در دسترس نیست" in error.value.message
        page = client.get(reverse("checkout:card"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "درگاه پرداخت کارتی (Stripe) اکنون در دسترس نیست" in text
    assert 'data-testid="card-switch"' in text and "پرداخت هنگام تحویل" in text
    assert not CardPayment.objects.filter(order=order).exists()
    assert order.seller_orders.get().status == S.AWAITING_PAYMENT
    # Stripe back: the same order gets its one intent
    settings.STRIPE_API_BASE = stripe_mock
    assert start(order).payment_intent_id.startswith("pi_")


def test_switching_to_cash_hands_the_part_to_the_booth(
    client, card_order, order_booth, django_capture_on_commit_callbacks
):
    order, payment = card_order
    session = client.session
    session["orders_checkout"] = {"placed": order.number, "token": "x"}
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:card-switch"))
    assert response.url == reverse("checkout:thank-you")
    parts = _parts(order)
    assert {p.status for p in parts} == {S.NEW}
    assert {p.payment_method for p in parts} == {"cod"}
    assert all(p.seller_holds_cash for p in parts)
    sale = LedgerEntry.objects.get(seller_order=parts[0], kind="sale")
    assert sale.amount == 0 and sale.cash_held_by_seller
    payment.refresh_from_db()
    assert payment.status == "cancelled"
    # a payment that still went through is refunded, part by part
    response = post_event(client, "payment_intent.succeeded", intent_object(payment))
    assert response.json()["outcome"] == "paid_refunded_2"
    assert (
        SellerOrderEvent.objects.filter(
            seller_order__order=order, action="late_refund"
        ).count()
        == 2
    )


# --- refunds per part --------------------------------------------------------------


def _paid(client, card_order):
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    return order, payment


def test_declining_one_part_refunds_that_part_only(
    client, card_order, monkeypatch, django_capture_on_commit_callbacks
):
    from orders import refunds
    from orders.models import CardRefund

    order, payment = _paid(client, card_order)
    first, second = _parts(order)
    keys = []
    real = stripe_gateway.refund_create
    monkeypatch.setattr(
        refunds, "refund_create", lambda **kw: keys.append(kw) or real(**kw)
    )
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=first, action="decline", party=SELLER, note="تمام شد"
        )
    told = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert any("به کارت شما بازگردانده می‌شود" in t for t in told)
    key = f"refund-{order.number}-{first.seller_id}-decline"
    assert len(keys) == 1
    assert keys[0]["idempotency_key"] == key
    assert keys[0]["amount_minor"] == rials_to_minor(
        first.total, payment.rials_per_unit
    )
    refund = CardRefund.objects.get(seller_order=first)
    assert refund.status == CardRefund.Status.SENT
    assert refund.stripe_refund_id.startswith("re_")
    reversals = LedgerEntry.objects.filter(seller_order=first, kind="reversal")
    assert reversals.count() == 3
    # the reversals carry the refund's key; the refund row, Stripe's id
    assert {e.payment_reference for e in reversals} == {key}
    assert (
        LedgerEntry.objects.filter(seller_order=first).aggregate(s=Sum("amount"))["s"]
        == 0
    )
    # the other part is untouched and still owed to its booth
    assert not LedgerEntry.objects.filter(seller_order=second, kind="reversal").exists()
    second.refresh_from_db()
    assert second.status == S.NEW


def test_staff_payout_list_still_works_with_card_sales(client, card_order, staff):
    order, _ = _paid(client, card_order)
    first, _ = _parts(order)
    for action in ("accept", "ship"):
        seller_order_transition(seller_order=first, action=action, party=SELLER)
    seller_order_transition(seller_order=first, action="deliver", party=BUYER)
    client.force_login(staff)
    page = client.get(reverse("orders_staff:ledger"))
    assert page.status_code == 200
    # she has no Sheba: payable, but in no payout batch until she adds one
    expected = sum(e.amount for e in LedgerEntry.objects.filter(seller_order=first))
    assert expected > 0  # the platform owes her
    assert page.content.decode().count('data-testid="payable-row"') == 1


# --- a late payment --------------------------------------------------------------


def _expire_unpaid(order):
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(minutes=1))
    return card_parts_expire_unpaid()


def test_paid_after_sold_out_refunds_the_part_and_tells_her(
    client, stripe_mock, order_booth, django_capture_on_commit_callbacks, monkeypatch
):
    from tests.factories import make_product

    set_rate()
    bag = make_product(seller=order_booth[0], title="کیف آخر", num_in_stock=1)
    order = place(basket_with([(bag, 1)]), buyer=None, method="card")
    payment = start(order)
    with django_capture_on_commit_callbacks(execute=True):
        assert _expire_unpaid(order) == 1
    part = order.seller_orders.get()
    assert part.status == S.CANCELLED
    record = part.lines.get().stockrecord
    record.refresh_from_db()
    assert record.net_stock_level == 1  # given back
    # someone else buys the last one
    place(basket_with([(bag, 1)]))
    record.refresh_from_db()
    assert record.net_stock_level == 0
    from orders import refunds as outbox

    refunds = []
    real = outbox.refund_create
    monkeypatch.setattr(
        outbox, "refund_create", lambda **kw: refunds.append(kw) or real(**kw)
    )
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(
            client, "payment_intent.succeeded", intent_object(payment)
        )
    assert response.status_code == 200
    assert response.json()["outcome"] == "paid_refunded_1"
    assert len(refunds) == 1
    assert refunds[0]["idempotency_key"] == (
        f"refund-{order.number}-{part.seller_id}-sold_out"
    )
    part.refresh_from_db()
    assert part.status == S.CANCELLED
    record.refresh_from_db()
    assert record.net_stock_level == 0  # never below zero
    assert not LedgerEntry.objects.filter(seller_order=part).exists()
    assert SellerOrderEvent.objects.filter(
        seller_order=part, action="sold_out"
    ).exists()
    told = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert any("بازگردانده شد" in t for t in told)


def test_paid_after_the_hold_with_stock_left_goes_through(
    client, stripe_mock, order_booth, product
):
    set_rate()
    order = place(basket_with([(product, 2)]), method="card")
    payment = start(order)
    _expire_unpaid(order)
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    part = order.seller_orders.get()
    assert part.status == S.NEW
    record = part.lines.get().stockrecord
    record.refresh_from_db()
    assert record.num_allocated == 2
    assert LedgerEntry.objects.filter(seller_order=part, kind="sale").exists()


# --- reconciliation -------------------------------------------------------------


def test_reconcile_fixes_a_missed_success_and_reports_the_rest(
    stripe_mock, card_order, monkeypatch
):
    from io import StringIO

    from django.core.management import call_command

    order, payment = card_order
    CardPayment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    # stripe-mock keeps no state: its answer is a fixture with another amount,
    # which is reported, not touched
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("stripe_reconcile", stdout=out)
    assert "report: amount" in out.getvalue()
    assert {p.status for p in _parts(order)} == {S.AWAITING_PAYMENT}

    # Stripe says succeeded, we never heard: fixed through the webhook's path
    def succeeded(intent_id):
        return stripe_gateway.intent_from_event(
            stripe_gateway.WebhookEvent(
                id="x",
                type="payment_intent.succeeded",
                object=intent_object(payment),
            )
        )

    monkeypatch.setattr(card_module, "payment_intent_retrieve", succeeded)
    out = StringIO()
    call_command("stripe_reconcile", stdout=out)
    assert "fixed: paid" in out.getvalue()
    assert {p.status for p in _parts(order)} == {S.NEW}


def test_only_one_module_imports_stripe():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    importers = []
    for path in root.glob("**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "tests", "var", "node_modules"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if any(
            line.strip().startswith(("import stripe", "from stripe"))
            for line in text.splitlines()
        ):
            importers.append("/".join(parts))
    assert importers == ["orders/stripe_gateway.py"]


# --- the rate, set by staff ----------------------------------------------------------


@pytest.mark.dates
def test_staff_set_the_rate_with_its_jalali_date(client, staff):
    from marketplace.persian import format_jalali_numeric, to_latin_digits
    from orders.card import exchange_rate_current
    from tests.factories import UserFactory

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    url = reverse("orders_staff:exchange_rate")
    client.force_login(UserFactory(username="+989120000077"))
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url,
            {
                "toman": "1",
                "effective_on": to_latin_digits(format_jalali_numeric(yesterday)),
            },
        ).status_code
        == 404
    )
    assert exchange_rate_current() is None

    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200 and "نرخی ثبت نشده است" in page.content.decode()
    bad = client.post(url, {"toman": "صد", "effective_on": "1405/13/40"})
    assert bad.status_code == 200
    assert "با عدد مثبت" in bad.content.decode()
    assert "سال/ماه/روز شمسی" in bad.content.decode()
    assert exchange_rate_current() is None
    # today's date in Jalali is the form's initial value
    assert format_jalali_numeric(timezone.localdate()) in page.content.decode()
    ahead = client.post(
        url, {"toman": "۱۰۵٬۰۰۰", "effective_on": format_jalali_numeric(tomorrow)}
    )
    assert "نمی‌تواند در آینده باشد" in ahead.content.decode()
    assert exchange_rate_current() is None
    response = client.post(
        url, {"toman": "۱۰۵٬۰۰۰", "effective_on": format_jalali_numeric(yesterday)}
    )
    assert response.status_code == 302
    rate = exchange_rate_current()
    assert rate.rials_per_unit == Decimal(1_050_000)
    assert rate.effective_on == yesterday
    assert rate.set_by == staff


@pytest.mark.parametrize(
    ("toman", "message"),
    [
        ("999999999999", "مبلغ بیش از اندازه است"),
        ("۹" * 40, "نرخ را به تومان و با عدد مثبت بنویسید."),
        ("0", "نرخ را به تومان و با عدد مثبت بنویسید."),
    ],
)
def test_a_rate_the_money_column_cannot_hold_is_refused(client, staff, toman, message):
    """A 12-digit toman rate passed (max_length=12) and became 13 digits of
    rials: PostgreSQL refused it, SQLite could not show it back (500s)."""
    from orders.card import exchange_rate_current

    client.force_login(staff)
    url = reverse("orders_staff:exchange_rate")
    from marketplace.persian import format_jalali_numeric

    yesterday = format_jalali_numeric(timezone.localdate() - dt.timedelta(days=1))
    response = client.post(url, {"toman": toman, "effective_on": yesterday})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert exchange_rate_current() is None


def test_journey_3_with_a_card(client, stripe_mock, django_capture_on_commit_callbacks):
    """Journey 3 paid by card from abroad: three booths, one checkout, one
    PaymentIntent; the review and the payment page show both amounts and the
    rate with its date; the webhook, not the redirect, confirms."""
    from .checkout_helpers import address_data, choose_all, guest_through_who
    from .test_checkout import fill

    set_rate()
    fill(client)
    guest_through_who(client)
    client.post(reverse("checkout:shipping-address"), address_data())
    choose_all(client, kind="post", method="card")
    review = client.get(reverse("checkout:preview")).content.decode()
    assert 'data-testid="review-card"' in review
    assert "EUR" in review and "۱۰۰٬۰۰۰ تومان" in review  # the rate, in toman
    from marketplace.persian import format_jalali

    # its date, Jalali
    assert format_jalali(card_module.exchange_rate_current().effective_on) in review
    # no Stripe code on pages other than the payment page
    csp = client.get(reverse("checkout:preview")).headers["Content-Security-Policy"]
    assert "js.stripe.com" not in csp

    placed = client.post(reverse("checkout:place"))
    assert placed.url == reverse("checkout:card")
    again = client.post(reverse("checkout:place"))  # a double click
    assert again.url == reverse("checkout:card")
    page = client.get(reverse("checkout:card"))
    assert page.status_code == 200
    body = page.content.decode()
    payment = CardPayment.objects.get()
    assert 'data-client-secret="' in body and "_secret_" in body
    assert "EUR" in body and 'data-testid="card-rate"' in body
    assert "https://js.stripe.com/v3/" in body
    csp = page.headers["Content-Security-Policy"]
    assert "script-src" in csp and "https://js.stripe.com" in csp
    assert "frame-src https://js.stripe.com https://hooks.stripe.com" in csp
    # a second tab: the same PaymentIntent
    client.get(reverse("checkout:card"))
    assert CardPayment.objects.count() == 1
    order = payment.order
    assert order.seller_orders.count() == 3
    assert payment.amount_minor == sum(
        rials_to_minor(p.total, payment.rials_per_unit)
        for p in order.seller_orders.all()
    )

    # Stripe sends her back before the webhook came: still waiting
    wait = client.get(reverse("checkout:card-return"), {"redirect_status": "succeeded"})
    assert wait.status_code == 200 and "منتظر تأیید" in wait.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, "payment_intent.succeeded", intent_object(payment))
    done = client.get(reverse("checkout:card-return"))
    assert done.url == reverse("checkout:thank-you")
    assert {p.status for p in order.seller_orders.all()} == {S.NEW}
    texts = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert any("پرداخت کارتی" in t for t in texts)


def test_she_can_come_back_to_pay_from_her_order_page(client, card_order):
    from orders.notifications import buyer_link_token

    order, payment = card_order
    token = buyer_link_token(order)
    page = client.get(reverse("orders:track", args=[token])).content.decode()
    assert 'data-testid="order-pay"' in page
    assert 'data-testid="buyer-switch_to_cash"' not in page  # not a part button
    response = client.get(reverse("checkout:card-resume", args=[token]))
    assert response.url == reverse("checkout:card")
    card_page = client.get(reverse("checkout:card")).content.decode()
    assert "_secret_" in card_page
    assert (
        client.get(reverse("checkout:card-resume", args=[token + "x"])).status_code
        == 404
    )
    # once paid, the order page no longer asks
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    page = client.get(reverse("orders:track", args=[token])).content.decode()
    assert 'data-testid="order-pay"' not in page


def test_staff_cancelling_a_paid_card_part_refunds_it(
    client, card_order, monkeypatch, staff, django_capture_on_commit_callbacks
):
    from orders import refunds
    from orders.services import STAFF

    order, payment = _paid(client, card_order)
    first = _parts(order)[0]
    keys = []
    real = stripe_gateway.refund_create
    monkeypatch.setattr(
        refunds, "refund_create", lambda **kw: keys.append(kw) or real(**kw)
    )
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=first,
            action="staff_cancel",
            party=STAFF,
            actor=staff,
            note="غرفه تعطیل شد",
        )
    assert [k["idempotency_key"] for k in keys] == [
        f"refund-{order.number}-{first.seller_id}-staff_cancel"
    ]
    assert (
        LedgerEntry.objects.filter(seller_order=first).aggregate(s=Sum("amount"))["s"]
        == 0
    )
