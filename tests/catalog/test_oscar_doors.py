"""Issue 11: Oscar's leftover doors. Reviews are off (item 11), the dashboard's
`?sort=checkbox` is not a 500 ("also found"). Product alerts are off too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from catalog.models import Product
from tests.catalog.panel_fixtures import approved_product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anyone_writing_a_review_on_a_sellers_product_is_gone(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    base = f"/catalogue/{product.slug}_{product.pk}/reviews/"
    response = client.post(
        base + "add/",
        {"title": "برچسب", "score": 1, "body": "نوشته‌ای دربارهٔ فروشنده", "name": "x"},
    )
    assert response.status_code == 404
    assert client.get(base).status_code == 404
    assert not Product.objects.get(pk=product.pk).reviews.exists()
    page = client.get(product.get_absolute_url()).content.decode()
    assert "/reviews/" not in page
    with pytest.raises(NoReverseMatch):
        reverse(
            "catalogue:reviews-add",
            kwargs={"product_slug": product.slug, "product_pk": product.pk},
        )


def test_the_dashboard_has_no_reviews_page_or_link(client):
    admin = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/dashboard/reviews/").status_code == 404
    assert (
        "/dashboard/reviews/"
        not in client.get("/dashboard/catalogue/").content.decode()
    )


@pytest.mark.parametrize(
    "url", ["/dashboard/catalogue/", "/dashboard/catalogue/categories/"]
)
def test_sorting_the_dashboard_tables_by_the_checkbox_is_not_a_500(client, url):
    admin = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(url + "?sort=checkbox").status_code == 200
    assert client.get(url + "?sort=-checkbox").status_code == 200


def test_oscars_product_alerts_are_gone_and_a_stock_save_asks_for_none(
    client, panel_booth, bracelet_category
):
    """No page of ours offers "tell me when it is back"; Oscar's alert pages (in
    English) answer 404, nothing is stored, and saving stock (every order does)
    runs none of Oscar's alert lookups."""
    from oscar.core.loading import get_model

    ProductAlert = get_model("customer", "ProductAlert")
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    response = client.post(
        f"/accounts/alerts/create/{product.pk}/", {"email": "a@example.com"}
    )
    assert response.status_code == 404
    assert client.get("/accounts/alerts/").status_code == 404
    assert not ProductAlert.objects.exists()
    client.force_login(owner)
    assert client.get("/accounts/alerts/").status_code == 404
    admin = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/dashboard/users/alerts/").status_code == 404
    menu = client.get("/dashboard/catalogue/").content.decode()
    assert "/dashboard/users/alerts/" not in menu

    record = product.stockrecords.get()
    record.num_in_stock += 1
    with CaptureQueriesContext(connection) as queries:
        record.save()
    assert not [q for q in queries if "productalert" in q["sql"]]
