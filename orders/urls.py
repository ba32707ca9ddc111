"""The buyer's order pages (mounted at /orders/)."""

from django.urls import path

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
    path("<str:number>/", buyer.detail_view, name="detail"),
    path(
        "<str:number>/parts/<int:part_id>/<slug:action>/",
        buyer.part_action_view,
        name="part_action",
    ),
]
