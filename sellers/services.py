"""Seller workflows: apply, review (approve / reject / ask for changes / suspend /
reinstate), checklist, mentoring, members, payout details, holiday mode, case files.

Each staff action is one function that checks its permission, moves the status
along the allowed transitions, writes an audit entry and notifies the seller,
in one transaction (after Wagtail's "actions"). Views only call these.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass

import nh3
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.apps.partner.models import Partner

from marketplace.accounts.phone import normalize_phone
from marketplace.accounts.sms import SmsError, send_sms

from . import permissions
from .models import (
    CaseFile,
    CaseFileAccess,
    District,
    KowsarCentre,
    MentoringSession,
    Programme,
    Province,
    Requirement,
    RequirementCheck,
    Seller,
    SellerAuditEntry,
    SellerInvitation,
    SellerMember,
    SellerNotification,
)

S = Seller.Status
logger = logging.getLogger(__name__)


class TransitionNotAllowed(ValidationError):
    pass


# --- Applying -------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """What a woman (or a group's owner) tells us when she applies."""

    kind: str
    brand_name: str
    trade: str
    district: District | None
    programme: Programme
    centre: KowsarCentre | None = None
    province: Province | None = None
    city: str = ""
    neighbourhood: str = ""
    show_location: bool = False
    story: str = ""
    story_consent: bool = False


def _unique_slug(brand_name: str) -> str:
    base = slugify(brand_name, allow_unicode=True)[:120] or "booth"
    slug, n = base, 1
    while Seller.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def seller_apply(*, user: User, application: Application, logo=None) -> Seller:
    """Create a seller in status `applied`, with the applicant as its owner.

    Rules: the centre, when given, must be in the chosen district; one user may
    own at most one application that is still open (applied / in review /
    changes requested).
    """
    if application.centre and (
        application.district is None
        or application.centre.district_id != application.district.pk
    ):
        raise ValidationError({"centre": "مرکز انتخاب‌شده در این منطقه نیست."})
    open_statuses = [S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED]
    if SellerMember.objects.filter(
        user=user, role=SellerMember.Role.OWNER, seller__status__in=open_statuses
    ).exists():
        raise ValidationError("شما یک درخواست در حال بررسی دارید.")
    partner = Partner.objects.create(name=application.brand_name[:128])
    now = timezone.now()
    seller = Seller.objects.create(
        partner=partner,
        kind=application.kind,
        brand_name=application.brand_name,
        slug=_unique_slug(application.brand_name),
        trade=application.trade,
        province=application.province
        or Province.objects.filter(code=Province.TEHRAN_CODE).first(),
        city=application.city or "تهران",
        district=application.district,
        centre=application.centre,
        programme=application.programme,
        neighbourhood=application.neighbourhood,
        show_location=application.show_location,
        story=application.story,
        story_consent=application.story_consent,
        status=S.APPLIED,
        created_at=now,
        submitted_at=now,
    )
    if logo:
        seller.logo.save(f"{seller.pk:x}-{now.timestamp():.0f}.jpg", logo, save=True)
    SellerMember.objects.create(seller=seller, user=user, role=SellerMember.Role.OWNER)
    partner.users.add(user)
    _audit(
        seller=seller, actor=user, action="apply", from_status="", to_status=S.APPLIED
    )
    return seller


@transaction.atomic
def seller_resubmit(*, seller: Seller, actor: User) -> Seller:
    """After staff asked for changes, an owner sends the application back."""
    membership = permissions.membership_for(actor, seller.pk)
    if not permissions.is_owner(membership):
        raise PermissionDenied
    return _transition(
        seller=seller,
        actor=actor,
        action="resubmit",
        allowed_from={S.CHANGES_REQUESTED},
        to=S.APPLIED,
        notify_text=None,
    )


# --- Staff actions ------------------------------------------------------------------


def _audit(
    *, seller, actor, action, from_status, to_status, reason=""
) -> SellerAuditEntry:
    return SellerAuditEntry.objects.create(
        seller=seller,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def seller_notify(*, seller: Seller, text: str) -> SellerNotification:
    """Tell the booth: a panel notification now, an SMS to each owner after commit."""
    notification = SellerNotification.objects.create(seller=seller, text=text)
    phones = list(
        seller.members.filter(role=SellerMember.Role.OWNER).values_list(
            "user__username", flat=True
        )
    )

    def _send():
        for phone in phones:
            _sms_quietly(phone=phone, text=f"دستاورد: {text}")

    transaction.on_commit(_send)
    return notification


def _sms_quietly(*, phone: str, text: str) -> None:
    """SMS is a courtesy on top of the panel notification: a number that is not a
    mobile, or a gateway that is down, must not undo or break the action."""
    try:
        send_sms(phone=phone, text=text)
    except (ValueError, SmsError):
        logger.warning("SMS to a seller could not be sent", exc_info=True)


def _transition(
    *,
    seller: Seller,
    actor: User,
    action: str,
    allowed_from: set[str],
    to: str,
    reason: str = "",
    notify_text: str | None,
) -> Seller:
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    if locked.status not in allowed_from:
        raise TransitionNotAllowed(
            f"این کار در وضعیت «{locked.get_status_display()}» ممکن نیست."
        )
    previous = locked.status
    locked.status = to
    locked.status_reason = reason
    fields = ["status", "status_reason"]
    if to == S.APPROVED and locked.approved_at is None:
        locked.approved_at = timezone.now()
        fields.append("approved_at")
    if action == "resubmit":
        locked.submitted_at = timezone.now()
        fields.append("submitted_at")
    locked.save(update_fields=fields)
    _audit(
        seller=locked,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=to,
        reason=reason,
    )
    if notify_text:
        seller_notify(seller=locked, text=notify_text)
    seller.__dict__.update(locked.__dict__)
    return locked


def _require_reviewer(actor: User) -> None:
    if not permissions.can_review_sellers(actor):
        raise PermissionDenied


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "لطفاً دلیل را بنویسید؛ برای فروشنده فرستاده می‌شود."}
        )
    return reason


