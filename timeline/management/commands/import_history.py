"""`manage.py import_history [BATCH] [--limit N]`: the import batches, newest first, or one
batch's records and fields."""

from django.core.management.base import BaseCommand, CommandError

from timeline.batches import ImportBatch
from timeline.importing.undoing import batch_by_reference


class Command(BaseCommand):
    help = (
        "List import batches, newest first: file, SHA-256, sources, who, when, counts. With a "
        "batch number (or “last”), list what that batch wrote, field by field."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", nargs="?", metavar="BATCH", help="a batch number, or last")
        parser.add_argument("--limit", type=int, default=50, help="at most this many batches")

    def handle(self, *args, batch, limit, **options):
        if batch is not None:
            try:
                self.show(batch_by_reference(batch))
            except ImportBatch.DoesNotExist as error:
                raise CommandError(str(error)) from None
            return
        batches = ImportBatch.objects.newest_first()[:limit]
        if not batches:
            self.stdout.write("No import batches yet.")
        for each in batches:
            self.stdout.write(self.summary(each))

    def summary(self, batch):
        sources = ", ".join(batch.sources) or "no source"
        line = (
            f"{batch.pk:>5}  {batch.started_at:%Y-%m-%d %H:%M:%S}  {batch.file_name}  "
            f"sha256 {batch.sha256[:12]}  sources: {sources}  by {batch.run_by or 'unknown'} "
            f"({batch.get_via_display()})  {batch.counts_display}"
        )
        if batch.undone_at:
            line += f"  [undone {batch.undone_at:%Y-%m-%d %H:%M:%S} by {batch.undone_by}]"
        return line

    def show(self, batch):
        self.stdout.write(self.summary(batch))
        self.stdout.write(f"  SHA-256 {batch.sha256}")
        for row in batch.fields.select_related("content_type"):
            kind = row.content_type.model
            if row.action == row.Action.CONFLICT:
                values = (
                    f"last imported {row.last_imported or '(never)'}, in the file "
                    f"{row.in_file}, kept {row.after}"
                )
            elif row.before:
                values = f"{row.before} → {row.after}"
            else:
                values = row.after
            self.stdout.write(f"  {row.action:<8} {kind} {row.record_key} {row.field}: {values}")
