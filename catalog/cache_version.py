"""The catalogue's cache generation: one number for everything cached from it.

Cached public pages (catalog.views), listings' ids (catalog.listings) and product
cards (catalog.cards) all put this number in their keys. `catalog.receivers` and
the services that write with queryset updates bump it whenever a product, its
stock, its photos, a booth or a category changes, so nothing cached before the
change is read again; old entries expire by themselves.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

_VERSION_KEY = "pagecache:version"


def catalog_cache():
    """The cache alias "pages" if the settings have one (production: the same
    Redis through a client kept per process), else the default cache."""
    return caches["pages"] if "pages" in settings.CACHES else cache


def catalog_version() -> int:
    """The current generation (raises if the cache is down; callers fall back)."""
    return catalog_cache().get_or_set(_VERSION_KEY, 1, None)


def catalog_version_bump() -> None:
    """Make everything cached from the catalogue stale at once."""
    try:
        catalog_cache().incr(_VERSION_KEY)
    except ValueError:
        catalog_cache().set(_VERSION_KEY, 2, None)
    except Exception:
        logger.warning("cache unreachable; catalogue version not bumped", exc_info=True)


def catalog_changed() -> None:
    """Something the public catalogue shows changed: bump the version now, for
    this transaction's own reads, and again after commit, in case another request
    cached the old state in between. Receivers call it on save and delete; code
    that writes with a queryset `update` (no signal) must call it itself."""
    catalog_version_bump()
    transaction.on_commit(catalog_version_bump)


def catalog_cached(key: str, build: Callable[[], T | None], seconds: int) -> T | None:
    """`build()` read through the cache under the catalogue version for `seconds`.
    A None result is not stored; a cache that is down is a miss."""
    try:
        versioned = f"{key}:{catalog_version()}"
        found = catalog_cache().get(versioned)
    except Exception:
        logger.warning("cache unreachable; building %s", key, exc_info=True)
        return build()
    if found is not None:
        return found
    found = build()
    if found is not None:
        try:
            catalog_cache().set(versioned, found, seconds)
        except Exception:
            logger.warning("cache unreachable; %s not stored", key, exc_info=True)
    return found
