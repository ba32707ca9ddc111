"""Staff can see (and delete, to unlock) the login throttles; codes are read-only."""

from django.contrib import admin

from .models import LoginThrottle, OneTimeCode


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["phone", "ip", "failures", "last_failure_at", "locked_until"]
    search_fields = ["phone", "ip"]
    readonly_fields = ["phone", "ip", "failures", "last_failure_at", "locked_until"]

    def has_add_permission(self, request):
        return False


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    list_display = [
        "phone",
        "purpose",
        "delivered",
        "created_at",
        "attempts",
        "used_at",
    ]
    list_filter = ["purpose", "delivered"]
    search_fields = ["phone"]
    exclude = ["code_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
