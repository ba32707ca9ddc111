from django.apps import AppConfig


class SellersConfig(AppConfig):
    """Sellers, cooperative groups and their members, programmes, Kowsar centres,
    applications and approval, mentoring, and the staff-only case files."""

    name = "sellers"
    verbose_name = "فروشندگان"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
