"""Warm a server before it takes traffic (deploy/gunicorn.conf.py).

gunicorn preloads the application in its master process, then calls
`warm_up` there, so every worker it forks (at start, and after each recycle
through `max_requests`) is born with the URLconf resolved and the templates
compiled instead of paying ~1 s on its first request. Nothing here opens a
connection that would be shared across the fork: any it opened is closed.
"""

from __future__ import annotations

from django.db import connections
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver, reverse

#: The templates of the pages most visitors open first.
TEMPLATES = (
    "oscar/layout.html",
    "oscar/base.html",
    "oscar/catalogue/browse.html",
    "oscar/catalogue/category.html",
    "oscar/catalogue/detail.html",
    "oscar/basket/basket.html",
    "oscar/search/results.html",
    "sellers/booth.html",
    "cms/home_page.html",
    "404.html",
    "500.html",
)


def warm_up() -> list[str]:
    """Resolve the URLconf and compile the key templates; the names of the
    templates it loaded."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports every view module)
    # Populates the reverse lookup tables.
    reverse("healthz")
    loaded = []
    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        loaded.append(name)
    connections.close_all()
    return loaded
