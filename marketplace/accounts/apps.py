from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts by Iranian mobile number: phone normalisation, one-time codes by SMS,
    password login with a per-(phone, IP) lockout, and the SMS backend interface.

    Users stay Django's `auth.User`; a user's `username` is her mobile number in
    E.164 form (`+989xxxxxxxxx`), e-mail is optional.
    """

    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "حساب‌ها"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .staff import mark_staff_session

        user_logged_in.connect(
            mark_staff_session, dispatch_uid="accounts_staff_session"
        )
