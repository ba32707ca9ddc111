"""Iran's 31 provinces from sellers/fixtures/provinces.json; booths that existed
before provinces were Tehran booths (the programme started in Tehran)."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "provinces.json"
TEHRAN = "IR-23"


def load(apps, schema_editor):
    Province = apps.get_model("sellers", "Province")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        Province.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "capital": row["capital"]}
        )
    tehran = Province.objects.get(code=TEHRAN)
    Seller = apps.get_model("sellers", "Seller")
    Seller.objects.filter(province__isnull=True).update(province=tehran, city="تهران")


class Migration(migrations.Migration):
    dependencies = [("sellers", "0006_orders_delivery_province_capacity")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
