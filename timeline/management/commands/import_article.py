"""`manage.py import_article PATH... [--dry-run]`: validated, all-or-nothing import of articles.

A thin front-end to timeline.importing: it reads the files, prints the report and turns any
problem into a CommandError (exit status 1) listing every problem found.
"""

from django.core.management.base import BaseCommand, CommandError

from timeline import importing


class Command(BaseCommand):
    help = (
        "Import article fixtures (JSON or YAML, natural keys) after validating every record; "
        "all files are written in one transaction, or nothing is."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="article fixture files")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything and print the report, but write nothing",
        )

    def handle(self, *args, paths, dry_run, verbosity, **options):
        try:
            files = [importing.read_article_path(path) for path in paths]
            report = importing.import_articles(files, dry_run=dry_run)
        except importing.ImportFailed as failure:
            problems = "\n".join(f"  {problem}" for problem in failure.problems)
            count = len(failure.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.\n"
                f"{problems}"
            ) from None
        if verbosity >= 1:
            lines = report.lines(verbosity)
            self.stdout.write(self.style.SUCCESS(lines[0]))
            for line in lines[1:]:
                self.stdout.write(line)
