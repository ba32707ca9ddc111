from django.core.management.base import BaseCommand

from marketplace.accounts.services import accounts_purge_stale


class Command(BaseCommand):
    help = "Delete one-time codes and login throttles older than a day (run daily)."

    def handle(self, *args, **options):
        deleted = accounts_purge_stale()
        self.stdout.write(f"Deleted {deleted} stale account records.")
