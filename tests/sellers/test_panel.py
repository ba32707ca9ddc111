"""The seller panel: what she sees, what only owners may change, and that no
user ever reaches another booth's panel (404, never data)."""

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import get_resolver, reverse
from django.utils import timezone

from marketplace.accounts import sms
from sellers.models import SellerInvitation, SellerMember
from sellers.services import seller_request_changes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


#: The URL namespaces of her panel: her booth, her products, her orders.
PANEL_NAMESPACES = ("panel", "catalog_panel", "orders_panel")


def _panel_patterns(namespace: str):
    """(name, pattern) of a namespace, flattened through its includes."""
    resolver = get_resolver()
    stack = list(resolver.namespace_dict[namespace][1].url_patterns)
    while stack:
        pattern = stack.pop(0)
        if hasattr(pattern, "url_patterns"):
            stack.extend(pattern.url_patterns)
        else:
            yield pattern


def panel_url_names_with_seller_id() -> list[str]:
    """Every panel URL that names a seller (only), read from the URL
    configuration so a new panel page, of her booth, products or orders, is
    covered by the cross-seller test automatically."""
    names = []
    for namespace in PANEL_NAMESPACES:
        for pattern in _panel_patterns(namespace):
            # Pages that also name a stall, a product or a part are walked as
            # another booth with a real one of hers (tests/bazaars/test_pages.py,
            # tests/catalog, tests/orders/test_cross_party.py).
            if set(pattern.pattern.regex.groupindex) == {"seller_id"}:
                names.append(f"{namespace}:{pattern.name}")
    return names


def test_panel_urls_are_discovered():
    names = panel_url_names_with_seller_id()
    assert {"panel:home", "panel:members", "panel:payout"} <= set(names)
    assert {
        "orders_panel:inbox",
        "orders_panel:ledger",
        "orders_panel:delivery",
    } <= set(names)


def test_every_panel_page_goes_through_the_panel_mixin():
    """The panel checks membership in one place (`PanelMixin`): every view of
    her booth's, products' and orders' URLs that names a booth is one."""
    from sellers.panel.views import PanelMixin

    seen = []
    for namespace in PANEL_NAMESPACES:
        for pattern in _panel_patterns(namespace):
            if "seller_id" not in pattern.pattern.regex.groupindex:
                continue
            view = getattr(pattern.callback, "view_class", None)
            seen.append(pattern.name)
            assert view is not None and issubclass(view, PanelMixin), (
                f"{namespace}:{pattern.name}"
            )
    assert {"inbox", "part", "slip", "part_action", "ledger", "delivery"} <= set(seen)


def test_member_of_seller_a_gets_404_on_every_panel_url_of_seller_b(
    client, seller_a, seller_b
):
    # given a logged-in owner of booth A
    seller_b_obj, owner_b = seller_b
    _, owner_a = seller_a
    client.force_login(owner_a)
    for name in panel_url_names_with_seller_id():
        url = reverse(name, kwargs={"seller_id": seller_b_obj.pk})
        # when she opens or posts to booth B's panel URL
        get = client.get(url)
        post = client.post(
            url, {"op": "invite", "phone": "09123334444", "role": "owner"}
        )
        # then it does not exist for her, and nothing of B's changed
        assert get.status_code == 404, url
        assert post.status_code == 404, url
        assert seller_b_obj.brand_name not in get.content.decode()
    assert not SellerInvitation.objects.filter(seller=seller_b_obj).exists()


def test_panel_of_unknown_seller_is_404(client, seller_a):
    _, owner_a = seller_a
    client.force_login(owner_a)
    assert (
        client.get(reverse("panel:home", kwargs={"seller_id": 999999})).status_code
        == 404
    )


