"""Cards in a listing: photos offered at every stored size (srcset + sizes), and
only the first row's loaded at once."""

import re

import pytest
from django.template import Context, Template

from catalog.models import ProductImage
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db

VARIANTS = {
    size: {
        "width": side,
        "height": side,
        "webp": f"products/ab/demo-{size}.webp",
        "jpeg": f"products/ab/demo-{size}.jpg",
    }
    for size, side in {"small": 240, "list": 400, "detail": 600, "zoom": 600}.items()
}


def _products(count: int):
    seller = SellerFactory()
    products = []
    for number in range(count):
        product = make_product(seller=seller, title=f"کار شمارهٔ {number}")
        ProductImage.objects.create(
            product=product,
            original="products/ab/demo.jpg",
            variants=VARIANTS,
            state=ProductImage.State.READY,
            display_order=0,
        )
        products.append(product)
    return products


def _render_grid(products) -> str:
    template = Template(
        '{% include "partials/product_grid.html" with products=products %}'
    )
    return template.render(Context({"products": products}))


def test_first_row_loads_at_once_and_the_rest_lazily():
    html = _render_grid(_products(5))

    loading = re.findall(r'loading="(\w+)"', html)
    assert loading == ["eager", "eager", "lazy", "lazy", "lazy"]


def test_cards_offer_each_stored_size_once_with_their_slot_size():
    html = _render_grid(_products(1))

    (srcset,) = re.findall(r'<source type="image/webp" srcset="([^"]+)"', html)
    assert srcset == (
        "/media/products/ab/demo-small.webp 240w, "
        "/media/products/ab/demo-list.webp 400w, "
        "/media/products/ab/demo-detail.webp 600w"
    )
    assert 'sizes="(min-width: 1120px) 265px' in html
    assert 'src="/media/products/ab/demo-list.jpg"' in html
