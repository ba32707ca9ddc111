"""Signals here only invalidate caches (see docs/ARCHITECTURE.md).

The home page is served from the anonymous page cache (marketplace/urls.py). What
it shows from the catalogue (categories, newest products) invalidates it through
catalog.receivers; what it shows from Wagtail invalidates it here: a page
published (the home page itself, or a page its text links to), unpublished,
moved or deleted, a site's root changed, or a view restriction added or removed.
Saving a draft changes nothing public, so it does not.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.cache_version import catalog_changed
from cms.models import HomePage

#: What the home page reads from Wagtail, and what makes it stale (read by
#: tests/catalog/test_cache_invalidation.py with catalog.receivers.WATCHED).
WATCHED = {
    Page: "publishing, unpublishing, moving or deleting any page",
    HomePage: "publishing it (a saved draft changes nothing public)",
    Site: "any change (the root page)",
    PageViewRestriction: "any change",
}


def _wagtail_changed(sender, **kwargs):
    catalog_changed()


# Wagtail sends these with the page's specific class as sender: any page counts.
page_published.connect(_wagtail_changed, dispatch_uid="page-cache-page-published")
page_unpublished.connect(_wagtail_changed, dispatch_uid="page-cache-page-unpublished")
post_page_move.connect(_wagtail_changed, dispatch_uid="page-cache-page-moved")
# Deleting any page (HomePage or another type) deletes its wagtailcore Page row.
post_delete.connect(_wagtail_changed, sender=Page, dispatch_uid="page-cache-page-del")
for _model in (Site, PageViewRestriction):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _wagtail_changed,
            sender=_model,
            dispatch_uid=f"page-cache-{_model.__name__}",
        )
