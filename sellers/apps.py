from django.apps import AppConfig


class SellersConfig(AppConfig):
    """Sellers, cooperative groups and their members, programmes, Kowsar centres,
    applications and approval, mentoring, and the staff-only case files."""

    name = "sellers"
    verbose_name = "فروشندگان"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from marketplace.accounts.services import register_known_number_check

        from . import receivers  # noqa: F401
        from .panel.delegation import delegated_summary_at_login
        from .selectors import phone_is_booth_member

        # At her login: what her mentor did for her since she last looked.
        user_logged_in.connect(
            delegated_summary_at_login, dispatch_uid="sellers_delegated_summary"
        )

        # Booth members keep getting login codes when SMS run short.
        register_known_number_check(phone_is_booth_member)
