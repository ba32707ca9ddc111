"""The seller state machine: one transition table.

Every change of `Seller.status` is a row here, in the project's one machine
shape (`marketplace.state_machine`): which statuses it leaves from, where it
goes, who may make it, what the audit trail calls it, whether staff must write
a reason, its side effects (`before` steps: the first approval's date, the
queue's wait restarting), and, for staff, the button that offers it.
`sellers.services` moves a seller only along these rows (`seller_transition`),
the staff file offers exactly the rows a reviewer may take from the seller's
status (`staff_transitions_from`), and the audit trail labels transitions from
here (`sellers.audit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from marketplace.state_machine import Machine
from marketplace.state_machine import Transition as BaseTransition

from .models import Seller

S = Seller.Status

#: Who may take a transition: the woman applying, an owner of the booth, or
#: programme staff with `sellers.review_seller`.
APPLICANT, OWNER, REVIEWER = "applicant", "owner", "reviewer"

#: Statuses of an application still waiting on someone (not decided): one
#: application per owner may be open, and the staff queue shows these by default.
OPEN_STATUSES: tuple[str, ...] = (S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED)

#: The message when a reviewer's reason is missing (`_guards.require_reason`).
REASON_NEEDED = "لطفاً دلیل را بنویسید؛ برای فروشنده فرستاده می‌شود."


@dataclass
class SellerMove:
    """What a move's `before` steps work on: the locked seller, the moment,
    and the fields to save (steps add theirs)."""

    seller: Seller
    now: dt.datetime
    fields: list[str] = field(default_factory=list)


def stamp_first_approval(move: SellerMove) -> None:
    """The first approval is dated (`approved_at`); a reinstatement is not."""
    if move.seller.approved_at is None:
        move.seller.approved_at = move.now
        move.fields.append("approved_at")


def restart_queue_wait(move: SellerMove) -> None:
    """A resubmission goes to the back of the queue (`submitted_at`)."""
    move.seller.submitted_at = move.now
    move.fields.append("submitted_at")


@dataclass(frozen=True)
class Transition(BaseTransition):
    notify: str = ""  # what the booth is told; "{reason}" is filled in
    needs_checklist: bool = False  # every checklist item must be done first
    # The staff button (reviewer transitions only).
    button: str = ""
    done_message: str = ""
    button_style: str = ""

    @property
    def by(self) -> str:
        """The one party a seller transition is open to."""
        (party,) = self.parties
        return party

    @property
    def audit_label(self) -> str:
        return self.label


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "apply",
        frozenset(),
        S.APPLIED,
        frozenset({APPLICANT}),
        "ثبت درخواست",
    ),
    Transition(
        "resubmit",
        frozenset({S.CHANGES_REQUESTED}),
        S.APPLIED,
        frozenset({OWNER}),
        "ارسال دوباره پس از اصلاح",
        before=(restart_queue_wait,),
    ),
    # Reviewer transitions, in the order the staff file shows their buttons.
    Transition(
        "start_review",
        frozenset({S.APPLIED}),
        S.IN_REVIEW,
        frozenset({REVIEWER}),
        "شروع بررسی",
        notify="درخواست غرفهٔ شما در حال بررسی است.",
        button="شروع بررسی",
        done_message="پرونده به «در حال بررسی» رفت و به فروشنده خبر داده شد.",
        button_style="secondary",
    ),
    Transition(
        "approve",
        frozenset(OPEN_STATUSES),
        S.APPROVED,
        frozenset({REVIEWER}),
        "تأیید",
        notify="تبریک! غرفهٔ شما تأیید شد و اکنون برای خریداران نمایش داده می‌شود.",
        needs_checklist=True,
        before=(stamp_first_approval,),
        button="تأیید غرفه",
        done_message="غرفه تأیید شد و به فروشنده خبر داده شد.",
    ),
    Transition(
        "request_changes",
        frozenset({S.APPLIED, S.IN_REVIEW}),
        S.CHANGES_REQUESTED,
        frozenset({REVIEWER}),
        "درخواست اصلاح",
        notify="درخواست غرفهٔ شما به اصلاح نیاز دارد: {reason}",
        needs_reason=REASON_NEEDED,
        button="درخواست اصلاح",
        done_message="درخواست اصلاح برای فروشنده فرستاده شد.",
        button_style="secondary",
    ),
    Transition(
        "reject",
        frozenset(OPEN_STATUSES),
        S.REJECTED,
        frozenset({REVIEWER}),
        "رد درخواست",
        notify="درخواست غرفهٔ شما پذیرفته نشد. دلیل: {reason}",
        needs_reason=REASON_NEEDED,
        button="رد درخواست",
        done_message="درخواست رد شد و دلیل آن برای فروشنده فرستاده شد.",
        button_style="danger",
    ),
    Transition(
        "suspend",
        frozenset({S.APPROVED}),
        S.SUSPENDED,
        frozenset({REVIEWER}),
        "تعلیق",
        notify="غرفهٔ شما موقتاً غیرفعال شد. دلیل: {reason}",
        needs_reason=REASON_NEEDED,
        button="تعلیق غرفه",
        done_message="غرفه تعلیق شد و دلیل آن برای فروشنده فرستاده شد.",
        button_style="danger",
    ),
    Transition(
        "reinstate",
        frozenset({S.SUSPENDED}),
        S.APPROVED,
        frozenset({REVIEWER}),
        "فعال‌سازی دوباره",
        notify="غرفهٔ شما دوباره فعال شد.",
        before=(stamp_first_approval,),  # only a booth never approved before
        button="فعال‌سازی دوباره",
        done_message="غرفه دوباره فعال شد و به فروشنده خبر داده شد.",
    ),
)

#: The machine: `MACHINE.get(action)`, `MACHINE.allowed(seller, party)`.
MACHINE = Machine(TRANSITIONS)


def transition_named(action: str) -> Transition | None:
    """The transition with this action code, or None."""
    return MACHINE.get(action)


def staff_transitions_from(status: str) -> list[Transition]:
    """What a reviewer may do with a seller in `status`: the staff file's buttons."""
    return [t for t in MACHINE.for_party(REVIEWER) if status in t.sources]
