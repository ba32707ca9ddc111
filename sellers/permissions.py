"""Who may do what with sellers: the one place these checks live.

Views call these; services call them again before they write, so the rules hold
for the admin, the panel, tests and scripts alike.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from .models import Seller, SellerMember

REVIEW_PERMISSION = "sellers.review_seller"
MENTOR_PERMISSION = "sellers.mentor_seller"
CASEFILE_VIEW_PERMISSION = "sellers.view_casefile"
CASEFILE_CHANGE_PERMISSION = "sellers.change_casefile"
BAZAAR_PERMISSION = "sellers.change_bazaar"


def can_review_sellers(user: User | AnonymousUser) -> bool:
    """Programme staff approve, reject, suspend and reinstate sellers."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(REVIEW_PERMISSION)
    )


def can_mentor_sellers(user: User | AnonymousUser) -> bool:
    """Mentors (and reviewers) record mentoring stages and sessions."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and (user.has_perm(MENTOR_PERMISSION) or user.has_perm(REVIEW_PERMISSION))
    )


def can_read_casefile(user: User | AnonymousUser) -> bool:
    """Case files need their own explicit permission; being staff is not enough."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm(CASEFILE_VIEW_PERMISSION)
    )


def can_change_casefile(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm(CASEFILE_CHANGE_PERMISSION)
    )


def can_run_bazaars(user: User | AnonymousUser) -> bool:
    """Programme staff who organise bazaars: dates and places, stalls, posters,
    and stall sales on a booth's behalf."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(BAZAAR_PERMISSION)
    )


def can_work_stall(user: User | AnonymousUser, seller_id: int) -> bool:
    """Her stall's stock and sales: any member of the booth, or bazaar staff."""
    if not user.is_authenticated:
        return False
    if can_run_bazaars(user):
        return True
    return SellerMember.objects.filter(user=user, seller_id=seller_id).exists()


def membership_for(user: User | AnonymousUser, seller_id: int) -> SellerMember:
    """The user's membership of this seller, or 404.

    A user of seller A asking for anything of seller B gets "not found", never
    "forbidden": the panel does not even confirm that B exists.
    """
    if not user.is_authenticated:
        raise Http404
    membership = (
        SellerMember.objects.select_related("seller__district")
        .filter(user=user, seller_id=seller_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def is_owner(membership: SellerMember) -> bool:
    """Only owners change members and payout details."""
    return membership.role == SellerMember.Role.OWNER


def sellers_of(user: User | AnonymousUser) -> list[Seller]:
    if not user.is_authenticated:
        return []
    return [
        m.seller
        for m in SellerMember.objects.select_related("seller").filter(user=user)
    ]
