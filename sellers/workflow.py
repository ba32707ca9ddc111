"""The seller state machine: one transition table.

Every change of `Seller.status` is a row here: which statuses it leaves from,
where it goes, who may make it, what the audit trail calls it, and, for staff,
the button that offers it. `sellers.services` moves a seller only along these
rows (`seller_transition`), the staff file offers exactly the rows a reviewer may
take from the seller's status (`staff_transitions_from`), and the audit trail
labels transitions from here (`sellers.audit`).

A plain table rather than a state-machine library (django-fsm-2): the machine has
six statuses and eight moves, every move is one service with one transaction,
and the staff page needs the table as data (buttons, labels), which decorators
on model methods would scatter again.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Seller

S = Seller.Status

#: Who may take a transition: the woman applying, an owner of the booth, or
#: programme staff with `sellers.review_seller`.
APPLICANT, OWNER, REVIEWER = "applicant", "owner", "reviewer"

#: Statuses of an application still waiting on someone (not decided): one
#: application per owner may be open, and the staff queue shows these by default.
OPEN_STATUSES: tuple[str, ...] = (S.APPLIED, S.IN_REVIEW, S.CHANGES_REQUESTED)


@dataclass(frozen=True)
class Transition:
    action: str  # the audit code and the staff URL's <action>
    sources: frozenset[str]  # statuses it may start from (empty: a new seller)
    target: str
    by: str  # APPLICANT, OWNER or REVIEWER
    audit_label: str
    notify: str = ""  # what the booth is told; "{reason}" is filled in
    needs_reason: bool = False  # staff must write why (sent to the seller)
    needs_checklist: bool = False  # every checklist item must be done first
    restarts_wait: bool = False  # sets `submitted_at`: the queue's wait restarts
    # The staff button (reviewer transitions only).
    button: str = ""
    done_message: str = ""
    button_style: str = ""


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "apply",
        frozenset(),
        S.APPLIED,
        APPLICANT,
        "ثبت درخواست",
    ),
    Transition(
        "resubmit",
        frozenset({S.CHANGES_REQUESTED}),
        S.APPLIED,
        OWNER,
        "ارسال دوباره پس از اصلاح",
        restarts_wait=True,
    ),
    # Reviewer transitions, in the order the staff file shows their buttons.
    Transition(
        "start_review",
        frozenset({S.APPLIED}),
        S.IN_REVIEW,
        REVIEWER,
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
        REVIEWER,
        "تأیید",
        notify="تبریک! غرفهٔ شما تأیید شد و اکنون برای خریداران نمایش داده می‌شود.",
        needs_checklist=True,
        button="تأیید غرفه",
        done_message="غرفه تأیید شد و به فروشنده خبر داده شد.",
    ),
    Transition(
        "request_changes",
        frozenset({S.APPLIED, S.IN_REVIEW}),
        S.CHANGES_REQUESTED,
        REVIEWER,
        "درخواست اصلاح",
        notify="درخواست غرفهٔ شما به اصلاح نیاز دارد: {reason}",
        needs_reason=True,
        button="درخواست اصلاح",
        done_message="درخواست اصلاح برای فروشنده فرستاده شد.",
        button_style="secondary",
    ),
    Transition(
        "reject",
        frozenset(OPEN_STATUSES),
        S.REJECTED,
        REVIEWER,
        "رد درخواست",
        notify="درخواست غرفهٔ شما پذیرفته نشد. دلیل: {reason}",
        needs_reason=True,
        button="رد درخواست",
        done_message="درخواست رد شد و دلیل آن برای فروشنده فرستاده شد.",
        button_style="danger",
    ),
    Transition(
        "suspend",
        frozenset({S.APPROVED}),
        S.SUSPENDED,
        REVIEWER,
        "تعلیق",
        notify="غرفهٔ شما موقتاً غیرفعال شد. دلیل: {reason}",
        needs_reason=True,
        button="تعلیق غرفه",
        done_message="غرفه تعلیق شد و دلیل آن برای فروشنده فرستاده شد.",
        button_style="danger",
    ),
    Transition(
        "reinstate",
        frozenset({S.SUSPENDED}),
        S.APPROVED,
        REVIEWER,
        "فعال‌سازی دوباره",
        notify="غرفهٔ شما دوباره فعال شد.",
        button="فعال‌سازی دوباره",
        done_message="غرفه دوباره فعال شد و به فروشنده خبر داده شد.",
    ),
)

_BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def transition_named(action: str) -> Transition | None:
    """The transition with this action code, or None."""
    return _BY_ACTION.get(action)


def staff_transitions_from(status: str) -> list[Transition]:
    """What a reviewer may do with a seller in `status`: the staff file's buttons."""
    return [t for t in TRANSITIONS if t.by == REVIEWER and status in t.sources]
