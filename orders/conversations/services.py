"""Conversations between a buyer and a booth: the one home of their rules.

- **Where they start.** On a product («از فروشنده بپرسید»): a signed-in buyer,
  or a guest who proved her mobile by code (`thread_start_on_product`). On an
  order part: its buyer or any member of its booth (`thread_for_part`, one
  thread per part).
- **Who sees a thread** (`thread_side`): its buyer (signed in, or the guest
  whose proven mobile it is) and every member of its booth (and her mentor
  under a delegation of the inbox); staff only a reported thread or one with a
  held message, and each read writes a `ThreadReadLog` row
  (`thread_read_by_staff`). Anyone else: None (the views answer 404).
- **No contact details cross** (`marketplace.contact_mask`): phone numbers,
  e-mail addresses and links are masked before the message is stored, on both
  sides, and `message_post` says why.
- **Dignity.** A message with labelling words (`marketplace.dignity`) is
  held: only its sender sees it until staff release it.
- **Limits.** `MESSAGES_PER_HOUR` per sender; a part's thread closes
  `THREAD_CLOSE_DAYS` after the part was delivered or cancelled; the booth's
  owners get an SMS for a buyer's message at most once an hour per thread.
- **Photos.** One per message, through the image pipeline (the media storage
  saves only its clean output: upright, sRGB, no EXIF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from marketplace.contact_mask import contact_mask, contact_mask_notice
from marketplace.dignity import labelling_words_in
from marketplace.persian import to_persian_digits
from marketplace.text import plain_text
from sellers import permissions as seller_permissions
from sellers.models import Delegation, SellerMember
from sellers.services.notify import sms_quietly

from .models import BOOTH, BUYER, Thread, ThreadMessage, ThreadReadLog

MESSAGES_PER_HOUR = 20
THREAD_CLOSE_DAYS = 60
TEXT_MAX = 2000
REPORT_MAX = 300
OWNER_SMS_GAP = dt.timedelta(hours=1)

HELD_NOTICE = (
    "پیام شما پیش از رسیدن به طرف گفت‌وگو را یکی از کارشناسان می‌بیند؛ "
    "به‌زودی فرستاده می‌شود."
)


@dataclass(frozen=True)
class Posted:
    message: ThreadMessage
    notices: list[str]


# --- who -------------------------------------------------------------------------


def thread_side(thread: Thread, *, user, guest_phone: str = "") -> str | None:
    """Which side of the thread this visitor is on: "buyer", "booth", or None
    (not hers: the views answer 404). A guest is the buyer of a thread on her
    proven mobile only."""
    if getattr(user, "is_authenticated", False):
        if thread.buyer_id is not None and thread.buyer_id == user.pk:
            return BUYER
        try:
            seller_permissions.membership_for(
                user, thread.seller_id, area=Delegation.Area.INBOX
            )
        except Http404:  # not of this booth
            pass
        else:
            return BOOTH
    if guest_phone and thread.buyer_id is None and thread.guest_phone == guest_phone:
        return BUYER
    return None


def thread_is_closed(thread: Thread, *, now: dt.datetime | None = None) -> bool:
    """A part's thread closes THREAD_CLOSE_DAYS after the part ended (delivered
    or cancelled); a product's thread stays open."""
    part = thread.seller_order
    if part is None or part.closed_at is None:
        return False
    now = now or timezone.now()
    return now - part.closed_at > dt.timedelta(days=THREAD_CLOSE_DAYS)


# --- starting ----------------------------------------------------------------------


def thread_start_on_product(
    *, product, seller, buyer=None, guest_phone: str = "", text: str, photo=None
) -> Posted:
    """A buyer's question on a product: a new thread with her first message.
    `seller` is the product's booth (the caller looks it up); the booth must be
    open and the product live. A signed-in buyer (`buyer`) or a guest with a
    proven mobile (`guest_phone`), never neither. A member of the booth does
    not ask her own booth."""
    if buyer is None and not guest_phone:
        raise PermissionDenied
    if not (seller.is_public and product.is_live):
        raise ValidationError("این محصول اکنون پرسیدنی نیست.")
    if (
        buyer is not None
        and SellerMember.objects.filter(seller=seller, user=buyer).exists()
    ):
        raise ValidationError("این محصول از غرفهٔ خود شماست.")
    with transaction.atomic():
        thread = Thread.objects.create(
            seller=seller,
            product=product,
            buyer=buyer,
            guest_phone="" if buyer is not None else guest_phone,
            subject=product.title[:160],
        )
        return message_post(
            thread=thread, side=BUYER, sender=buyer, text=text, photo=photo
        )


