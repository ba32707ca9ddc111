"""The site map for people (`/site-map/`, the footer's «نقشه سایت»): every public
category, approved booth, bazaar, story and page of words, in our layout.
`/sitemap.xml` (marketplace/sitemaps.py) stays the crawlers' one.

The same rules as the public pages: approved booths only (`seller_list_public`),
browsable categories, live public Wagtail pages, stories only while their booth
consents. A fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.shortcuts import render

from catalog.models import Category
from cms.models import BazaarPage, StandardPage, StoryPage
from sellers.selectors import seller_list_public


def _categories() -> list[dict]:
    """Browsable categories in tree order with their depth and URL. A parent's
    full slug is known before its children (ordered by path), so no category
    asks the database for its ancestors."""
    rows = []
    full_slugs: dict[str, str] = {}
    for category in Category.objects.browsable().order_by("path"):
        parent_slug = full_slugs.get(category.path[: -Category.steplen])
        if category.depth == 1:
            url = category.get_absolute_url()
        elif parent_slug is not None:
            url = category._get_absolute_url(parent_slug=parent_slug)
        else:  # a parent that is not browsable: no public path leads here
            continue
        full_slugs[category.path] = (
            category.slug if category.depth == 1 else f"{parent_slug}/{category.slug}"
        )
        rows.append({"name": category.name, "url": url, "depth": category.depth})
    return rows


def site_map_sections() -> dict:
    """What the site map lists, each section one or two queries (Wagtail's
    `public()` reads the view restrictions once)."""
    return {
        "categories": _categories(),
        "booths": list(
            seller_list_public()
            .order_by("brand_name", "pk")
            .only("slug", "brand_name", "trade", "district__name")
        ),
        "bazaars": list(
            BazaarPage.objects.live()
            .public()
            .select_related("bazaar")
            .order_by("-bazaar__starts_on", "pk")
        ),
        "stories": list(
            StoryPage.objects.live()
            .public()
            .filter(seller__story_consent=True)
            .order_by("-first_published_at", "pk")
        ),
        "pages": list(StandardPage.objects.live().public().order_by("path")),
    }


def site_map(request):
    return render(request, "cms/site_map.html", site_map_sections())
