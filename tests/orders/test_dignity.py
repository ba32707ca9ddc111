"""The dignity rule on the buyer's side: her SMS, e-mail and order pages name a
booth by its brand only; nothing from the booth's programme or case file."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.accounts import sms
from orders.notifications import buyer_link_token
from orders.services import seller_order_transition
from sellers.models import Programme
from tests.factories import CaseFileFactory, make_product

from .conftest import basket_with, guest, make_booth, place

pytestmark = pytest.mark.django_db

MARKERS = ("بهزیستی", "سرپرست خانوار", "CASE-", "مددجو", "welfare", "کمیته امداد")


def test_buyer_messages_and_pages_carry_no_label(
    client, django_capture_on_commit_callbacks
):
    programme = Programme.objects.create(code="behzisti", name="بهزیستی استان تهران")
    seller, _ = make_booth("+989121111111", name="گروه همیار مهر", programme=programme)
    CaseFileFactory(seller=seller, notes="سرپرست خانوار، مددجو")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(
            basket_with([(make_product(seller=seller, title="گلیم"), 1)]),
            buyer=guest(email="buyer@example.com"),
        )
        part = order.seller_orders.get()
        seller_order_transition(seller_order=part, action="accept", party="seller")
        seller_order_transition(seller_order=part, action="ship", party="seller")
    texts = [m.text for m in sms.outbox if m.phone == order.buyer_phone]
    texts += [m.subject + m.body for m in mail.outbox]
    assert len(mail.outbox) == 3  # placed, accepted, shipped
    page = client.get(
        reverse("orders:track", args=[buyer_link_token(order)])
    ).content.decode()
    # The buyer's page names the booth by its public name, and nothing else of her.
    assert "گروه همیار مهر" in page
    for text in [*texts, page]:
        for marker in MARKERS:
            assert marker not in text