def thread_for_part(*, seller_order, side: str, user) -> Thread:
    """The one thread of an order part, made on first use by its buyer or by
    a member of its booth (the caller has checked which side she is on)."""
    if side == BUYER and not (
        seller_order.order.user_id is not None
        and seller_order.order.user_id == getattr(user, "pk", None)
    ):
        raise PermissionDenied
    thread, _ = Thread.objects.get_or_create(
        seller_order=seller_order,
        defaults={
            "seller_id": seller_order.seller_id,
            "buyer_id": seller_order.order.user_id,
            "subject": f"سفارش {to_persian_digits(seller_order.number)}",
        },
    )
    return thread


# --- posting -----------------------------------------------------------------------


def _sent_last_hour(*, thread: Thread, side: str, sender) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    if sender is not None:
        return ThreadMessage.objects.filter(sender=sender, created_at__gt=since).count()
    # a guest: her messages, across her threads
    return ThreadMessage.objects.filter(
        side=BUYER,
        sender__isnull=True,
        thread__guest_phone=thread.guest_phone,
        created_at__gt=since,
    ).count()


def message_post(*, thread: Thread, side: str, sender, text: str, photo=None) -> Posted:
    """Add a message to the thread from `side`. Refused (Persian): an empty
    message, text over TEXT_MAX characters, a closed thread, more than
    MESSAGES_PER_HOUR messages from this sender in the last hour. Contact
    details are masked and a labelling word holds the message; `notices` says
    so. A buyer's message tells the booth's owners by SMS, at most once an hour
    per thread."""
    text = plain_text(text or "", multiline=True).strip()
    if not text and not photo:
        raise ValidationError({"text": "پیام را بنویسید یا عکسی بفرستید."})
    if len(text) > TEXT_MAX:
        raise ValidationError(
            {
                "text": f"پیام را کوتاه‌تر بنویسید؛ حداکثر "
                f"{to_persian_digits(TEXT_MAX)} نویسه."
            }
        )
    if thread_is_closed(thread):
        raise ValidationError(
            "این گفت‌وگو بسته شده است؛ "
            f"{to_persian_digits(THREAD_CLOSE_DAYS)} روز پس از پایان سفارش."
        )
    if _sent_last_hour(thread=thread, side=side, sender=sender) >= MESSAGES_PER_HOUR:
        raise ValidationError(
            "در یک ساعت گذشته پیام‌های زیادی فرستاده‌اید؛ کمی بعد دوباره بنویسید."
        )
    masked = contact_mask(text)
    notices = [contact_mask_notice(masked.kinds)] if masked.changed else []
    held = bool(labelling_words_in(text))
    if held:
        notices.append(HELD_NOTICE)
    now = timezone.now()
    with transaction.atomic():
        message = ThreadMessage(
            thread=thread,
            side=side,
            sender=sender,
            text=masked.text,
            masked=masked.changed,
            held=held,
            created_at=now,
        )
        if photo:
            message.photo = photo  # the media storage cleans it (no EXIF)
        message.save()
        fields = {"last_message_at": now}
        fields["buyer_read_at" if side == BUYER else "booth_read_at"] = now
        Thread.objects.filter(pk=thread.pk).update(**fields)
        if side == BUYER and not held:
            _text_owners(thread, now)
    return Posted(message=message, notices=notices)


def _text_owners(thread: Thread, now: dt.datetime) -> None:
    """An SMS to the booth's owners, unless one went out for this thread in the
    last hour (the row is claimed with one conditional update, so two messages
    at once send one)."""
    claimed = (
        Thread.objects.filter(pk=thread.pk)
        .filter(
            Q(owners_texted_at__isnull=True)
            | Q(owners_texted_at__lte=now - OWNER_SMS_GAP)
        )
        .update(owners_texted_at=now)
    )
    if not claimed:
        return
    phones = list(
        SellerMember.objects.filter(
            seller_id=thread.seller_id, role=SellerMember.Role.OWNER
        ).values_list("user__username", flat=True)
    )
    text = (
        f"دستاورد: پیام تازه از یک خریدار دربارهٔ «{thread.subject}». "
        "آن را در پنل، بخش پیام‌ها ببینید."
    )

    def send():
        for phone in phones:
            sms_quietly(phone=phone, text=text)

    transaction.on_commit(send)


# --- reading, reporting, staff ------------------------------------------------------


def thread_messages_for(thread: Thread, *, side: str | None) -> list[ThreadMessage]:
    """What one side sees: everything released, and its own held messages
    (marked). Staff (`side=None`) see everything but dropped messages."""
    messages = thread.messages.filter(dropped=False).select_related("sender")
    if side is not None:
        messages = messages.filter(Q(held=False) | Q(side=side))
    return list(messages)


