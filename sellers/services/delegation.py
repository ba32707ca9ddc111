"""Assisted selling: a seller lets her mentor work in parts of her panel for
her, on the record.

She grants a delegation (`delegation_grant`) to her assigned mentor or to
another mentor of her Kowsar centre (`delegation_candidates`): which areas
(`Delegation.Area`) and until when (at most `DELEGATION_MAX_DAYS` days). She
withdraws it whenever she likes (`delegation_withdraw`). Both are audited and
sent to her by SMS. What the delegate may open is decided by the panel's one
permission check (`sellers.permissions.membership_for`); what she does is
stamped on the booth's audit trail by `sellers.audit.record`
(`SellerAuditEntry.delegation`). The seller reads what was done for her on
her delegation page, and once, at her next login, a summary
(`delegated_summary_take`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.persian import format_jalali, to_persian_digits

from .. import audit, permissions
from ..models import Delegation, Seller, SellerAuditEntry, SellerMember
from ..selectors import mentor_candidates
from ._guards import require_owner
from .notify import seller_notify

DELEGATION_MAX_DAYS = 90

#: How the login summary counts what was done for her: action → "N … شد".
SUMMARY_PHRASES: dict[str, str] = {
    "product_create": "محصول افزوده شد",
    "product_update": "محصول ویرایش شد",
    "product_photos": "بار عکس محصول تغییر کرد",
    "product_pause": "محصول متوقف شد",
    "product_unpause": "محصول دوباره فعال شد",
    "product_duplicate": "محصول کپی شد",
    "product_delete": "محصول حذف شد",
    "order_accept": "سفارش پذیرفته شد",
    "order_decline": "سفارش رد شد",
    "order_ready": "سفارش آمادهٔ تحویل شد",
    "order_ship": "سفارش ارسال شد",
    "order_deliver": "سفارش تحویل شد",
    "order_message": "پیام به خریداران فرستاده شد",
    "delivery_update": "بار روش‌های تحویل تغییر کرد",
    "stall_sale": "فروش در بازارچه ثبت شد",
    "bazaar_set_aside": "بار موجودی برای بازارچه کنار گذاشته شد",
}
OTHER_PHRASE = "کار دیگر انجام شد"


def _person(user: User | None) -> str:
    """A staff member as the seller reads her: her name, else «کارشناس»
    (never a login, which is a mobile number)."""
    if user is None:
        return "کارشناس"
    return user.get_full_name() or "کارشناس"


def delegation_candidates(*, seller: Seller) -> list[User]:
    """Who she may grant a delegation to: her assigned mentor, and the staff
    members of her centre (the mentors assigned to another booth of her Kowsar
    centre); active staff who may mentor (`selectors.mentor_candidates`), never
    a member of her booth."""
    who = Q(pk=seller.mentor_id) if seller.mentor_id else Q(pk__in=[])
    if seller.centre_id:
        who |= Q(mentored_sellers__centre_id=seller.centre_id)
    return list(
        mentor_candidates()
        .filter(who)
        .exclude(seller_memberships__seller=seller)
        .distinct()
    )


def _ends_on_check(ends_on: dt.date) -> None:
    today = timezone.localdate()
    if ends_on < today:
        raise ValidationError({"ends_on": "تاریخ پایان باید امروز یا بعد از آن باشد."})
    if ends_on > today + dt.timedelta(days=DELEGATION_MAX_DAYS):
        raise ValidationError(
            {
                "ends_on": "اجازه حداکثر برای "
                f"{to_persian_digits(DELEGATION_MAX_DAYS)} روز داده می‌شود."
            }
        )


@audit.workflow
def delegation_grant(
    *,
    seller: Seller,
    actor: User,
    delegate: User,
    areas: list[str],
    ends_on: dt.date,
) -> Delegation:
    """An owner lets `delegate` (one of `delegation_candidates`) work for her
    in `areas` until `ends_on` (inclusive, at most DELEGATION_MAX_DAYS days
    from today). One live delegation per delegate: she withdraws the old one
    first. Audited; she is told by SMS. Delegates never grant (owners only,
    outside every delegable area)."""
    require_owner(seller=seller, actor=actor)
    areas = [a for a in Delegation.Area.values if a in set(areas)]
    if not areas:
        raise ValidationError({"areas": "دست‌کم یک بخش را انتخاب کنید."})
    _ends_on_check(ends_on)
    if delegate.pk not in {u.pk for u in delegation_candidates(seller=seller)}:
        raise ValidationError(
            {"delegate": "فقط منتور شما یا کارشناس مرکز شما را می‌توانید انتخاب کنید."}
        )
    if (
        Delegation.objects.select_for_update()
        .filter(Delegation.live_q(), seller=seller, delegate=delegate)
        .exists()
    ):
        raise ValidationError(
            {
                "delegate": "این کارشناس اجازهٔ فعالی دارد؛ برای تغییر، اول آن را پس "
                "بگیرید."
            }
        )
    delegation = Delegation.objects.create(
        seller=seller,
        delegate=delegate,
        granted_by=actor,
        areas=areas,
        ends_on=ends_on,
    )
    what = "، ".join(delegation.area_labels())
    until = format_jalali(ends_on)
    audit.record(
        seller=seller,
        actor=actor,
        action="delegation_grant",
        reason=f"{_person(delegate)}: {what}، تا {until}",
    )
    seller_notify(
        seller=seller,
        text=f"به {_person(delegate)} اجازه دادید تا {until} در این بخش‌ها به جای "
        f"شما کار کند: {what}. هر وقت بخواهید می‌توانید آن را پس بگیرید.",
    )
    return delegation


@audit.workflow
def delegation_withdraw(*, delegation: Delegation, actor: User) -> Delegation:
    """An owner withdraws a delegation, live or not yet ended: from the next
    request on, every page of it is a 404 for the delegate. Audited; she is
    told by SMS. A second withdrawal changes nothing."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    seller = delegation.seller
    require_owner(seller=seller, actor=actor)
    if delegation.withdrawn_at is not None:
        audit.unchanged()
        return delegation
    delegation.withdrawn_at = timezone.now()
    delegation.withdrawn_by = actor
    delegation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record(
        seller=seller,
        actor=actor,
        action="delegation_withdraw",
        reason=_person(delegation.delegate),
    )
    seller_notify(
        seller=seller,
        text=f"اجازهٔ کار {_person(delegation.delegate)} به جای شما پس گرفته شد.",
    )
    return delegation


