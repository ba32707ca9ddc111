"""Staff order pages (mounted at /staff/orders/)."""

from django.urls import path

from .conversations import staff_views as talk
from .views import staff

app_name = "orders_staff"

urlpatterns = [
    path("attention/", staff.attention_view, name="attention"),
    path("parts/<int:part_id>/cancel/", staff.part_cancel_view, name="part_cancel"),
    path("ledger/", staff.ledger_view, name="ledger"),
    path("ledger/batches/", staff.payout_batch_create_view, name="payout_batch_create"),
    path(
        "ledger/batches/<int:batch_id>/", staff.payout_batch_view, name="payout_batch"
    ),
    path(
        "ledger/batches/<int:batch_id>/batch.csv",
        staff.payout_batch_csv_view,
        name="payout_batch_csv",
    ),
    path(
        "ledger/batches/<int:batch_id>/batch.xlsx",
        staff.payout_batch_xlsx_view,
        name="payout_batch_xlsx",
    ),
    path(
        "ledger/batches/<int:batch_id>/lines/<int:line_id>/settle/",
        staff.payout_line_settle_view,
        name="payout_line_settle",
    ),
    path("exchange-rate/", staff.exchange_rate_view, name="exchange_rate"),
    # reported conversations and held messages (issue 28)
    path("messages/", talk.ThreadsView.as_view(), name="threads"),
    path("messages/<int:thread_id>/", talk.ThreadView.as_view(), name="thread"),
    path(
        "messages/<int:thread_id>/<int:message_id>/<slug:op>/",
        talk.MessageModerateView.as_view(),
        name="message_moderate",
    ),
]
