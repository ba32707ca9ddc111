"""The audit trail: one mechanism for every seller and product workflow.

A workflow (a service that changes a booth, its members, its mentoring, its
payout, its holiday or its products) is declared with `@workflow`: it runs in
one transaction and must write its audit entry through `record` (or say, with
`unchanged()`, that it changed nothing). A workflow that returns without either
raises `AuditMissing`, which rolls its transaction back: a forgotten audit entry
is a failure in tests and in production, never a silent gap.

Every action code has its Persian label here (transitions take theirs from
`sellers.workflow`); `record` refuses a code without one, so the staff file never
shows a raw code. Mentoring stages are kept in their own columns (`from_stage`,
`to_stage`); the status columns always hold seller statuses.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

from .models import Delegation, Seller, SellerAuditEntry
from .workflow import TRANSITIONS

#: Labels of the audited actions that do not change the seller's status.
ACTION_LABELS: dict[str, str] = {
    "checklist_done": "تیک چک‌لیست",
    "checklist_undone": "برداشتن تیک چک‌لیست",
    "mentoring_stage": "تغییر مرحلهٔ همراهی",
    "mentor_assign": "تعیین منتور",
    "mentoring_session_add": "ثبت جلسهٔ همراهی",
    "casefile_update": "تغییر پرونده",
    "member_invite": "دعوت عضو",
    "invitation_cancel": "لغو دعوت‌نامه",
    "member_join": "پیوستن عضو",
    "member_remove": "حذف عضو",
    "member_role_set": "تغییر نقش عضو",
    "payout_update": "تغییر اطلاعات حساب",
    "delivery_update": "تغییر روش‌های تحویل و ظرفیت",
    # orders.payouts: staff transferred a payout batch line / received what a
    # collection list line listed.
    "payout_paid": "ثبت تسویهٔ حساب غرفه",
    "collection_received": "ثبت دریافت کارمزد از غرفه",
    "holiday_start": "شروع تعطیلات",
    "holiday_end": "پایان تعطیلات",
    "story_consent_given": "اجازهٔ انتشار داستان",
    "story_consent_withdrawn": "پس گرفتن اجازهٔ انتشار داستان",
    "product_create": "ثبت محصول",
    "product_update": "ویرایش محصول",
    "product_pause": "توقف محصول",
    "product_unpause": "فعال‌سازی دوبارهٔ محصول",
    "product_duplicate": "کپی محصول",
    "product_delete": "حذف محصول",
    "product_photos": "تغییر عکس‌های محصول",
    "product_approve": "تأیید محصول",
    "product_return": "برگشت محصول برای اصلاح",
    # sellers.services.bazaars and orders.stalls
    "bazaar_stall_assign": "تعیین جایگاه در بازارچه",
    "bazaar_stall_remove": "برداشتن از بازارچه",
    "bazaar_set_aside": "کنار گذاشتن موجودی برای بازارچه",
    "stall_sale": "ثبت فروش در بازارچه",
    # sellers.services.delegation: her consent to a mentor working for her
    "delegation_grant": "اجازهٔ کار به جای فروشنده",
    "delegation_withdraw": "پس گرفتن اجازهٔ کار به جای فروشنده",
    # a part's step taken by a mentor under a delegation (the part's own events
    # keep every step; these put hers on the booth's file too)
    "order_accept": "پذیرش سفارش",
    "order_decline": "رد سفارش",
    "order_ready": "آماده شدن سفارش برای تحویل حضوری",
    "order_ship": "ارسال سفارش",
    "order_deliver": "تحویل سفارش",
    "order_message": "پاسخ به پیام خریدار",
}

#: Every audit action and its label: the transitions' and the others'.
LABELS: dict[str, str] = {t.action: t.audit_label for t in TRANSITIONS} | ACTION_LABELS

_STATUS_LABELS = dict(Seller.Status.choices)
_STAGE_LABELS = dict(Seller.MentoringStage.choices)

#: Every declared workflow, by "module.name" (the audit test walks them).
WORKFLOWS: dict[str, Callable] = {}

# The audit entries written (and `unchanged()` calls) by the running workflows.
_written: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "audit_written", default=None
)


# The delegation a mentor works under in this request (set by the panel's
# permission check, `sellers.panel.views.PanelMixin`), stamped on what she does.
_acting: contextvars.ContextVar[Delegation | None] = contextvars.ContextVar(
    "audit_acting", default=None
)


@contextlib.contextmanager
def acting_under(delegation: Delegation | None) -> Iterator[None]:
    """Every entry `record` writes for the delegation's seller while this runs
    is marked "by mentor X for seller Y" (its `delegation`)."""
    token = _acting.set(delegation)
    try:
        yield
    finally:
        _acting.reset(token)


def acting_delegation() -> Delegation | None:
    return _acting.get()


class AuditMissing(RuntimeError):
    """A workflow returned without writing an audit entry."""


def record(
    *,
    seller: Seller,
    actor,
    action: str,
    reason: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    from_stage: str = "",
    to_stage: str = "",
) -> SellerAuditEntry:
    """Write one audit entry on the seller's file. The status columns default to
    her current status (an action that does not move her)."""
    if action not in LABELS:
        raise ValueError(f"audit action without a label: {action!r}")
    acting = _acting.get()
    entry = SellerAuditEntry.objects.create(
        delegation=acting
        if acting is not None and acting.seller_id == seller.pk
        else None,
        seller=seller,
        actor=actor,
        action=action,
        from_status=seller.status if from_status is None else from_status,
        to_status=seller.status if to_status is None else to_status,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
    )
    written = _written.get()
    if written is not None:
        written.append(entry)
    return entry


def unchanged() -> None:
    """The running workflow changed nothing, so it has nothing to audit."""
    written = _written.get()
    if written is not None:
        written.append(None)


F = TypeVar("F", bound=Callable)


def workflow(function: F) -> F:
    """Declare a seller or product workflow: one transaction, and an audit entry
    (through `record`) or an explicit `unchanged()` before it returns."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        written = _written.get()
        token = _written.set([]) if written is None else None
        try:
            done = len(_written.get())
            with transaction.atomic():
                result = function(*args, **kwargs)
                if len(_written.get()) == done:
                    raise AuditMissing(
                        f"{function.__module__}.{function.__name__} wrote no audit entry"
                    )
        finally:
            if token is not None:
                _written.reset(token)
        return result

    WORKFLOWS[f"{function.__module__}.{function.__name__}"] = run
    return run  # type: ignore[return-value]


def describe(entry: SellerAuditEntry) -> dict:
    """An entry as the staff file shows it: its label, and what changed (status or
    mentoring stage) as labels, empty when nothing did."""
    status_changed = entry.from_status != entry.to_status
    stage_changed = entry.from_stage != entry.to_stage
    if stage_changed:
        from_label = _STAGE_LABELS.get(entry.from_stage, entry.from_stage)
        to_label = _STAGE_LABELS.get(entry.to_stage, entry.to_stage)
    elif status_changed:
        from_label = _STATUS_LABELS.get(entry.from_status, entry.from_status)
        to_label = _STATUS_LABELS.get(entry.to_status, entry.to_status)
    else:
        from_label = to_label = ""
    return {
        "entry": entry,
        "label": LABELS.get(entry.action, "کار ثبت‌شده"),
        "from_label": from_label,
        "to_label": to_label,
    }
