"""Django admin for the seller reference data staff configure: the approval
checklist, districts, programmes and Kowsar centres.

Deliberately absent: `CaseFile` and `CaseFileAccess`. Case files are read only
through `sellers.services.casefile_read`, which logs every read; an admin page
would be a second, unlogged way in.
"""

from django.contrib import admin

from .models import District, KowsarCentre, Programme, Requirement


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("title", "applies_to", "is_active", "position")
    list_editable = ("applies_to", "is_active", "position")
    list_filter = ("is_active", "applies_to")
    search_fields = ("title", "help_text")
    ordering = ("position", "pk")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("name",)
    ordering = ("number",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(KowsarCentre)
class KowsarCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "address")
    list_filter = ("district",)
    list_select_related = ("district",)
    search_fields = ("name", "address")
    autocomplete_fields = ("district",)
