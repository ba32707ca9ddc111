"""The booth's orders, ledger and delivery settings in her panel (mounted at
/panel/ next to `sellers.panel_urls`). Every URL names the booth; a part id is
looked up within it."""

from django.urls import path

from .conversations import panel_views as talk
from .reviews import panel_views as reviews
from .views import panel

app_name = "orders_panel"

urlpatterns = [
    path("<int:seller_id>/orders/", panel.InboxView.as_view(), name="inbox"),
    path(
        "<int:seller_id>/orders/<int:part_id>/", panel.PartView.as_view(), name="part"
    ),
    path(
        "<int:seller_id>/orders/<int:part_id>/slip/",
        panel.SlipView.as_view(),
        name="slip",
    ),
    path(
        "<int:seller_id>/orders/<int:part_id>/message/",
        talk.PartThreadView.as_view(),
        name="part_thread",
    ),
    path(
        "<int:seller_id>/orders/<int:part_id>/<slug:action>/",
        panel.PartActionView.as_view(),
        name="part_action",
    ),
    # the «پیام‌ها» tab: conversations with buyers (issue 28)
    path("<int:seller_id>/messages/", talk.ThreadListView.as_view(), name="threads"),
    path(
        "<int:seller_id>/messages/<int:thread_id>/",
        talk.ThreadView.as_view(),
        name="thread",
    ),
    path(
        "<int:seller_id>/messages/<int:thread_id>/report/",
        talk.ThreadReportView.as_view(),
        name="thread_report",
    ),
    # buyers' reviews and the booth's one answer (issue 28 §3)
    path("<int:seller_id>/reviews/", reviews.ReviewListView.as_view(), name="reviews"),
    path(
        "<int:seller_id>/reviews/<int:review_id>/reply/",
        reviews.ReviewReplyView.as_view(),
        name="review_reply",
    ),
    path("<int:seller_id>/ledger/", panel.LedgerView.as_view(), name="ledger"),
    path("<int:seller_id>/delivery/", panel.DeliveryView.as_view(), name="delivery"),
]
