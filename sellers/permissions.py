"""Who may do what with sellers: the one place these checks live.

Views call these; services call them again before they write, so the rules hold
for the admin, the panel, tests and scripts alike.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from .models import Delegation, Seller, SellerMember

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
    """Her stall's stock and sales: any member of the booth, bazaar staff, or
    her mentor under a live delegation of her stalls."""
    if not user.is_authenticated:
        return False
    if can_run_bazaars(user):
        return True
    try:
        membership_for(user, seller_id, area=Delegation.Area.STALLS)
    except Http404:
        return False
    return True


def live_delegation(
    user: User | AnonymousUser, seller_id: int, area: str
) -> Delegation | None:
    """The user's live delegation from this seller covering `area`, if any:
    a staff user she granted it to (`sellers.services.delegation_grant`)."""
    if not can_mentor_sellers(user):  # staff who lost the role lose this too
        return None
    for delegation in (
        Delegation.objects.select_related("seller__district")
        .filter(Delegation.live_q(), delegate=user, seller_id=seller_id)
        .order_by("-created_at")
    ):
        if delegation.covers(area):
            return delegation
    return None


def membership_for(
    user: User | AnonymousUser, seller_id: int, *, area: str | None = None
) -> SellerMember:
    """The user's membership of this seller, or 404. The panel's one
    permission check: every panel view and every service a panel view calls
    goes through it.

    A user of seller A asking for anything of seller B gets "not found", never
    "forbidden": the panel does not even confirm that B exists.

    `area` names the delegable part of the panel a page or a service belongs
    to (`Delegation.Area`: products, inbox, delivery, stalls; None for every
    other part: home, members, payout, holiday, story, notifications, ledger,
    the delegation page). A user who is not a member but holds a live
    delegation from the seller covering that area gets a stand-in membership
    (an owner's, within the area; never saved) carrying it in `.delegation`;
    anyone else, and a delegate outside her areas, after the end date or after
    the withdrawal, gets 404.
    """
    if not user.is_authenticated:
        raise Http404
    membership = (
        SellerMember.objects.select_related("seller__district")
        .filter(user=user, seller_id=seller_id)
        .first()
    )
    if membership is not None:
        return membership
    delegation = live_delegation(user, seller_id, area) if area else None
    if delegation is None:
        raise Http404
    stand_in = SellerMember(
        seller=delegation.seller, user=user, role=SellerMember.Role.OWNER
    )
    stand_in.delegation = delegation
    return stand_in


def acting_for(membership: SellerMember) -> Delegation | None:
    """The delegation a (stand-in) membership works under; None for a member."""
    return membership.delegation


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
