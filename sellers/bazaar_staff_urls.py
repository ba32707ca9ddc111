"""Staff bazaar pages (mounted at /staff/bazaars/)."""

from django.urls import path

from .views import bazaars

app_name = "bazaars_staff"

urlpatterns = [
    path("", bazaars.BazaarListView.as_view(), name="list"),
    path("new/", bazaars.BazaarEditView.as_view(), name="new"),
    path("<int:bazaar_id>/", bazaars.BazaarDetailView.as_view(), name="detail"),
    path("<int:bazaar_id>/edit/", bazaars.BazaarEditView.as_view(), name="edit"),
    path(
        "<int:bazaar_id>/stalls/<int:stall_id>/",
        bazaars.StallView.as_view(),
        name="stall",
    ),
    path(
        "<int:bazaar_id>/stalls/<int:stall_id>/poster/",
        bazaars.PosterView.as_view(),
        name="poster",
    ),
]
