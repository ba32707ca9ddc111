"""`manage.py migrations_lint`: refuse migrations unsafe to run before the new
code (marketplace.migration_lint); `make lint` and `make test` run it."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.migration_lint import migrations_lint


class Command(BaseCommand):
    help = "Fail on a migration that drops or renames a column or adds NOT NULL without a default."

    def handle(self, *args, **options):
        problems = migrations_lint()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} unsafe migration operation(s): split them into "
                "expand and contract (docs/OPERATIONS.md, 'Deploy order'), or list a "
                "contract step in marketplace.migration_lint.KNOWN_EXCEPTIONS."
            )
        self.stdout.write("Migrations: every one is safe to run before the new code.")
