"""The buyer sees what she owes (issue 25 §7): after one part is declined and
another cancelled, her order page, her order list and the guest link show each
part's amount, what was cancelled (or goes back to her card) and what is still
due or paid; the SMS and e-mail of a cancellation say the new sum. The figures
come from one rule, `orders.selectors.order_amounts`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts import sms
from orders.notifications import buyer_link_token
from orders.selectors import order_amounts, order_with_parts
from orders.services import BuyerData, seller_order_transition
from tests.factories import UserFactory, make_product

from .conftest import basket_with, guest, place

pytestmark = pytest.mark.django_db

BUYER_PHONE = "+989351110000"


def _buyer():
    return UserFactory(username=BUYER_PHONE, email="maryam@example.com")


def _three_booth_order(order_booth, booth2, booth3, *, user=None, email=""):
    """Three parts by post (600,000 rials each): 185,000, 260,000 and 360,000
    toman; 805,000 toman in all."""
    bag = make_product(seller=order_booth[0], title="کیف چرمی", price_rials=1_250_000)
    cake = make_product(seller=booth2[0], title="کیک خانگی", price_rials=2_000_000)
    rug = make_product(seller=booth3[0], title="گلیم کوچک", price_rials=3_000_000)
    buyer = (
        BuyerData(user=user, name="مریم احمدی", phone=BUYER_PHONE, email=email)
        if user
        else guest(email=email)
    )
    order = place(basket_with([(bag, 1), (cake, 1), (rug, 1)], owner=user), buyer=buyer)
    parts = list(order.seller_orders.order_by("number"))
    return order, parts


def _decline_and_cancel(parts):
    """The first part declined by its booth, the second cancelled by her."""
    declined, cancelled, _ = parts
    seller_order_transition(
        seller_order=declined, action="decline", party="seller", note="تمام شد"
    )
    seller_order_transition(seller_order=cancelled, action="cancel", party="buyer")


def test_the_rule_part_by_part(order_booth, booth2, booth3):
    order, parts = _three_booth_order(order_booth, booth2, booth3)
    _decline_and_cancel(parts)
    money = order_amounts(order_with_parts(order.pk))
    assert [p.total for p in money.parts] == [
        Decimal(1_850_000),
        Decimal(2_600_000),
        Decimal(3_600_000),
    ]
    assert [p.cancelled for p in money.parts] == [
        Decimal(1_850_000),
        Decimal(2_600_000),
        0,
    ]
    assert [p.due for p in money.parts] == [0, 0, Decimal(3_600_000)]
    assert money.total == Decimal(8_050_000)
    assert money.cancelled == Decimal(4_450_000)
    assert money.due_on_delivery == money.due == money.current == Decimal(3_600_000)
    assert money.paid == money.refunded == money.due_by_card == 0
    assert money.changed
    # Delivered on delivery: paid, nothing due.
    last = parts[2]
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(
            seller_order=last,
            action=action,
            party="buyer" if action == "deliver" else "seller",
            tracking_code="RR123" if action == "ship" else "",
        )
    money = order_amounts(order_with_parts(order.pk))
    assert money.paid == money.current == Decimal(3_600_000)
    assert money.due == 0


def test_her_order_page_shows_cancelled_and_due(client, order_booth, booth2, booth3):
    user = _buyer()
    order, parts = _three_booth_order(order_booth, booth2, booth3, user=user)
    _decline_and_cancel(parts)
    client.force_login(user)
    page = client.get(reverse("orders:detail", kwargs={"number": order.number}))
    body = page.content.decode()
    assert "جمع کل: ۸۰۵٬۰۰۰ تومان" not in body  # the old, wrong, sum
    assert "<dt>جمع سفارش هنگام ثبت</dt><dd>۸۰۵٬۰۰۰ تومان</dd>" in body
    assert 'data-testid="amount-cancelled">۴۴۵٬۰۰۰ تومان<' in body
    assert 'data-testid="amount-due">۳۶۰٬۰۰۰ تومان<' in body
    assert "مبلغ قابل پرداخت: ۳۶۰٬۰۰۰ تومان" in body
    # each part: its amount and what it means for her
    assert body.count("لغو شد؛ پولی از شما گرفته نمی‌شود") == 2
    assert "جمع این بخش: ۳۶۰٬۰۰۰ تومان</strong> – پرداخت هنگام تحویل" in body
    assert "جمع این بخش: ۱۸۵٬۰۰۰ تومان</strong> – لغو شد" in body


def test_her_order_list_shows_the_new_sum(client, order_booth, booth2, booth3):
    user = _buyer()
    order, parts = _three_booth_order(order_booth, booth2, booth3, user=user)
    _decline_and_cancel(parts)
    client.force_login(user)
    body = client.get(reverse("orders:history")).content.decode()
    assert (
        "جمع هنگام ثبت ۸۰۵٬۰۰۰ تومان؛ اکنون ۳۶۰٬۰۰۰ تومان – "
        "مانده برای پرداخت: ۳۶۰٬۰۰۰ تومان" in body
    )


def test_the_guest_link_shows_the_new_sum(client, order_booth, booth2, booth3):
    order, parts = _three_booth_order(order_booth, booth2, booth3)
    _decline_and_cancel(parts)
    token = buyer_link_token(order)
    body = client.get(reverse("orders:track", kwargs={"token": token})).content.decode()
    assert 'data-testid="amount-cancelled">۴۴۵٬۰۰۰ تومان<' in body
    assert "مبلغ قابل پرداخت: ۳۶۰٬۰۰۰ تومان" in body


def test_an_unchanged_order_shows_its_total_as_due(client, order_booth, product):
    user = _buyer()
    order = place(
        basket_with([(product, 2)], owner=user),
        buyer=BuyerData(user=user, name="مریم", phone=BUYER_PHONE, email=""),
    )
    client.force_login(user)
    body = client.get(reverse("orders:history")).content.decode()
    # 2 × 125,000 + 60,000 by post
    assert "۳۱۰٬۰۰۰ تومان – مانده برای پرداخت: ۳۱۰٬۰۰۰ تومان" in body
    assert "اکنون" not in body
    detail = client.get(reverse("orders:detail", kwargs={"number": order.number}))
    assert "amount-cancelled" not in detail.content.decode()


def _queries(client, url) -> int:
    client.get(url)  # the header's basket count, cached once her baskets changed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_her_pages_cost_the_same_queries_however_many_orders_and_parts(
    client, order_booth, booth2, booth3
):
    user = _buyer()
    client.force_login(user)
    one_booth = make_product(seller=order_booth[0], title="کیف", num_in_stock=50)
    first = place(
        basket_with([(one_booth, 1)], owner=user),
        buyer=BuyerData(user=user, name="مریم", phone=BUYER_PHONE, email=""),
    )
    history_one = _queries(client, reverse("orders:history"))
    detail_one = _queries(
        client, reverse("orders:detail", kwargs={"number": first.number})
    )
    bigger, parts = _three_booth_order(order_booth, booth2, booth3, user=user)
    _decline_and_cancel(parts)
    place(
        basket_with([(one_booth, 1)], owner=user),
        buyer=BuyerData(user=user, name="مریم", phone=BUYER_PHONE, email=""),
    )
    assert _queries(client, reverse("orders:history")) == history_one
    assert (
        _queries(client, reverse("orders:detail", kwargs={"number": bigger.number}))
        == detail_one
    )


def _buyer_texts(order):
    return [m.text for m in sms.outbox if m.phone == order.buyer_phone] + [
        m.body for m in mail.outbox
    ]


def test_a_cancellation_message_says_the_new_sum(
    order_booth, booth2, booth3, django_capture_on_commit_callbacks
):
    order, (declined, cancelled, _) = _three_booth_order(
        order_booth, booth2, booth3, email="maryam@example.com"
    )
    number = order.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    sms.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=declined,
            action="decline",
            party="seller",
            note="مواد اولیه تمام شده است",
        )
    texts = _buyer_texts(order)
    assert len(texts) == 2  # the SMS and the e-mail
    for text in texts:
        # the existing sentence is kept, then the new sum
        assert (
            "این بخش لغو شد و پولی از شما گرفته نمی‌شود.\n"
            f"مبلغ سفارش {number} اکنون ۶۲۰٬۰۰۰ تومان است (هنگام ثبت ۸۰۵٬۰۰۰ تومان)؛ "
            "۶۲۰٬۰۰۰ تومان هنگام تحویل پرداخت می‌شود.\n" in text
        ), text
    sms.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(seller_order=cancelled, action="cancel", party="buyer")
    texts = _buyer_texts(order)
    assert len(texts) == 2
    for text in texts:
        assert (
            f"مبلغ سفارش {number} اکنون ۳۶۰٬۰۰۰ تومان است (هنگام ثبت ۸۰۵٬۰۰۰ تومان)؛ "
            "۳۶۰٬۰۰۰ تومان هنگام تحویل پرداخت می‌شود." in text
        ), text


def test_the_last_cancellation_says_nothing_is_left_to_pay(
    order_booth, product, django_capture_on_commit_callbacks
):
    order = place(basket_with([(product, 1)]))
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=order.seller_orders.get(), action="cancel", party="buyer"
        )
    (text,) = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    number = order.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"از سفارش {number} چیزی برای پرداخت نمانده است." in text


def test_a_message_other_than_a_cancellation_says_no_sum(
    order_booth, product, django_capture_on_commit_callbacks
):
    order = place(basket_with([(product, 1)]))
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=order.seller_orders.get(), action="accept", party="seller"
        )
    (text,) = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert "مبلغ سفارش" not in text


def test_a_paid_card_part_declined_goes_back_to_her_card(
    client, card_order, django_capture_on_commit_callbacks
):
    from .stripe_helpers import intent_object, post_event

    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    first, second = order.seller_orders.order_by("number")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=first, action="decline", party="seller", note="تمام شد"
        )
    money = order_amounts(order_with_parts(order.pk))
    assert money.refunded == first.total
    assert money.paid == money.paid_by_card == money.current == second.total
    assert money.cancelled == money.due == 0
    body = client.get(
        reverse("orders:track", kwargs={"token": buyer_link_token(order)})
    ).content.decode()
    assert "<dt>بازگشت به کارت شما</dt>" in body
    assert "لغو شد؛ مبلغ به کارت شما بازگردانده می‌شود" in body
    assert "با کارت پرداخت شد" in body
    (text,) = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    assert "پرداخت شده است." in text
