"""Issue 28 §2: every thread URL, opened by another booth, another buyer and an
anonymous visitor, is a 404 for GET and POST alike and changes nothing (the
panel's URLs send an anonymous visitor to log in, like every panel page, and
change nothing either)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from orders.conversations import services
from orders.conversations.models import BOOTH, Thread, ThreadMessage
from orders.services import BuyerData
from tests.factories import UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads_world(db):
    booth, owner = make_booth("+989121114001", name="چرم نیلوفر")
    other, other_owner = make_booth("+989121114002", name="قارچ سبز")
    buyer = UserFactory(username="+989351114001")
    other_buyer = UserFactory(username="+989351114002")
    product = make_product(seller=booth, title="کیف", num_in_stock=5)
    on_product = services.thread_start_on_product(
        product=product, seller=booth, buyer=buyer, text="سلام"
    ).message.thread
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone=buyer.username),
    )
    part = order.seller_orders.get()
    on_part = services.thread_for_part(seller_order=part, side=BOOTH, user=owner)
    services.message_post(thread=on_part, side=BOOTH, sender=owner, text="آماده است")
    return {
        "booth": booth,
        "part": part,
        "threads": [on_product, on_part],
        "parties": {
            "other booth": other_owner,
            "other buyer": other_buyer,
            "anonymous": None,
        },
    }


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def snapshot():
    return (
        list(Thread.objects.order_by("pk").values_list("pk", "reported_at")),
        ThreadMessage.objects.count(),
    )


def buyer_urls(world):
    urls = []
    for thread in world["threads"]:
        urls += [
            ("get", reverse("orders:thread", args=[thread.pk])),
            ("post", reverse("orders:thread", args=[thread.pk])),
            ("post", reverse("orders:thread_report", args=[thread.pk])),
        ]
    urls.append(("post", reverse("orders:part_thread", args=[world["part"].pk])))
    return urls


def panel_urls(world):
    sid = world["booth"].pk
    urls = [
        ("get", reverse("orders_panel:threads", args=[sid])),
        ("post", reverse("orders_panel:part_thread", args=[sid, world["part"].pk])),
    ]
    for thread in world["threads"]:
        urls += [
            ("get", reverse("orders_panel:thread", args=[sid, thread.pk])),
            ("post", reverse("orders_panel:thread", args=[sid, thread.pk])),
            ("post", reverse("orders_panel:thread_report", args=[sid, thread.pk])),
        ]
    return urls


DATA = {"text": "سلام", "reason": "x"}


@pytest.mark.parametrize("party", ["other booth", "other buyer", "anonymous"])
def test_buyer_thread_urls_are_404_for_everyone_else(threads_world, party):
    client = _client(threads_world["parties"][party])
    before = snapshot()
    for method, url in buyer_urls(threads_world):
        response = getattr(client, method)(url, DATA)
        assert response.status_code == 404, (party, method, url)
    assert snapshot() == before


@pytest.mark.parametrize("party", ["other booth", "other buyer"])
def test_panel_thread_urls_are_404_for_everyone_else(threads_world, party):
    client = _client(threads_world["parties"][party])
    before = snapshot()
    for method, url in panel_urls(threads_world):
        response = getattr(client, method)(url, DATA)
        assert response.status_code == 404, (party, method, url)
    assert snapshot() == before


def test_panel_thread_urls_send_an_anonymous_visitor_to_log_in(threads_world):
    client = Client()
    login = reverse(settings.LOGIN_URL)
    before = snapshot()
    for method, url in panel_urls(threads_world):
        response = getattr(client, method)(url, DATA)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    assert snapshot() == before


def test_another_booths_thread_under_her_own_booth_is_404(threads_world):
    other_owner = threads_world["parties"]["other booth"]
    other = other_owner.seller_memberships.get().seller
    client = _client(other_owner)
    for thread in threads_world["threads"]:
        for name in ("orders_panel:thread", "orders_panel:thread_report"):
            url = reverse(name, args=[other.pk, thread.pk])
            assert client.post(url, DATA).status_code == 404, url
        assert (
            client.get(
                reverse("orders_panel:thread", args=[other.pk, thread.pk])
            ).status_code
            == 404
        )
    part_url = reverse(
        "orders_panel:part_thread", args=[other.pk, threads_world["part"].pk]
    )
    assert client.post(part_url).status_code == 404


@pytest.mark.parametrize("party", ["other booth", "other buyer", "anonymous"])
def test_staff_thread_urls_are_closed_to_everyone_else(threads_world, party):
    """Not staff: anonymous visitors log in, others get 403 (staff pages)."""
    user = threads_world["parties"][party]
    client = _client(user)
    thread = threads_world["threads"][0]
    message = thread.messages.first()
    for method, url in [
        ("get", reverse("orders_staff:threads")),
        ("get", reverse("orders_staff:thread", args=[thread.pk])),
        (
            "post",
            reverse(
                "orders_staff:message_moderate",
                args=[thread.pk, message.pk, "release"],
            ),
        ),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == (302 if user is None else 403), url
