"""`manage.py undo_import BATCH|last [--force] [--dry-run]`: put back what an import batch
changed. A thin front-end to timeline.importing.undoing.

Exit status: 0 undone, 1 no such batch, 4 refused (later changes would be overwritten; listed).
"""

from django.core.management.base import BaseCommand, CommandError

from timeline.batches import ImportBatch
from timeline.importing.undoing import UndoRefused, batch_by_reference, undo_batch

EXIT_REFUSED = 4


class Command(BaseCommand):
    help = (
        "Undo an import batch: delete the records it created, restore the fields it changed "
        "and remove the links it added. Refuses over later changes unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "batch", metavar="BATCH", help="a batch number (import_history), or last"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite changes made since the batch to the records it wrote",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but change nothing"
        )

    def handle(self, *args, batch, force, dry_run, **options):
        try:
            report = undo_batch(batch_by_reference(batch), force=force, dry_run=dry_run)
        except ImportBatch.DoesNotExist as error:
            raise CommandError(str(error)) from None
        except UndoRefused as refused:
            listed = "\n".join(f"  {blocker}" for blocker in refused.blockers)
            advice = " Give --force to overwrite them." if refused.forceable else ""
            raise CommandError(
                f"Batch {refused.batch.pk} was not undone.{advice}\n{listed}",
                returncode=EXIT_REFUSED,
            ) from None
        lines = report.lines()
        if dry_run:
            lines[0] = "Dry run: " + lines[0] + " Nothing was changed."
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
