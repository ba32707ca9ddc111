"""The dignity rule (DOMAIN.md): no public page may say or imply that a seller
is a head of household, a welfare client or a former prisoner, or show anything
from her case file.

The scan renders every public URL — every argument-free route in the URL
configuration, and every URL in the sitemap — as an anonymous visitor, over demo
data whose staff-only records hold unique marker strings, and fails if a marker or
a labelling word appears. Later issues keep it green as they add pages.
"""

import datetime as dt
import re
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from marketplace.dignity import LABELLING_WORDS
from orders.models import Line, Review, SellerOrder
from sellers.models import CaseFile, MentoringSession, Seller, SellerAuditEntry

pytestmark = pytest.mark.django_db

MARKER = f"DIGNITY-MARKER-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def demo_with_markers(db):
    call_command(
        "seed_demo", sellers=10, products=40, picture_pool=8, stdout=StringIO()
    )
    for seller in Seller.objects.all():
        case_file, _ = CaseFile.objects.get_or_create(seller=seller)
        case_file.head_of_household = True
        case_file.welfare_case_number = f"{MARKER}-case-{seller.pk}"
        case_file.insurance = f"{MARKER}-insurance-{seller.pk}"
        case_file.referral_source = f"{MARKER}-referral-{seller.pk}"
        case_file.notes = f"{MARKER}-notes-{seller.pk}"
        case_file.save()
        MentoringSession.objects.create(
            seller=seller,
            held_on=timezone.localdate() - dt.timedelta(days=30),
            topic="قیمت‌گذاری",
            notes=f"{MARKER}-mentoring-{seller.pk}",
        )
        SellerAuditEntry.objects.create(
            seller=seller, action="note", reason=f"{MARKER}-audit-{seller.pk}"
        )
    # Buyers' reviews (issue 28 §3): held and rejected ones carry the marker and
    # a labelling word and must never show; published ones do show.
    statuses = [Review.Status.HELD, Review.Status.REJECTED, Review.Status.PUBLISHED]
    lines = Line.objects.filter(
        seller_order__status=SellerOrder.Status.DELIVERED,
        order__user__isnull=False,
        product__isnull=False,
    ).select_related("seller_order", "order")[:30]
    for index, line in enumerate(lines):
        status = statuses[index % 3]
        hidden = status != Review.Status.PUBLISHED
        Review.objects.create(
            line=line,
            seller_order=line.seller_order,
            seller_id=line.seller_order.seller_id,
            product_id=line.product_id,
            buyer_id=line.order.user_id,
            rating=1 + index % 5,
            text=f"{MARKER}-review مددجو" if hidden else "دوخت تمیز و بسته‌بندی خوب",
            status=status,
        )


def _argument_free_paths(patterns, prefix="") -> list[str]:
    paths = []
    for entry in patterns:
        text = str(entry.pattern)
        regex_like = text.startswith("^") or "(" in text or "<" in text
        if isinstance(entry, URLResolver):
            if "<" in text or "(?P" in text:
                continue
            paths += _argument_free_paths(entry.url_patterns, prefix + text.lstrip("^"))
        elif isinstance(entry, URLPattern):
            if regex_like and not re.fullmatch(r"\^?\$?", text):
                if "<" in text or "(" in text:
                    continue
            paths.append("/" + (prefix + text).replace("^", "").replace("$", ""))
    return sorted(set(paths))


def _sitemap_paths(client) -> list[str]:
    body = client.get("/sitemap.xml").content.decode()
    index_or_urls = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", body)
    return sorted(set(index_or_urls))


def _text(response) -> str:
    """The body as a reader sees it: an iCalendar file's folded lines joined
    (RFC 5545 folds at 75 octets, which could split a word, or a letter)."""
    content = response.content
    if response.get("Content-Type", "").startswith("text/calendar"):
        content = content.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    return content.decode("utf-8", "replace")


def _assert_clean(url: str, body: str) -> None:
    assert MARKER not in body, f"case-file or staff data leaked on {url}"
    lowered = body.lower()
    for word in LABELLING_WORDS:
        assert word.lower() not in lowered, f"labelling word «{word}» on {url}"


def test_public_pages_hold_no_case_file_data_and_no_labelling_words(
    client, demo_with_markers
):
    routes = _argument_free_paths(get_resolver().url_patterns)
    sitemap = _sitemap_paths(client)
    assert any(path.startswith("/booth/") for path in sitemap)
    assert len(sitemap) >= 30  # products, categories and booths are all there
    # The Wagtail pages (home, pages of words, stories, bazaars) are in the
    # sitemap, and the feeds, the calendar and robots.txt are routes.
    for prefix in ("/about/", "/programmes/", "/stories/story-", "/bazaars/bazaar-"):
        assert any(path.startswith(prefix) for path in sitemap), prefix
    for feed in ("/robots.txt", "/feeds/bazaars.atom", "/feeds/bazaars.ics"):
        assert feed in routes
    assert "/site-map/" in routes  # the site map for people lists every booth
    extra = [
        "/catalogue/?district=20&sort=price_asc",
        "/catalogue/?page=2",
        "/search/?q=%D8%AF%D8%B3%D8%AA%D8%A8%D9%86%D8%AF",
    ]
    scanned = 0
    for url in routes + sitemap + extra:
        response = client.get(url)
        if response.status_code >= 500:
            pytest.fail(f"{url} answered {response.status_code}")
        if response.get("Content-Type", "").startswith(("text/", "application/")):
            _assert_clean(url, _text(response))
            scanned += 1
    assert scanned >= 40
    # the published reviews were on the pages scanned (so the held ones could
    # have been too)
    assert Review.objects.filter(status=Review.Status.HELD).exists()
    published = Review.objects.filter(status=Review.Status.PUBLISHED).first()
    body = client.get(published.product.get_absolute_url()).content.decode()
    assert "دوخت تمیز و بسته‌بندی خوب" in body


def test_booth_of_every_approved_seller_hides_programme_and_case_file(
    client, demo_with_markers
):
    for seller in Seller.objects.filter(status="approved").select_related("programme"):
        body = client.get(seller.get_absolute_url()).content.decode()
        _assert_clean(seller.get_absolute_url(), body)
        assert seller.programme.name not in body


def test_the_scan_would_catch_a_leak_in_a_story_page_or_the_calendar(
    client, demo_with_markers
):
    from cms.models import BazaarPage, StoryPage

    story = StoryPage.objects.live().first()
    story.summary = f"{MARKER} مددجو"
    story.save_revision().publish()
    with pytest.raises(AssertionError):
        _assert_clean(story.url, client.get(story.url).content.decode())

    # one the feeds list: not yet ended (the demo has past bazaars too)
    bazaar = (
        BazaarPage.objects.live()
        .filter(bazaar__ends_on__gte=timezone.localdate())
        .first()
        .bazaar
    )
    bazaar.place = "سالن زنان سرپرست خانوار"
    bazaar.save()
    for url in ("/feeds/bazaars.ics", "/feeds/bazaars.atom"):
        with pytest.raises(AssertionError):
            _assert_clean(url, _text(client.get(url)))


def test_the_scan_would_catch_a_leak(client, demo_with_markers):
    # A booth whose public story quotes her case file must fail the check.
    seller = Seller.objects.filter(status="approved").first()
    seller.story = f"{MARKER} سرپرست خانوار"
    seller.story_consent = True
    seller.save()
    body = client.get(seller.get_absolute_url()).content.decode()
    with pytest.raises(AssertionError):
        _assert_clean(seller.get_absolute_url(), body)
