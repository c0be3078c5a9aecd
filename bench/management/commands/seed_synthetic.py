"""`manage.py seed_synthetic --events N [--seed S]`: a synthetic timeline for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic timeline of N events, with statements, measures, "
        "actors and sources in plausible proportions. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="How many events.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")

    def handle(self, *args, events, seed, **options):
        started = time.perf_counter()
        try:
            report = synthetic.seed(events, seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(f"Seeded a synthetic timeline (seed {seed}) in {seconds:.1f} s:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
