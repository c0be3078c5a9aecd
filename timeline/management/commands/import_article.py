"""`manage.py import_article PATH... [--dry-run] [--strict] [--only-changed]
[--take-file FIELD...] [--take-file-all] [--allow-shared-updates]`: validated, all-or-nothing,
merging import.

A thin front-end to timeline.importing: it reads the files, prints the report and turns its
outcome into the exit status (docs/article-format.md): 0 imported, 1 problems (nothing was
imported), 3 conflicts (everything else was imported; the database kept its values there).
"""

from django.core.management.base import BaseCommand, CommandError

from timeline import importing

EXIT_PROBLEMS = 1
EXIT_CONFLICTS = 3


def field_choices():
    names = set()
    for model in importing.MODELS:
        for name in importing.importable_fields(model):
            names.update({name, f"{model._meta.model_name}.{name}"})
    return names


class Command(BaseCommand):
    help = (
        "Import article fixtures (JSON or YAML, natural keys) after validating every record, "
        "merging each field with the admin's edits since the file's last import; all files are "
        "written in one transaction, or nothing is. Exit status: 0 imported, 1 problems "
        "(nothing imported), 3 conflicts (the rest imported)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="article fixture files")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and merge everything and print the report, but write nothing",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse an event, measure, statement or observation that cites no passage "
            "(without it, a warning)",
        )
        parser.add_argument(
            "--only-changed",
            action="store_true",
            help="skip the files whose SHA-256 is that of their last import (what make run does)",
        )
        parser.add_argument(
            "--take-file",
            nargs="+",
            action="extend",
            default=[],
            metavar="FIELD",
            help="for conflicts on these fields (a name, or model.name such as event.title), "
            "write the file's value over the database's",
        )
        parser.add_argument(
            "--take-file-all",
            action="store_true",
            help="for every conflict, write the file's value over the database's",
        )
        parser.add_argument(
            "--allow-shared-updates",
            action="store_true",
            help="let the file change events, measures, statements and observations that another "
            "article's import created, though it does not cite that article",
        )

    def handle(self, *args, paths, verbosity, **options):
        unknown = sorted(set(options["take_file"]) - field_choices())
        if unknown:
            raise CommandError(
                f"--take-file: no model has a field “{unknown[0]}” that an article file may give"
            )
        try:
            files = [importing.read_article_path(path) for path in paths]
            report = importing.import_articles(
                files,
                dry_run=options["dry_run"],
                strict=options["strict"],
                only_changed=options["only_changed"],
                take_file=options["take_file"],
                take_file_all=options["take_file_all"],
                allow_shared_updates=options["allow_shared_updates"],
            )
        except importing.ImportFailed as failure:
            problems = "\n".join(f"  {problem}" for problem in failure.problems)
            count = len(failure.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.\n"
                f"{problems}",
                returncode=EXIT_PROBLEMS,
            ) from None
        if verbosity >= 1:
            lines = report.lines(verbosity)
            self.stdout.write(self.style.SUCCESS(lines[0]))
            for line in lines[1:]:
                self.stdout.write(line)
            for batch in report.batches:
                self.stdout.write(f"Recorded as batch {batch.pk} ({batch.file_name}).")
        conflicts = len(report.conflicts_kept)
        if conflicts:
            raise CommandError(
                f"{conflicts} conflict{'s' if conflicts != 1 else ''}: the database's value was "
                "kept where the file and the database both changed since the file's last import. "
                "Give --take-file FIELD... or --take-file-all to write the file's values there.",
                returncode=EXIT_CONFLICTS,
            )
