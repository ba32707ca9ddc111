from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """Project-wide pieces: Persian formatting, the storefront context, health checks."""

    name = "marketplace"
    verbose_name = "دستاورد"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
