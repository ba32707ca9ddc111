"""The booth's orders, ledger and delivery settings in her panel (mounted at
/panel/ next to `sellers.panel_urls`). Every URL names the booth; a part id is
looked up within it."""

from django.urls import path

from .views import panel

app_name = "orders_panel"

urlpatterns = [
    path("<int:seller_id>/orders/", panel.inbox_view, name="inbox"),
    path("<int:seller_id>/orders/<int:part_id>/", panel.part_view, name="part"),
    path("<int:seller_id>/orders/<int:part_id>/slip/", panel.slip_view, name="slip"),
    path(
        "<int:seller_id>/orders/<int:part_id>/<slug:action>/",
        panel.part_action_view,
        name="part_action",
    ),
    path("<int:seller_id>/ledger/", panel.ledger_view, name="ledger"),
    path("<int:seller_id>/delivery/", panel.delivery_view, name="delivery"),
]
