"""Fixtures and helpers of the staff-page tests (queue, file, actions, mentoring,
case file), registered once for the whole suite as a pytest plugin
(`pytest_plugins` in tests/conftest.py); tests import only the plain helpers.

Names are prefixed so they never clash with tests/sellers/conftest.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

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
    grant,
)

OWNER_PHONE = "+989127770001"


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
