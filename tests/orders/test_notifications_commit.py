"""Order SMS leave through the accounts app's `sms_send_later` once the change
commits; a placement or a transition that is rolled back tells nobody."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from marketplace.accounts import services as account_services
from marketplace.accounts import sms
from orders.models import Order
from orders.services import SELLER, seller_order_transition
from tests.orders.conftest import basket_with, guest, place


@pytest.fixture
def real_after_commit(monkeypatch):
    """Undo the order tests' "send at once": SMS wait for the commit again, and
    every SMS that is queued is recorded."""
    monkeypatch.setattr(account_services, "_after_commit", transaction.on_commit)
    queued = []
    original = account_services._enqueue_sms

    def enqueue(phone, text):
        queued.append(phone)
        original(phone, text)

    monkeypatch.setattr(account_services, "_enqueue_sms", enqueue)
    return queued


def test_a_rolled_back_placement_sends_nothing(
    order_booth, product, real_after_commit, django_capture_on_commit_callbacks
):
    basket = basket_with([(product, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            place(basket, buyer=guest(email="maryam@example.com"))
            raise RuntimeError("something after the placement failed")
    assert not Order.objects.exists()
    assert sms.outbox == []
    assert mail.outbox == []
    assert real_after_commit == []


def test_a_committed_placement_queues_its_sms_after_commit(
    order_booth, product, real_after_commit, django_capture_on_commit_callbacks
):
    basket = basket_with([(product, 1)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        place(basket, buyer=guest(email="maryam@example.com"))
        # Nothing has left before the commit.
        assert sms.outbox == [] and mail.outbox == [] and real_after_commit == []
    for callback in callbacks:
        callback()
    owner_phone = order_booth[1].username
    assert set(real_after_commit) == {"+989351112233", owner_phone}
    assert {m.phone for m in sms.outbox} == {"+989351112233", owner_phone}
    assert len(mail.outbox) == 1


def test_a_rolled_back_transition_sends_nothing(
    order_booth, product, real_after_commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(product, 1)]))
    part = order.seller_orders.get()
    sms.outbox.clear()
    real_after_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            seller_order_transition(
                seller_order=part, action="accept", party=SELLER, actor=order_booth[1]
            )
            raise RuntimeError("rolled back")
    part.refresh_from_db()
    assert part.status == "new"
    assert sms.outbox == [] and real_after_commit == []
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=part, action="accept", party=SELLER, actor=order_booth[1]
        )
    assert real_after_commit == [order.buyer_phone]
