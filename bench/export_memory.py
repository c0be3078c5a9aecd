"""Peak memory of a full CSV export: `python -m bench.export_memory [--events 100000]`.

Seeds a scratch SQLite database (or reuses one given with --database), then, in a fresh
subprocess, requests `/events/?_export=csv` through Django's test client, reads the streamed
response chunk by chunk (counting rows, keeping none), and reports the process's peak resident
memory (resource.getrusage) beside the number of rows and bytes; the budget is 200 MB.
A benchmark that prints figures, not a test.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import servers

CHILD = """
import os, resource, sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
started = time.perf_counter()
response = Client().get(sys.argv[1], secure=True)
assert response.status_code == 200, response.status_code
assert response.streaming, "the export is not streamed"
lines = size = 0
for chunk in response.streaming_content:
    size += len(chunk)
    lines += chunk.count(b"\\n")
elapsed = time.perf_counter() - started
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{lines - 1} rows, {size / 1024 / 1024:.1f} MiB of CSV in {elapsed:.1f} s; "
      f"peak memory (max RSS) {peak_mib:.0f} MiB")
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database", type=Path, help="an already seeded SQLite file")
    parser.add_argument("--path", default="/events/?_export=csv")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="calais-export-") as scratch:
        database = args.database or Path(scratch) / "export.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "CACHE_DIR": str(Path(scratch) / "cache"),
            "DJANGO_SETTINGS_MODULE": "calais.settings",
            "DEBUG": "1",  # development static files: nothing to collect for a CSV
        }
        if not args.database:
            print(f"Seeding {args.events:,} events into {database} …", flush=True)
            servers.manage(env, "migrate", "--noinput")
            servers.manage(env, "seed_synthetic", "--events", str(args.events))
        python = servers.VENV_BIN / "python"
        completed = subprocess.run(
            [str(python if python.exists() else sys.executable), "-c", CHILD, args.path],
            cwd=servers.PROJECT,
            env=env,
        )
        return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
