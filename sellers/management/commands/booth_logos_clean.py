"""Put the booth logos stored before issue 11 through the image pipeline.

    manage.py booth_logos_clean [--dry-run]

Logos used to be saved as uploaded (GPS and camera tags included, under a name
made from the booth's id). Each stored logo is re-encoded clean (upright, sRGB,
no metadata, at most BOOTH_LOGO_SIDE pixels) under a random name, and the old
file is deleted. A logo the pipeline refuses is removed from the booth (the
booth shows its placeholder), since it cannot be shown safely. Safe to run
again: a logo already cleaned is only re-encoded once more.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from marketplace.images import ImageRejected, image_clean, image_name
from sellers.models import Seller


class Command(BaseCommand):
    help = "Re-encode every stored booth logo through the image pipeline."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        cleaned = removed = 0
        for seller in Seller.objects.exclude(logo="").only("pk", "logo").iterator():
            old = seller.logo.name
            storage = seller.logo.storage
            try:
                with storage.open(old, "rb") as fp:
                    clean = image_clean(fp, longest=settings.BOOTH_LOGO_SIDE)
            except (ImageRejected, OSError) as exc:
                self.stderr.write(f"booth {seller.pk}: logo removed ({exc})")
                removed += 1
                if not dry_run:
                    seller.logo = ""
                    seller.save(update_fields=["logo"])  # signals: caches follow
                    storage.delete(old)
                continue
            cleaned += 1
            if not dry_run:
                seller.logo.save(image_name("booths", "jpg"), clean, save=False)
                seller.save(update_fields=["logo"])  # signals: caches follow
                storage.delete(old)
        self.stdout.write(f"{cleaned} logos cleaned, {removed} removed")
