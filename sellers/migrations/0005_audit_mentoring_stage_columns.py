"""Mentoring stage changes get their own audit columns: until now they were
written into `from_status`/`to_status`, which hold seller statuses. Old entries
are moved across; their status columns become empty (the seller's status at the
time was not recorded)."""

from django.db import migrations, models

STAGES = [
    ("enrolled", "ثبت‌نام"),
    ("in_training", "در حال آموزش"),
    ("mentored", "همراهی و مشاوره"),
    ("independent", "مستقل"),
]


def stages_to_their_columns(apps, schema_editor):
    entry_model = apps.get_model("sellers", "SellerAuditEntry")
    for entry in entry_model.objects.filter(action="mentoring_stage"):
        entry.from_stage, entry.to_stage = entry.from_status, entry.to_status
        entry.from_status = entry.to_status = ""
        entry.save(update_fields=["from_stage", "to_stage", "from_status", "to_status"])


def stages_back(apps, schema_editor):
    entry_model = apps.get_model("sellers", "SellerAuditEntry")
    for entry in entry_model.objects.filter(action="mentoring_stage"):
        entry.from_status, entry.to_status = entry.from_stage, entry.to_stage
        entry.save(update_fields=["from_status", "to_status"])


class Migration(migrations.Migration):
    dependencies = [("sellers", "0004_holiday")]

    operations = [
        migrations.AddField(
            model_name="sellerauditentry",
            name="from_stage",
            field=models.CharField(blank=True, choices=STAGES, max_length=16),
        ),
        migrations.AddField(
            model_name="sellerauditentry",
            name="to_stage",
            field=models.CharField(blank=True, choices=STAGES, max_length=16),
        ),
        migrations.RunPython(stages_to_their_columns, stages_back),
    ]
