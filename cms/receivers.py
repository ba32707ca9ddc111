"""Signals here invalidate caches, and carry out her withdrawal of consent
(see docs/ARCHITECTURE.md).

Wagtail pages are served from the anonymous page cache (marketplace/urls.py).
What they show from the catalogue (categories, booths, products) invalidates
them through catalog.receivers; what they show from Wagtail and the bazaars
invalidates them here: a page published, unpublished, moved or deleted, a site's
root changed, a view restriction added or removed, a bazaar or a stall changed.
Saving a draft changes nothing public, so it does not.

Her consent to her story is the sellers domain's (`Seller.story_consent`), and
the domain may not import these pages: `sellers.services.
seller_story_consent_set` sends `story_consent_changed` in its transaction, and
`story_consent_changed_unpublish` unpublishes her story pages in that same
transaction (so the withdrawal and the unpublishing commit together).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.cache_version import catalog_changed
from cms.models import (
    HomeFeaturedBooth,
    HomeFeaturedCategory,
    HomeFeaturedProduct,
    HomePage,
    StoryPage,
)
from sellers.models import Bazaar, BazaarStall
from sellers.signals import story_consent_changed

#: What the Wagtail pages read besides the catalogue, and what makes them stale
#: (read by tests/catalog/test_cache_invalidation.py with catalog.receivers.WATCHED).
WATCHED = {
    Page: "publishing, unpublishing, moving or deleting any page",
    HomePage: "publishing it (a saved draft changes nothing public)",
    Site: "any change (the root page)",
    PageViewRestriction: "any change",
    Bazaar: "any change (dates, place: the bazaar pages, feeds and calendar)",
    BazaarStall: "any change (the booths taking part)",
    # The home page's choices: written when it is published (which bumps).
    HomeFeaturedCategory: "any change (written as the home page is published)",
    HomeFeaturedBooth: "any change (written as the home page is published)",
    HomeFeaturedProduct: "any change (written as the home page is published)",
}


def _wagtail_changed(sender, **kwargs):
    catalog_changed()


# Wagtail sends these with the page's specific class as sender: any page counts.
page_published.connect(_wagtail_changed, dispatch_uid="page-cache-page-published")
page_unpublished.connect(_wagtail_changed, dispatch_uid="page-cache-page-unpublished")
post_page_move.connect(_wagtail_changed, dispatch_uid="page-cache-page-moved")
# Deleting any page (HomePage or another type) deletes its wagtailcore Page row.
post_delete.connect(_wagtail_changed, sender=Page, dispatch_uid="page-cache-page-del")
for _model in (
    Site,
    PageViewRestriction,
    Bazaar,
    BazaarStall,
    HomeFeaturedCategory,
    HomeFeaturedBooth,
    HomeFeaturedProduct,
):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _wagtail_changed,
            sender=_model,
            dispatch_uid=f"page-cache-{_model.__name__}",
        )


def story_consent_changed_unpublish(sender, *, seller, consent, **kwargs):
    """Withdrawn consent: unpublish every live story page about her, now."""
    if not consent:
        for page in StoryPage.objects.filter(seller=seller).live():
            page.unpublish(log_action=True)
    # Her booth page shows her story too: drop every cached page either way.
    catalog_changed()


story_consent_changed.connect(
    story_consent_changed_unpublish, dispatch_uid="cms-story-consent-changed"
)
