from django.urls import path
from oscar.core.application import OscarConfig


class SearchConfig(OscarConfig):
    """Fork of Oscar's search app (label `search`): Oscar's Haystack view and its
    URLs are gone; `search:search` is our search page and `search:autocomplete`
    the header's suggestions. Holds the database backend's table."""

    label = "search"
    name = "catalog.search"
    verbose_name = "جست‌وجو"
    namespace = "search"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import receivers, tasks  # noqa: F401

    def get_urls(self):
        from . import views

        urls = [
            path("", views.search_page, name="search"),
            path("suggest/", views.autocomplete, name="autocomplete"),
        ]
        return self.post_process_urls(urls)
