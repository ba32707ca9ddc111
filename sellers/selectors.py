"""Read-side queries for sellers, shaped for the pages that use them."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from .models import Seller

_OPEN_PARTNERS_KEY = "sellers:open-partner-ids:v1"


def seller_list_public() -> QuerySet[Seller]:
    """Booths the public may see: approved ones only."""
    return Seller.objects.filter(status=Seller.Status.APPROVED).select_related("district")


def open_partner_ids() -> frozenset[int]:
    """Partner ids of booths that may sell now.

    Read on every price/availability decision, so it is cached as one small set
    and invalidated whenever a seller changes (sellers.receivers).
    """
    ids = cache.get(_OPEN_PARTNERS_KEY)
    if ids is None:
        ids = frozenset(
            Seller.objects.filter(status=Seller.Status.APPROVED).values_list(
                "partner_id", flat=True
            )
        )
        cache.set(_OPEN_PARTNERS_KEY, ids, 300)
    return ids


def open_partner_ids_invalidate() -> None:
    cache.delete(_OPEN_PARTNERS_KEY)
