import pytest

from tests.factories import CategoryFactory, SellerFactory, make_product


@pytest.fixture
def leather(db):
    root = CategoryFactory(name="چرم", slug="charm")
    return root


@pytest.fixture
def bracelets(leather):
    return leather.add_child(name="دستبند چرم", slug="dastband-charm")


@pytest.fixture
def seller(db):
    return SellerFactory(brand_name="چرم نیلوفر", slug="charm-niloofar")


@pytest.fixture
def make_products(seller, bracelets):
    def _make(count, **kwargs):
        return [
            make_product(
                seller=kwargs.get("seller", seller),
                category=kwargs.get("category", bracelets),
                title=f"دستبند چرم {i}",
                price_rials=1_000_000 + i * 10_000,
            )
            for i in range(count)
        ]

    return _make
