"""Which page may live where (Wagtail's parent and child rules), and the
editors' admin: the page forms open, the choosers list only what a page may
show."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    BazaarIndexPage,
    BazaarPage,
    HomePage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
)
from tests.factories import SellerFactory, StaffFactory, make_product


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_is_created_only_at_the_root_and_holds_the_sections(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedSubpageTypes(
            HomePage, {BazaarIndexPage, StoryIndexPage, StandardPage}
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_bazaar_pages_live_under_the_bazaar_index_only(self):
        self.assertCanCreateAt(HomePage, BazaarIndexPage)
        self.assertCanCreateAt(BazaarIndexPage, BazaarPage)
        self.assertCanNotCreateAt(HomePage, BazaarPage)
        self.assertCanNotCreateAt(StandardPage, BazaarPage)
        self.assertAllowedSubpageTypes(BazaarIndexPage, {BazaarPage})
        self.assertAllowedSubpageTypes(BazaarPage, {})

    def test_stories_live_under_the_story_index_only(self):
        self.assertCanCreateAt(HomePage, StoryIndexPage)
        self.assertCanCreateAt(StoryIndexPage, StoryPage)
        self.assertCanNotCreateAt(HomePage, StoryPage)
        self.assertCanNotCreateAt(BazaarIndexPage, StoryPage)
        self.assertAllowedSubpageTypes(StoryIndexPage, {StoryPage})
        self.assertAllowedSubpageTypes(StoryPage, {})

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(BazaarIndexPage, StandardPage)
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_one_home_one_bazaar_index_one_story_index(self):
        assert HomePage.max_count == 1
        assert BazaarIndexPage.max_count == 1
        assert StoryIndexPage.max_count == 1


@pytest.fixture
def editor(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [BazaarIndexPage, StoryIndexPage, StandardPage], ids=lambda m: m.__name__
)
def test_the_add_form_of_each_section_opens_in_persian(editor, home, model):
    url = reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, home.pk),
    )
    response = editor.get(url)
    assert response.status_code == 200
    assert 'lang="fa"' in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_edit_form_has_its_blocks_and_choosers(editor, home):
    response = editor.get(reverse("wagtailadmin_pages:edit", args=(home.pk,)))
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("غرفه‌های برگزیده", "محصولات برگزیده", "دسته‌های برگزیده"):
        assert label in body
    # The inline panels' empty forms carry the booth and product choosers.
    assert reverse("booth_chooser:choose") in body
    assert reverse("product_chooser:choose") in body


@pytest.mark.django_db
def test_the_booth_chooser_lists_approved_booths_only_and_searches_by_name(editor):
    open_booth = SellerFactory(brand_name="سفالینهٔ مهتاب")
    SellerFactory(brand_name="سفالینهٔ در انتظار", status="in_review")
    other = SellerFactory(brand_name="چرم آفتاب")
    body = editor.get(reverse("booth_chooser:choose")).json()["html"]
    assert open_booth.brand_name in body and other.brand_name in body
    assert "سفالینهٔ در انتظار" not in body
    results = editor.get(reverse("booth_chooser:choose_results"), {"q": "سفالینه"})
    assert results.status_code == 200
    found = results.content.decode()
    assert open_booth.brand_name in found and other.brand_name not in found


@pytest.mark.django_db
def test_the_product_chooser_lists_live_products_only(editor):
    seller = SellerFactory()
    live = make_product(seller=seller, title="کیف چرمی دوخت دست")
    hidden = make_product(seller=seller, title="کیف پنهان")
    hidden.is_public = False
    hidden.save()
    body = editor.get(reverse("product_chooser:choose")).json()["html"]
    assert live.title in body and hidden.title not in body


@pytest.mark.django_db
def test_wagtail_searches_pages_in_its_database_backend(editor, bazaar_index):
    from wagtail.search.backends import get_search_backend

    from cms.models import StandardPage

    page = StandardPage(title="فروش در دستاورد", slug="sell", summary="غرفه باز کنید")
    bazaar_index.get_parent().add_child(instance=page)
    page.save_revision().publish()
    backend = get_search_backend()
    # Wagtail's database backend (modelsearch's, on PostgreSQL full-text here).
    assert ".backends.database." in backend.__class__.__module__
    found = list(backend.search("دستاورد", Page.objects.live()))
    assert page.page_ptr in found or page in found
    response = editor.get(reverse("wagtailadmin_pages:search"), {"q": "فروش"})
    assert response.status_code == 200
    assert "فروش در دستاورد" in response.content.decode()
