"""The booth's delivery settings go through one service,
`sellers.services.delivery_options_update`: owners only, checked before
anything is written, one transaction, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sellers.models import DeliveryOption, SellerAuditEntry, SellerMember
from sellers.services import DeliverySetting, delivery_options_update
from tests.factories import SellerMemberFactory, UserFactory


def _fees(seller):
    return dict(DeliveryOption.objects.filter(seller=seller).values_list("kind", "fee"))


def test_a_bad_capacity_saves_none_of_the_fees(client, order_booth):
    """The old view saved each option before it read the capacity, so a typo in
    the capacity left half her settings changed."""
    seller, owner = order_booth
    before = _fees(seller)
    client.force_login(owner)
    response = client.post(
        reverse("orders_panel:delivery", args=[seller.pk]),
        {
            "courier-active": "on",
            "courier-fee": "۱۲۳",
            "post-active": "on",
            "post-fee": "۴۵۶",
            "weekly_capacity": "ده",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "ظرفیت هفتگی را با عدد بنویسید" in response.content.decode()
    assert _fees(seller) == before
    seller.refresh_from_db()
    assert seller.weekly_capacity is None
    assert not SellerAuditEntry.objects.filter(action="delivery_update").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # int() of 5,000 digits raised ValueError: a 500.
        ("weekly_capacity", "9" * 5000, "ظرفیت هفتگی را با عدد بنویسید"),
        ("weekly_capacity", "۹" * 40, "ظرفیت هفتگی را با عدد بنویسید"),
        ("weekly_capacity", "-1", "ظرفیت هفتگی را با عدد بنویسید"),
        # Decimal("1e99999999999") × 10 overflowed: a 500.
        ("post-fee", "1e99999999999", "مبلغ را با عدد و به تومان بنویسید"),
        ("courier-free_above", "9" * 5000, "مبلغ را با عدد و به تومان بنویسید"),
    ],
)
def test_oversized_numbers_are_a_message_and_save_nothing(
    client, order_booth, field, value, message
):
    seller, owner = order_booth
    before = _fees(seller)
    client.force_login(owner)
    data = {"post-active": "on", "post-fee": "۴۵۶", "weekly_capacity": "۵"}
    response = client.post(
        reverse("orders_panel:delivery", args=[seller.pk]),
        {**data, field: value},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _fees(seller) == before
    seller.refresh_from_db()
    assert seller.weekly_capacity is None


def test_a_fee_out_of_range_saves_nothing(client, order_booth):
    seller, owner = order_booth
    before = _fees(seller)
    client.force_login(owner)
    response = client.post(
        reverse("orders_panel:delivery", args=[seller.pk]),
        {"post-active": "on", "post-fee": "۲۰۰٬۰۰۰٬۰۰۰", "weekly_capacity": "۵"},
        follow=True,
    )
    assert "مبلغ را با عدد و به تومان بنویسید" in response.content.decode()
    assert _fees(seller) == before
    seller.refresh_from_db()
    assert seller.weekly_capacity is None


def test_the_service_writes_everything_and_its_audit_entry(order_booth):
    seller, owner = order_booth
    delivery_options_update(
        seller=seller,
        actor=owner,
        settings={
            "courier": DeliverySetting(
                active=True, fee=Decimal(300_000), free_above=Decimal(9_000_000)
            ),
            "post": DeliverySetting(
                active=False, fee=Decimal(1), free_above=Decimal(5)
            ),
        },
        weekly_capacity=7,
    )
    courier = DeliveryOption.objects.get(seller=seller, kind="courier")
    post = DeliveryOption.objects.get(seller=seller, kind="post")
    assert (courier.fee, courier.free_above) == (300_000, 9_000_000)
    assert (post.is_active, post.free_above) == (False, None)  # courier only
    seller.refresh_from_db()
    assert seller.weekly_capacity == 7
    entry = SellerAuditEntry.objects.get(action="delivery_update")
    assert entry.actor == owner


def test_a_member_may_not_use_the_service(order_booth):
    seller, _ = order_booth
    member = UserFactory(username="+989124444446")
    SellerMemberFactory(seller=seller, user=member, role=SellerMember.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        delivery_options_update(
            seller=seller,
            actor=member,
            settings={"post": DeliverySetting(active=True, fee=Decimal(1))},
            weekly_capacity=None,
        )
    assert DeliveryOption.objects.get(seller=seller, kind="post").fee == 600_000


def test_the_service_refuses_a_negative_capacity(order_booth):
    seller, owner = order_booth
    with pytest.raises(ValidationError):
        delivery_options_update(
            seller=seller, actor=owner, settings={}, weekly_capacity=-1
        )