def thread_mark_read(thread: Thread, *, side: str) -> None:
    """`side` has read the thread: written only when the other side wrote
    something since (a page view with nothing new writes nothing)."""
    field = "buyer_read_at" if side == BUYER else "booth_read_at"
    other = BOOTH if side == BUYER else BUYER
    newer = ThreadMessage.objects.filter(
        thread=OuterRef("pk"), side=other, held=False, dropped=False
    ).filter(
        Q(**{f"thread__{field}__isnull": True}) | Q(created_at__gt=OuterRef(field))
    )
    Thread.objects.filter(pk=thread.pk).filter(Exists(newer)).update(
        **{field: timezone.now()}
    )


def thread_report(*, thread: Thread, side: str, reason: str) -> Thread:
    """Either side reports a thread: staff then see it (and only then)."""
    reason = plain_text(reason or "", multiline=False)[:REPORT_MAX]
    Thread.objects.filter(pk=thread.pk).update(
        reported_at=timezone.now(), reported_by=side, report_reason=reason
    )
    thread.refresh_from_db()
    return thread


def can_read_threads(user) -> bool:
    """Staff who moderate: the sellers' reviewers (the moderation queue's)."""
    return seller_permissions.can_review_sellers(user)


def threads_for_staff():
    """Reported threads, and threads with a held message: nothing else."""
    return (
        Thread.objects.filter(
            Q(reported_at__isnull=False)
            | Q(messages__held=True, messages__dropped=False)
        )
        .select_related("seller")
        .distinct()
        .order_by("-last_message_at", "-pk")
    )


@transaction.atomic
def thread_read_by_staff(*, thread_id: int, user, purpose: str = "view") -> Thread:
    """A reported or held thread for staff, with a read-log entry; any other
    thread: PermissionDenied (staff do not read private conversations)."""
    if not can_read_threads(user):
        raise PermissionDenied
    thread = threads_for_staff().filter(pk=thread_id).first()
    if thread is None:
        raise PermissionDenied
    ThreadReadLog.objects.create(thread=thread, user=user, purpose=purpose)
    return thread


@transaction.atomic
def message_moderate(*, message: ThreadMessage, user, release: bool) -> None:
    """Staff release a held message (the other side sees it, the owners are
    told) or drop it (nobody sees it any more)."""
    if not can_read_threads(user):
        raise PermissionDenied
    message = ThreadMessage.objects.select_for_update().get(pk=message.pk)
    if not message.held:
        return
    ThreadReadLog.objects.create(
        thread_id=message.thread_id,
        user=user,
        purpose="release" if release else "drop",
    )
    if release:
        ThreadMessage.objects.filter(pk=message.pk).update(held=False)
        if message.side == BUYER:
            _text_owners(message.thread, timezone.now())
    else:
        ThreadMessage.objects.filter(pk=message.pk).update(dropped=True)


# --- lists ------------------------------------------------------------------------


def _unread(side_read_field: str, other_side: str) -> Count:
    return Count(
        "messages",
        filter=Q(
            messages__side=other_side,
            messages__held=False,
            messages__dropped=False,
        )
        & (
            Q(**{f"{side_read_field}__isnull": True})
            | Q(messages__created_at__gt=F(side_read_field))
        ),
    )


def threads_for_booth(*, seller):
    """Her booth's threads, newest first, each with `unread` (the buyer's
    messages since a member last opened it)."""
    return (
        Thread.objects.filter(seller=seller)
        .annotate(unread=_unread("booth_read_at", BUYER))
        .select_related("seller_order")
        .order_by("-last_message_at", "-pk")
    )


def booth_unread_total(*, seller) -> int:
    """The buyers' messages her booth has not read yet, over all threads (one
    query)."""
    return (
        ThreadMessage.objects.filter(
            thread__seller=seller, side=BUYER, held=False, dropped=False
        )
        .filter(
            Q(thread__booth_read_at__isnull=True)
            | Q(created_at__gt=F("thread__booth_read_at"))
        )
        .count()
    )


def threads_for_buyer(*, user=None, guest_phone: str = ""):
    """Her threads (signed in: hers; a guest: those on her proven mobile)."""
    if getattr(user, "is_authenticated", False):
        who = Q(buyer=user)
    elif guest_phone:
        who = Q(buyer__isnull=True, guest_phone=guest_phone)
    else:
        return Thread.objects.none()
    return (
        Thread.objects.filter(who)
        .annotate(unread=_unread("buyer_read_at", BOOTH))
        .select_related("seller")
        .order_by("-last_message_at", "-pk")
    )
