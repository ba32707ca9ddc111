"""The booth's inbox: tabs with counts, her own parts only, every member works
them with an audit trail, the buyer's details for 14 days, never the e-mail."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import SellerOrder, SellerOrderEvent
from sellers.models import DeliveryOption, SellerMember
from tests.factories import SellerMemberFactory, UserFactory, make_product

from .conftest import basket_with, guest, place

pytestmark = pytest.mark.django_db


def orders_for(seller, n, email="buyer@example.com"):
    product = make_product(seller=seller, title="کیف", num_in_stock=1000)
    return [
        place(basket_with([(product, 1)]), buyer=guest(email=email)).seller_orders.get()
        for _ in range(n)
    ]


def test_inbox_tabs_and_counts(client, order_booth):
    seller, owner = order_booth
    parts = orders_for(seller, 3)
    from orders.services import seller_order_transition

    seller_order_transition(seller_order=parts[0], action="accept", party="seller")
    client.force_login(owner)
    body = client.get(reverse("orders_panel:inbox", args=[seller.pk])).content.decode()
    assert "تازه (۲)" in body and "در حال آماده‌سازی (۱)" in body
    assert body.count('data-testid="inbox-part"') == 2
    assert body.count("inbox-part unread") == 2


@pytest.mark.parametrize("parts", [2, 12])
def test_inbox_and_part_query_counts(
    client, order_booth, django_assert_max_num_queries, parts
):
    seller, owner = order_booth
    made = orders_for(seller, parts)
    client.force_login(owner)
    url = reverse("orders_panel:inbox", args=[seller.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="inbox-part"') == parts
    part_url = reverse("orders_panel:part", args=[seller.pk, made[0].pk])
    client.get(part_url)
    with django_assert_max_num_queries(12):
        assert client.get(part_url).status_code == 200


def test_group_member_accepts_and_is_recorded(client, order_booth):
    seller, owner = order_booth
    member = UserFactory(username="+989124444444", first_name="زهرا", last_name="کریمی")
    SellerMemberFactory(seller=seller, user=member, role=SellerMember.Role.MEMBER)
    part = orders_for(seller, 1)[0]
    client.force_login(member)
    client.post(
        reverse("orders_panel:part_action", args=[seller.pk, part.pk, "accept"])
    )
    part.refresh_from_db()
    assert part.status == SellerOrder.Status.ACCEPTED
    event = SellerOrderEvent.objects.get(seller_order=part, action="accept")
    assert event.actor == member
    page = client.get(
        reverse("orders_panel:part", args=[seller.pk, part.pk])
    ).content.decode()
    assert "زهرا کریمی" in page


def test_decline_with_reason_then_ship_with_tracking(client, order_booth, booth2):
    seller, owner = order_booth
    first, second = orders_for(seller, 2)
    client.force_login(owner)
    url = reverse("orders_panel:part_action", args=[seller.pk, first.pk, "decline"])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "دلیل رد کردن سفارش را بنویسید." in response.content.decode()
    client.post(url, {"reason": "پارچه تمام شده"})
    first.refresh_from_db()
    assert first.status == "cancelled" and first.decline_reason == "پارچه تمام شده"
    client.post(
        reverse("orders_panel:part_action", args=[seller.pk, second.pk, "accept"])
    )
    client.post(
        reverse("orders_panel:part_action", args=[seller.pk, second.pk, "ship"]),
        {"tracking_code": "۱۲۳۴۵۶"},
    )
    second.refresh_from_db()
    assert second.status == "shipped" and second.tracking_code == "123456"


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("decline", {"reason": "x" * 5000}, "حداکثر ۵۰۰ نویسه"),
        ("accept_ship", {"tracking_code": "۹" * 65}, "حداکثر ۶۴ نویسه"),
    ],
)
def test_an_over_long_reason_or_tracking_code_is_refused_not_cut(
    client, order_booth, action, data, message
):
    """They were cut to the column silently: she never knew part of her words
    were lost. Now the part stays as it was and she is told."""
    seller, owner = order_booth
    part = orders_for(seller, 1)[0]
    client.force_login(owner)
    if action == "accept_ship":
        client.post(
            reverse("orders_panel:part_action", args=[seller.pk, part.pk, "accept"])
        )
        action = "ship"
    part.refresh_from_db()
    status = part.status
    response = client.post(
        reverse("orders_panel:part_action", args=[seller.pk, part.pk, action]),
        data,
        follow=True,
    )
    assert message in response.content.decode()
    part.refresh_from_db()
    assert part.status == status
    assert (part.decline_reason, part.tracking_code) == ("", "")


@pytest.mark.dates
def test_buyer_details_until_fourteen_days_after_and_never_email(client, order_booth):
    seller, owner = order_booth
    part = orders_for(seller, 1, email="secret-buyer@example.com")[0]
    client.force_login(owner)
    url = reverse("orders_panel:part", args=[seller.pk, part.pk])
    body = client.get(url).content.decode()
    assert "مریم احمدی" in body and "۱۴۳۱۶۵۳۱۱۱" in body
    assert "secret-buyer" not in body
    from orders.services import seller_order_transition

    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=part, action=action, party="seller")
    SellerOrder.objects.filter(pk=part.pk).update(
        delivered_at=timezone.now() - dt.timedelta(days=13)
    )
    assert "مریم احمدی" in client.get(url).content.decode()
    SellerOrder.objects.filter(pk=part.pk).update(
        delivered_at=timezone.now() - dt.timedelta(days=15)
    )
    body = client.get(url).content.decode()
    assert (
        "مریم احمدی" not in body
        and "1431653111" not in body
        and "۱۴۳۱۶۵۳۱۱۱" not in body
    )
    assert '<bdi dir="ltr">۰۹۱۲ *** ۴۵۶۷</bdi>' in body
    slip = client.get(
        reverse("orders_panel:slip", args=[seller.pk, part.pk])
    ).content.decode()
    assert "مریم احمدی" not in slip and "secret-buyer" not in slip


def test_owner_sets_delivery_and_capacity_in_toman(client, order_booth):
    seller, owner = order_booth
    client.force_login(owner)
    client.post(
        reverse("orders_panel:delivery", args=[seller.pk]),
        {
            "courier-active": "on",
            "courier-fee": "۳۵٬۰۰۰",
            "courier-free_above": "۵۰۰٬۰۰۰",
            "post-active": "on",
            "post-fee": "70000",
            "weekly_capacity": "۱۰",
        },
    )
    courier = DeliveryOption.objects.get(seller=seller, kind="courier")
    assert (courier.fee, courier.free_above, courier.is_active) == (
        350_000,
        5_000_000,
        True,
    )
    assert not DeliveryOption.objects.get(seller=seller, kind="centre_pickup").is_active
    seller.refresh_from_db()
    assert seller.weekly_capacity == 10


def test_a_member_cannot_change_delivery(client, order_booth):
    seller, _ = order_booth
    member = UserFactory(username="+989124444445")
    SellerMemberFactory(seller=seller, user=member, role=SellerMember.Role.MEMBER)
    client.force_login(member)
    response = client.post(
        reverse("orders_panel:delivery", args=[seller.pk]), {"post-fee": "1"}
    )
    assert response.status_code == 404
    assert DeliveryOption.objects.get(seller=seller, kind="post").fee == 600_000


def test_inbox_rows_are_never_stale_after_any_write(client, order_booth):
    """The rows are cached under the inbox's fingerprint (orders.selectors.inbox_state):
    a transition through the service, a decline and a bulk `update()` (which
    bypasses `save()`) each show on the very next visit."""
    from orders.services import seller_order_transition

    seller, owner = order_booth
    parts = orders_for(seller, 3)
    client.force_login(owner)
    url = reverse("orders_panel:inbox", args=[seller.pk])
    assert client.get(url).content.decode().count('data-testid="inbox-part"') == 3
    seller_order_transition(seller_order=parts[0], action="accept", party="seller")
    body = client.get(url).content.decode()
    assert body.count('data-testid="inbox-part"') == 2
    assert "تازه (۲)" in body
    done = client.get(url, {"tab": "in_progress"}).content.decode()
    assert done.count('data-testid="inbox-part"') == 1
    before = SellerOrder.objects.get(pk=parts[1].pk).updated_at
    SellerOrder.objects.filter(pk=parts[1].pk).update(delivery_label="پست پیشتاز")
    assert SellerOrder.objects.get(pk=parts[1].pk).updated_at > before
    assert "پست پیشتاز" in client.get(url).content.decode()


def test_inbox_rows_of_one_booth_never_reach_another(client, order_booth, booth2):
    seller, owner = order_booth
    other, other_owner = booth2
    mine = orders_for(seller, 2)
    theirs = orders_for(other, 2)
    client.force_login(owner)
    client.get(reverse("orders_panel:inbox", args=[seller.pk]))
    client.force_login(other_owner)
    body = client.get(reverse("orders_panel:inbox", args=[other.pk])).content.decode()
    for part in theirs:
        assert f"/panel/{other.pk}/orders/{part.pk}/" in body
    for part in mine:
        assert f"/orders/{part.pk}/" not in body
    # and her own URL with his booth's id is a 404, cached rows or not
    assert (
        client.get(reverse("orders_panel:inbox", args=[seller.pk])).status_code == 404
    )
