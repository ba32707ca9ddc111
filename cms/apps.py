from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Wagtail pages. Reads commerce only through catalog.selectors; never writes it."""

    name = "cms"
    verbose_name = "محتوا"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