@transaction.atomic
def seller_start_review(*, seller: Seller, actor: User) -> Seller:
    """Staff take an application into review."""
    _require_reviewer(actor)
    return _transition(
        seller=seller,
        actor=actor,
        action="start_review",
        allowed_from={S.APPLIED},
        to=S.IN_REVIEW,
        notify_text="درخواست غرفهٔ شما در حال بررسی است.",
    )


@transaction.atomic
def seller_approve(*, seller: Seller, actor: User) -> Seller:
    """Approve a booth. Every active checklist item for her kind must be done."""
    _require_reviewer(actor)
    missing = requirements_missing(seller=seller)
    if missing:
        raise ValidationError(
            "پیش از تأیید، این موارد باید تکمیل شوند: "
            + "، ".join(r.title for r in missing)
        )
    return _transition(
        seller=seller,
        actor=actor,
        action="approve",
        allowed_from={S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED},
        to=S.APPROVED,
        notify_text="تبریک! غرفهٔ شما تأیید شد و اکنون برای خریداران نمایش داده می‌شود.",
    )


@transaction.atomic
def seller_reject(*, seller: Seller, actor: User, reason: str) -> Seller:
    _require_reviewer(actor)
    reason = _require_reason(reason)
    return _transition(
        seller=seller,
        actor=actor,
        action="reject",
        allowed_from={S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED},
        to=S.REJECTED,
        reason=reason,
        notify_text=f"درخواست غرفهٔ شما پذیرفته نشد. دلیل: {reason}",
    )


@transaction.atomic
def seller_request_changes(*, seller: Seller, actor: User, reason: str) -> Seller:
    _require_reviewer(actor)
    reason = _require_reason(reason)
    return _transition(
        seller=seller,
        actor=actor,
        action="request_changes",
        allowed_from={S.APPLIED, S.IN_REVIEW},
        to=S.CHANGES_REQUESTED,
        reason=reason,
        notify_text=f"درخواست غرفهٔ شما به اصلاح نیاز دارد: {reason}",
    )


@transaction.atomic
def seller_suspend(*, seller: Seller, actor: User, reason: str) -> Seller:
    _require_reviewer(actor)
    reason = _require_reason(reason)
    return _transition(
        seller=seller,
        actor=actor,
        action="suspend",
        allowed_from={S.APPROVED},
        to=S.SUSPENDED,
        reason=reason,
        notify_text=f"غرفهٔ شما موقتاً غیرفعال شد. دلیل: {reason}",
    )


@transaction.atomic
def seller_reinstate(*, seller: Seller, actor: User) -> Seller:
    _require_reviewer(actor)
    return _transition(
        seller=seller,
        actor=actor,
        action="reinstate",
        allowed_from={S.SUSPENDED},
        to=S.APPROVED,
        notify_text="غرفهٔ شما دوباره فعال شد.",
    )


# --- Checklist ---------------------------------------------------------------------


def requirements_for(
    *, seller: Seller
) -> list[tuple[Requirement, RequirementCheck | None]]:
    """The active checklist for this seller's kind, each with its check (or None)."""
    checks = {c.requirement_id: c for c in seller.requirement_checks.all()}
    return [
        (item, checks.get(item.pk))
        for item in Requirement.objects.filter(is_active=True)
        if item.applies_to_seller(seller)
    ]


