"""Permission guards the seller workflows share (the checks themselves live in
`sellers.permissions`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from .. import permissions
from ..models import Seller, SellerMember


def require_reviewer(actor: User) -> None:
    if not permissions.can_review_sellers(actor):
        raise PermissionDenied


def require_owner(*, seller: Seller, actor: User) -> SellerMember:
    membership = permissions.membership_for(actor, seller.pk)
    if not permissions.is_owner(membership):
        raise PermissionDenied
    return membership


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "لطفاً دلیل را بنویسید؛ برای فروشنده فرستاده می‌شود."}
        )
    return reason
