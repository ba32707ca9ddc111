"""SMS and e-mail texts built from parts read as sentences: a typed reason does
not run into the next sentence (issue 24 §3.5: «مواد اولیه تمام شده است این بخش
لغو شد»)."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from marketplace.accounts import sms
from marketplace.persian import to_persian_digits
from orders.services import seller_order_transition
from tests.factories import StaffFactory

from .conftest import basket_with, guest, place

pytestmark = pytest.mark.django_db


def _part(product):
    return place(
        basket_with([(product, 1)]), buyer=guest(email="maryam@example.com")
    ).seller_orders.get()


def _buyer_texts():
    return [m.text for m in sms.outbox if m.phone == "+989351112233"] + [
        m.body for m in mail.outbox
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "مواد اولیه تمام شده است",
        "مواد اولیه تمام شده است.",
        "مواد اولیه تمام شده است، ",
    ],
)
def test_her_reason_ends_before_the_part_is_said_cancelled(
    order_booth, product, typed, django_capture_on_commit_callbacks
):
    part = _part(product)
    sms.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(
            seller_order=part, action="decline", party="seller", note=typed
        )
    texts = _buyer_texts()
    assert len(texts) == 2  # the SMS and the e-mail
    number = to_persian_digits(part.number)
    for text in texts:
        assert (
            f"نتوانست سفارش {number} را بپذیرد: مواد اولیه تمام شده است. "
            "این بخش لغو شد و پولی از شما گرفته نمی‌شود." in text
        ), text


def test_a_staff_cancellation_reads_as_sentences_for_buyer_and_booth(
    order_booth, product
):
    part = _part(product)
    support = StaffFactory(username="+989120000019")
    support.user_permissions.add(Permission.objects.get(codename="change_order"))
    sms.outbox.clear()
    seller_order_transition(
        seller_order=part,
        action="staff_cancel",
        party="staff",
        actor=support,
        note="خریدار تماس گرفت و انصراف داد",
    )
    (buyer,) = [m.text for m in sms.outbox if m.phone == "+989351112233"]
    assert "لغو شد: خریدار تماس گرفت و انصراف داد. پولی از شما" in buyer
    (owner,) = [m.text for m in sms.outbox if m.phone == order_booth[1].username]
    assert owner.endswith("را لغو کرد: خریدار تماس گرفت و انصراف داد.")
