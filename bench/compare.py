"""`make bench`: the public site beside Datasette on the same synthetic data, in one run.

1. Seeds a scratch SQLite database (bench/out/bench.sqlite3) with `seed_synthetic --events N`.
2. Counts the SQL queries of each of our pages with Django's test client, in this process (the
   served processes log nothing).
3. Starts `make serve` (gunicorn, 2 workers, DEBUG off) with the page cache OFF, and Datasette
   (its defaults) on the same file, both on loopback, and drives each page with the same bounded
   load, alternating between the two servers so that background noise falls on both. Datasette
   is asked for 50 rows a page (``_size=50``), as many as our tables show.
4. Restarts `make serve` with the page cache ON and drives our pages again: repeat views.
5. Prints throughput, p50 and p99 latency, queries per page, the ratios ours / Datasette's
   fastest table page and ours / the ceiling (a small static file served by our own stack), and
   each target met or missed; writes the same to docs/benchmarks.md with a
   description of the machine and its load average.

Requests carry ``X-Forwarded-Proto: https`` (bench/load.py): the production settings redirect
plain HTTP, and a proxy in front would say HTTPS; gunicorn trusts that header from loopback.

    python -m bench.compare --events 100000 [--clients 10] [--duration 10]
"""

import argparse
import datetime
import os
import platform
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import servers
from bench.load import run_load

OUT = servers.PROJECT / "bench" / "out"
REPORT = servers.PROJECT / "docs" / "benchmarks.md"
STATIC_FILE = "/static/admin/img/icon-yes.svg"
DATASETTE_PAGE = "/bench/timeline_event?_size=50"


@dataclass
class Page:
    name: str
    server: str  # "ours" or "datasette"
    path: str
    queries: int | None = None
    result: object = None


