"""The approval checklist: items staff tick before a booth can be approved."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from .. import audit
from ..models import Requirement, RequirementCheck, Seller
from ._guards import require_reviewer


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


@audit.workflow
def requirement_set(
    *, seller: Seller, requirement: Requirement, done: bool, actor: User, note: str = ""
) -> RequirementCheck:
    """Tick or untick one checklist item; audited."""
    require_reviewer(actor)
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
    audit.record(
        seller=seller,
        actor=actor,
        action="checklist_done" if done else "checklist_undone",
        reason=requirement.title,
    )
    return check
