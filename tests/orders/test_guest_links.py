"""Issue 24 §1.3: the buyer's order link expires, can be withdrawn, and can be
asked for again by SMS (throttled like one-time codes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts import sms
from marketplace.persian import to_persian_digits
from orders.notifications import LINK_SALT, buyer_link_token
from orders.services import BUYER, SELLER, seller_order_transition
from tests.factories import make_product

from .conftest import basket_with, place

PHONE = "+989351112233"
PHONE_TYPED = "۰۹۳۵ ۱۱۱ ۲۲۳۳"
STREET = "خیابان فتحی شقاقی"

pytestmark = pytest.mark.dates


@pytest.fixture
def order(order_booth, booth2):
    first = make_product(seller=order_booth[0], title="کیف چرمی", num_in_stock=5)
    second = make_product(seller=booth2[0], title="شیرینی", num_in_stock=5)
    return place(basket_with([(first, 1), (second, 1)]))


def parts(order):
    return list(order.seller_orders.order_by("pk"))


def track(client, token):
    return client.get(reverse("orders:track", args=[token]))


def cancel_url(token, part):
    return reverse("orders:track_action", args=[token, part.pk, "cancel"])


def link_sms() -> list[str]:
    return [m.text for m in sms.outbox if m.phone == PHONE and "پیوند" in m.text]


def assert_gone(response):
    """A 404 that says how to get a new link and shows nothing of the order."""
    body = response.content.decode()
    assert response.status_code == 404
    assert reverse("orders:link_resend") in body
    assert STREET not in body
    assert "۲۲۳۳" not in body and "2233" not in body


def end_both_parts(order, time_machine, *, days_between: int):
    """The first part cancelled now, the second delivered `days_between` days later."""
    first, second = parts(order)
    seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    time_machine.shift(dt.timedelta(days=days_between))
    for action, party in (("accept", SELLER), ("ship", SELLER), ("deliver", BUYER)):
        second.refresh_from_db()
        seller_order_transition(seller_order=second, action=action, party=party)


# --- expiry --------------------------------------------------------------------------


def test_the_link_works_until_30_days_after_the_last_part_ended(
    client, order, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    token = buyer_link_token(order)
    end_both_parts(order, time_machine, days_between=10)
    time_machine.shift(dt.timedelta(days=29))
    assert track(client, token).status_code == 200  # 39 days after the first ended
    time_machine.shift(dt.timedelta(days=2))
    assert_gone(track(client, token))


def test_a_link_to_an_open_order_does_not_expire(client, order, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(days=90), tick=False)
    assert track(client, buyer_link_token(order)).status_code == 200


def test_an_expired_link_cannot_cancel_a_part(client, order, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = buyer_link_token(order)
    end_both_parts(order, time_machine, days_between=0)
    time_machine.shift(dt.timedelta(days=31))
    first = parts(order)[0]
    events = first.events.count()
    assert_gone(client.post(cancel_url(token, first)))
    assert first.events.count() == events


# --- withdrawing ---------------------------------------------------------------------


def test_withdrawing_the_link_makes_it_404_and_a_new_one_can_be_asked_for(
    client, order
):
    token = buyer_link_token(order)
    page = track(client, token).content.decode()
    assert "لغو این پیوند" in page
    response = client.post(reverse("orders:track_revoke", args=[token]))
    assert response.url == reverse("orders:link_resend")

    assert_gone(track(client, token))
    part = parts(order)[0]
    assert_gone(client.post(cancel_url(token, part)))
    part.refresh_from_db()
    assert part.status == part.Status.NEW
    assert_gone(client.post(reverse("orders:track_revoke", args=[token])))

    response = client.post(
        reverse("orders:link_resend"), {"phone": PHONE_TYPED, "number": order.number}
    )
    assert response.url == reverse("orders:link_resend")
    new_token = link_sms()[-1].split("/orders/t/")[1].split("/")[0]
    assert new_token != token
    assert track(client, new_token).status_code == 200


def test_links_sent_before_versions_still_work_until_withdrawn(client, order):
    old = signing.dumps({"o": order.number}, salt=LINK_SALT, compress=True)
    assert track(client, old).status_code == 200
    client.post(reverse("orders:track_revoke", args=[old]))
    assert_gone(track(client, old))


# --- asking for it again -------------------------------------------------------------


def test_a_resent_link_goes_only_to_the_orders_buyer_with_the_same_answer(
    client, order, order_booth
):
    url = reverse("orders:link_resend")
    answers = []
    for data in (
        {"phone": "09121234500", "number": order.number},  # not her order
        {"phone": PHONE_TYPED, "number": "999999"},  # no such order
        {"phone": PHONE_TYPED, "number": to_persian_digits(parts(order)[1].number)},
    ):
        response = client.post(url, data, follow=True)
        answers.append(
            [str(m) for m in response.context["messages"]] + [response.status_code]
        )
    assert answers[0] == answers[1] == answers[2]
    assert [m.phone for m in sms.outbox if "پیوند" in m.text] == [PHONE]
    assert len(link_sms()) == 1


def test_an_expired_orders_link_is_not_resent(client, order, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    end_both_parts(order, time_machine, days_between=0)
    time_machine.shift(dt.timedelta(days=31))
    response = client.post(
        reverse("orders:link_resend"), {"phone": PHONE_TYPED, "number": order.number}
    )
    assert response.status_code == 302
    assert link_sms() == []


def test_resending_is_throttled_like_codes(client, order):
    url = reverse("orders:link_resend")
    data = {"phone": PHONE_TYPED, "number": order.number}
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "به‌تازگی پیوند سفارش فرستاده شده است" in response.content.decode()
    assert len(link_sms()) == 2


def test_bad_input_on_the_resend_page_gets_persian_messages(client, db):
    response = client.post(reverse("orders:link_resend"), {"phone": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "شمارهٔ سفارش را وارد کنید." in body
    assert 'data-testid="error-phone"' in body
