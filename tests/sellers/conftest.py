import pytest
from django.contrib.auth.models import Permission

from marketplace.accounts import sms
from sellers.models import District, KowsarCentre, Programme, Seller, SellerMember
from tests.factories import (
    SellerFactory,
    SellerMemberFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


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
    user = StaffFactory(username="+989120000001")
    for codename in ("review_seller", "mentor_seller"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def _seller_with_owner(phone: str, **kwargs) -> tuple[Seller, object]:
    owner = UserFactory(username=phone)
    seller = SellerFactory(**kwargs)
    SellerMemberFactory(seller=seller, user=owner, role=SellerMember.Role.OWNER)
    return seller, owner


@pytest.fixture
def seller_a(db):
    return _seller_with_owner("+989121111111", brand_name="چرم نیلوفر", slug="niloofar")


@pytest.fixture
def seller_b(db):
    return _seller_with_owner(
        "+989122222222", brand_name="کارگاه قارچ سبز", slug="gharch", kind="group"
    )
