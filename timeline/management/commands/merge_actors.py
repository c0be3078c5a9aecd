"""`manage.py merge_actors KEEP DUPLICATE [--dry-run]` and `manage.py merge_actors --undo MERGE`:
merge two actors that are one, or undo a merge. A thin front-end to timeline.merging_actors.

Exit status: 0 done, 1 no such actor or merge, 4 refused (the reason is printed).
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from timeline.merges import ActorMerge
from timeline.merging_actors import MergeRefused, merge_actors, plan_merge, undo_merge
from timeline.models import Actor

EXIT_REFUSED = 4


def _actor(slug):
    try:
        return Actor.objects.get(slug=slug)
    except Actor.DoesNotExist:
        raise CommandError(f"no actor with the slug {slug!r}") from None


def _system_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class Command(BaseCommand):
    help = (
        "Merge the actor DUPLICATE into KEEP: its events, measures, statements and roles move "
        "to KEEP and its slug becomes an alias of KEEP. --undo MERGE puts a merge back."
    )

    def add_arguments(self, parser):
        parser.add_argument("keep", metavar="KEEP", nargs="?", help="the slug of the kept actor")
        parser.add_argument(
            "duplicate", metavar="DUPLICATE", nargs="?", help="the slug of the duplicate"
        )
        parser.add_argument("--undo", metavar="MERGE", type=int, help="undo the merge MERGE")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would move, change nothing"
        )

    def handle(self, *args, keep, duplicate, undo, dry_run, **options):
        if undo is not None:
            return self.undo(undo)
        if not (keep and duplicate):
            raise CommandError("give KEEP and DUPLICATE (two actors' slugs), or --undo MERGE")
        kept, dup = _actor(keep), _actor(duplicate)
        try:
            plan = plan_merge(kept, dup)
            if dry_run:
                self.report(plan, "Dry run: would move")
                self.stdout.write("Nothing was changed.")
                return
            merge = merge_actors(kept, dup, run_by=_system_user())
        except MergeRefused as refused:
            raise CommandError(str(refused), returncode=EXIT_REFUSED) from None
        self.report(plan, f"Merge {merge.pk}: moved")
        self.stdout.write(
            self.style.SUCCESS(
                f"Merged {dup.slug} into {kept.slug} (merge {merge.pk}); "
                f"undo with: manage.py merge_actors --undo {merge.pk}"
            )
        )

    def report(self, plan, verb):
        self.stdout.write(f"{verb} from {plan.duplicate.slug} to {plan.keep.slug}:")
        for move in plan.moves:
            self.stdout.write(f"  {move.model} ({move.field}): {move.label}")
        for conflict in plan.conflicts:
            self.stdout.write(f"  listed: {conflict}")

    def undo(self, pk):
        try:
            merge = ActorMerge.objects.get(pk=pk)
        except ActorMerge.DoesNotExist:
            raise CommandError(f"no actor merge {pk}") from None
        try:
            not_restored = undo_merge(merge, run_by=_system_user())
        except MergeRefused as refused:
            raise CommandError(str(refused), returncode=EXIT_REFUSED) from None
        self.stdout.write(self.style.SUCCESS(f"Merge {pk} undone: {merge.duplicate_slug} is back."))
        for line in not_restored:
            self.stdout.write(f"  not restored: {line}")
