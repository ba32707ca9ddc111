"""The site as `make bench` serves it: the production settings, plus one URL.

`/__bench__/trivial/` is the trivial templated view the pages are measured
against, served by the same project: the same middleware, context processors,
template engine and gunicorn flags. The page under test and its yardstick differ
only in what the page itself does (queries, ORM, its own template).
"""

from marketplace.settings.production import *  # noqa: F403
from marketplace.settings.production import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.site.urls"
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "site" / "templates"],
    }
]
