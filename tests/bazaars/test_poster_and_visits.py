"""The A4 poster: her brand and stall number, and a QR code (segno) that reads
back (zxing-cpp) as the short link, which counts a visit per stall and day,
keeps nothing about the visitor, and lands on her booth with the campaign tag."""

from __future__ import annotations

import base64
import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from sellers.models import BazaarVisitDay, Seller

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def qr_text(page: str) -> str:
    data_uri = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data_uri))).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_poster_qr_decodes_to_the_counted_link_to_her_booth(client, booth, stall):
    seller, owner = booth
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
    client.get(link)
    counter = BazaarVisitDay.objects.get(stall=stall)
    assert counter.visits == 2
    assert [f.name for f in BazaarVisitDay._meta.fields] == [
        "id",
        "stall",
        "day",
        "visits",
    ]


def test_staff_poster_reads_the_same(client, booth, stall, bazaar_staff):
    client.force_login(bazaar_staff)
    page = client.get(
        reverse("bazaars_staff:poster", args=[stall.bazaar_id, stall.pk])
    ).content.decode()
    assert qr_text(page).endswith(f"/b/{stall.pk}/")


def test_short_link_of_a_suspended_booth_is_not_found(client, booth, stall):
    seller, _ = booth
    Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.SUSPENDED)
    assert client.get(reverse("bazaar_qr", args=[stall.pk])).status_code == 404
    assert client.get(reverse("bazaar_qr", args=[999999])).status_code == 404
    assert not BazaarVisitDay.objects.exists()