def requirements_missing(*, seller: Seller) -> list[Requirement]:
    return [
        item
        for item, check in requirements_for(seller=seller)
        if not (check and check.done)
    ]


@transaction.atomic
def requirement_set(
    *, seller: Seller, requirement: Requirement, done: bool, actor: User, note: str = ""
) -> RequirementCheck:
    """Tick or untick one checklist item; audited."""
    _require_reviewer(actor)
    check, _ = RequirementCheck.objects.update_or_create(
        seller=seller,
        requirement=requirement,
        defaults={
            "done": done,
            "checked_by": actor,
            "checked_at": timezone.now(),
            "note": note,
        },
    )
    _audit(
        seller=seller,
        actor=actor,
        action="checklist_done" if done else "checklist_undone",
        from_status=seller.status,
        to_status=seller.status,
        reason=requirement.title,
    )
    return check


# --- Mentoring ----------------------------------------------------------------------


@transaction.atomic
def mentoring_update(
    *, seller: Seller, actor: User, stage: str | None = None, mentor: User | None = None
) -> Seller:
    """Set the mentoring stage and/or the assigned mentor (a staff user)."""
    if not permissions.can_mentor_sellers(actor):
        raise PermissionDenied
    fields = []
    if stage is not None and stage != seller.mentoring_stage:
        if stage not in Seller.MentoringStage.values:
            raise ValidationError({"stage": "مرحلهٔ همراهی نامعتبر است."})
        _audit(
            seller=seller,
            actor=actor,
            action="mentoring_stage",
            from_status=seller.mentoring_stage,
            to_status=stage,
        )
        seller.mentoring_stage = stage
        fields.append("mentoring_stage")
    if mentor is not None and mentor.pk != seller.mentor_id:
        if not mentor.is_staff:
            raise ValidationError({"mentor": "منتور باید از کارشناسان باشد."})
        seller.mentor = mentor
        fields.append("mentor")
        _audit(
            seller=seller,
            actor=actor,
            action="mentor_assign",
            from_status=seller.status,
            to_status=seller.status,
            reason=mentor.get_full_name() or mentor.username,
        )
    if fields:
        seller.save(update_fields=fields)
    return seller


@transaction.atomic
def mentoring_session_add(
    *,
    seller: Seller,
    actor: User,
    held_on: dt.date,
    topic: str,
    notes: str = "",
    next_step: str = "",
) -> MentoringSession:
    if not permissions.can_mentor_sellers(actor):
        raise PermissionDenied
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "تاریخ جلسه نمی‌تواند در آینده باشد."})
    return MentoringSession.objects.create(
        seller=seller,
        held_on=held_on,
        topic=topic.strip(),
        notes=notes.strip(),
        next_step=next_step.strip(),
        recorded_by=actor,
    )


# --- Case file ------------------------------------------------------------------------


@transaction.atomic
def casefile_read(*, seller: Seller, user: User, purpose: str = "view") -> CaseFile:
    """Return the seller's case file and log the read.

    Needs `sellers.view_casefile`."""
    if not permissions.can_read_casefile(user):
        raise PermissionDenied
    case_file, _ = CaseFile.objects.get_or_create(seller=seller)
    CaseFileAccess.objects.create(case_file=case_file, user=user, purpose=purpose)
    return case_file


