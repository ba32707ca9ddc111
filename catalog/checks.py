"""A deploy check: the catalogue caches need a cache every process shares."""

from django.conf import settings
from django.core import checks

PER_PROCESS_BACKENDS = {"django.core.cache.backends.locmem.LocMemCache"}
CACHE_SETTINGS = ("PAGE_CACHE_SECONDS", "CARD_CACHE_SECONDS", "LISTING_CACHE_SECONDS")


@checks.register(checks.Tags.caches, deploy=True)
def check_catalog_cache_is_shared(app_configs, **kwargs):
    """The catalogue version (catalog.cache_version) is only bumped in the cache of
    the process that saw the change: with a per-process cache, every other worker
    keeps serving its stale pages, cards and listings until they expire."""
    alias = "pages" if "pages" in settings.CACHES else "default"
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    in_use = [name for name in CACHE_SETTINGS if getattr(settings, name, 0)]
    if in_use and backend in PER_PROCESS_BACKENDS:
        return [
            checks.Warning(
                f"The catalogue caches ({', '.join(in_use)}) use the per-process "
                f"cache {backend}: a change made in one worker stays stale in the others.",
                hint="Set REDIS_URL, or set those settings to 0.",
                id="catalog.W001",
            )
        ]
    return []
