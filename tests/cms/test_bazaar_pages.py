"""Bazaar pages: what a visitor learns (dates in Jalali, hours, place, map link,
the approved booths at their stalls, photos), the index's three lists by
`Bazaar.phase`, and the query bar (<= 12, the same for 2 or 8 booths and
photos, caches off)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.persian import format_jalali
from tests.cms.conftest import add_stalls, make_bazaar, publish_bazaar_page

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

QUERY_BAR = 12


def anonymous_get(client, url):
    client.cookies.clear()
    return client.get(url)


def test_a_bazaar_page_shows_when_where_and_who(client, bazaar_index):
    bazaar = make_bazaar(starts_in=5, days=3)
    stalls = add_stalls(bazaar, 3)
    add_stalls(bazaar, 1, status="suspended", brand_name="غرفهٔ تعلیق‌شده")
    page = publish_bazaar_page(bazaar_index, bazaar, photos=2)

    response = anonymous_get(client, page.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert format_jalali(bazaar.starts_on) in body
    assert format_jalali(bazaar.ends_on) in body
    assert bazaar.place in body and bazaar.district.name in body
    assert "۱۰ تا ۱۸" in body
    assert 'href="https://maps.example/place"' in body
    assert "<iframe" not in body  # a link only: no map service is reachable
    assert "به‌زودی" in body
    for stall in stalls:
        assert stall.seller.brand_name in body
        assert stall.seller.get_absolute_url() in body
    assert "جایگاه ۱" in body and "جایگاه ۳" in body
    assert "غرفهٔ تعلیق‌شده" not in body  # only approved booths are shown
    assert body.count("<figure>") == 2


def test_the_index_lists_running_coming_and_past_apart(client, bazaar_index):
    running = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=-1, days=3))
    coming = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=10))
    past = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=-30))

    body = anonymous_get(client, bazaar_index.url).content.decode()

    def section(testid):
        match = re.search(rf'data-testid="{testid}">(.*?)</section>', body, re.S)
        return match.group(1)

    assert running.title in section("bazaars-running")
    assert coming.title in section("bazaars-coming")
    assert past.title in section("bazaars-past")
    assert coming.title not in section("bazaars-running")
    assert past.title not in section("bazaars-coming")


def _queries_for(client, url) -> tuple[int, int]:
    anonymous_get(client, url)  # renditions made once, like any first visit
    with CaptureQueriesContext(connection) as captured:
        response = anonymous_get(client, url)
    return response.status_code, len(captured.captured_queries)


def test_the_bazaar_page_keeps_the_query_bar_whatever_its_booths_and_photos(
    client, bazaar_index
):
    small = make_bazaar()
    add_stalls(small, 2)
    small_page = publish_bazaar_page(bazaar_index, small, photos=2)
    large = make_bazaar()
    add_stalls(large, 8)
    large_page = publish_bazaar_page(bazaar_index, large, photos=8)

    small_status, small_queries = _queries_for(client, small_page.url)
    large_status, large_queries = _queries_for(client, large_page.url)

    assert small_status == large_status == 200
    assert small_queries == large_queries
    assert large_queries <= QUERY_BAR


def test_the_bazaar_index_keeps_the_query_bar_whatever_its_bazaars(
    client, bazaar_index
):
    publish_bazaar_page(bazaar_index, make_bazaar(starts_in=3))
    few = _queries_for(client, bazaar_index.url)
    for offset in (-20, -1, 8, 40):
        publish_bazaar_page(bazaar_index, make_bazaar(starts_in=offset))
    many = _queries_for(client, bazaar_index.url)
    assert few[0] == many[0] == 200
    assert few[1] == many[1] <= QUERY_BAR


def test_a_change_to_the_bazaar_or_its_stalls_shows_on_the_cached_page(
    client, bazaar_index, page_cache
):
    bazaar = make_bazaar(starts_in=2)
    page = publish_bazaar_page(bazaar_index, bazaar)
    assert "بوستان نو" not in anonymous_get(client, page.url).content.decode()
    bazaar.place = "بوستان نو"
    bazaar.save()
    assert "بوستان نو" in anonymous_get(client, page.url).content.decode()
    (stall,) = add_stalls(bazaar, 1, brand_name="غرفهٔ تازه‌وارد")
    assert "غرفهٔ تازه‌وارد" in anonymous_get(client, page.url).content.decode()
    stall.delete()
    assert "غرفهٔ تازه‌وارد" not in anonymous_get(client, page.url).content.decode()


def test_one_page_per_bazaar(bazaar_index):
    from django.core.exceptions import ValidationError

    from cms.models import BazaarPage

    bazaar = make_bazaar()
    publish_bazaar_page(bazaar_index, bazaar)
    twin = BazaarPage(title="دوباره", slug="twin", bazaar=bazaar)
    with pytest.raises(ValidationError):
        bazaar_index.add_child(instance=twin)
