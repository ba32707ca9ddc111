"""Fixtures and helpers of the seller-panel product, moderation and holiday tests.
Imported explicitly by tests/catalog/test_{panel_products,moderation,holiday}.py:

    from tests.catalog.panel_fixtures import *  # noqa: F403  (pytest fixtures)

Names differ from tests/catalog/conftest.py's (`seller`, `leather`, ...) so they
never clash.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

import catalog
from catalog.models import Category, Product, ProductImage
from catalog.services import ProductData, product_create
from marketplace.accounts import sms
from sellers.models import Seller, SellerMember
from tests.factories import (
    SellerFactory,
    SellerMemberFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def shop_categories(db) -> dict[str, Category]:
    """Two trades from the seeds, each with leaf categories."""
    leather = Category.add_root(name="چرم", slug="charm")
    sewing = Category.add_root(name="پوشاک", slug="pooshak")
    return {
        "leather": leather,
        "bracelet": leather.add_child(name="دستبند چرم", slug="dastband"),
        "bag": leather.add_child(name="کیف چرمی", slug="kif"),
        "scarf": sewing.add_child(name="روسری", slug="roosari"),
    }


@pytest.fixture
def bracelet_category(shop_categories) -> Category:
    return shop_categories["bracelet"]


def _booth(phone: str, **kwargs) -> tuple[Seller, object]:
    owner = UserFactory(username=phone, first_name="مریم", last_name="احمدی")
    seller = SellerFactory(**kwargs)
    SellerMemberFactory(seller=seller, user=owner, role=SellerMember.Role.OWNER)
    return seller, owner


@pytest.fixture
def booth(db):
    """An approved individual booth and its owner."""
    return _booth("+989121111111", brand_name="چرم نیلوفر", slug="niloofar")


@pytest.fixture
def group_booth(db):
    """An approved Hamyar group: its owner and one member."""
    seller, owner = _booth(
        "+989122222222", brand_name="کارگاه قارچ سبز", slug="gharch", kind="group"
    )
    member = UserFactory(username="+989123333333", first_name="زهرا", last_name="نوری")
    SellerMember.objects.create(seller=seller, user=member, role="member")
    return seller, owner, member


@pytest.fixture
def moderator(db):
    user = StaffFactory(username="+989120000009", first_name="کارشناس")
    user.user_permissions.add(Permission.objects.get(codename="review_seller"))
    return user


def product_data(category: Category, **overrides) -> ProductData:
    values = {
        "title": "دستبند چرم دست‌دوز",
        "description": "چرم طبیعی گاوی، دوخت دست",
        "category": category,
        "price_rials": 1_500_000,
        "fulfilment": Product.Fulfilment.READY,
        "num_in_stock": 5,
        "materials": "چرم گاوی",
        "shipping_weight_grams": 120,
    }
    values.update(overrides)
    return ProductData(**values)


def create_product(seller, actor, category, **overrides) -> Product:
    return product_create(
        seller=seller, actor=actor, data=product_data(category, **overrides)
    )


def approved_product(seller, actor, category, **overrides) -> Product:
    product = create_product(seller, actor, category, **overrides)
    Product.objects.filter(pk=product.pk).update(
        moderation_status=Product.Moderation.APPROVED
    )
    product.refresh_from_db()
    return product


# --- a stand-in for catalog.photos ------------------------------------------------


class FakePhotoRejected(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


BAD_PHOTO_MESSAGE = "این فایل عکس نیست. یک عکس JPEG، PNG، WebP یا HEIC بفرستید."


@dataclass
class FakePhotoPipeline:
    """Records what the panel asked of the photo pipeline. A file whose bytes
    start with `NOT` is rejected with a Persian message; others become READY
    photos at the position asked."""

    stored: list = field(default_factory=list)

    def module(self) -> types.ModuleType:
        module = types.ModuleType("catalog.photos")
        module.PhotoRejected = FakePhotoRejected

        def photo_check_upload(uploaded_file):
            uploaded_file.seek(0)
            head = uploaded_file.read(3)
            uploaded_file.seek(0)
            if head == b"NOT":
                raise FakePhotoRejected("not_image", BAD_PHOTO_MESSAGE)
            return "jpeg"

        def photo_store_upload(*, product, uploaded_file, position):
            self.stored.append((product.pk, uploaded_file.name, position))
            return ProductImage.objects.create(
                product=product,
                original=f"products/test-{product.pk}-{position}.jpg",
                display_order=position,
                state=ProductImage.State.READY,
            )

        def photo_url(image, size="list", fmt="jpeg"):
            if image.state != ProductImage.State.READY:
                return None
            return f"/media/{image.original.name}"

        module.photo_check_upload = photo_check_upload
        module.photo_store_upload = photo_store_upload
        module.photo_url = photo_url
        return module


@pytest.fixture
def fake_photos(monkeypatch) -> FakePhotoPipeline:
    """Replace `catalog.photos` (another engineer's pipeline) for one test, so
    these tests exercise the panel's use of it, not its image processing."""
    pipeline = FakePhotoPipeline()
    module = pipeline.module()
    monkeypatch.setitem(sys.modules, "catalog.photos", module)
    monkeypatch.setattr(catalog, "photos", module, raising=False)
    return pipeline


def jpeg(name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff fake jpeg", "image/jpeg")


def not_an_image(name: str = "virus.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"NOT an image", "image/jpeg")
