"""The site map for people (/site-map/): Persian, in our layout, linked from the
footer; approved booths only, live public pages, stories only with consent; a
fixed number of queries whatever the number of rows. /sitemap.xml stays."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import StandardPage
from sellers.models import Seller
from tests.cms.conftest import make_bazaar, publish_bazaar_page
from tests.cms.test_story_consent import story_for
from tests.factories import CategoryFactory, SellerFactory

pytestmark = pytest.mark.django_db

URL = "/site-map/"


def fill(home, bazaar_index, story_index, n: int) -> dict:
    made = {"booths": [], "categories": [], "bazaars": [], "stories": [], "pages": []}
    for i in range(n):
        root = CategoryFactory(name=f"ریشه {n}-{i}")
        made["categories"] += [
            root,
            root.add_child(name=f"زیر {n}-{i}", slug=f"sub-{n}-{i}"),
        ]
        booth = SellerFactory(brand_name=f"غرفه {n}-{i}", story_consent=True)
        made["booths"].append(booth)
        made["stories"].append(story_for(booth, story_index))
        made["bazaars"].append(
            publish_bazaar_page(bazaar_index, make_bazaar(name=f"بازارچه {n}-{i}"))
        )
        page = StandardPage(title=f"صفحه {n}-{i}", slug=f"page-{n}-{i}")
        home.add_child(instance=page)
        page.save_revision().publish()
        made["pages"].append(page)
    return made


def test_the_site_map_lists_what_the_public_may_see(
    client, home, bazaar_index, story_index
):
    made = fill(home, bazaar_index, story_index, 2)
    pending = SellerFactory(brand_name="غرفهٔ در انتظار", status=Seller.Status.IN_REVIEW)
    hidden = CategoryFactory(name="دستهٔ پنهان", is_public=False)
    no_consent = SellerFactory(brand_name="بی‌اجازه", story_consent=True)
    withdrawn = story_for(no_consent, story_index)
    Seller.objects.filter(pk=no_consent.pk).update(story_consent=False)

    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fa" dir="rtl"' in body
    assert "<h1>نقشه سایت</h1>" in body
    for category in made["categories"]:
        assert f'href="{category.get_absolute_url()}"' in body
    for booth in made["booths"]:
        assert f'href="{booth.get_absolute_url()}"' in body
    for page in made["stories"] + made["bazaars"] + made["pages"]:
        assert f'href="{page.url}"' in body
    assert pending.brand_name not in body and pending.get_absolute_url() not in body
    assert hidden.name not in body
    assert withdrawn.url not in body
    assert "غرفه‌ها (۳)" in body  # two, and the one without consent; Persian digits


def test_the_footer_leads_people_to_it_and_crawlers_keep_the_xml(client, home):
    body = client.get(reverse("catalogue:index")).content.decode()
    assert f'href="{URL}">نقشه سایت</a>' in body
    assert 'href="/sitemap.xml"' not in body
    assert client.get("/sitemap.xml")["Content-Type"].startswith("application/xml")


def test_the_site_map_runs_a_fixed_number_of_queries(
    client, home, bazaar_index, story_index
):
    fill(home, bazaar_index, story_index, 1)
    client.get(URL)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    fill(home, bazaar_index, story_index, 4)
    client.get(URL)
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL).status_code == 200
    assert len(five) == len(one) <= 12, [q["sql"] for q in five.captured_queries]
