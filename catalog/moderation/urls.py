"""Staff moderation of first listings (mounted at /staff/moderation/)."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.ModerationQueueView.as_view(), name="queue"),
    path(
        "<int:product_id>/decide/",
        views.ModerationDecideView.as_view(),
        name="decide",
    ),
]
