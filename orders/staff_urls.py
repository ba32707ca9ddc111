"""Staff order pages (mounted at /staff/orders/)."""

from django.urls import path

from .views import staff

app_name = "orders_staff"

urlpatterns = [
    path("attention/", staff.attention_view, name="attention"),
    path("parts/<int:part_id>/cancel/", staff.part_cancel_view, name="part_cancel"),
    path("ledger/", staff.ledger_view, name="ledger"),
    path("ledger/payouts.csv", staff.payouts_csv_view, name="payouts_csv"),
    path("ledger/<int:seller_id>/paid/", staff.payout_view, name="payout"),
    path("exchange-rate/", staff.exchange_rate_view, name="exchange_rate"),
]
