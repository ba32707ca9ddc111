"""Oscar's dashboard catalogue tables, with the checkbox column not sortable: a
column with no field behind it made `?sort=checkbox` a FieldError (500)."""

from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables


class ProductTable(tables.ProductTable):
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/product_row_checkbox.html",
        orderable=False,
    )


class CategoryTable(tables.CategoryTable):
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/category_row_checkbox.html",
        orderable=False,
    )
