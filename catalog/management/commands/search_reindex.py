"""`manage.py search_reindex`: rebuild the search index with no downtime.

Builds a new Elasticsearch index from every live product and swaps it in under
the alias in one step (searches keep answering from the old index meanwhile),
and upserts the database backend's table in place. Without ELASTICSEARCH_URL
only the database table is rebuilt (`make run`). `--reconcile` instead compares
both stores with the catalogue and repairs only what drifted.
"""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog.search import indexing


class Command(BaseCommand):
    help = "Rebuild the product search index (new index, alias swap) and the database copy."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reconcile",
            action="store_true",
            help="Repair missing, stale and extra documents instead of rebuilding.",
        )
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar."
        )

    def handle(self, *args, reconcile=False, batch=1000, no_progress=False, **options):
        started = time.monotonic()
        if reconcile:
            for store, drift in indexing.reconcile().items():
                self.stdout.write(
                    f"{store}: {len(drift.missing)} missing, {len(drift.stale)} stale, "
                    f"{len(drift.extra)} extra (repaired)"
                )
            return
        total = indexing.live_product_count()
        with tqdm(
            total=total,
            unit="product",
            desc="search_reindex",
            disable=no_progress,
            file=self.stderr._out,
        ) as bar:
            count = indexing.reindex(batch=batch, progress=bar.update)
        target = (
            "Elasticsearch and the database"
            if indexing.elasticsearch_enabled()
            else "the database"
        )
        self.stdout.write(
            f"Indexed {count} live products into {target} "
            f"in {time.monotonic() - started:.1f} s."
        )
