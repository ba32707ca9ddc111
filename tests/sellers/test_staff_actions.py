"""Staff actions on a seller's file: transitions, audit entries, notifications
(panel and SMS), the approval checklist, reasons, refusals, and who may act."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from marketplace.persian import format_jalali
from sellers import services
from sellers.models import (
    Requirement,
    RequirementCheck,
    Seller,
    SellerAuditEntry,
    SellerInvitation,
    SellerNotification,
)
from sellers.workflow import REVIEWER, TRANSITIONS, staff_transitions_from
from tests.sellers.staff_fixtures import (
    OWNER_PHONE,
    action_url,
    complete_checklist,
    file_url,
    make_seller,
    messages_of,
)

pytestmark = pytest.mark.django_db

S = Seller.Status
REASON = "عکس‌های محصولات تار است؛ لطفاً دوباره بفرستید."


def audit_entries(seller, action):
    return list(SellerAuditEntry.objects.filter(seller=seller, action=action))


# --- each action: transition, audit, notification ----------------------------------


@pytest.mark.parametrize(
    ("action", "from_status", "to_status", "reason", "sms_words"),
    [
        ("start_review", S.APPLIED, S.IN_REVIEW, "", "در حال بررسی"),
        ("approve", S.IN_REVIEW, S.APPROVED, "", "تأیید شد"),
        ("reject", S.IN_REVIEW, S.REJECTED, REASON, "پذیرفته نشد"),
        ("request_changes", S.APPLIED, S.CHANGES_REQUESTED, REASON, "اصلاح"),
        ("suspend", S.APPROVED, S.SUSPENDED, REASON, "غیرفعال"),
        ("reinstate", S.SUSPENDED, S.APPROVED, "", "دوباره فعال"),
    ],
)
def test_action_moves_status_audits_and_notifies_the_seller(
    client,
    staff_reviewer,
    staff_seller,
    sms_outbox,
    django_capture_on_commit_callbacks,
    action,
    from_status,
    to_status,
    reason,
    sms_words,
):
    # given a seller in the status the action starts from, with her checklist done
    Seller.objects.filter(pk=staff_seller.pk).update(status=from_status)
    complete_checklist(staff_seller, staff_reviewer)
    client.force_login(staff_reviewer)

    # when the reviewer takes the action (with a reason where one is needed)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(staff_seller, action), {"reason": reason})

    # then she is sent back to the file with a Persian confirmation
    assert response.status_code == 302
    assert response["Location"].startswith(file_url(staff_seller))
    assert any("فروشنده" in text for text in messages_of(response))
    # and the status moved
    staff_seller.refresh_from_db()
    assert staff_seller.status == to_status
    # and an audit entry says who, what, from where to where and why
    (entry,) = audit_entries(staff_seller, action)
    assert entry.actor == staff_reviewer
    assert (entry.from_status, entry.to_status) == (from_status, to_status)
    assert entry.reason == reason
    # and the seller is told in her panel
    notification = SellerNotification.objects.get(seller=staff_seller)
    assert sms_words in notification.text
    if reason:
        assert reason in notification.text
    # and by SMS to the owner's phone, after the commit
    assert [message.phone for message in sms_outbox] == [OWNER_PHONE]
    assert sms_words in sms_outbox[0].text


def test_sms_is_sent_only_after_commit(
    client,
    staff_reviewer,
    staff_seller,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff_reviewer)
    # when the action runs but the transaction has not committed yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(action_url(staff_seller, "start_review"))
    # then no SMS has gone out; it waits in an on-commit callback
    assert sms_outbox == []
    assert len(callbacks) >= 1


def test_an_sms_that_cannot_be_sent_does_not_break_the_action(
    client,
    staff_reviewer,
    staff_d20,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    # given an owner whose login is not a mobile number (so no SMS can reach her)
    seller = make_seller(owner_phone="owner-without-phone", district=staff_d20)
    client.force_login(staff_reviewer)
    # when the reviewer starts the review and the on-commit SMS fails
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(seller, "start_review"))
    # then the action still succeeded, the panel notification is there, no SMS
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.status == S.IN_REVIEW
    assert SellerNotification.objects.filter(seller=seller).exists()
    assert sms_outbox == []


def test_file_page_shows_the_audit_trail_in_persian(
    client, staff_reviewer, staff_seller, django_capture_on_commit_callbacks
):
    client.force_login(staff_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url(staff_seller, "request_changes"), {"reason": REASON})
    entry = SellerAuditEntry.objects.get(seller=staff_seller, action="request_changes")
    body = client.get(file_url(staff_seller)).content.decode()
    # who, when (Jalali), what (Persian words), from → to, why
    assert "زهرا کارشناس" in body
    assert format_jalali(entry.created_at) in body
    assert "درخواست اصلاح" in body
    assert "ثبت‌نام شده ← نیاز به اصلاح" in body
    assert REASON in body
    # and the notification that was sent
    assert "درخواست غرفهٔ شما به اصلاح نیاز دارد" in body


# --- the checklist gates approval --------------------------------------------------


def test_approve_is_refused_while_a_checklist_item_is_missing(
    client,
    staff_reviewer,
    staff_seller,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    # given every item is done but one ("centre visit")
    complete_checklist(staff_seller, staff_reviewer)
    visit = Requirement.objects.get(title__contains="بازدید")
    RequirementCheck.objects.filter(seller=staff_seller, requirement=visit).update(
        done=False
    )
    client.force_login(staff_reviewer)

    # when the reviewer tries to approve anyway
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(staff_seller, "approve"))

    # then she gets a Persian message naming the missing item, not a 500
    assert response.status_code == 302
    assert any(visit.title in text for text in messages_of(response))
    # and nothing happened: same status, no audit entry, no notification, no SMS
    staff_seller.refresh_from_db()
    assert staff_seller.status == S.APPLIED
    assert audit_entries(staff_seller, "approve") == []
    assert not SellerNotification.objects.filter(seller=staff_seller).exists()
    assert sms_outbox == []


def test_file_page_lists_missing_items_and_disables_approve(
    client, staff_reviewer, staff_seller
):
    client.force_login(staff_reviewer)
    body = client.get(file_url(staff_seller)).content.decode()
    approve_form = body.split('data-testid="action-approve"')[1].split("</form>")[0]
    assert 'data-testid="missing"' in approve_form
    for requirement in services.requirements_missing(seller=staff_seller):
        assert requirement.title in approve_form
    assert "disabled" in approve_form

    complete_checklist(staff_seller, staff_reviewer)
    body = client.get(file_url(staff_seller)).content.decode()
    approve_form = body.split('data-testid="action-approve"')[1].split("</form>")[0]
    assert "disabled" not in approve_form


def test_group_only_items_apply_to_groups(
    client, staff_reviewer, staff_d20, staff_municipality
):
    # given a group and an individual, each with the shared items done
    group = make_seller(
        kind=Seller.Kind.GROUP, district=staff_d20, programme=staff_municipality
    )
    shared = Requirement.objects.filter(is_active=True, applies_to="all")
    for requirement in shared:
        RequirementCheck.objects.create(
            seller=group, requirement=requirement, done=True
        )
    # then the group still misses its group-only item
    missing = services.requirements_missing(seller=group)
    assert [r.applies_to for r in missing] == ["group"]


def test_tick_and_untick_a_checklist_item_is_audited(
    client, staff_reviewer, staff_seller
):
    requirement = Requirement.objects.filter(is_active=True, applies_to="all").first()
    client.force_login(staff_reviewer)
    url = reverse("sellers_staff:checklist", kwargs={"seller_id": staff_seller.pk})

    # when the reviewer ticks an item with a note
    response = client.post(
        url, {"requirement": requirement.pk, "done": "1", "note": "گواهی دیده شد"}
    )
    # then it is done, and the tick is audited with the item's title
    assert response.status_code == 302
    check = RequirementCheck.objects.get(seller=staff_seller, requirement=requirement)
    assert check.done and check.checked_by == staff_reviewer
    assert check.note == "گواهی دیده شد"
    (entry,) = audit_entries(staff_seller, "checklist_done")
    assert entry.actor == staff_reviewer and entry.reason == requirement.title

    # when she unticks it
    client.post(url, {"requirement": requirement.pk, "done": "0"})
    # then it is not done any more, and that is audited too
    check.refresh_from_db()
    assert not check.done
    assert len(audit_entries(staff_seller, "checklist_undone")) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"requirement": "abc", "done": "1"},
        {"requirement": "999999", "done": "1"},
        {"done": "1"},
        {"requirement": "GROUP", "done": "1"},  # a group-only item, individual seller
        {"requirement": "FIRST", "done": "maybe"},
    ],
)
def test_bad_checklist_posts_change_nothing(client, staff_reviewer, staff_seller, data):
    first = Requirement.objects.filter(is_active=True, applies_to="all").first()
    group_only = Requirement.objects.filter(is_active=True, applies_to="group").first()
    data = dict(data)
    if data.get("requirement") == "GROUP":
        data["requirement"] = group_only.pk
    if data.get("requirement") == "FIRST":
        data["requirement"] = first.pk
    client.force_login(staff_reviewer)
    url = reverse("sellers_staff:checklist", kwargs={"seller_id": staff_seller.pk})
    response = client.post(url, data)
    assert response.status_code == 302
    assert any("چک‌لیست تغییر نکرد" in text for text in messages_of(response))
    assert not RequirementCheck.objects.filter(seller=staff_seller).exists()
    assert not SellerAuditEntry.objects.filter(seller=staff_seller).exists()


# --- reasons, wrong transitions, unknown actions -----------------------------------


@pytest.mark.parametrize(
    ("action", "from_status"),
    [
        ("reject", S.IN_REVIEW),
        ("request_changes", S.IN_REVIEW),
        ("suspend", S.APPROVED),
    ],
)
@pytest.mark.parametrize("reason", [None, "", "   \n  "])
def test_reason_is_required(
    client,
    staff_reviewer,
    staff_seller,
    sms_outbox,
    django_capture_on_commit_callbacks,
    action,
    from_status,
    reason,
):
    Seller.objects.filter(pk=staff_seller.pk).update(status=from_status)
    client.force_login(staff_reviewer)
    data = {} if reason is None else {"reason": reason}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(staff_seller, action), data)
    assert response.status_code == 302
    assert any("دلیل را بنویسید" in text for text in messages_of(response))
    staff_seller.refresh_from_db()
    assert staff_seller.status == from_status
    assert audit_entries(staff_seller, action) == []
    assert sms_outbox == []


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("suspend", S.APPLIED),
        ("reinstate", S.APPROVED),
        ("start_review", S.IN_REVIEW),
        ("request_changes", S.APPROVED),
        ("approve", S.REJECTED),
    ],
)
def test_action_not_allowed_in_this_status_shows_a_message(
    client, staff_reviewer, staff_seller, sms_outbox, action, status
):
    Seller.objects.filter(pk=staff_seller.pk).update(status=status)
    complete_checklist(staff_seller, staff_reviewer)
    client.force_login(staff_reviewer)
    response = client.post(action_url(staff_seller, action), {"reason": REASON})
    assert response.status_code == 302
    assert any("ممکن نیست" in text for text in messages_of(response))
    staff_seller.refresh_from_db()
    assert staff_seller.status == status
    assert audit_entries(staff_seller, action) == []


def test_unknown_action_is_404_and_get_is_not_allowed(
    client, staff_reviewer, staff_seller
):
    client.force_login(staff_reviewer)
    assert client.post(action_url(staff_seller, "delete")).status_code == 404
    assert client.get(action_url(staff_seller, "approve")).status_code == 405
    missing = reverse(
        "sellers_staff:action", kwargs={"seller_id": 999999, "action": "approve"}
    )
    assert client.post(missing).status_code == 404


ACTIONS = {t.action: t for t in TRANSITIONS if t.by == REVIEWER}


def test_buttons_offered_match_what_the_services_allow(
    client, staff_reviewer, staff_d20
):
    # For every status, the file page offers exactly the transition table's
    # reviewer rows from that status, labelled from the table, and each named
    # service (`seller_<action>`) accepts exactly those.
    client.force_login(staff_reviewer)
    for status in S.values:
        offered = staff_transitions_from(status)
        page = make_seller(status=status, district=staff_d20)
        complete_checklist(page, staff_reviewer)
        body = client.get(file_url(page)).content.decode()
        for name, action in ACTIONS.items():
            shown = f'data-testid="action-{name}"' in body
            assert shown == (action in offered), (status, name)
            if shown:
                assert action.button in body
            seller = make_seller(status=status, district=staff_d20)
            complete_checklist(seller, staff_reviewer)
            arguments = {"seller": seller, "actor": staff_reviewer}
            if action.needs_reason:
                arguments["reason"] = REASON
            try:
                getattr(services, f"seller_{name}")(**arguments)
                allowed = True
            except services.TransitionNotAllowed:
                allowed = False
            assert allowed == (action in offered), (status, name)
            if allowed:
                seller.refresh_from_db()
                assert seller.status == action.target


def test_file_page_offers_only_valid_actions(client, staff_reviewer, staff_seller):
    client.force_login(staff_reviewer)
    Seller.objects.filter(pk=staff_seller.pk).update(status=S.APPROVED)
    body = client.get(file_url(staff_seller)).content.decode()
    assert 'data-testid="action-suspend"' in body
    assert 'data-testid="action-approve"' not in body
    assert 'data-testid="action-reinstate"' not in body
    # suspending needs a reason box
    suspend_form = body.split('data-testid="action-suspend"')[1].split("</form>")[0]
    assert 'name="reason"' in suspend_form


# --- who may act -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_customer", "staff_plain", "staff_mentor"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_users_without_review_permission_get_403_and_nothing_changes(
    client,
    request,
    staff_reviewer,
    staff_seller,
    sms_outbox,
    django_capture_on_commit_callbacks,
    who,
    action,
):
    complete_checklist(staff_seller, staff_reviewer)
    client.force_login(request.getfixturevalue(who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(staff_seller, action), {"reason": REASON})
    assert response.status_code == 403
    staff_seller.refresh_from_db()
    assert staff_seller.status == S.APPLIED
    assert not SellerAuditEntry.objects.filter(seller=staff_seller).exists()
    assert not SellerNotification.objects.filter(seller=staff_seller).exists()
    assert sms_outbox == []


@pytest.mark.parametrize("who", ["staff_customer", "staff_plain", "staff_mentor"])
def test_users_without_review_permission_cannot_open_the_file_or_tick(
    client, request, staff_seller, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(file_url(staff_seller)).status_code == 403
    requirement = Requirement.objects.filter(is_active=True).first()
    url = reverse("sellers_staff:checklist", kwargs={"seller_id": staff_seller.pk})
    response = client.post(url, {"requirement": requirement.pk, "done": "1"})
    assert response.status_code == 403
    assert not RequirementCheck.objects.filter(seller=staff_seller).exists()


def test_anonymous_post_is_sent_to_login_and_nothing_changes(client, staff_seller):
    response = client.post(action_url(staff_seller, "start_review"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    staff_seller.refresh_from_db()
    assert staff_seller.status == S.APPLIED
    assert client.get(file_url(staff_seller)).status_code == 302


# --- the file page -----------------------------------------------------------------


def test_file_page_shows_the_application_members_and_invitations(
    client, staff_reviewer, staff_seller, staff_centre20
):
    # given a seller who wrote a story without consent to publish it, with an invitation
    Seller.objects.filter(pk=staff_seller.pk).update(
        story="از سال ۹۸ سفال می‌سازم.",
        story_consent=False,
        neighbourhood="باقرشهر",
        centre=staff_centre20,
        trade="سفالگری",
    )
    SellerInvitation.objects.create(seller=staff_seller, phone="+989127770099")
    client.force_login(staff_reviewer)
    # when the reviewer opens her file
    response = client.get(file_url(staff_seller))
    body = response.content.decode()
    # then the whole application is there
    assert response.status_code == 200
    for text in (
        "سفال آبی",
        "سفالگری",
        "از سال ۹۸ سفال می‌سازم.",
        "اجازهٔ انتشار داستان را نداده است",
        "باقرشهر",
        "مرکز کوثر باقرشهر",
        "شهرداری تهران",
        "منطقه ۲۰",
    ):
        assert text in body
    # with her members (name, phone, role) and the invitations
    assert "مهری کاظمی" in body
    assert "۰۹۱۲ ۷۷۷ ۰۰۰۱" in body
    assert "مدیر غرفه" in body
    assert "۰۹۱۲ ۷۷۷ ۰۰۹۹" in body
    # and the checklist items
    for requirement in Requirement.objects.filter(is_active=True, applies_to="all"):
        assert requirement.title in body
    assert "no-store" in response["Cache-Control"]


def test_missing_seller_file_is_404(client, staff_reviewer):
    client.force_login(staff_reviewer)
    url = reverse("sellers_staff:file", kwargs={"seller_id": 999999})
    assert client.get(url).status_code == 404
