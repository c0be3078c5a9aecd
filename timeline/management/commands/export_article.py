"""`manage.py export_article SOURCE_SLUG [--format json|yaml] [--output FILE]`.

A thin front-end to timeline.exporting: writes one article's records as an article fixture.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline import exporting
from timeline.models import Source


class Command(BaseCommand):
    help = (
        "Write one article's records (its source, its events, measures and statements, and the "
        "records they refer to) as a fixture with natural keys, loadable by import_article."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SOURCE_SLUG", help="the slug of the article's source")
        parser.add_argument("--format", choices=exporting.EXPORT_FORMATS, default="json")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
        )

    def handle(self, *args, slug, format, output, **options):
        try:
            source = exporting.source_by_slug(slug)
        except Source.DoesNotExist:
            raise CommandError(f"No source has the slug “{slug}”.") from None
        text = exporting.export_article(source, format)
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{output}: cannot be written: {error.strerror}") from None
        else:
            self.stdout.write(text, ending="")
