"""Fixtures of the sellers tests (this folder only)."""

import pytest

from sellers.models import District, KowsarCentre, Programme
from tests.factories import StaffFactory, grant, seller_with_owner


@pytest.fixture
def district20(db):
    return District.objects.get_or_create(number=20, defaults={"name": "منطقه ۲۰"})[0]


@pytest.fixture
def centre20(district20):
    return KowsarCentre.objects.create(name="مرکز کوثر شهرری", district=district20)


@pytest.fixture
def municipality(db):
    return Programme.objects.get_or_create(
        code="municipality", defaults={"name": "شهرداری تهران"}
    )[0]


@pytest.fixture
def reviewer(db):
    return grant(
        StaffFactory(username="+989120000001"), "review_seller", "mentor_seller"
    )


@pytest.fixture
def seller_a(db):
    return seller_with_owner("+989121111111", brand_name="چرم نیلوفر", slug="niloofar")


@pytest.fixture
def seller_b(db):
    return seller_with_owner(
        "+989122222222", brand_name="کارگاه قارچ سبز", slug="gharch", kind="group"
    )
