"""Delivery settings: how a booth hands over her goods, and her weekly
made-to-order capacity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from .. import audit
from ..models import Delegation, DeliveryOption, Seller
from ._guards import require_owner

#: The most a delivery fee (or "free above" amount) may be, in rials (10 M toman).
MAX_DELIVERY_AMOUNT = Decimal(100_000_000)
MAX_WEEKLY_CAPACITY = 10_000
AMOUNT_MESSAGE = "مبلغ را با عدد و به تومان بنویسید."
CAPACITY_MESSAGE = "ظرفیت هفتگی را با عدد بنویسید (یا خالی بگذارید)."


@dataclass(frozen=True)
class DeliverySetting:
    """What she set for one delivery kind (amounts in rials)."""

    active: bool
    fee: Decimal = Decimal(0)
    free_above: Decimal | None = None


@audit.workflow
def delivery_options_update(
    *,
    seller: Seller,
    actor: User,
    settings: dict[str, DeliverySetting],
    weekly_capacity: int | None,
) -> Seller:
    """Only the booth's owners change her delivery options and weekly capacity.

    Rules: every kind gets one option row (a kind she did not send is left as it
    is); fees and the courier's "free above" amount are 0 to 10 M toman; only the
    courier has a "free above" amount; the weekly capacity is empty (no cap) or 0
    to 10,000 units. Everything is checked before anything is written, and all of
    it is written in one transaction (a bad capacity loses none of her fees and
    saves none of them). The capacity is saved through `Seller.save`, so the
    catalogue caches hear that her made-to-order products may change."""
    require_owner(seller=seller, actor=actor, area=Delegation.Area.DELIVERY)
    kinds = set(DeliveryOption.SETTABLE_KINDS)  # bazaar pickup comes with a stall
    for kind, setting in settings.items():
        if kind not in kinds:
            raise ValidationError(f"روش تحویل ناشناخته: {kind}")
        amounts = [setting.fee, setting.free_above]
        if any(a is not None and not 0 <= a <= MAX_DELIVERY_AMOUNT for a in amounts):
            raise ValidationError(AMOUNT_MESSAGE)
    if weekly_capacity is not None and not 0 <= weekly_capacity <= MAX_WEEKLY_CAPACITY:
        raise ValidationError(CAPACITY_MESSAGE)
    existing = {o.kind: o for o in DeliveryOption.objects.filter(seller=seller)}
    for kind, setting in settings.items():
        option = existing.get(kind) or DeliveryOption(seller=seller, kind=kind)
        option.is_active = setting.active
        option.fee = setting.fee
        option.free_above = (
            setting.free_above if kind == DeliveryOption.Kind.COURIER else None
        )
        option.save()
    if seller.weekly_capacity != weekly_capacity:
        seller.weekly_capacity = weekly_capacity
        seller.save(update_fields=["weekly_capacity"])
    audit.record(seller=seller, actor=actor, action="delivery_update")
    return seller