@transaction.atomic
def casefile_update(*, seller: Seller, user: User, **fields) -> CaseFile:
    if not permissions.can_change_casefile(user):
        raise PermissionDenied
    case_file, _ = CaseFile.objects.get_or_create(seller=seller)
    allowed = {
        "head_of_household",
        "welfare_case_number",
        "insurance",
        "referral_source",
        "notes",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(case_file, name, value)
    case_file.save()
    CaseFileAccess.objects.create(case_file=case_file, user=user, purpose="change")
    return case_file


# --- Members and payout ---------------------------------------------------------------

GROUP_MAX_MEMBERS = 7


def _require_owner(*, seller: Seller, actor: User) -> SellerMember:
    membership = permissions.membership_for(actor, seller.pk)
    if not permissions.is_owner(membership):
        raise PermissionDenied
    return membership


@transaction.atomic
def member_invite(
    *, seller: Seller, actor: User, phone: str, role: str
) -> SellerInvitation:
    """An owner invites a phone number into her group (at most 7 members and
    invitations together). Only groups have members besides the owner."""
    _require_owner(seller=seller, actor=actor)
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
    transaction.on_commit(
        lambda: _sms_quietly(
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


@transaction.atomic
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
    _audit(
        seller=invitation.seller,
        actor=user,
        action="member_join",
        from_status=invitation.seller.status,
        to_status=invitation.seller.status,
    )
    return membership


@transaction.atomic
def invitation_cancel(*, seller: Seller, actor: User, invitation_id: int) -> None:
    _require_owner(seller=seller, actor=actor)
    seller.invitations.filter(pk=invitation_id, accepted_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


@transaction.atomic
def member_remove(*, seller: Seller, actor: User, member_id: int) -> None:
    """Owners remove members; the last owner cannot be removed."""
    _require_owner(seller=seller, actor=actor)
    member = seller.members.filter(pk=member_id).select_related("user").first()
    if member is None:
        raise ValidationError("عضو پیدا نشد.")
    if (
        member.role == SellerMember.Role.OWNER
        and seller.members.filter(role=SellerMember.Role.OWNER).count() <= 1
    ):
        raise ValidationError("غرفه باید دست‌کم یک مدیر داشته باشد.")
    seller.partner.users.remove(member.user)
    member.delete()
    _audit(
        seller=seller,
        actor=actor,
        action="member_remove",
        from_status=seller.status,
        to_status=seller.status,
    )


@transaction.atomic
def member_role_set(
    *, seller: Seller, actor: User, member_id: int, role: str
) -> SellerMember:
    _require_owner(seller=seller, actor=actor)
    if role not in SellerMember.Role.values:
        raise ValidationError({"role": "نقش نامعتبر است."})
    member = seller.members.filter(pk=member_id).first()
    if member is None:
        raise ValidationError("عضو پیدا نشد.")
    if (
        member.role == SellerMember.Role.OWNER
        and role != SellerMember.Role.OWNER
        and seller.members.filter(role=SellerMember.Role.OWNER).count() <= 1
    ):
        raise ValidationError("غرفه باید دست‌کم یک مدیر داشته باشد.")
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def payout_details_update(
    *, seller: Seller, actor: User, account_holder: str, sheba: str
) -> Seller:
    """Only owners change where the booth's money goes. Sheba: IR + 24 digits."""
    from marketplace.persian import to_latin_digits

    _require_owner(seller=seller, actor=actor)
    sheba = to_latin_digits(sheba).replace(" ", "").replace("-", "").upper()
    if not sheba.startswith("IR"):
        sheba = "IR" + sheba
    if len(sheba) != 26 or not sheba[2:].isdigit() or not _iban_ok(sheba):
        raise ValidationError(
            {"sheba": "شماره شبا باید IR و ۲۴ رقم باشد و درست وارد شده باشد."}
        )
    seller.payout_account_holder = account_holder.strip()
    seller.payout_sheba = sheba
    seller.save(update_fields=["payout_account_holder", "payout_sheba"])
    _audit(
        seller=seller,
        actor=actor,
        action="payout_update",
        from_status=seller.status,
        to_status=seller.status,
    )
    return seller


def _iban_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


# --- Seller-written text ------------------------------------------------------------

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str, *, multiline: bool = True) -> str:
    """Seller-written text as plain text: every HTML tag removed by nh3 (the
    contents of <script> and <style> too), entities turned back into characters,
    control characters dropped. Repeated until stable, so an escaped tag
    (`&lt;script&gt;`) cannot come back as a real one. Templates still escape it
    on output (never `|safe`); this is the second fence, not the only one."""
    text = value or ""
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n"))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


# --- Holiday mode -------------------------------------------------------------------

HOLIDAY_MAX_DAYS = 365


@transaction.atomic
def seller_holiday_set(
    *, seller: Seller, actor: User, until: dt.date | None, message: str = ""
) -> Seller:
    """Start or change holiday mode (`until` = the last day off), or end it
    (`until=None`). Owners only.

    While `holiday_until` is today or later her products stay visible with their
    prices but cannot be bought, and show the date she returns (the partner
    strategy reads it from the cached open-booth data, which the seller's
    post_save receiver drops). Audited.
    """
    _require_owner(seller=seller, actor=actor)
    message = plain_text(message, multiline=False)
    if until is not None:
        today = timezone.localdate()
        if until < today:
            raise ValidationError(
                {"until": "تاریخ بازگشت باید امروز یا روزهای بعد باشد."}
            )
        if until > today + dt.timedelta(days=HOLIDAY_MAX_DAYS):
            raise ValidationError({"until": "تعطیلات حداکثر یک سال می‌تواند باشد."})
        if len(message) > 200:
            raise ValidationError({"message": "پیام حداکثر ۲۰۰ نویسه باشد."})
    else:
        message = ""
    seller.holiday_until = until
    seller.holiday_message = message
    seller.save(update_fields=["holiday_until", "holiday_message"])
    _audit(
        seller=seller,
        actor=actor,
        action="holiday_start" if until else "holiday_end",
        from_status=seller.status,
        to_status=seller.status,
        reason=until.isoformat() if until else "",
    )
    return seller
