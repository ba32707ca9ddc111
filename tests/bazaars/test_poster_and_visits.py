"""The A4 poster: her brand and stall number, and a QR code (segno) that reads
back (zxing-cpp) as the short link, which counts a visit per stall and day,
keeps nothing about the visitor, and lands on her booth with the campaign tag."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
import zxingcpp
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sellers.models import BazaarStall, BazaarVisitDay, Seller

from .conftest import make_bazaar

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def qr_text(page: str) -> str:
    data_uri = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data_uri))).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_poster_qr_decodes_to_the_counted_link_to_her_booth(client, order_booth, stall):
    seller, owner = order_booth
    client.force_login(owner)
    url = reverse(
        "panel:bazaar_poster", kwargs={"seller_id": seller.pk, "stall_id": stall.pk}
    )
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert seller.brand_name in page
    assert 'data-testid="poster-stall">۱۲<' in page
    link = qr_text(page)
    assert link == f"http://testserver/b/{stall.pk}/"

    client.logout()
    visit = client.get(link)
    assert visit.status_code == 302
    assert visit.url == (
        f"{seller.get_absolute_url()}?utm_source=bazaar&utm_medium=qr-poster"
        f"&utm_campaign=bazaar-{stall.bazaar_id}"
    )
    assert client.get(visit.url).status_code == 200  # her booth
    # Nothing about the visitor: no cookie set, not cacheable, one counter.
    assert not visit.cookies
    assert "no-store" in visit["Cache-Control"] or "max-age=0" in visit["Cache-Control"]
    client.get(link)  # the same visitor again today: not counted twice
    counter = BazaarVisitDay.objects.get(stall=stall)
    assert counter.visits == 1
    assert [f.name for f in BazaarVisitDay._meta.fields] == [
        "id",
        "stall",
        "day",
        "visits",
    ]


def test_staff_poster_reads_the_same(client, order_booth, stall, bazaar_staff):
    client.force_login(bazaar_staff)
    page = client.get(
        reverse("bazaars_staff:poster", args=[stall.bazaar_id, stall.pk])
    ).content.decode()
    assert qr_text(page).endswith(f"/b/{stall.pk}/")


def test_short_link_of_a_suspended_booth_is_not_found(client, order_booth, stall):
    seller, _ = order_booth
    Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.SUSPENDED)
    assert client.get(reverse("bazaar_qr", args=[stall.pk])).status_code == 404
    assert client.get(reverse("bazaar_qr", args=[999999])).status_code == 404
    assert not BazaarVisitDay.objects.exists()


# --- one visit per visitor per stall per Tehran day ---------------------------------

TEHRAN = ZoneInfo("Asia/Tehran")
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A525F) Mobile Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile Safari/604.1"


def tehran(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TEHRAN)


def scan(client, stall, *, address="5.160.10.20", agent=PHONE):
    response = client.get(
        reverse("bazaar_qr", args=[stall.pk]),
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )
    assert response.status_code == 302  # counted or not, she reaches the booth
    return response


def visits(stall) -> dict[dt.date, int]:
    return dict(BazaarVisitDay.objects.filter(stall=stall).values_list("day", "visits"))


def test_a_visitor_counts_once_a_day_per_stall(client, order_booth, booth2, stall):
    today = timezone.localdate()
    other = BazaarStall.objects.create(
        bazaar=stall.bazaar, seller=booth2[0], stall_number="13"
    )
    with time_machine.travel(tehran(today, 11), tick=False):
        for _ in range(3):
            scan(client, stall)
        scan(client, stall, agent=IPHONE)  # another phone on the same address
        scan(client, stall, address="5.160.10.21")  # another address
        scan(client, other)  # the same visitor at another stall
    assert visits(stall) == {today: 3}
    assert visits(other) == {today: 1}
    # The next Tehran day (after midnight there, still "yesterday" in UTC) she
    # counts again.
    tomorrow = today + dt.timedelta(days=1)
    with time_machine.travel(tehran(tomorrow, 0, 30), tick=False):
        scan(client, stall)
        scan(client, stall)
    assert visits(stall) == {today: 3, tomorrow: 1}


def test_nothing_is_counted_before_the_bazaar_opens(client, order_booth):
    bazaar = make_bazaar(starts_in=2)
    stall = BazaarStall.objects.create(
        bazaar=bazaar, seller=order_booth[0], stall_number="7"
    )
    today = timezone.localdate()
    with time_machine.travel(tehran(today, 12), tick=False):
        scan(client, stall)
    with time_machine.travel(
        tehran(bazaar.starts_on, 0, 5) - dt.timedelta(minutes=10), tick=False
    ):
        scan(client, stall)  # 23:55 the evening before
    assert visits(stall) == {}
    with time_machine.travel(tehran(bazaar.starts_on, 10), tick=False):
        scan(client, stall)
    assert visits(stall) == {bazaar.starts_on: 1}


def test_who_was_counted_is_a_keyed_hash_expiring_at_tehran_midnight(
    client, order_booth, stall
):
    today = timezone.localdate()
    with time_machine.travel(tehran(today, 23, 59), tick=False):
        scan(client, stall, address="5.160.10.99", agent=PHONE)
        keys = [key for key in cache._cache if "bazaar:visit" in key]  # locmem
        assert len(keys) == 1
        assert "5.160.10.99" not in keys[0] and "Android" not in keys[0]
        # 60 seconds to midnight in Tehran: the key lives that long.
        assert cache._expire_info[keys[0]] - time.time() == pytest.approx(60, abs=1)
    # The database has the counter and nothing else.
    assert [f.name for f in BazaarVisitDay._meta.fields] == [
        "id",
        "stall",
        "day",
        "visits",
    ]


def test_a_cache_that_is_down_still_counts(client, order_booth, stall, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    scan(client, stall)
    scan(client, stall)
    assert visits(stall) == {timezone.localdate(): 2}
