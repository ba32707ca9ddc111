"""Oscar's addresses need a country; every address here is in Iran."""

from django.db import migrations


def add_iran(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="IR",
        defaults={
            "iso_3166_1_a3": "IRN",
            "iso_3166_1_numeric": "364",
            "name": "Iran",
            "printable_name": "ایران",
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0022_seller_orders_ledger"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_iran, migrations.RunPython.noop)]
