"""Mentoring: the stage a seller has reached, her mentor, and dated sessions."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .. import audit, permissions
from ..models import MentoringSession, Seller


def _require_mentor(actor: User) -> None:
    if not permissions.can_mentor_sellers(actor):
        raise PermissionDenied


@audit.workflow
def mentoring_update(
    *, seller: Seller, actor: User, stage: str | None = None, mentor: User | None = None
) -> Seller:
    """Set the mentoring stage and/or the assigned mentor (a staff user). Each
    change is audited; the stage in the audit's stage columns."""
    _require_mentor(actor)
    fields = []
    if stage is not None and stage != seller.mentoring_stage:
        if stage not in Seller.MentoringStage.values:
            raise ValidationError({"stage": "مرحلهٔ همراهی نامعتبر است."})
        audit.record(
            seller=seller,
            actor=actor,
            action="mentoring_stage",
            from_stage=seller.mentoring_stage,
            to_stage=stage,
        )
        seller.mentoring_stage = stage
        fields.append("mentoring_stage")
    if mentor is not None and mentor.pk != seller.mentor_id:
        if not mentor.is_staff:
            raise ValidationError({"mentor": "منتور باید از کارشناسان باشد."})
        seller.mentor = mentor
        fields.append("mentor")
        audit.record(
            seller=seller,
            actor=actor,
            action="mentor_assign",
            reason=mentor.get_full_name() or mentor.username,
        )
    if fields:
        seller.save(update_fields=fields)
    else:
        audit.unchanged()
    return seller


@audit.workflow
def mentoring_session_add(
    *,
    seller: Seller,
    actor: User,
    held_on: dt.date,
    topic: str,
    notes: str = "",
    next_step: str = "",
) -> MentoringSession:
    """Record one dated session (not in the future); audited with its topic."""
    _require_mentor(actor)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "تاریخ جلسه نمی‌تواند در آینده باشد."})
    session = MentoringSession.objects.create(
        seller=seller,
        held_on=held_on,
        topic=topic.strip(),
        notes=notes.strip(),
        next_step=next_step.strip(),
        recorded_by=actor,
    )
    audit.record(
        seller=seller, actor=actor, action="mentoring_session_add", reason=session.topic
    )
    return session
