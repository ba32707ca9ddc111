"""Fixtures and helpers of the staff-page tests (queue, file, actions, mentoring,
case file). Imported explicitly by tests/sellers/test_staff_*.py:

    from tests.sellers.staff_fixtures import *  # noqa: F403  (pytest fixtures)

Names are prefixed so they never clash with tests/sellers/conftest.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from marketplace.accounts import sms
from sellers.models import (
    District,
    KowsarCentre,
    Programme,
    Requirement,
    RequirementCheck,
    Seller,
    SellerMember,
)
from tests.factories import (
    SellerFactory,
    SellerMemberFactory,
    StaffFactory,
    UserFactory,
)

__all__ = [
    "staff_sms_outbox",
    "staff_reviewer",
    "staff_mentor",
    "staff_reader",
    "staff_plain",
    "staff_customer",
    "staff_d20",
    "staff_d4",
    "staff_municipality",
    "staff_behzisti",
    "staff_centre20",
    "staff_seller",
]

OWNER_PHONE = "+989127770001"


def grant(user, *codenames: str):
    """Give a user permissions of the sellers app by codename."""
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="sellers", codename=codename)
        )
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def make_seller(*, owner_phone: str | None = None, **kwargs) -> Seller:
    """A seller (status `applied` unless told) with an owner whose login is a phone."""
    kwargs.setdefault("status", Seller.Status.APPLIED)
    seller = SellerFactory(**kwargs)
    if owner_phone:
        SellerMemberFactory(
            seller=seller,
            user=UserFactory(
                username=owner_phone, first_name="مهری", last_name="کاظمی"
            ),
            role=SellerMember.Role.OWNER,
        )
    return seller


def complete_checklist(seller: Seller, actor) -> None:
    """Tick every active checklist item that applies to this seller."""
    for requirement in Requirement.objects.filter(is_active=True):
        if requirement.applies_to_seller(seller):
            RequirementCheck.objects.update_or_create(
                seller=seller,
                requirement=requirement,
                defaults={"done": True, "checked_by": actor},
            )


def file_url(seller: Seller) -> str:
    return reverse("sellers_staff:file", kwargs={"seller_id": seller.pk})


def action_url(seller: Seller, action: str) -> str:
    return reverse(
        "sellers_staff:action", kwargs={"seller_id": seller.pk, "action": action}
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture(autouse=True)
def staff_sms_outbox(settings):
    """SMS go to the recording backend; the outbox is empty before and after."""
    settings.SMS_BACKEND = "marketplace.accounts.sms.RecordingSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def staff_reviewer(db):
    """Programme staff who review sellers (and so may also record mentoring)."""
    return grant(
        StaffFactory(username="+989120000101", first_name="زهرا", last_name="کارشناس"),
        "review_seller",
    )


@pytest.fixture
def staff_mentor(db):
    """Staff who record mentoring but do not review."""
    return grant(
        StaffFactory(username="+989120000102", first_name="مریم", last_name="منتور"),
        "mentor_seller",
    )


@pytest.fixture
def staff_reader(staff_reviewer):
    """A reviewer who may also read and change case files."""
    return grant(staff_reviewer, "view_casefile", "change_casefile")


@pytest.fixture
def staff_plain(db):
    """Staff (is_staff) with no seller permission at all."""
    return StaffFactory(username="+989120000103")


@pytest.fixture
def staff_customer(db):
    """An ordinary logged-in buyer."""
    return UserFactory(username="+989120000104")


@pytest.fixture
def staff_d20(db):
    return District.objects.get_or_create(number=20, defaults={"name": "منطقه ۲۰"})[0]


@pytest.fixture
def staff_d4(db):
    return District.objects.get_or_create(number=4, defaults={"name": "منطقه ۴"})[0]


@pytest.fixture
def staff_municipality(db):
    return Programme.objects.get_or_create(
        code="municipality", defaults={"name": "شهرداری تهران"}
    )[0]


@pytest.fixture
def staff_behzisti(db):
    return Programme.objects.get_or_create(
        code="behzisti", defaults={"name": "بهزیستی"}
    )[0]


@pytest.fixture
def staff_centre20(staff_d20):
    return KowsarCentre.objects.create(name="مرکز کوثر باقرشهر", district=staff_d20)


@pytest.fixture
def staff_seller(staff_d20, staff_municipality):
    """An individual seller who has just applied, with an owner reachable by SMS."""
    return make_seller(
        owner_phone=OWNER_PHONE,
        brand_name="سفال آبی",
        slug="sofal-abi",
        district=staff_d20,
        programme=staff_municipality,
    )
