from django.db import migrations

DEFAULT_REQUIREMENTS = [
    ("دورهٔ آموزشی کسب‌وکار خانگی گذرانده شد", "گواهی یا تأیید مربی مرکز", "all"),
    ("بازدید از محل کار یا کارگاه انجام شد", "بازدید حضوری کارشناس", "all"),
    ("نمونهٔ محصولات و عکس‌ها بررسی شد", "کیفیت و قیمت‌گذاری", "all"),
    ("اعضای گروه و مسئولیت‌ها ثبت شد", "گروه همیار: ۵ تا ۷ عضو", "group"),
]


def add_defaults(apps, schema_editor):
    Requirement = apps.get_model("sellers", "Requirement")
    for position, (title, help_text, applies_to) in enumerate(DEFAULT_REQUIREMENTS):
        Requirement.objects.get_or_create(
            title=title,
            defaults={"help_text": help_text, "applies_to": applies_to, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("sellers", "0002_seller_workflow")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
