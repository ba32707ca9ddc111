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


def require_owner(
    *, seller: Seller, actor: User, area: str | None = None
) -> SellerMember:
    """An owner of the booth, or her delegate when `area` is delegable
    (`permissions.membership_for`); else 404 (not hers) or PermissionDenied."""
    membership = permissions.membership_for(actor, seller.pk, area=area)
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
