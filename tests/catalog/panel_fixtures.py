"""Fixtures and helpers of the seller-panel product, moderation and holiday tests,
registered once for the whole suite as a pytest plugin (`pytest_plugins` in
tests/conftest.py); tests import only the plain helpers.

Names differ from tests/catalog/conftest.py's (`seller`, `leather`, ...) so they
never clash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import photos
from catalog.models import Category, Product, ProductImage
from catalog.services import ProductData, product_create
from sellers.models import Seller, SellerMember
from tests.factories import StaffFactory, UserFactory, grant, seller_with_owner


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
    return seller_with_owner(phone, first_name="مریم", last_name="احمدی", **kwargs)


@pytest.fixture
def panel_booth(db):
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
    return grant(
        StaffFactory(username="+989120000009", first_name="کارشناس"), "review_seller"
    )


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

    def functions(self) -> dict:
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

        return {
            "PhotoRejected": FakePhotoRejected,
            "photo_check_upload": photo_check_upload,
            "photo_store_upload": photo_store_upload,
            "photo_url": photo_url,
        }


@pytest.fixture
def fake_photos(monkeypatch) -> FakePhotoPipeline:
    """Stand in for the photo pipeline's checking, storing and URLs (the
    functions of `catalog.photos` that its callers look up at call time) for one
    test, so these tests exercise the panel's use of it, not image processing."""
    pipeline = FakePhotoPipeline()
    for name, value in pipeline.functions().items():
        monkeypatch.setattr(photos, name, value)
    return pipeline


def jpeg(name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff fake jpeg", "image/jpeg")


def not_an_image(name: str = "virus.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"NOT an image", "image/jpeg")