def machine_description():
    memory = "unknown"
    cpu = platform.processor() or "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(
            next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1]
        )
        memory = f"{kib / 1024 / 1024:.1f} GiB"
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next(line for line in cpuinfo.splitlines() if line.startswith("model name"))
        cpu = cpu.split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version

    return {
        "CPU": f"{os.cpu_count()} cores, {cpu}",
        "Memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Django": version("django"),
        "gunicorn": version("gunicorn"),
        "Datasette": version("datasette"),
    }


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=servers.PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def prepare_database(database_path, events, seed):
    """Seed the scratch database (in this process) and return the slug of a middle event."""
    import django
    from django.core.management import call_command

    django.setup()
    # The pages are rendered here too (to count queries), with DEBUG off: hashed static names.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_synthetic", events=events, seed=seed)
    from timeline.models import Event

    ids = Event.objects.order_by("pk").values_list("pk", flat=True)
    return Event.objects.get(pk=ids[len(ids) // 2]).slug


def count_queries(paths):
    """SQL queries each page issues, rendered once (uncached) through Django's test client."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    counts = {}
    for path in paths:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        counts[path] = len(captured) if response.status_code < 400 else None
    cache.clear()
    connection.close()
    return counts


def ratio(numerator, denominator):
    if not numerator or not denominator:
        return "–"
    return f"{numerator / denominator:.2f}×"


def table(pages, datasette_fastest, ceiling):
    lines = [
        "| page | server | req/s | p50 ms | p99 ms | errors | SQL queries "
        "| ours / Datasette fastest | ours / ceiling |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        result = page.result
        ours = page.server != "datasette" and page.name != "ceiling (static file)"
        lines.append(
            f"| {page.name} `{page.path}` | {page.server} | {result.throughput:.1f} "
            f"| {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} "
            f"| {'–' if page.queries is None else page.queries} "
            f"| {ratio(result.throughput, datasette_fastest) if ours else '–'} "
            f"| {ratio(result.throughput, ceiling) if ours else '–'} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page")
    parser.add_argument("--port", type=int, default=0, help="our server (default: any free)")
    parser.add_argument("--datasette-port", type=int, default=0)
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    database_path = OUT / "bench.sqlite3"
    for stale in OUT.glob("bench.sqlite3*"):
        stale.unlink()
    port = args.port or servers.free_port()
    datasette_port = args.datasette_port or servers.free_port()
    database_url = f"sqlite:///{database_path}"
    cache_dir = OUT / "cache"
    env = servers.production_env(database_url, port, workers=2, CACHE_DIR=str(cache_dir))
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_DIR=str(cache_dir),
        DJANGO_SETTINGS_MODULE="calais.settings",
    )
    sys.path.insert(0, str(servers.PROJECT))

    print(f"Seeding {args.events:,} events into {database_path} …", flush=True)
    event_slug = prepare_database(database_path, args.events, args.seed)
    last_page = max(1, -(-args.events // 50))
    deep_page = min(1900, last_page)
    paths = {
        "timeline": "/",
        "events table, first page": "/events/",
        f"events table, page {deep_page:,}": f"/events/?page={deep_page}",
        "event detail": f"/events/{event_slug}/",
    }
    uncached = [Page(name, "ours, uncached", path) for name, path in paths.items()]
    # Pages past the middle are read from the end (timeline.paging): the middle one is the
    # deepest any page goes, shown for reference beside the target's page 1,900.
    middle_page = max(1, last_page // 2)
    middle = Page(
        f"events table, page {middle_page:,} (middle)",
        "ours, uncached",
        f"/events/?page={middle_page}",
    )
    cached = [Page(name, "ours, cached", path) for name, path in paths.items()]
    theirs = [
        Page("events table, defaults", "datasette", DATASETTE_PAGE),
        Page("events table, fastest", "datasette", DATASETTE_PAGE + "&_nocount=1&_nofacet=1"),
    ]
    ceiling = Page("ceiling (static file)", "ours", STATIC_FILE)
    counts = count_queries([*paths.values(), middle.path])
    for page in [*uncached, middle, *cached]:
        page.queries = counts[page.path]

    print(
        f"Load: {args.clients} clients x {args.duration:g} s per page, alternating servers",
        flush=True,
    )
    uncached_env = {**env, "CACHE_PUBLIC_PAGES": "0"}
    with (
        servers.make_serve(uncached_env, port, OUT / "serve-uncached.log"),
        servers.datasette(database_path, datasette_port, OUT / "datasette.log"),
    ):
        order = [uncached[0], theirs[0], uncached[1], theirs[1], uncached[2], ceiling]
        order += [uncached[3], middle]
        for page in order:
            drive(page, port if page.server != "datasette" else datasette_port, args)
    with servers.make_serve(env, port, OUT / "serve-cached.log"):
        for page in cached:
            drive(page, port, args)

    datasette_fastest = max(page.result.throughput for page in theirs)
    ceiling_throughput = ceiling.result.throughput if not ceiling.result.errors else None
    rows = [*uncached, middle, *cached, *theirs, ceiling]
    text = table(rows, datasette_fastest, ceiling_throughput)
    verdicts = targets(uncached, cached, datasette_fastest, ceiling_throughput)
    first = uncached[1].result.throughput
    verdicts.append(
        f"- For reference: {middle.name} (uncached) {middle.result.throughput:.1f} req/s = "
        f"{middle.result.throughput / first:.2f}× the first page (no target)."
    )
    print()
    print(text)
    print()
    print("\n".join(verdicts))
    write_report(args, text + "\n\n## Targets\n\n" + "\n".join(verdicts), rows)
    print(f"\nWritten to {args.report}")
    return 1 if any(page.result.errors for page in rows) else 0


def drive(page, page_port, args):
    url = f"http://127.0.0.1:{page_port}{page.path}"
    run_load([url], clients=2, duration=1.0)  # warm up
    page.result = run_load([url], args.clients, args.duration, label=page.name)
    print(
        f"  {page.name:<26} {page.server:<15} {page.result.throughput:8.1f} req/s "
        f"p50 {page.result.p50_ms:7.1f} ms  p99 {page.result.p99_ms:7.1f} ms  "
        f"errors {page.result.errors}",
        flush=True,
    )


def targets(uncached, cached, datasette_fastest, ceiling):
    """Each target, met or missed, with its figure."""

    def verdict(met, text):
        return f"- {'MET' if met else 'MISSED'}: {text}"

    timeline, first, deep = (page.result.throughput for page in uncached[:3])
    lines = [
        verdict(
            first >= 2 * datasette_fastest,
            f"events table, first page (uncached) {first:.1f} req/s = "
            f"{first / datasette_fastest:.2f}× Datasette's fastest table page (target ≥ 2×)",
        ),
        verdict(
            timeline >= 2 * datasette_fastest,
            f"timeline (uncached) {timeline:.1f} req/s = "
            f"{timeline / datasette_fastest:.2f}× Datasette's fastest (target ≥ 2×)",
        ),
        verdict(
            deep >= 0.75 * first,
            f"{uncached[2].name} (uncached) {deep:.1f} req/s = {deep / first:.2f}× the first "
            "page (target ≥ 0.75×)",
        ),
    ]
    for page in cached:
        lines.append(
            verdict(
                bool(ceiling) and page.result.throughput >= 0.5 * ceiling,
                f"{page.name}, cached repeat view {page.result.throughput:.1f} req/s = "
                f"{ratio(page.result.throughput, ceiling)} the static file (target ≥ 0.5×)",
            )
        )
    most = max(page.queries or 0 for page in uncached)
    lines.append(verdict(most <= 10, f"at most {most} SQL queries per page (target ≤ 10)"))
    lines.append(
        f"- For reference: the first page cached {cached[1].result.throughput:.1f} req/s = "
        f"{ratio(cached[1].result.throughput, datasette_fastest)} Datasette's fastest."
    )
    return lines


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def write_report(args, text, rows):
    description = machine_description()
    average = load_average()
    if average:
        description["Load average at the end (1, 5, 15 min)"] = ", ".join(
            f"{value:.2f}" for value in average
        )
    machine = "\n".join(f"- {name}: {value}" for name, value in description.items())
    errors = [f"- {page.name}: {sample}" for page in rows for sample in page.result.error_samples]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(
        f"""# Benchmarks

Produced by `make bench` (bench/compare.py) on {datetime.date.today().isoformat()}, commit
{git_commit()}: {args.events:,} synthetic events (`seed_synthetic --seed {args.seed}`) in one
SQLite file, served by `make serve` (gunicorn, 2 workers, DEBUG off) and by Datasette with its
default settings; {args.clients} concurrent keep-alive clients for {args.duration:g} s per page,
pages alternating between the two servers. "ours, uncached" runs with the page cache off
(CACHE_PUBLIC_PAGES=0: every request renders the page, reading its rows from the database; the
timeline's counts per month, the compiled SQL of its index query, its histogram and the filter
forms stay cached until the next write, as in production); "ours, cached" with it on (repeat
views).
Both show 50 rows a page (Datasette asked with `_size=50`). Requests carry
`X-Forwarded-Proto: https`, as from a TLS-terminating proxy (the production settings redirect
plain HTTP). SQL queries are counted once per page, uncached, with Django's test client.

## Machine

{machine}

## Results

{text}
{chr(10).join(["", "Errors:", *errors]) if errors else ""}
"""
    )


if __name__ == "__main__":
    sys.exit(main())
