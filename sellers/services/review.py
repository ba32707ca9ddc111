"""Moving a seller along the transition table (`sellers.workflow`): staff review
(start review, approve, ask for changes, reject, suspend, reinstate) and the
owner's resubmission after changes were asked for."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from marketplace.text import as_sentence

from .. import audit, permissions
from ..models import Seller
from ..workflow import OWNER, REVIEWER, SellerMove, Transition, transition_named
from ._guards import require_owner, require_reason, require_reviewer
from .checklist import requirements_missing
from .notify import seller_notify

S = Seller.Status


class TransitionNotAllowed(ValidationError):
    pass


def _allowed(transition: Transition, actor: User, seller: Seller) -> None:
    if transition.by == REVIEWER:
        require_reviewer(actor)
    elif transition.by == OWNER:
        require_owner(seller=seller, actor=actor)
    else:  # the applicant's transition creates a seller: `seller_apply`
        raise PermissionDenied


@audit.workflow
def seller_transition(
    *, seller: Seller, actor: User, action: str, reason: str = ""
) -> Seller:
    """Take the transition named `action` (a row of `sellers.workflow`).

    Rules, all read from the row: who may take it; the statuses it leaves from
    (else `TransitionNotAllowed`); a written reason when it needs one (sent to
    the seller); a complete checklist before approval; its `before` steps (the
    first approval stamps `approved_at`; a resubmission restarts the queue's
    wait, `submitted_at`).
    Audited, and the booth is told when the row says what to tell her."""
    transition = transition_named(action)
    if transition is None:
        raise ValueError(f"no such transition: {action!r}")
    _allowed(transition, actor, seller)
    if transition.needs_reason:
        reason = require_reason(reason)
    else:
        reason = ""
    if transition.needs_checklist:
        missing = requirements_missing(seller=seller)
        if missing:
            raise ValidationError(
                "پیش از تأیید، این موارد باید تکمیل شوند: "
                + "، ".join(r.title for r in missing)
            )
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    if locked.status not in transition.sources:
        raise TransitionNotAllowed(
            f"این کار در وضعیت «{locked.get_status_display()}» ممکن نیست."
        )
    previous = locked.status
    locked.status = transition.target
    locked.status_reason = reason
    move = SellerMove(locked, timezone.now(), ["status", "status_reason"])
    for step in transition.before:  # the row's side effects (sellers.workflow)
        step(move)
    locked.save(update_fields=move.fields)
    audit.record(
        seller=locked,
        actor=actor,
        action=transition.action,
        from_status=previous,
        to_status=transition.target,
        reason=reason,
    )
    if transition.notify:
        seller_notify(
            seller=locked, text=transition.notify.format(reason=as_sentence(reason))
        )
    seller.__dict__.update(locked.__dict__)
    return locked


def seller_start_review(*, seller: Seller, actor: User) -> Seller:
    """Staff take an application into review."""
    return seller_transition(seller=seller, actor=actor, action="start_review")


def seller_approve(*, seller: Seller, actor: User) -> Seller:
    """Approve a booth. Every active checklist item for her kind must be done."""
    return seller_transition(seller=seller, actor=actor, action="approve")


def seller_reject(*, seller: Seller, actor: User, reason: str) -> Seller:
    return seller_transition(seller=seller, actor=actor, action="reject", reason=reason)


def seller_request_changes(*, seller: Seller, actor: User, reason: str) -> Seller:
    return seller_transition(
        seller=seller, actor=actor, action="request_changes", reason=reason
    )


def seller_suspend(*, seller: Seller, actor: User, reason: str) -> Seller:
    return seller_transition(
        seller=seller, actor=actor, action="suspend", reason=reason
    )


def seller_reinstate(*, seller: Seller, actor: User) -> Seller:
    return seller_transition(seller=seller, actor=actor, action="reinstate")


def seller_resubmit(*, seller: Seller, actor: User) -> Seller:
    """After staff asked for changes, an owner sends the application back."""
    membership = permissions.membership_for(actor, seller.pk)
    if not permissions.is_owner(membership):
        raise PermissionDenied
    return seller_transition(seller=seller, actor=actor, action="resubmit")
