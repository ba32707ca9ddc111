"""The buyer's order pages (mounted at /orders/)."""

from django.urls import path

from .conversations import buyer_views as talk
from .reviews import buyer_views as reviews
from .views import buyer

app_name = "orders"

urlpatterns = [
    path("", buyer.history_view, name="history"),
    path("addresses/", buyer.addresses_view, name="addresses"),
    path(
        "addresses/<int:address_id>/delete/",
        buyer.address_delete_view,
        name="address_delete",
    ),
    path("link/", buyer.link_resend_view, name="link_resend"),
    path("t/<str:token>/", buyer.track_view, name="track"),
    path("t/<str:token>/revoke/", buyer.track_revoke_view, name="track_revoke"),
    path(
        "t/<str:token>/parts/<int:part_id>/<slug:action>/",
        buyer.track_action_view,
        name="track_action",
    ),
    # conversations with booths (issue 28)
    path("ask/<int:product_id>/", talk.ask_view, name="ask"),
    path("ask/<int:product_id>/code/", talk.ask_code_view, name="ask_code"),
    path("messages/", talk.threads_view, name="threads"),
    path("messages/<int:thread_id>/", talk.thread_view, name="thread"),
    path(
        "messages/<int:thread_id>/report/",
        talk.thread_report_view,
        name="thread_report",
    ),
    path("messages/part/<int:part_id>/", talk.part_thread_view, name="part_thread"),
    # reviews from verified buyers (issue 28 §3)
    path("review/<int:line_id>/", reviews.review_view, name="review"),
    path("<str:number>/", buyer.detail_view, name="detail"),
    path(
        "<str:number>/parts/<int:part_id>/<slug:action>/",
        buyer.part_action_view,
        name="part_action",
    ),
]
