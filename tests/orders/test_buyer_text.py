"""Issue 24 §1.2: what the buyer types at checkout, and the booth's decline reason
and tracking code, are plain text (`orders.services.checkout_text_clean`,
`marketplace.text.plain_text`) before the booth and staff see them.

Before: a U+202E (right-to-left override) in the buyer's name, recipient, street
or note was stored and shown to the booth and staff, reordering what they read."""

from __future__ import annotations

import pytest

from orders.services import (
    BuyerData,
    PartChoice,
    PlacementError,
    seller_order_transition,
)

from .conftest import Kind, basket_with, place, tehran_address

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"  # isolates
ZWNJ = "\u200c"  # نیم‌فاصله: Persian spelling, kept
ZWJ = "\u200d"  # joins an emoji sequence, kept


def test_bidi_controls_are_removed_from_everything_the_buyer_typed(
    order_booth, product
):
    order = place(
        basket_with([(product, 1)]),
        buyer=BuyerData(user=None, name=f"مریم{RLO} احمدی", phone="+989351112233"),
        address=tehran_address(
            recipient_name=f"{LRI}سارا{PDI} رضایی",
            street=f"خیابان {RLO}فتحی{PDI} شقاقی، پلاک ۱۲",
            neighbourhood=f"{FSI}یوسف‌آباد{PDI}",
            city=f"{RLI}تهران{PDI}",
            postcode=f"{RLO}1431653111",
        ),
        choices={
            order_booth[0].pk: PartChoice(
                delivery_kind=Kind.POST,
                payment_method="cod",
                note=f"{RLO}لطفاً کادوپیچ{ZWNJ}شده بفرستید 👩{ZWJ}🍳 <b>ممنون</b>",
            )
        },
    )
    assert order.buyer_name == "مریم احمدی"
    assert order.recipient_name == "سارا رضایی"
    assert order.ship_street == "خیابان فتحی شقاقی، پلاک ۱۲"
    assert order.ship_neighbourhood == "یوسف‌آباد"
    assert order.ship_city == "تهران"
    assert order.ship_postcode == "1431653111"
    part = order.seller_orders.get()
    assert part.buyer_note == f"لطفاً کادوپیچ{ZWNJ}شده بفرستید 👩{ZWJ}🍳 ممنون"
    shipping = order.shipping_address
    assert RLO not in shipping.last_name + shipping.line1
    assert shipping.last_name == "سارا رضایی"


def test_a_recipient_of_nothing_but_controls_is_refused(product):
    with pytest.raises(PlacementError, match="نام گیرنده"):
        place(
            basket_with([(product, 1)]),
            address=tehran_address(recipient_name=f"{RLO}{LRI}{PDI}"),
        )


def test_decline_reason_and_tracking_code_are_plain_text(order_booth, product):
    owner = order_booth[1]
    declined = place(basket_with([(product, 1)])).seller_orders.get()
    seller_order_transition(
        seller_order=declined,
        action="decline",
        party="seller",
        actor=owner,
        note=f"{RLO}تمام{ZWNJ}شده",
    )
    declined.refresh_from_db()
    assert declined.decline_reason == f"تمام{ZWNJ}شده"
    assert RLO not in declined.events.get(action="decline").note

    shipped = place(basket_with([(product, 1)])).seller_orders.get()
    seller_order_transition(
        seller_order=shipped, action="accept", party="seller", actor=owner
    )
    seller_order_transition(
        seller_order=shipped,
        action="ship",
        party="seller",
        actor=owner,
        tracking_code=f"{LRI}۱۲۳۴۵{PDI}",
    )
    shipped.refresh_from_db()
    assert shipped.tracking_code == "۱۲۳۴۵"
