"""Staff can see (and delete, to unlock) the login throttles; codes are read-only.
Superusers can issue a staff member a one-time second-factor enrolment link."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import LoginThrottle, OneTimeCode
from .staff import EnrolLinkRefused, staff_device_added_notify, staff_enrol_link_issue

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, with one action: a one-time link for a staff member
    to add her authenticator (marketplace.accounts.staff)."""

    actions = [*(UserAdmin.actions or ()), "issue_enrol_link"]

    @admin.action(description="پیوند یک‌بارهٔ افزودن رمز دوم (۲۴ ساعت)")
    def issue_enrol_link(self, request, queryset):
        for user in queryset:
            try:
                path = staff_enrol_link_issue(issuer=request.user, user=user)
            except EnrolLinkRefused:
                self.message_user(
                    request, f"{user}: حساب کارکنان نیست.", messages.WARNING
                )
            else:
                link = request.build_absolute_uri(path)
                self.message_user(
                    request,
                    f"{user}: این پیوند را فقط به خود او بدهید: {link}",
                    messages.SUCCESS,
                )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("issue_enrol_link", None)
        return actions


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


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class StaffTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin, for superusers only (a device opens the staff
    areas of its owner); she gets an SMS when one is added or confirmed here
    (Django's admin log records it)."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        was_confirmed = (
            change and TOTPDevice.objects.filter(pk=obj.pk, confirmed=True).exists()
        )
        super().save_model(request, obj, form, change)
        if obj.confirmed and not was_confirmed:
            staff_device_added_notify(device=obj)
