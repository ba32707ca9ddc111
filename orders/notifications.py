"""What buyers and booths are told, by SMS (and e-mail to a buyer who gave one).

Every text is Persian, names the booth's part on its own, and obeys the dignity
rule: a booth is named by its brand only, never by anything from her file or
programme.

Nothing leaves before the change is committed: SMS go through
`marketplace.accounts.services.sms_send_later` (queued once the transaction
commits, sent by a Celery task), e-mail is sent on commit; a rolled-back change
tells nobody. Sending never breaks the change that caused it: a failing gateway
is logged.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse

from marketplace.accounts.phone import normalize_phone
from marketplace.accounts.services import sms_link_request, sms_send_later
from marketplace.persian import (
    format_jalali,
    format_toman,
    to_latin_digits,
    to_persian_digits,
)
from marketplace.text import as_sentence

from .permissions import buyer_link_open
from .selectors import order_amounts, order_with_parts

logger = logging.getLogger(__name__)

LINK_SALT = "orders.buyer-link"


def buyer_link_token(order) -> str:
    """A signed token naming the order and its link version: a guest's way back
    to it. Any change to it makes the signature fail (a 404)."""
    payload = {"o": order.number, "v": order.guest_link_version}
    return signing.dumps(payload, salt=LINK_SALT, compress=True)


def order_from_token(token: str):
    """The order the token names, or None if it was tampered with, withdrawn
    (an older link version) or has expired (`permissions.buyer_link_open`).
    Links sent before versions existed carry none and count as version 0."""
    from .models import Order

    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), str):
        return None
    version = data.get("v", 0)
    if not isinstance(version, int):
        return None
    order = Order.objects.filter(number=data["o"], guest_link_version=version).first()
    if order is None or not buyer_link_open(order):
        return None
    return order


def order_link_revoke(*, order) -> None:
    """Withdraw every link to this order sent so far (she asked, from the
    order's page): the version in the signature moves on, so old links are a
    404; a new one can be asked for (`order_link_resend`)."""
    from .models import Order

    Order.objects.filter(pk=order.pk).update(
        guest_link_version=models.F("guest_link_version") + 1
    )
    order.refresh_from_db(fields=["guest_link_version"])
    logger.info("Buyer link of order %s withdrawn", order.number)


RESEND_TEXT = "دستاورد: پیوند پیگیری سفارش {number}:\n{link}"


def order_link_resend(
    *, number: str, phone: str, ip: str, form_token: str | None = None
) -> None:
    """Send her order's current link again by SMS, to the number the order was
    placed with. The rule: the typed mobile must be the order's buyer mobile and
    the order (or one of its parts) must have that number, and its link must
    still be open; otherwise nothing is sent, with the same answer. Throttled
    and budgeted like a one-time code (`OtpRateLimited`, `InvalidPhoneNumber`)."""
    from .models import Order

    phone = normalize_phone(phone)
    number = to_latin_digits(number).strip()
    order = (
        Order.objects.filter(buyer_phone=phone)
        .filter(models.Q(number=number) | models.Q(seller_orders__number=number))
        .first()
        if number
        else None
    )
    text = None
    if order is not None and buyer_link_open(order):
        text = RESEND_TEXT.format(
            number=to_persian_digits(order.number), link=buyer_order_url(order)
        )
    sms_link_request(phone=phone, ip=ip, text=text, form_token=form_token)


def buyer_order_url(order) -> str:
    path = reverse("orders:track", kwargs={"token": buyer_link_token(order)})
    return settings.SITE_URL.rstrip("/") + path


def _sms(phone: str, text: str) -> None:
    """Queued after commit (the task logs a failing gateway)."""
    sms_send_later(phone=phone, text=text)


def _mail(address: str, subject: str, text: str) -> None:
    if not address:
        return

    def send():
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # a failing mail server must not undo the order
            logger.exception("order e-mail not sent")

    transaction.on_commit(send)


def _owner_phones(seller_id: int) -> list[str]:
    from sellers.models import SellerMember

    return list(
        SellerMember.objects.filter(
            seller_id=seller_id, role=SellerMember.Role.OWNER
        ).values_list("user__username", flat=True)
    )


def _buyer_email(order) -> str:
    if order.user_id:
        return order.user.email or ""
    return order.guest_email or ""


PART_TEXT = {
    "placed": "سفارش {number} از غرفهٔ «{booth}» ثبت شد و منتظر تأیید غرفه است.",
    "accept": "غرفهٔ «{booth}» سفارش {number} را پذیرفت. آماده می‌شود تا {ready}.",
    "decline": "غرفهٔ «{booth}» نتوانست سفارش {number} را بپذیرد{reason} "
    "این بخش لغو شد و پولی از شما گرفته نمی‌شود.",
    "ready": "سفارش {number} از غرفهٔ «{booth}» آمادهٔ تحویل حضوری است: {pickup}",
    "ship": "سفارش {number} از غرفهٔ «{booth}» ارسال شد.{tracking}",
    "deliver": "سفارش {number} از غرفهٔ «{booth}» تحویل شد. از خریدتان سپاسگزاریم.",
    "cancel": "سفارش {number} از غرفهٔ «{booth}» به درخواست شما لغو شد.",
    "expire": "غرفهٔ «{booth}» سفارش {number} را در مهلت تأیید نکرد و این بخش لغو شد. "
    "پولی از شما گرفته نمی‌شود.",
    "pay": "پرداخت کارتی سفارش {number} از غرفهٔ «{booth}» رسید و سفارش منتظر "
    "تأیید غرفه است.",
    "switch_to_cash": "سفارش {number} از غرفهٔ «{booth}» با پرداخت هنگام تحویل ثبت "
    "شد و منتظر تأیید غرفه است.",
    "unpaid": "پرداخت سفارش {number} از غرفهٔ «{booth}» در مهلت انجام نشد و این بخش "
    "لغو شد.",
    "staff_cancel": "سفارش {number} از غرفهٔ «{booth}» به دست پشتیبانی دستاورد لغو شد"
    "{reason} پولی از شما گرفته نمی‌شود.",
}
# A paid card part: the money goes back to her card (the refund outbox,
# orders.refunds: asked for now, sent to Stripe after commit).
CARD_REFUND_TEXT = {
    "decline": "غرفهٔ «{booth}» نتوانست سفارش {number} را بپذیرد{reason} "
    "این بخش لغو شد و مبلغ آن به کارت شما بازگردانده می‌شود.",
    "expire": "غرفهٔ «{booth}» سفارش {number} را در مهلت تأیید نکرد و این بخش لغو شد. "
    "مبلغ آن به کارت شما بازگردانده می‌شود.",
    "cancel": "سفارش {number} از غرفهٔ «{booth}» به درخواست شما لغو شد و مبلغ آن "
    "به کارت شما بازگردانده می‌شود.",
    "staff_cancel": "سفارش {number} از غرفهٔ «{booth}» به دست پشتیبانی دستاورد لغو "
    "شد{reason} مبلغ این بخش به کارت شما بازگردانده می‌شود.",
}
# Changes after which the booth has a new part to accept.
BOOTH_NEW_PART = ("pay", "switch_to_cash")


def _reason(text: str) -> str:
    """A reason she or staff typed, as the end of «… لغو شد: <reason>.» so the
    next sentence does not run on (no reason: the sentence just ends)."""
    text = as_sentence(text)
    return f": {text}" if text else "."


def _part_text(part, action: str) -> str:
    tracking = (
        f" کد رهگیری: {part.tracking_code}"
        if action == "ship" and part.tracking_code
        else ""
    )
    text = PART_TEXT[action]
    if (
        action in CARD_REFUND_TEXT
        and part.payment_method == "card"
        and part.events.filter(action="pay").exists()
    ):
        text = CARD_REFUND_TEXT[action]
    return text.format(
        number=to_persian_digits(part.number),
        booth=part.seller.brand_name,
        ready=format_jalali(part.expected_ready_on),
        reason=_reason(part.decline_reason),
        pickup=as_sentence(part.pickup_address),
        tracking=tracking,
    )


def order_placed(order) -> None:
    """The buyer gets one SMS listing each booth's part and her link; each
    booth's owners get one SMS for their new part."""
    # Card parts still awaiting payment are told of when paid (`part_changed`).
    parts = [
        p
        for p in order.seller_orders.select_related("seller").order_by("pk")
        if p.status != p.Status.AWAITING_PAYMENT
    ]
    if not parts:
        return
    lines = [
        f"• {p.seller.brand_name}: {to_persian_digits(p.number)}، {format_toman(p.total)}"
        for p in parts
    ]
    link = buyer_order_url(order)
    text = (
        f"دستاورد: سفارش {to_persian_digits(order.number)} ثبت شد.\n"
        + "\n".join(lines)
        + f"\nپیگیری: {link}"
    )
    _sms(order.buyer_phone, text)
    _mail(_buyer_email(order), f"سفارش {to_persian_digits(order.number)} ثبت شد", text)
    for part in parts:
        _booth_new_part(part)


def _booth_new_part(part) -> None:
    owner_text = (
        f"دستاورد: سفارش تازه {to_persian_digits(part.number)} "
        f"({format_toman(part.total)}) در غرفهٔ «{part.seller.brand_name}». "
        f"لطفاً تا {format_jalali(part.accept_deadline, with_time=True)} "
        f"({to_persian_digits(settings.ORDER_ACCEPT_HOURS)} ساعت کاری؛ جمعه‌ها و "
        "تعطیلات شمرده نمی‌شوند) آن را بپذیرید یا رد کنید."
    )
    for phone in _owner_phones(part.seller_id):
        _sms(phone, owner_text)


def card_part_refunded(part) -> None:
    """A card payment arrived for a part that could not be sold any more: the
    buyer hears that its share went back to her card."""
    text = (
        f"دستاورد: پرداخت کارتی سفارش {to_persian_digits(part.number)} از غرفهٔ "
        f"«{part.seller.brand_name}» پس از تمام شدن کالا یا لغو این بخش رسید؛ "
        "مبلغ این بخش به کارت شما بازگردانده شد.\n"
        f"پیگیری: {buyer_order_url(part.order)}"
    )
    _sms(part.order.buyer_phone, text)
    _mail(
        _buyer_email(part.order),
        f"بازگشت پول سفارش {to_persian_digits(part.number)}",
        text,
    )


# Changes that take a part out of what she pays: her message says the new sum.
CANCELLING = ("decline", "cancel", "expire", "unpaid", "staff_cancel")


def _amounts_text(order) -> str:
    """The order's sum after a part was cancelled, as one sentence: what it
    comes to now (and what it was), what is still to pay and how, what was
    paid. The figures are `orders.selectors.order_amounts`'."""
    money = order_amounts(order_with_parts(order.pk))
    number = to_persian_digits(order.number)
    if not money.current:
        return f"از سفارش {number} چیزی برای پرداخت نمانده است."
    said = [
        f"مبلغ سفارش {number} اکنون {format_toman(money.current)} است "
        f"(هنگام ثبت {format_toman(money.total)})"
    ]
    if money.due_on_delivery:
        said.append(f"{format_toman(money.due_on_delivery)} هنگام تحویل پرداخت می‌شود")
    if money.due_by_card:
        said.append(f"{format_toman(money.due_by_card)} منتظر پرداخت با کارت است")
    if money.paid:
        said.append(f"{format_toman(money.paid)} پرداخت شده است")
    return "؛ ".join(said) + "."


def part_changed(part, action: str) -> None:
    """The buyer hears of every change to a part; the booth hears of the
    buyer's, the system's and the staff's cancellations. A cancellation also
    tells her what the order comes to now."""
    if action not in PART_TEXT:
        return
    said = _part_text(part, action)
    if action in CANCELLING:
        said = f"{said}\n{_amounts_text(part.order)}"
    text = f"دستاورد: {said}\nپیگیری: {buyer_order_url(part.order)}"
    order = part.order
    _sms(order.buyer_phone, text)
    _mail(
        _buyer_email(order),
        f"سفارش {to_persian_digits(part.number)}: {part.get_status_display()}",
        text,
    )
    if action in BOOTH_NEW_PART:
        _booth_new_part(part)
    # A part cancelled before it was paid never reached the booth.
    reached_booth = part.events.filter(to_status=part.Status.NEW).exists()
    if action in ("cancel", "expire", "staff_cancel") and reached_booth:
        booth_text = {
            "cancel": f"دستاورد: خریدار سفارش {to_persian_digits(part.number)} را لغو کرد.",
            "expire": f"دستاورد: سفارش {to_persian_digits(part.number)} در مهلت "
            "پذیرش تأیید نشد و لغو شد.",
            "staff_cancel": f"دستاورد: پشتیبانی سفارش {to_persian_digits(part.number)} "
            f"را لغو کرد{_reason(part.decline_reason)}",
        }[action]
        for phone in _owner_phones(part.seller_id):
            _sms(phone, booth_text)