def test_anonymous_user_is_sent_to_login(client, seller_a):
    seller, _ = seller_a
    response = client.get(reverse("panel:home", kwargs={"seller_id": seller.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next=")


def test_panel_home_shows_status_reason_checklist_and_mentoring(
    client, seller_a, reviewer
):
    seller, owner = seller_a
    seller.status = "in_review"
    seller.save()
    seller_request_changes(seller=seller, actor=reviewer, reason="عکس‌ها تاریک است")
    client.force_login(owner)
    body = client.get(reverse("panel:home", kwargs={"seller_id": seller.pk})).content
    body = body.decode()
    assert "عکس‌ها تاریک است" in body
    assert "دورهٔ آموزشی کسب‌وکار خانگی گذرانده شد" in body  # checklist item
    assert "مسیر همراهی و مشاوره" in body
    assert "نیاز به اصلاح" in body


def test_owner_resubmits_after_changes_requested(client, seller_a, reviewer):
    seller, owner = seller_a
    seller.status = "in_review"
    seller.save()
    seller_request_changes(
        seller=seller, actor=reviewer, reason="نام غرفه را کوتاه کنید"
    )
    client.force_login(owner)
    client.post(reverse("panel:resubmit", kwargs={"seller_id": seller.pk}))
    seller.refresh_from_db()
    assert seller.status == "applied"


def test_owner_invites_member_who_accepts_with_her_own_login(
    client, seller_b, django_capture_on_commit_callbacks
):
    seller, owner = seller_b
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("panel:members", kwargs={"seller_id": seller.pk}),
            {"op": "invite", "phone": "۰۹۱۲ ۳۳۳ ۴۴۴۴", "role": "member"},
        )
    assert response.status_code == 302
    invitation = SellerInvitation.objects.get(seller=seller)
    assert invitation.phone == "+989123334444"
    assert sms.outbox[-1].phone == "+989123334444"

    member = UserFactory(username="+989123334444")
    client.force_login(member)
    index = client.get(reverse("panel:index")).content.decode()
    assert seller.brand_name in index
    client.post(
        reverse("panel:invitation_accept", kwargs={"invitation_id": invitation.pk})
    )
    assert SellerMember.objects.filter(
        seller=seller, user=member, role="member"
    ).exists()
    # the member sees the group's panel, but cannot change members
    assert (
        client.get(reverse("panel:home", kwargs={"seller_id": seller.pk})).status_code
        == 200
    )
    response = client.post(
        reverse("panel:members", kwargs={"seller_id": seller.pk}),
        {"op": "invite", "phone": "09125556666", "role": "owner"},
    )
    assert response.status_code == 403
    assert not SellerInvitation.objects.filter(phone="+989125556666").exists()


def test_someone_else_cannot_accept_an_invitation(client, seller_b):
    seller, owner = seller_b
    invitation = SellerInvitation.objects.create(
        seller=seller, phone="+989123334444", role="member", invited_by=owner
    )
    stranger = UserFactory(username="+989127777777")
    client.force_login(stranger)
    url = reverse("panel:invitation_accept", kwargs={"invitation_id": invitation.pk})
    assert client.post(url).status_code == 404
    assert not SellerMember.objects.filter(user=stranger).exists()


def test_invalid_invitation_phone_gets_a_persian_message(client, seller_b):
    seller, owner = seller_b
    client.force_login(owner)
    response = client.post(
        reverse("panel:members", kwargs={"seller_id": seller.pk}),
        {"op": "invite", "phone": "02188776655", "role": "member"},
    )
    assert response.status_code == 200
    assert not SellerInvitation.objects.exists()
    assert "error" in response.content.decode()


def test_group_is_capped_at_seven(client, seller_b):
    seller, owner = seller_b
    for i in range(6):
        SellerInvitation.objects.create(
            seller=seller, phone=f"+98912000000{i}", role="member", invited_by=owner
        )
    client.force_login(owner)
    response = client.post(
        reverse("panel:members", kwargs={"seller_id": seller.pk}),
        {"op": "invite", "phone": "09129999999", "role": "member"},
    )
    assert "حداکثر" in response.content.decode()
    assert seller.invitations.count() == 6


def test_only_owner_changes_payout_and_sheba_is_checked(client, seller_b):
    seller, owner = seller_b
    member = UserFactory(username="+989128888888")
    SellerMember.objects.create(seller=seller, user=member, role="member")
    url = reverse("panel:payout", kwargs={"seller_id": seller.pk})
    valid = "IR062960000000100324200001"

    client.force_login(member)
    assert client.post(url, {"account_holder": "x", "sheba": valid}).status_code == 403

    client.force_login(owner)
    bad = client.post(
        url, {"account_holder": "مریم", "sheba": "IR000000000000000000000000"}
    )
    assert bad.status_code == 200
    assert "شماره شبا" in bad.content.decode()
    seller.refresh_from_db()
    assert seller.payout_sheba == ""

    client.post(url, {"account_holder": "مریم", "sheba": "۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱"})
    seller.refresh_from_db()
    assert seller.payout_sheba == valid


def test_last_owner_cannot_be_removed(client, seller_b):
    seller, owner = seller_b
    client.force_login(owner)
    own = SellerMember.objects.get(seller=seller, user=owner)
    client.post(
        reverse("panel:members", kwargs={"seller_id": seller.pk}),
        {"op": "remove", "member_id": own.pk},
    )
    assert SellerMember.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("extra", [1, 15])
def test_panel_pages_run_constant_queries(
    client, seller_b, extra, django_assert_max_num_queries
):
    # given a group with many members, invitations, sessions and notifications
    from sellers.models import MentoringSession, SellerNotification

    seller, owner = seller_b
    for i in range(extra):
        member = UserFactory(username=f"+98913{i:07d}")
        SellerMember.objects.create(seller=seller, user=member, role="member")
        MentoringSession.objects.create(
            seller=seller,
            held_on=timezone.localdate() - dt.timedelta(days=i + 1),
            topic=f"جلسه {i}",
        )
        SellerNotification.objects.create(seller=seller, text=f"پیام {i}")
    client.force_login(owner)
    for name in ("panel:home", "panel:members", "panel:payout", "panel:notifications"):
        url = reverse(name, kwargs={"seller_id": seller.pk})
        client.get(url)
        # then every panel page stays within the bar, whatever the sizes
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
