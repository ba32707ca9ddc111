"""Staff moderation of first listings and of held buyers' reviews (mounted at
/staff/moderation/)."""

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
    path(
        "reviews/<int:review_id>/decide/",
        views.ReviewDecideView.as_view(),
        name="review_decide",
    ),
]
