"""Fixtures of the Wagtail page tests: the page tree the demo builds (home,
bazaar index, story index) and bazaars with stalls."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image

from cms.models import (
    BazaarIndexPage,
    BazaarPage,
    BazaarPageGalleryImage,
    CustomImage,
    HomePage,
    StoryIndexPage,
)
from sellers.models import Bazaar, BazaarStall
from tests.factories import DistrictFactory, SellerFactory

_names = itertools.count(1)


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def bazaar_index(home):
    index = BazaarIndexPage(title="بازارچه‌ها", slug="bazaars")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def story_index(home):
    index = StoryIndexPage(title="داستان غرفه‌ها", slug="stories")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_bazaar(*, starts_in: int = 0, days: int = 3, **fields) -> Bazaar:
    today = timezone.localdate()
    n = next(_names)
    defaults = {
        "name": f"بازارچه دستاوردهای زنان شهر تهران – شمارهٔ {n}",
        "place": f"بوستان شمارهٔ {n}",
        "district": DistrictFactory(),
        "opening_hours": "۱۰ تا ۱۸",
        "starts_on": today + dt.timedelta(days=starts_in),
        "ends_on": today + dt.timedelta(days=starts_in + days - 1),
        "map_url": "https://maps.example/place",
    }
    return Bazaar.objects.create(**(defaults | fields))


def add_stalls(bazaar: Bazaar, count: int, **seller_fields) -> list[BazaarStall]:
    start = bazaar.stalls.count()
    return [
        BazaarStall.objects.create(
            bazaar=bazaar,
            seller=SellerFactory(**seller_fields),
            stall_number=str(start + i + 1),
        )
        for i in range(count)
    ]


def make_image(title: str = "عکس") -> CustomImage:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 80)).save(buffer, "JPEG")
    return CustomImage.objects.create(
        title=title, file=ImageFile(buffer, name=f"{uuid.uuid4().hex}.jpg")
    )


def publish_bazaar_page(index, bazaar: Bazaar, *, photos: int = 0) -> BazaarPage:
    page = BazaarPage(title=bazaar.name, slug=f"bazaar-{bazaar.pk}", bazaar=bazaar)
    page.gallery_images = [
        BazaarPageGalleryImage(image=make_image(f"عکس {i}"), caption=f"عکس {i}")
        for i in range(photos)
    ]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page
