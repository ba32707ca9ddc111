"""The catalogue's cache versions: what makes a cached card, listing or page stale.

Everything cached from the catalogue (product cards, a listing's ids, the product
a product page shows, whole pages) is stored with the *tags* it was built under:
the current token of each version it depends on. It is served only while every
one of those tokens is unchanged.

Each version is a random token kept for `VERSION_SECONDS`:

- `global`: everything. Bumped by layout-level changes: categories, booths,
  districts, Wagtail pages (`catalog_changed()`).
- `product:<pk>`: one product's card and product page. Bumped by a change to the
  product, its price, photos or categories.
- `stock:<pk>`: one product's page only (its availability). Bumped by any change
  to its stock record: a sale bumps this one alone, since cards show no stock.
- `listing:all`, `listing:cat:<path>`, `listing:booth:<partner_id>`: the
  membership or order of the listings over every product, over a category's
  subtree, over one booth. Bumped only when a product joins or leaves them or its
  order key (date created, price) changes.
- `search`: every search page's results and facet counts (`catalog.search`).
  Bumped by every write to the search documents, after it is made.

`catalog.receivers` decides what a write bumps (`catalog_invalidate`), now and
again after commit. A token that is missing (evicted, or never made) is made
anew, so it matches nothing stored before; a cache that is down is a miss.

A page records the tags of the pieces it is built from (`recording()`), so the
page cache (marketplace.page_cache) keeps a page exactly as long as its product,
listing and cards are current.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

_PREFIX = "cv:"
GLOBAL = _PREFIX + "global"
LISTING_ALL = _PREFIX + "listing:all"
SEARCH = _PREFIX + "search"


def product_version(pk: int) -> str:
    return f"{_PREFIX}product:{int(pk)}"


def stock_version(pk: int) -> str:
    return f"{_PREFIX}stock:{int(pk)}"


def listing_category_version(path: str) -> str:
    """A category subtree's listings (treebeard path: ancestors are its prefixes)."""
    return f"{_PREFIX}listing:cat:{path}"


def listing_booth_version(partner_id: int) -> str:
    return f"{_PREFIX}listing:booth:{int(partner_id)}"


Tags = dict[str, str]

#: How long a version lives unchanged: far longer than anything stored under it
#: (cards, listings, pages: minutes). A version that expires is made anew, which
#: only makes what was stored under it stale; it keeps the per-product keys from
#: piling up in Redis.
VERSION_SECONDS = 2 * 24 * 3600


def catalog_cache():
    """The cache alias "pages" if the settings have one (production: the same
    Redis through a client kept per process), else the default cache."""
    return caches["pages"] if "pages" in settings.CACHES else cache


def _new_token() -> str:
    return secrets.token_hex(6)


def versions_complete(found: dict, keys: Iterable[str]) -> Tags:
    """`found` (from a get_many) with a fresh token for each missing version,
    stored in one round trip. Two readers making the same version at once only
    cost one of them its entry (it is stored under a token already replaced);
    a writer's bump that this overwrites came before this reader reads its data."""
    tags = {key: found[key] for key in keys if key in found}
    missing = {key: _new_token() for key in keys if key not in tags}
    if missing:
        catalog_cache().set_many(missing, VERSION_SECONDS)
        tags.update(missing)
    return tags


def versions_get(keys: Iterable[str]) -> Tags:
    """The current token of each version (raises if the cache is down)."""
    keys = list(dict.fromkeys(keys))
    return versions_complete(catalog_cache().get_many(keys), keys)


def catalog_version() -> str:
    """The global token (raises if the cache is down)."""
    return versions_get([GLOBAL])[GLOBAL]


def tags_current(stored: Tags, current: Tags) -> bool:
    return all(current.get(key) == token for key, token in stored.items())


# --- invalidation --------------------------------------------------------------------


def versions_bump(keys: Iterable[str]) -> None:
    """Make everything stored under these versions stale.

    Only versions that exist are replaced. Nothing stored under a missing one can
    be served (a reader that finds it missing makes a fresh token, which matches
    no entry), and a reader that makes it after this bump reads its data after
    the write. That keeps a bulk insert (seeding 100,000 products) from writing
    two keys a product for products no one has looked at."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    try:
        store = catalog_cache()
        existing = store.get_many(keys)
        if existing:
            store.set_many({key: _new_token() for key in existing}, VERSION_SECONDS)
    except Exception:
        logger.warning(
            "cache unreachable; catalogue versions not bumped", exc_info=True
        )


def catalog_invalidate(
    keys: Iterable[str], *, before: Callable[[], None] | None = None
) -> None:
    """These versions changed: bump them now, for this transaction's own reads,
    and again after commit, in case another request cached the old state in
    between. `before` (e.g. dropping the set of open booths) runs before each
    bump, so a request that reads a new token never reads a stale input."""
    keys = tuple(dict.fromkeys(keys))

    def bump() -> None:
        if before is not None:
            before()
        versions_bump(keys)

    bump()
    transaction.on_commit(bump)


def catalog_changed() -> None:
    """Something every cached catalogue page may show changed (a category, a
    booth, a Wagtail page): make all of it stale."""
    catalog_invalidate([GLOBAL])


def catalog_version_bump() -> None:
    """Make everything cached from the catalogue stale now (no transaction)."""
    versions_bump([GLOBAL])


# --- what a page is built from -----------------------------------------------------

_recording: ContextVar[Tags | None] = ContextVar("catalog_cache_tags", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Tags]:
    """Collect the tags of every cached piece read inside (see module docstring)."""
    tags: Tags = {}
    token = _recording.set(tags)
    try:
        yield tags
    finally:
        _recording.reset(token)


def record(tags: Tags) -> None:
    found = _recording.get()
    if found is not None:
        found.update(tags)


def is_recording() -> bool:
    return _recording.get() is not None


def depends_on(keys: Iterable[str]) -> None:
    """For pieces built without their cache: while a page is recorded, read the
    versions they depend on now, before their data, and record them."""
    if not is_recording():
        return
    try:
        record(versions_get([GLOBAL, *keys]))
    except Exception:
        logger.warning("cache unreachable; versions not recorded", exc_info=True)
        record({GLOBAL: "unreachable"})


def catalog_cached(
    key: str,
    build: Callable[[], T | None],
    seconds: int,
    *,
    versions: Iterable[str] = (),
) -> T | None:
    """`build()` read through the cache for `seconds`, stored with its tags: the
    global version and `versions`, all read (in the same round trip as the entry)
    before it is built. A None result is not stored; a cache that is down is a
    miss."""
    keys = list(dict.fromkeys([GLOBAL, *versions]))
    store = catalog_cache()
    try:
        found = store.get_many([key, *keys])
        current = versions_complete(found, keys)
    except Exception:
        logger.warning("cache unreachable; building %s", key, exc_info=True)
        record({GLOBAL: "unreachable"})
        return build()
    record(current)
    entry = found.get(key)
    if entry is not None and tags_current(entry[0], current):
        return entry[1]
    value = build()
    if value is not None:
        try:
            store.set(key, (current, value), seconds)
        except Exception:
            logger.warning("cache unreachable; %s not stored", key, exc_info=True)
    return value
