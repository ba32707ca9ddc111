import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    """Fork of Oscar's catalogue. Keeps the label `catalogue`; our views read the
    database through `catalog.selectors` instead of Haystack."""

    name = "catalog"

    def ready(self):
        super().ready()
        from . import checks, receivers  # noqa: F401
