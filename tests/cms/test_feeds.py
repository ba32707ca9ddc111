"""Discovery: sitemap.xml (every public page, on the Wagtail Site's address),
the Atom feed and the iCalendar file of coming bazaars, and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 (our own responses)

import icalendar
import pytest
from wagtail.models import Site

from cms.models import StandardPage
from tests.cms.conftest import add_stalls, make_bazaar, publish_bazaar_page

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(home):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "dastavard.test", 443
    site.save()
    return site


def _locs(client) -> list[str]:
    body = client.get("/sitemap.xml").content.decode()
    return [
        el.text
        for el in ET.fromstring(body).iter(  # noqa: S314
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]


def test_the_sitemap_lists_every_public_page_on_the_sites_address(
    client, site, home, bazaar_index
):
    about = StandardPage(title="دربارهٔ ما", slug="about")
    home.add_child(instance=about)
    about.save_revision().publish()
    draft = StandardPage(title="پیش‌نویس", slug="draft", live=False)
    home.add_child(instance=draft)
    draft.save_revision()  # never published
    bazaar_page = publish_bazaar_page(bazaar_index, make_bazaar())

    locs = _locs(client)

    assert all(loc.startswith("https://dastavard.test/") for loc in locs), locs
    assert not any("example.com" in loc for loc in locs)
    for path in ("/", "/about/", "/bazaars/", f"/bazaars/{bazaar_page.slug}/"):
        assert f"https://dastavard.test{path}" in locs
    assert "https://dastavard.test/draft/" not in locs


def test_the_atom_feed_lists_coming_and_running_bazaars_not_past_ones(
    client, site, bazaar_index
):
    coming = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=7))
    running = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=-1))
    past = publish_bazaar_page(bazaar_index, make_bazaar(starts_in=-20))

    response = client.get("/feeds/bazaars.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314
    entries = {
        entry.find(f"{ATOM}title").text: entry for entry in feed.iter(f"{ATOM}entry")
    }
    assert set(entries) == {running.title, coming.title}
    assert past.title not in entries
    link = entries[coming.title].find(f"{ATOM}link").get("href")
    assert link == f"https://dastavard.test/bazaars/{coming.slug}/"
    assert "example.com" not in response.content.decode()
    summary = entries[coming.title].find(f"{ATOM}summary").text
    assert coming.bazaar.place in summary


@pytest.mark.dates
def test_the_calendar_has_one_all_day_event_per_coming_bazaar(
    client, site, bazaar_index
):
    bazaar = make_bazaar(starts_in=7, days=3)
    add_stalls(bazaar, 2)
    coming = publish_bazaar_page(bazaar_index, bazaar)
    publish_bazaar_page(bazaar_index, make_bazaar(starts_in=-20))

    response = client.get("/feeds/bazaars.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    (event,) = events
    assert str(event["SUMMARY"]) == coming.title
    assert event.decoded("DTSTART") == bazaar.starts_on
    assert event.decoded("DTEND") == bazaar.ends_on + dt.timedelta(days=1)
    assert bazaar.place in str(event["LOCATION"])
    assert str(event["URL"]) == f"https://dastavard.test/bazaars/{coming.slug}/"
    assert str(event["UID"]) == f"bazaar-{bazaar.pk}@dastavard.test"
    # RFC 5545: CRLF lines of at most 75 octets, Persian folded safely.
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_robots_points_at_the_sitemap_and_keeps_out_of_private_pages(client, site):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://dastavard.test/sitemap.xml" in body
    for path in ("/panel/", "/staff/", "/cms-admin/", "/checkout/", "/account/"):
        assert f"Disallow: {path}" in body


# --- `make run`: the Site follows the development server ---------------------------


def test_make_run_points_the_demo_site_at_its_port(client, home, bazaar_index):
    """`make sandbox` seeds the Site with the server's port (seed_demo
    --site-address): feeds, the sitemap and robots.txt then name the address that
    answers, not the migration's http://localhost/."""
    from marketplace.site_url import site_local_address_set

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)  # as migrated
    assert site_local_address_set(hostname="127.0.0.1", port=8000)
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in (
        client.get("/robots.txt").content.decode()
    )
    assert all(loc.startswith("http://127.0.0.1:8000/") for loc in _locs(client))
    feed = ET.fromstring(client.get("/feeds/bazaars.atom").content)  # noqa: S314
    links = [el.get("href") for el in feed.iter(f"{ATOM}link")]
    assert links and all(h.startswith("http://127.0.0.1:8000/") for h in links)
    # a second run on the same port changes nothing
    assert not site_local_address_set(hostname="127.0.0.1", port=8000)


def test_a_real_domain_is_never_repointed(site):
    from marketplace.site_url import site_local_address_set

    assert not site_local_address_set(hostname="127.0.0.1", port=8000)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("dastavard.test", 443)
    with pytest.raises(ValueError):
        site_local_address_set(hostname="dastavard.ir", port=80)
