"""Members of a booth: an owner invites phone numbers into her group, changes
roles and removes members; the invited number accepts after logging in."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.phone import normalize_phone
from marketplace.persian import to_persian_digits

from .. import audit
from ..models import Seller, SellerInvitation, SellerMember
from ._guards import require_owner
from .notify import sms_quietly

GROUP_MAX_MEMBERS = 7


def _last_owner(seller: Seller, member: SellerMember) -> bool:
    return (
        member.role == SellerMember.Role.OWNER
        and seller.members.filter(role=SellerMember.Role.OWNER).count() <= 1
    )


@audit.workflow
def member_invite(
    *, seller: Seller, actor: User, phone: str, role: str
) -> SellerInvitation:
    """An owner invites a phone number into her group (at most 7 members and
    invitations together). Only groups have members besides the owner."""
    require_owner(seller=seller, actor=actor)
    if seller.kind != Seller.Kind.GROUP:
        raise ValidationError("فقط غرفه‌های گروهی می‌توانند عضو دعوت کنند.")
    if role not in SellerMember.Role.values:
        raise ValidationError({"role": "نقش نامعتبر است."})
    try:
        phone = normalize_phone(phone)
    except ValueError as error:
        raise ValidationError({"phone": str(error)}) from error
    if seller.members.filter(user__username=phone).exists():
        raise ValidationError({"phone": "این شماره همین حالا عضو غرفه است."})
    open_invitations = seller.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True
    )
    if open_invitations.filter(phone=phone).exists():
        raise ValidationError(
            {"phone": "برای این شماره قبلاً دعوت‌نامه فرستاده شده است."}
        )
    if seller.members.count() + open_invitations.count() >= GROUP_MAX_MEMBERS:
        raise ValidationError(f"یک گروه همیار حداکثر {GROUP_MAX_MEMBERS} عضو دارد.")
    invitation = SellerInvitation.objects.create(
        seller=seller, phone=phone, role=role, invited_by=actor
    )
    audit.record(
        seller=seller,
        actor=actor,
        action="member_invite",
        reason=f"{to_persian_digits(phone)} ({invitation.get_role_display()})",
    )
    transaction.on_commit(
        lambda: sms_quietly(
            phone=phone,
            text=f"دستاورد: شما به غرفهٔ «{seller.brand_name}» دعوت شده‌اید. با همین شماره وارد شوید.",
        )
    )
    return invitation


def invitations_for(*, user: User) -> list[SellerInvitation]:
    return list(
        SellerInvitation.objects.select_related("seller").filter(
            phone=user.username, accepted_at__isnull=True, cancelled_at__isnull=True
        )
    )


@audit.workflow
def invitation_accept(*, invitation_id: int, user: User) -> SellerMember:
    """The invited number, logged in, joins the group with the invited role."""
    invitation = (
        SellerInvitation.objects.select_for_update()
        .filter(
            pk=invitation_id,
            phone=user.username,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .first()
    )
    if invitation is None:
        raise PermissionDenied
    membership, _ = SellerMember.objects.get_or_create(
        seller=invitation.seller, user=user, defaults={"role": invitation.role}
    )
    invitation.seller.partner.users.add(user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(seller=invitation.seller, actor=user, action="member_join")
    return membership


@audit.workflow
def invitation_cancel(*, seller: Seller, actor: User, invitation_id: int) -> None:
    """An owner cancels an invitation not yet accepted (nothing happens for one
    that is not open)."""
    require_owner(seller=seller, actor=actor)
    invitation = (
        seller.invitations.select_for_update()
        .filter(pk=invitation_id, accepted_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if invitation is None:
        audit.unchanged()
        return
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit.record(
        seller=seller,
        actor=actor,
        action="invitation_cancel",
        reason=to_persian_digits(invitation.phone),
    )


@audit.workflow
def member_remove(*, seller: Seller, actor: User, member_id: int) -> None:
    """Owners remove members; the last owner cannot be removed."""
    require_owner(seller=seller, actor=actor)
    member = seller.members.filter(pk=member_id).select_related("user").first()
    if member is None:
        raise ValidationError("عضو پیدا نشد.")
    if _last_owner(seller, member):
        raise ValidationError("غرفه باید دست‌کم یک مدیر داشته باشد.")
    seller.partner.users.remove(member.user)
    member.delete()
    audit.record(seller=seller, actor=actor, action="member_remove")


@audit.workflow
def member_role_set(
    *, seller: Seller, actor: User, member_id: int, role: str
) -> SellerMember:
    """Owners change a member's role; the last owner stays an owner."""
    require_owner(seller=seller, actor=actor)
    if role not in SellerMember.Role.values:
        raise ValidationError({"role": "نقش نامعتبر است."})
    member = seller.members.filter(pk=member_id).first()
    if member is None:
        raise ValidationError("عضو پیدا نشد.")
    if role != SellerMember.Role.OWNER and _last_owner(seller, member):
        raise ValidationError("غرفه باید دست‌کم یک مدیر داشته باشد.")
    if member.role == role:
        audit.unchanged()
        return member
    member.role = role
    member.save(update_fields=["role"])
    audit.record(
        seller=seller,
        actor=actor,
        action="member_role_set",
        reason=member.get_role_display(),
    )
    return member
