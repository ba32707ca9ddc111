from django.apps import AppConfig


class SellersConfig(AppConfig):
    """Sellers, cooperative groups and their members, programmes, Kowsar centres,
    applications and approval, mentoring, and the staff-only case files."""

    name = "sellers"
    verbose_name = "فروشندگان"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from marketplace.accounts.services import register_known_number_check

        from . import receivers  # noqa: F401
        from .selectors import phone_is_booth_member

        # Booth members keep getting login codes when SMS run short.
        register_known_number_check(phone_is_booth_member)
