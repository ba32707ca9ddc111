"""Seller workflows, one module per family: applying (`applying`), review
transitions (`review`), the approval checklist (`checklist`), mentoring
(`mentoring`), case files (`casefile`), members and invitations (`members`),
payout details (`payout`), holiday mode (`holiday`), delivery options and
capacity (`delivery`), assisted selling (`delegation`), consent to her story (`story`), bazaar operations
(`bazaars`: stalls, set-aside stock), and telling the booth (`notify`).

Each workflow is one function, `<entity>_<action>`, keyword-only, declared with
`sellers.audit.workflow`: it checks its permission, moves the status only along
`sellers.workflow.TRANSITIONS`, writes its audit entry and notifies the seller,
in one transaction (after Wagtail's "actions"). Views only call these; import
them from here (`from sellers import services`).
"""

from .applying import Application, seller_apply
from .bazaars import (
    bazaar_save,
    bazaar_set_aside,
    bazaar_stall_assign,
    bazaar_stall_remove,
    bazaar_visit_count,
    stall_campaign_url,
    stall_poster,
    stall_poster_qr,
    stock_set_aside_refresh,
    stockrecord_lock,
)
from .casefile import casefile_read, casefile_update
from .checklist import requirement_set, requirements_for, requirements_missing
from .delegation import (
    DELEGATION_MAX_DAYS,
    delegated_entries,
    delegated_order_step_record,
    delegated_summary_take,
    delegation_candidates,
    delegation_grant,
    delegation_withdraw,
    delegations_live_for,
)
from .delivery import DeliverySetting, delivery_options_update
from .holiday import HOLIDAY_MAX_DAYS, seller_holiday_set
from .members import (
    GROUP_MAX_MEMBERS,
    invitation_accept,
    invitation_cancel,
    invitations_for,
    member_invite,
    member_remove,
    member_role_set,
)
from .mentoring import mentoring_session_add, mentoring_update
from .notify import seller_notify
from .payout import payout_details_update
from .review import (
    TransitionNotAllowed,
    seller_approve,
    seller_reinstate,
    seller_reject,
    seller_request_changes,
    seller_resubmit,
    seller_start_review,
    seller_suspend,
    seller_transition,
)
from .story import seller_story_consent_set

__all__ = [
    "DELEGATION_MAX_DAYS",
    "delegated_entries",
    "delegated_order_step_record",
    "delegated_summary_take",
    "delegation_candidates",
    "delegation_grant",
    "delegation_withdraw",
    "delegations_live_for",
    "GROUP_MAX_MEMBERS",
    "HOLIDAY_MAX_DAYS",
    "Application",
    "DeliverySetting",
    "bazaar_save",
    "bazaar_set_aside",
    "bazaar_stall_assign",
    "bazaar_stall_remove",
    "bazaar_visit_count",
    "stall_campaign_url",
    "stall_poster",
    "stall_poster_qr",
    "stock_set_aside_refresh",
    "stockrecord_lock",
    "TransitionNotAllowed",
    "casefile_read",
    "casefile_update",
    "delivery_options_update",
    "invitation_accept",
    "invitation_cancel",
    "invitations_for",
    "member_invite",
    "member_remove",
    "member_role_set",
    "mentoring_session_add",
    "mentoring_update",
    "payout_details_update",
    "requirement_set",
    "requirements_for",
    "requirements_missing",
    "seller_apply",
    "seller_approve",
    "seller_holiday_set",
    "seller_notify",
    "seller_reinstate",
    "seller_reject",
    "seller_request_changes",
    "seller_resubmit",
    "seller_start_review",
    "seller_story_consent_set",
    "seller_suspend",
    "seller_transition",
]
