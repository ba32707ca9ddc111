"""`manage.py stripe_reconcile`: card payments whose state here disagrees with
Stripe. Fixes the safe cases (paid at Stripe but the webhook never came:
applied through the webhook's own path; cancelled at Stripe while waiting here)
and reports the rest. Exit code 1 when something is left to look at."""

from django.core.management.base import BaseCommand

from orders.card import stripe_reconcile


class Command(BaseCommand):
    help = "List card payments that disagree with Stripe; fix the safe cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=10,
            help="Leave payments younger than this (their webhook may be on its way).",
        )

    def handle(self, *args, older_than_minutes: int, **options):
        rows = stripe_reconcile(older_than_minutes=older_than_minutes)
        reported = 0
        for row in rows:
            self.stdout.write(
                f"{row.order_number}\t{row.payment_intent_id}\t"
                f"here={row.ours}\tstripe={row.stripe}\t{row.action}"
            )
            reported += row.action.startswith("report")
        self.stdout.write(
            f"{len(rows)} disagreeing, {len(rows) - reported} fixed, "
            f"{reported} to look at"
        )
        if reported:
            raise SystemExit(1)