@audit.workflow
def delegated_order_step_record(
    *, seller: Seller, actor: User, action: str, part_number: str
) -> SellerAuditEntry:
    """Put a part's step (`action`: accept, decline, ready, ship, deliver) or
    a message to a buyer (`message`, with the thread's subject) taken by her
    delegate on the booth's file ("by mentor X for seller Y"): the part's own
    events and the thread keep every step, the file keeps hers. Call it under
    `audit.acting_under` (the panel does)."""
    if audit.acting_delegation() is None:
        raise ValueError("not acting under a delegation")
    return audit.record(
        seller=seller, actor=actor, action=f"order_{action}", reason=part_number
    )


def delegated_entries(*, seller: Seller) -> QuerySet[SellerAuditEntry]:
    """What was done for her under a delegation, newest first."""
    return SellerAuditEntry.objects.filter(
        seller=seller, delegation__isnull=False
    ).select_related("actor", "delegation__delegate")


def delegated_summary(entries) -> str:
    """«۳ محصول افزوده شد، ۲ سفارش پذیرفته شد»: counts by kind, in the
    order of `SUMMARY_PHRASES`."""
    counts = Counter(e.action if e.action in SUMMARY_PHRASES else "" for e in entries)
    parts = [
        f"{to_persian_digits(counts[action])} {phrase}"
        for action, phrase in SUMMARY_PHRASES.items()
        if counts[action]
    ]
    if counts[""]:
        parts.append(f"{to_persian_digits(counts[''])} {OTHER_PHRASE}")
    return "، ".join(parts)


def delegated_summary_take(*, user: User) -> list[str]:
    """At her login: for each booth of hers, what was done for her under a
    delegation since she last saw it, as one sentence; then marked seen (each
    summary is shown once)."""
    now = timezone.now()
    texts = []
    for membership in SellerMember.objects.select_related("seller").filter(user=user):
        since = membership.delegated_seen_at or membership.joined_at
        entries = list(
            delegated_entries(seller=membership.seller).filter(
                created_at__gt=since, created_at__lte=now
            )
        )
        SellerMember.objects.filter(pk=membership.pk).update(delegated_seen_at=now)
        if entries:
            texts.append(
                f"از آخرین ورود شما، به جای شما در غرفهٔ "
                f"«{membership.seller.brand_name}»: {delegated_summary(entries)}."
            )
    return texts


def delegations_live_for(*, user: User) -> list[Delegation]:
    """The live delegations a staff member works under («کار به جای فروشنده»)."""
    if not permissions.can_mentor_sellers(user):
        return []
    return list(
        Delegation.objects.filter(Delegation.live_q(), delegate=user)
        .select_related("seller")
        .order_by("seller__brand_name")
    )
