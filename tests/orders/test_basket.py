"""The basket page: constant queries whatever its number of lines, and a product
of a booth that closed meanwhile cannot be bought."""

import pytest
from django.urls import reverse

from sellers.models import Seller
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db


def fill_basket(client, count):
    products = [
        make_product(seller=SellerFactory(), title=f"محصول {i}") for i in range(count)
    ]
    for product in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    return products


@pytest.mark.parametrize("lines", [3, 8])
def test_basket_page_query_count_is_constant(client, django_assert_num_queries, lines):
    fill_basket(client, lines)
    client.get(reverse("basket:summary"))
    # the basket, its lines (with product, product class, stock record and
    # booth), the booths' delivery options; no session (a guest), and no
    # vouchers or offers (skipped while the site has no offer: orders.basket.offers)
    with django_assert_num_queries(3):
        response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert response.content.decode().count("محصول ") >= lines


def test_product_of_suspended_booth_cannot_be_added(client):
    seller = SellerFactory(status=Seller.Status.SUSPENDED)
    product = make_product(seller=seller)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    body = client.get(reverse("basket:summary")).content.decode()
    assert product.title not in body


def test_basket_with_a_photo_still_processing_renders(client):
    from catalog.models import ProductImage

    product = make_product(seller=SellerFactory(), title="کیف با عکس در راه")
    ProductImage.objects.create(
        product=product, original="", state=ProductImage.State.PROCESSING
    )
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert "کیف با عکس در راه" in response.content.decode()
