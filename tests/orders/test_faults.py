"""Redis stops mid-checkout, and the SMS provider fails, with the real services
(issue 25, "Fault injection"; the proxy and worker fixtures are in
tests/marketplace/fault_fixtures.py).

Redis holds the cache (django-redis, errors ignored) and the Celery broker;
sessions are in the database. With Redis cut before she places her order, the
order is placed, no page fails, and the messages the placement queues are sent
in the request (the broker's fallback); once Redis is back the worker takes the
next ones. A failing SMS provider never fails an order: the worker tries the
message again until the provider answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.accounts import sms
from orders.models import Order
from orders.services import seller_order_transition
from tests.marketplace.fault_fixtures import fault_redis, wait_until

from .checkout_helpers import address_data, choose_all
from .conftest import basket_with, place

pytestmark = pytest.mark.django_db

GUEST = "+989351112233"


def _texts_to(phone: str) -> list[str]:
    return [m.text for m in sms.outbox if m.phone == phone]


def _code_from_worker(phone: str) -> str:
    import re

    text = wait_until(lambda: _texts_to(phone))[-1]
    return re.search(r"(\d{6})", text).group(1)


def test_redis_stopping_mid_checkout_still_places_the_order(
    client,
    redis_url,
    order_booth,
    product,
    redis_cache_through_proxy,
    celery_worker_through_proxy,
):
    proxy = celery_worker_through_proxy
    booth, owner = order_booth
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    client.post(
        reverse("checkout:index"), {"name": "مریم احمدی", "phone": "09351112233"}
    )
    # Her code went through Redis to the worker.
    response = client.post(reverse("checkout:code"), {"code": _code_from_worker(GUEST)})
    assert response.url == reverse("checkout:shipping-address")
    client.post(reverse("checkout:shipping-address"), address_data())
    choose_all(client, "post", "cod")
    assert client.get(reverse("checkout:preview")).status_code == 200
    direct = fault_redis(redis_url)
    assert direct.dbsize() > 0  # the cache was in use
    sms.outbox.clear()

    proxy.cut()
    response = client.post(reverse("checkout:place"))
    assert response.status_code == 302
    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.seller_orders.get().lines.get().quantity == 2
    # The placement's messages were sent in the request, not lost.
    assert any("ثبت شد" in t for t in _texts_to(GUEST))
    assert any("سفارش تازه" in t for t in _texts_to(owner.username))
    thanks = client.get(reverse("checkout:thank-you"), follow=True)
    assert thanks.status_code == 200
    assert "سفارش شما ثبت شد" in thanks.content.decode()
    assert client.get(product.get_absolute_url()).status_code == 200

    proxy.restore()
    sms.outbox.clear()
    seller_order_transition(
        seller_order=order.seller_orders.get(), action="accept", party="seller"
    )
    # Queued on Redis again, and the worker, reconnected, sends it.
    (accepted,) = wait_until(lambda: _texts_to(GUEST))
    assert "پذیرفت" in accepted


def test_a_failing_sms_provider_never_fails_an_order_and_the_messages_come_later(
    settings, order_booth, product, sms_gateway_down, celery_worker_through_proxy
):
    settings.SMS_RETRY_SECONDS = 0.2
    owner = order_booth[1]
    order = place(basket_with([(product, 1)]))
    assert order.seller_orders.get().status == "new"
    wait_until(lambda: sms_gateway_down.failures >= 2)
    assert not sms.outbox

    sms_gateway_down.down.clear()
    wait_until(lambda: _texts_to(GUEST) and _texts_to(owner.username))
    assert len(_texts_to(GUEST)) == 1
    assert len(_texts_to(owner.username)) == 1


def test_with_no_worker_a_failing_sms_provider_is_logged_not_raised(
    order_booth, product, sms_gateway_down, caplog
):
    order = place(basket_with([(product, 1)]))
    assert order.seller_orders.get().status == "new"
    assert sms_gateway_down.failures == 2  # the buyer's and the booth's
    assert "Could not send an SMS" in caplog.text
