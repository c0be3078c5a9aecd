"""Load test of the production server: `make load` (50 clients x 30 s), `.ci/run` a short form.

Starts `make serve` on loopback with production settings (DEBUG off, a throwaway SECRET_KEY) on a
scratch SQLite database holding every article fixture, waits until it answers, drives a bounded
load over the timeline, every table and a detail page of each kind, prints throughput, p50 and p99
latency and errors per page, and exits non-zero on any error.

    python -m bench.load_serve --clients 50 --duration 30 [--port 8000]
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench import servers
from bench.load import format_table, run_load

DETAIL_ROUTES = {
    "timeline.event": "/events/{}/",
    "timeline.measure": "/measures/{}/",
    "timeline.actor": "/actors/{}/",
    "timeline.statement": "/statements/{}/",
    "timeline.source": "/sources/{}/",
}
LIST_PATHS = ["/", "/events/", "/measures/", "/actors/", "/statements/", "/sources/"]


def fixture_paths():
    return sorted((servers.PROJECT / "fixtures").glob("*.json"))


def page_paths(fixtures):
    """The timeline, every table, and the detail page of the first record of each kind."""
    paths = list(LIST_PATHS)
    for model, route in DETAIL_ROUTES.items():
        for fixture in fixtures:
            slugs = [
                record["fields"]["slug"]
                for record in json.loads(fixture.read_text())
                if record["model"] == model
            ]
            if slugs:
                paths.append(route.format(slugs[0]))
                break
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args(argv)

    port = args.port or servers.free_port()
    fixtures = fixture_paths()
    with tempfile.TemporaryDirectory(prefix="calais-load-") as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'load.sqlite3'}"
        env = servers.production_env(database_url, port, CACHE_DIR=str(Path(scratch) / "cache"))
        servers.manage(env, "migrate", "--noinput")
        servers.manage(env, "loaddata", *map(str, fixtures))
        paths = page_paths(fixtures)
        log = Path(scratch) / "serve.log"
        print(f"make serve on 127.0.0.1:{port}: {args.clients} clients x {args.duration:g} s")
        try:
            with servers.make_serve(env, port, log):
                urls = [f"http://127.0.0.1:{port}{path}" for path in paths]
                result = run_load(urls, args.clients, args.duration, label="all pages")
        except RuntimeError as error:
            print(f"load test failed: {error}", file=sys.stderr)
            if log.exists():
                print(log.read_text()[-3000:], file=sys.stderr)
            return 1
    print(format_table([*result.parts.values(), result]))
    for sample in result.error_samples:
        print(f"error: {sample}", file=sys.stderr)
    if result.errors or not result.latencies:
        print(f"load test failed: {result.errors} errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
