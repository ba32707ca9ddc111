"""The fixture catalogue the search tests share, and the two backends to run the
contract suite against (tests/search/test_contract.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Product
from sellers.models import DeliveryOption, Province, Seller
from tests.factories import (
    CategoryFactory,
    DeliveryOptionFactory,
    DistrictFactory,
    SellerFactory,
    UserFactory,
    make_product,
    provinces_loaded,
)

TEHRAN, FARS = "IR-23", "IR-07"

# Words planted only in staff-only text: no search may find them.
STAFF_WORDS = {
    "moderation_note": "زرشکپلو",
    "case_file": "قلمکارسری",
    "mentoring": "پشمکباف",
    "created_by": "نرگسخانم",
    "status_reason": "شلغمپز",
}


@dataclass
class Catalogue:
    products: dict[str, Product]
    categories: dict[str, object]
    sellers: dict[str, Seller]

    def id(self, key: str) -> int:
        return self.products[key].pk

    def ids(self, *keys: str) -> list[int]:
        return [self.id(key) for key in keys]


def build_catalogue() -> Catalogue:
    """Nine live products in three booths, and what must never be found: a
    suspended booth's product, a paused one, one still in moderation, staff notes.

    Where they deliver, by the delivery rule: Niloofar (Tehran) by her courier,
    so only within Tehran; Nastaran (Tehran) by post, so everywhere; Grandma
    (Shiraz, Fars) only by a courier, which the rule offers no one outside
    Tehran, and her post is switched off: nowhere yet."""
    from sellers.models import CaseFile, MentoringSession

    provinces_loaded()

    leather = CategoryFactory(name="چرم", slug="leather")
    bracelets = leather.add_child(name="دستبند چرم", slug="leather-bracelets")
    jewellery = CategoryFactory(name="زیورآلات", slug="jewellery")
    jewel_bracelets = jewellery.add_child(name="دستبند", slug="bracelets")
    food = CategoryFactory(name="خوراکی خانگی", slug="food")
    pickles = food.add_child(name="ترشی", slug="pickles")

    niloofar = SellerFactory(
        brand_name="چرم نیلوفر",
        slug="charm-niloofar",
        district=DistrictFactory(number=20),
        kind=Seller.Kind.INDIVIDUAL,
    )
    nastaran = SellerFactory(
        brand_name="کارگاه هنر نسترن",
        slug="honar-nastaran",
        district=DistrictFactory(number=7),
        kind=Seller.Kind.GROUP,
    )
    grandma = SellerFactory(
        brand_name="ترشی مادربزرگ",
        slug="torshi",
        province=Province.objects.get(code=FARS),
        city="شیراز",
        district=None,
        kind=Seller.Kind.INDIVIDUAL,
        status_reason=STAFF_WORDS["status_reason"],
    )
    suspended = SellerFactory(
        brand_name="چرم بسته",
        slug="closed-booth",
        district=DistrictFactory(number=20),
        status=Seller.Status.SUSPENDED,
    )
    Kind = DeliveryOption.Kind
    DeliveryOptionFactory(seller=niloofar, kind=Kind.COURIER)
    DeliveryOptionFactory(seller=niloofar, kind=Kind.POST, is_active=False)
    DeliveryOptionFactory(seller=niloofar, kind=Kind.CENTRE_PICKUP)  # no centre
    DeliveryOptionFactory(seller=nastaran, kind=Kind.POST)
    DeliveryOptionFactory(seller=grandma, kind=Kind.COURIER)
    DeliveryOptionFactory(seller=grandma, kind=Kind.POST, is_active=False)
    CaseFile.objects.create(
        seller=grandma, head_of_household=True, notes=STAFF_WORDS["case_file"]
    )
    MentoringSession.objects.create(
        seller=nastaran,
        held_on=timezone.localdate() - dt.timedelta(days=60),
        topic="قیمت‌گذاری",
        notes=STAFF_WORDS["mentoring"],
    )

    base = timezone.now() - dt.timedelta(days=30)
    specs = [
        # key, seller, category, title, price (rials), extra fields
        ("bracelet", niloofar, bracelets, "دستبند چرم دست‌دوز", 1_250_000, {}),
        ("wallet", niloofar, leather, "کیف پول مردانه", 3_500_000, {}),
        ("belt", niloofar, leather, "کمربند مردانه", 4_000_000, {}),
        ("keyring", niloofar, jewellery, "جاکلیدی طرح انار", 600_000, {}),
        (
            "silver",
            nastaran,
            jewel_bracelets,
            "دستبند نقره ظریف",
            8_000_000,
            {
                "fulfilment": Product.Fulfilment.MADE_TO_ORDER,
                "description": "مناسب هدیه، در جعبهٔ چرم",
            },
        ),
        ("necklace", nastaran, jewellery, "گردنبند مهره‌ای", 12_000_000, {}),
        (
            "pickle",
            grandma,
            pickles,
            "ترشی لیته خانگی ۷ ماهه",
            900_000,
            {"materials": "بادمجان، سرکه"},
        ),
        ("bag", nastaran, leather, "كيف دوشي چرمي", 9_000_000, {}),  # Arabic ي/ك
        ("shawl", nastaran, jewellery, "شال دستباف", 2_000_000, {}),
    ]
    products = {}
    for offset, (key, seller, category, title, price, extra) in enumerate(specs):
        product = make_product(
            seller=seller, category=category, title=title, price_rials=price
        )
        # A fixed order of "newest": the later in the list, the newer.
        Product.objects.filter(pk=product.pk).update(
            date_created=base + dt.timedelta(hours=offset),
            description=extra.get("description", ""),
            materials=extra.get("materials", ""),
            fulfilment=extra.get("fulfilment", Product.Fulfilment.READY),
        )
        products[key] = product

    hidden = {
        "suspended": make_product(
            seller=suspended, category=bracelets, title="دستبند چرم بسته"
        ),
        "paused": make_product(
            seller=niloofar, category=bracelets, title="دستبند چرم متوقف"
        ),
        "pending": make_product(
            seller=niloofar, category=bracelets, title="دستبند چرم در صف"
        ),
    }
    Product.objects.filter(pk=hidden["paused"].pk).update(is_paused=True)
    Product.objects.filter(pk=hidden["pending"].pk).update(
        moderation_status=Product.Moderation.PENDING
    )
    Product.objects.filter(pk=products["necklace"].pk).update(
        moderation_note=STAFF_WORDS["moderation_note"],
        created_by=UserFactory(
            username="creator", first_name=STAFF_WORDS["created_by"]
        ),
    )
    products.update({f"hidden:{k}": v for k, v in hidden.items()})
    return Catalogue(
        products=products,
        categories={
            "leather": leather,
            "bracelets": bracelets,
            "jewellery": jewellery,
            "jewel_bracelets": jewel_bracelets,
            "food": food,
            "pickles": pickles,
        },
        sellers={"niloofar": niloofar, "nastaran": nastaran, "grandma": grandma},
    )


def index_everything(catalogue: Catalogue) -> None:
    from catalog.search import indexing

    indexing.index_products(p.pk for p in catalogue.products.values())


@pytest.fixture
def catalogue(db) -> Catalogue:
    from django.core.cache import cache

    built = build_catalogue()
    cache.clear()  # the open-booth set
    return built


@pytest.fixture
def indexed(catalogue) -> Catalogue:
    """The catalogue in the database backend's table (Elasticsearch off)."""
    index_everything(catalogue)
    return catalogue


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, catalogue):
    """Each contract test runs on both backends over the same indexed catalogue."""
    from catalog.search import service

    if request.param == "elasticsearch":
        request.getfixturevalue("search_es")
        index_everything(catalogue)
        return service.elasticsearch
    index_everything(catalogue)
    return service.database


def needs_postgres(backend) -> None:
    if backend.name == "database" and connection.vendor != "postgresql":
        pytest.skip("the SQLite form of the database backend has no trigram index")
