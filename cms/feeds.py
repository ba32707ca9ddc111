"""The coming bazaars as an Atom feed and an iCalendar file.

Both list live bazaar pages whose bazaar has not ended (`bazaar_pages_coming`:
running ones too, since one can still go), and say only what the bazaar page
says: name, dates, hours, place, district and its address. Links are absolute
on the Wagtail Site's address (`marketplace.site_url`), not Django's sites
framework. Both are served from the anonymous page cache; a change to a bazaar
or its page makes them stale (cms.receivers).
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cms.models import BazaarIndexPage, BazaarPage, bazaar_pages_coming
from marketplace.page_cache import anonymous_page_cache
from marketplace.persian import format_jalali
from marketplace.site_url import site_root_url, site_scheme_and_host

FEED_TITLE = "بازارچه‌های دستاوردهای زنان شهر تهران"


def _when_and_where(page: BazaarPage) -> str:
    bazaar = page.bazaar
    if bazaar.starts_on == bazaar.ends_on:
        when = format_jalali(bazaar.starts_on)
    else:
        when = (
            f"از {format_jalali(bazaar.starts_on)} تا {format_jalali(bazaar.ends_on)}"
        )
    parts = [when]
    if bazaar.opening_hours:
        parts.append(f"ساعت {bazaar.opening_hours}")
    parts.append(_place(page))
    return "؛ ".join(parts)


def _place(page: BazaarPage) -> str:
    bazaar = page.bazaar
    if bazaar.district:
        return f"{bazaar.place}، {bazaar.district.name}"
    return bazaar.place


class ComingBazaarsFeed(Feed):
    feed_type = Atom1Feed
    title = FEED_TITLE
    subtitle = "زمان و مکان بازارچه‌های پیش رو"
    author_name = "دستاورد"

    def link(self):
        index = BazaarIndexPage.objects.live().public().first()
        return index.full_url if index else site_root_url() + "/"

    def feed_url(self):
        return site_root_url() + reverse("bazaar_feed")

    def items(self):
        return bazaar_pages_coming()

    def item_title(self, page):
        return page.title

    def item_description(self, page):
        return _when_and_where(page)

    def item_link(self, page):
        return page.full_url

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at


bazaar_feed = anonymous_page_cache(ComingBazaarsFeed())


def _calendar_body(pages, *, now: dt.datetime) -> bytes:
    _, host = site_scheme_and_host()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Dastavard//Bazaars//FA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", FEED_TITLE)
    calendar.add("x-wr-timezone", "Asia/Tehran")
    for page in pages:
        bazaar = page.bazaar
        event = icalendar.Event()
        event.add("uid", f"bazaar-{bazaar.pk}@{host}")
        event.add("dtstamp", now)
        event.add("summary", page.title)
        # All-day events: DTEND is the day after the last day (RFC 5545 3.6.1).
        event.add("dtstart", bazaar.starts_on)
        event.add("dtend", bazaar.ends_on + dt.timedelta(days=1))
        event.add("location", _place(page))
        event.add("description", f"{_when_and_where(page)}\n{page.full_url}")
        event.add("url", page.full_url)
        calendar.add_component(event)
    return calendar.to_ical()


def bazaar_calendar(request):
    """`bazaars.ics`: the coming bazaars as all-day events."""
    body = _calendar_body(bazaar_pages_coming(), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bazaars.ics"'
    return response


bazaar_calendar = anonymous_page_cache(bazaar_calendar)
