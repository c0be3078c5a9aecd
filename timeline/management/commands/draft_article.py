"""`manage.py draft_article PATH --published YYYY-MM-DD [--publisher NAME] [--title TEXT]
[--url URL] [--output FILE] [--compare FIXTURE]`: a first draft of an article's fixture.

A thin front-end to timeline.drafting: it reads the text, writes the draft (to standard output
without --output), lists what the matcher decided on the standard error, and with --compare
prints how the draft scores against a hand-made fixture of the same article.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.drafting import compare, service


def publication_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--published: “{value}” is not a date written YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Draft an article's fixture from its plain text (one paragraph a block): passages, "
        "actors, statements, events, measures and observations, all unreviewed, for an editor "
        "to correct before importing it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the article as plain UTF-8 text")
        parser.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
        parser.add_argument("--publisher", default="", help="for example AFP")
        parser.add_argument("--title", default="", help="the headline (default: the text's)")
        parser.add_argument("--url", default="", help="where the article can be read")
        parser.add_argument("--output", "-o", metavar="FILE", help="write the draft here")
        parser.add_argument(
            "--compare",
            metavar="FIXTURE",
            help="print recall and precision per category against a hand-made fixture",
        )

    def handle(self, *args, path, published, publisher, title, url, output, verbosity, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        draft, content = service.draft_file(
            text, publication_date(published), publisher=publisher, title=title, url=url
        )
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stderr.write(f"Draft written to {output}: {len(draft.records)} records.")
        else:
            self.stdout.write(content, ending="")
        if verbosity >= 1:
            for note in draft.notes:
                self.stderr.write(note)
        if options["compare"]:
            try:
                fixture = json.loads(Path(options["compare"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{options['compare']}: {error}") from error
            scores = compare.compare(draft.records, fixture)
            stream = self.stdout if output else self.stderr
            stream.write(compare.format_scores(scores, details=verbosity >= 2))
