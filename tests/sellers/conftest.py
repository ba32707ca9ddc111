"""Fixtures of the sellers tests (this folder only)."""

import pytest

from tests.factories import StaffFactory, grant, seller_with_owner


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
