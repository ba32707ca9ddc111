"""The products part of the seller panel, mounted at /panel/ next to
`sellers.panel.urls`. Every URL names the seller; those naming a product are 404
for any product that is not hers (tests/catalog/test_panel_products.py walks them)."""

from django.urls import path

from . import products as views

app_name = "catalog_panel"

urlpatterns = [
    path(
        "<int:seller_id>/products/",
        views.ProductListView.as_view(),
        name="product_list",
    ),
    path(
        "<int:seller_id>/products/new/",
        views.ProductCreateView.as_view(),
        name="product_create",
    ),
    path(
        "<int:seller_id>/products/<int:product_id>/edit/",
        views.ProductUpdateView.as_view(),
        name="product_update",
    ),
    path(
        "<int:seller_id>/products/<int:product_id>/photos/",
        views.ProductPhotosView.as_view(),
        name="product_photos",
    ),
    *(
        path(
            f"<int:seller_id>/products/<int:product_id>/{action}/",
            views.ProductActionView.as_view(action=action),
            name=f"product_{action}",
        )
        for action in ("pause", "unpause", "duplicate", "delete")
    ),
]
