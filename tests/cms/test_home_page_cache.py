"""The Wagtail home page under the anonymous page cache (production:
PAGE_CACHE_SECONDS): served whole to visitors with no session or basket, stale as
soon as it is published again, unpublished, or what it lists changes; never
served to or filled by an editor, and never filled by a preview."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from catalog.cache_version import catalog_version as page_cache_version
from tests.factories import SellerFactory, StaffFactory, make_product

pytestmark = pytest.mark.django_db


def anonymous_get(client, url="/"):
    """A visitor with no cookies at all (the test client keeps the CSRF cookie)."""
    client.cookies.clear()
    return client.get(url)


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_anonymous_visitor_gets_the_home_page_from_the_cache(
    client, home, page_cache, django_assert_num_queries
):
    make_product(seller=SellerFactory(), title="شال بافتنی")
    first = anonymous_get(client)
    assert first.status_code == 200
    client.cookies.clear()
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    body = second.content.decode()
    assert home.hero_title in body and "شال بافتنی" in body
    assert "\x00csrf-token\x00" not in body


def test_publishing_the_home_page_again_invalidates_it(client, home, page_cache):
    assert home.hero_title in anonymous_get(client).content.decode()
    publish(home, hero_title="جشنوارهٔ دست‌سازه‌های نوروزی")
    assert "جشنوارهٔ دست‌سازه‌های نوروزی" in anonymous_get(client).content.decode()


def test_a_draft_is_not_published_by_the_cache(client, home, page_cache):
    version = page_cache_version()
    home.hero_title = "پیش‌نویس منتشرنشده"
    home.save_revision()
    assert page_cache_version() == version  # nothing public changed
    assert "پیش‌نویس منتشرنشده" not in anonymous_get(client).content.decode()


def test_unpublishing_the_home_page_invalidates_it(client, home, page_cache):
    assert anonymous_get(client).status_code == 200
    home.unpublish()
    assert anonymous_get(client).status_code == 404


def test_deleting_or_moving_a_page_invalidates_cached_pages(home, page_cache):
    child = home.add_child(instance=Page(title="دربارهٔ ما", slug="about"))
    version = page_cache_version()
    child.move(home, pos="last-child")
    assert page_cache_version() != version
    version = page_cache_version()
    child.delete()
    assert page_cache_version() != version


def test_a_new_product_shows_on_the_cached_home_page_at_once(client, home, page_cache):
    seller = SellerFactory()
    assert "گلیم دستباف" not in anonymous_get(client).content.decode()
    make_product(seller=seller, title="گلیم دستباف")
    assert "گلیم دستباف" in anonymous_get(client).content.decode()


def test_an_editor_never_gets_nor_fills_the_cached_home_page(
    client, home, page_cache, django_assert_max_num_queries
):
    anonymous_get(client)  # cached for anonymous visitors
    client.force_login(StaffFactory(is_superuser=True))
    with django_assert_max_num_queries(30) as captured:
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert len(captured.captured_queries) > 0
    assert "/cms-admin/" in body  # her own header, with the editors' links

    # Her page is not stored for anonymous visitors either.
    make_product(seller=SellerFactory(), title="سبد حصیری")  # a fresh version
    assert "/cms-admin/" in client.get("/").content.decode()
    client.logout()
    with django_assert_max_num_queries(30) as captured:
        body = anonymous_get(client).content.decode()
    assert len(captured.captured_queries) > 0
    assert "سبد حصیری" in body and "/cms-admin/" not in body


def test_a_preview_never_reaches_the_cached_home_page(client, home, page_cache):
    anonymous_get(client)
    client.force_login(StaffFactory(is_superuser=True))
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=(home.pk,))
    data = {
        "title": home.title,
        "slug": home.slug,
        "hero_title": "عنوان پیش‌نمایش",
        "hero_text": home.hero_text,
        # StreamField and inline panels, all empty
        "body-count": "0",
        **{
            f"{name}-{key}": "0"
            for name in (
                "featured_categories",
                "featured_booths",
                "featured_products",
            )
            for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
        },
        "newest_count": home.newest_count,
    }
    assert client.post(preview, data).json()["is_valid"] is True
    shown = client.get(preview)
    assert "عنوان پیش‌نمایش" in shown.content.decode()
    client.logout()
    assert "عنوان پیش‌نمایش" not in anonymous_get(client).content.decode()
