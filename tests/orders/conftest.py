"""Order fixtures: booths with delivery options and owners, baskets, placement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.accounts import sms
from orders.basket.models import Basket
from orders.services import AddressData, BuyerData, PartChoice, order_place
from sellers.models import DeliveryOption, KowsarCentre, Province, SellerMember
from sellers.partner.strategy import MarketplaceStrategy
from tests.factories import (
    DeliveryOptionFactory,
    SellerFactory,
    SellerMemberFactory,
    UserFactory,
    make_product,
    provinces_loaded,
)

Kind = DeliveryOption.Kind


@pytest.fixture(autouse=True)
def _provinces(db):
    provinces_loaded()


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def make_booth(phone: str, *, name: str = "", centre: bool = True, **kwargs):
    """An approved Tehran booth with an owner (username = phone), courier, post
    and (with a centre) Kowsar-centre pickup."""
    owner = UserFactory(username=phone)
    seller = SellerFactory(**({"brand_name": name} if name else {}), **kwargs)
    if centre and seller.district_id:
        seller.centre = KowsarCentre.objects.create(
            name=f"مرکز کوثر {seller.pk}",
            district=seller.district,
            address="خیابان نمونه",
        )
        seller.save(update_fields=["centre"])
    SellerMemberFactory(seller=seller, user=owner, role=SellerMember.Role.OWNER)
    DeliveryOptionFactory(
        seller=seller,
        kind=Kind.COURIER,
        fee=Decimal(400_000),
        free_above=Decimal(5_000_000),
    )
    DeliveryOptionFactory(seller=seller, kind=Kind.POST, fee=Decimal(600_000))
    DeliveryOptionFactory(seller=seller, kind=Kind.CENTRE_PICKUP, fee=Decimal(0))
    return seller, owner


def basket_with(products_quantities, owner=None) -> Basket:
    basket = Basket.objects.create(owner=owner)
    basket.strategy = MarketplaceStrategy()
    for product, quantity in products_quantities:
        basket.add_product(product, quantity)
    return basket


def tehran_address(**overrides) -> AddressData:
    data = {
        "province": Province.objects.get(code=Province.TEHRAN_CODE),
        "city": "تهران",
        "district": 6,
        "neighbourhood": "یوسف‌آباد",
        "street": "خیابان فتحی شقاقی، پلاک ۱۲",
        "postcode": "1431653111",
        "recipient_name": "مریم احمدی",
        "recipient_phone": "+989121234567",
    }
    data.update(overrides)
    return AddressData(**data)


def guest(phone="+989351112233", email="") -> BuyerData:
    return BuyerData(user=None, name="مریم احمدی", phone=phone, email=email)


def place(
    basket, *, buyer=None, kind=Kind.POST, method=None, address=None, choices=None
):
    """Place the whole basket with one delivery kind for every booth."""
    from orders.parts import basket_parts

    method = method or ("pickup" if kind == Kind.CENTRE_PICKUP else "cod")
    if choices is None:
        choices = {
            part.seller.pk: PartChoice(delivery_kind=kind, payment_method=method)
            for part in basket_parts(basket)
        }
    order, _ = order_place(
        basket=basket,
        buyer=buyer or guest(),
        address=address or tehran_address(),
        choices=choices,
    )
    return order


@pytest.fixture
def product(order_booth):
    return make_product(seller=order_booth[0], title="کیف چرمی", num_in_stock=5)


@pytest.fixture(autouse=True)
def _sms_at_once(sms_at_commit_run_at_once):
    """SMS queued after commit (the one-time codes among them) are sent at once
    (tests/accounts/sms_fixtures.py)."""
