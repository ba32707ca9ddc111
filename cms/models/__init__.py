"""Wagtail pages, one module per family; import them from `cms.models`.

Parents and children (`parent_page_types`, `subpage_types`):

    HomePage (the site root, one)
    ├── BazaarIndexPage (one) ── BazaarPage (one per sellers.Bazaar)
    ├── StoryIndexPage (one) ── StoryPage (published only with her consent)
    └── StandardPage ── StandardPage

The pages read commerce and sellers only through selectors and the domain's
models; they never write them (the sellers domain may not import `cms`).
"""

from .bazaars import (
    BazaarIndexPage,
    BazaarPage,
    BazaarPageGalleryImage,
    bazaar_pages_coming,
)
from .home import HomeFeaturedBooth, HomeFeaturedCategory, HomeFeaturedProduct, HomePage
from .images import CustomImage, CustomRendition
from .standard import StandardPage
from .stories import StoryIndexPage, StoryPage, StoryPageGalleryImage

__all__ = [
    "BazaarIndexPage",
    "BazaarPage",
    "BazaarPageGalleryImage",
    "CustomImage",
    "CustomRendition",
    "HomeFeaturedBooth",
    "HomeFeaturedCategory",
    "HomeFeaturedProduct",
    "HomePage",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageGalleryImage",
    "bazaar_pages_coming",
]
