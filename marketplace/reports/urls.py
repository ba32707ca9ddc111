"""Staff home and reports (mounted at /staff/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.StaffHomeView.as_view(), name="home"),
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("reports/<slug:slug>/", views.ReportView.as_view(), name="report"),
    path(
        "reports/<slug:slug>/export.<str:fmt>",
        views.ReportExportView.as_view(),
        name="export",
    ),
]
