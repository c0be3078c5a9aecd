"""`make bench`: the public site beside Datasette on the same synthetic data, in one run, on
SQLite and on PostgreSQL.

1. Seeds a scratch SQLite database (bench/out/bench.sqlite3) with `seed_synthetic --events N`,
   and a scratch PostgreSQL database (BENCH_DATABASE_URL, by default ``calais_bench`` on the
   local server; created, VACUUM ANALYZEd after the seed, dropped at the end) with the same
   data (bench/databases.py).
2. Counts the SQL queries of each of our pages with Django's test client, and keeps the slowest
   query of each page with its plan (EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL), in a process of
   its own per database (the served processes log nothing).
3. Starts Datasette (its defaults) on the SQLite file, and for each database `make serve`
   (gunicorn, 2 workers, DEBUG off, connections kept as in production) with the page cache OFF,
   and drives each page with the same bounded load, alternating between our server and
   Datasette's fastest table page so that background noise falls on both. Datasette is asked
   for 50 rows a page (``_size=50``), as many as our tables show.
4. Restarts `make serve` with the page cache ON and drives our pages again: repeat views; and
   first views, each request with a URL never asked before: an unknown parameter
   (``&_x=<n>``, as links from mail and social media carry), and a valid filter of its own (a
   different ``start`` date every request).
5. Prints throughput, p50 and p99 latency, queries per page, the ratios ours / Datasette's
   fastest table page and ours / the ceiling (a small static file served by our own stack), and
   each target met or missed; writes the same to docs/benchmarks.md with a description of the
   machine and its load average, and the plans in an appendix.

Requests carry ``X-Forwarded-Proto: https`` (bench/load.py): the production settings redirect
plain HTTP, and a proxy in front would say HTTPS; gunicorn trusts that header from loopback.

    python -m bench.compare --events 100000 [--clients 10] [--duration 6]
        [--postgresql-url postgres://postgres@127.0.0.1:5432/calais_bench | --no-postgresql]
"""

import argparse
import datetime
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench import databases, servers
from bench.load import PerRequest, run_load

OUT = servers.PROJECT / "bench" / "out"
REPORT = servers.PROJECT / "docs" / "benchmarks.md"
STATIC_FILE = "/static/admin/img/icon-yes.svg"
DATASETTE_PAGE = "/bench/timeline_event?_size=50"
DATASETTE_FASTEST = DATASETTE_PAGE + "&_nocount=1&_nofacet=1"
DEFAULT_POSTGRESQL_URL = "postgres://postgres@127.0.0.1:5432/calais_bench"
# The first views' start dates: one a day from the synthetic timeline's first (bench.synthetic).
FIRST_START = datetime.date(2005, 1, 1)
START_DAYS = 20 * 365
# A start date's page viewed again, the warm view a new start date's first view is measured
# against (the date of the issue's own figures; the synthetic entries are spread evenly, so any
# start date's page holds as much).
WARM_START_DATE_PATHS = {"/": "/?start=2012-03-04", "/events/": "/events/?start=2012-03-04"}
DEEP_PAGE = 1900
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Page:
    name: str
    server: str  # "ours, uncached", "ours, cached", "ours, first view" or "datasette"
    path: str
    queries: int | None = None
    result: object = None
    per_request: object = None  # a PerRequest URL (its path only), for a first view
    warm_path: str | None = None  # a first view's page, viewed again: what it is measured against


@dataclass
class Run:
    """Every page measured on one database, with what its preparation found."""

    database: str  # "sqlite" or "postgresql"
    uncached: list = field(default_factory=list)  # timeline, first, deep, detail, middle
    cached: list = field(default_factory=list)
    first_views: list = field(default_factory=list)
    datasette: list = field(default_factory=list)
    ceiling: Page = None
    prepared: object = None

    @property
    def label(self):
        return DATABASE_NAMES[self.database]

    @property
    def rows(self):
        return [*self.uncached, *self.cached, *self.first_views, *self.datasette, self.ceiling]

    @property
    def datasette_fastest(self):
        return max(page.result.throughput for page in self.datasette)

    @property
    def ceiling_throughput(self):
        return self.ceiling.result.throughput if not self.ceiling.result.errors else None


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
        "psycopg": version("psycopg"),
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


def paths_for(events, event_slug):
    """Our pages, by name: what every run measures uncached (and cached, but the middle page)."""
    last_page = max(1, -(-events // 50))
    deep_page = min(DEEP_PAGE, last_page)
    # Pages past the middle are read from the end (timeline.public.paging): the middle one is
    # the deepest any page goes, shown beside the target's page 1,900.
    middle_page = max(1, last_page // 2)
    return {
        "timeline": "/",
        "events table, first page": "/events/",
        f"events table, page {deep_page:,}": f"/events/?page={deep_page}",
        "event detail": f"/events/{event_slug}/",
        f"events table, page {middle_page:,} (middle)": f"/events/?page={middle_page}",
        # A start date viewed again: the warm view of a first view with a new start date.
        "timeline, a start date": WARM_START_DATE_PATHS["/"],
        "events table, a start date": WARM_START_DATE_PATHS["/events/"],
        # One URL of each first view below, for its queries and its plan.
        "timeline, first view, unknown parameter": "/?_x=sample",
        "timeline, first view, new start date": f"/?start={start_date(0)}",
        "events table, first view, unknown parameter": "/events/?_x=sample",
        "events table, first view, new start date": f"/events/?start={start_date(0)}",
    }


def start_date(number):
    return (FIRST_START + datetime.timedelta(days=number % START_DAYS)).isoformat()


def first_views(token):
    """Pages whose every request asks for a URL never asked before (a PerRequest URL), each with
    the page it is the first view of, whose warm view it is measured against: the unfiltered
    page for an unknown parameter (redirected to it), a start date's page for a new one."""
    return [
        (
            "timeline, first view, unknown parameter",
            "/?_x=<n>",
            lambda n: f"/?_x={token}{n}",
            "/",
        ),
        (
            "timeline, first view, new start date",
            "/?start=<day n>",
            lambda n: f"/?start={start_date(n)}",
            WARM_START_DATE_PATHS["/"],
        ),
        (
            "events table, first view, unknown parameter",
            "/events/?_x=<n>",
            lambda n: f"/events/?_x={token}{n}",
            "/events/",
        ),
        (
            "events table, first view, new start date",
            "/events/?start=<day n>",
            lambda n: f"/events/?start={start_date(n)}",
            WARM_START_DATE_PATHS["/events/"],
        ),
    ]


def ratio(numerator, denominator):
    if not numerator or not denominator:
        return "–"
    return f"{numerator / denominator:.2f}×"


def table(run):
    datasette_fastest, ceiling = run.datasette_fastest, run.ceiling_throughput
    lines = [
        "| page | server | req/s | p50 ms | p99 ms | errors | SQL queries "
        "| ours / Datasette fastest | ours / ceiling |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in run.rows:
        result = page.result
        ours = page.server != "datasette" and page is not run.ceiling
        lines.append(
            f"| {page.name} `{page.path}` | {page.server} | {result.throughput:.1f} "
            f"| {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} "
            f"| {'–' if page.queries is None else page.queries} "
            f"| {ratio(result.throughput, datasette_fastest) if ours else '–'} "
            f"| {ratio(result.throughput, ceiling) if ours else '–'} |"
        )
    return "\n".join(lines)


def comparison(sqlite_run, postgresql_run):
    """Each of our pages on both databases, side by side."""
    lines = [
        "| page | server | SQLite p50 ms | PostgreSQL p50 ms | PostgreSQL / SQLite "
        "| SQLite req/s | PostgreSQL req/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    theirs = [*sqlite_run.uncached, *sqlite_run.first_views, *sqlite_run.cached]
    ours = [*postgresql_run.uncached, *postgresql_run.first_views, *postgresql_run.cached]
    for sqlite_page, postgresql_page in zip(theirs, ours, strict=True):
        a, b = sqlite_page.result, postgresql_page.result
        lines.append(
            f"| {sqlite_page.name} | {sqlite_page.server} | {a.p50_ms:.1f} | {b.p50_ms:.1f} "
            f"| {b.p50_ms / a.p50_ms:.2f}× | {a.throughput:.1f} | {b.throughput:.1f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument(
        "--duration",
        type=float,
        default=6.0,
        help="seconds per page (default 6: two databases in a few minutes each)",
    )
    parser.add_argument("--port", type=int, default=0, help="our server (default: any free)")
    parser.add_argument("--datasette-port", type=int, default=0)
    parser.add_argument(
        "--postgresql-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRESQL_URL,
        help="the scratch PostgreSQL database to create, use and drop "
        f"(default: BENCH_DATABASE_URL, or {DEFAULT_POSTGRESQL_URL})",
    )
    parser.add_argument("--no-postgresql", action="store_true", help="measure SQLite alone")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    if not args.no_postgresql and databases.vendor(args.postgresql_url) != "postgresql":
        parser.error(f"--postgresql-url must name a PostgreSQL database: {args.postgresql_url}")

    OUT.mkdir(parents=True, exist_ok=True)
    database_path = OUT / "bench.sqlite3"
    for stale in OUT.glob("bench.sqlite3*"):
        stale.unlink()
    port = args.port or servers.free_port()
    datasette_port = args.datasette_port or servers.free_port()
    sys.path.insert(0, str(servers.PROJECT))

    print(f"Seeding {args.events:,} events into {database_path} …", flush=True)
    sqlite_run = Run("sqlite")
    sqlite_env = bench_env(f"sqlite:///{database_path}", port, "sqlite")
    sqlite_run.prepared = databases.prepare(sqlite_env, args.events, args.seed, paths_for)
    runs = [sqlite_run]
    with servers.datasette(database_path, datasette_port, OUT / "datasette.log"):
        measure(sqlite_run, sqlite_env, port, datasette_port, args)
        if not args.no_postgresql:
            postgresql_run = Run("postgresql")
            with databases.postgresql_scratch(args.postgresql_url) as url:
                print(f"Seeding {args.events:,} events into {url} …", flush=True)
                env = bench_env(url, port, "postgresql")
                postgresql_run.prepared = databases.prepare(env, args.events, args.seed, paths_for)
                measure(postgresql_run, env, port, datasette_port, args)
            runs.append(postgresql_run)

    text = []
    for run in runs:
        text += [f"### {run.label}", "", table(run), "", "Targets:", "", *targets(run, runs), ""]
    if len(runs) == 2:
        text += ["### Both databases, page by page", "", comparison(*runs), ""]
    print()
    print("\n".join(text))
    write_report(args, "\n".join(text), runs)
    print(f"\nWritten to {args.report}")
    return 1 if any(page.result.errors for run in runs for page in run.rows) else 0


def bench_env(database_url, port, name):
    """The environment of `make serve` and of the preparing process for one database, with a
    page cache of its own, emptied: a previous run's entries would slow this one's writes."""
    cache_dir = OUT / f"cache-{name}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    env = servers.production_env(database_url, port, workers=2, CACHE_DIR=str(cache_dir))
    env.update(DJANGO_SETTINGS_MODULE="calais.settings")
    return env


def measure(run, env, port, datasette_port, args):
    """Drive every page of ``run`` on its own database, alternating with Datasette."""
    prepared = run.prepared
    paths = paths_for(args.events, prepared.event_slug)
    names = list(paths)
    run.uncached = [Page(name, "ours, uncached", paths[name]) for name in names[:7]]
    run.cached = [Page(name, "ours, cached", paths[name]) for name in names[:4]]
    token = secrets.token_hex(4)
    run.first_views = [
        Page(
            name,
            "ours, first view",
            label,
            per_request=PerRequest(make, label),
            warm_path=warm_path,
        )
        for name, label, make, warm_path in first_views(token)
    ]
    for page, name in zip(run.first_views, names[7:], strict=True):
        page.queries = prepared.queries[paths[name]]
    for page in [*run.uncached, *run.cached]:
        page.queries = prepared.queries[page.path]
    fastest = Page("events table, fastest", "datasette", DATASETTE_FASTEST)
    run.datasette = [fastest]
    if run.database == "sqlite":
        run.datasette.insert(0, Page("events table, defaults", "datasette", DATASETTE_PAGE))
    run.ceiling = Page("ceiling (static file)", "ours", STATIC_FILE)

    print(
        f"{run.label}: seeded in {prepared.seconds:.0f} s; {args.clients} clients x "
        f"{args.duration:g} s per page, alternating servers",
        flush=True,
    )
    uncached_env = {**env, "CACHE_PUBLIC_PAGES": "0"}
    log = OUT / f"serve-{run.database}"
    with servers.make_serve(uncached_env, port, log.with_name(log.name + "-uncached.log")):
        order = [run.uncached[0], *run.datasette[:-1], run.uncached[1], fastest]
        order += [run.uncached[2], run.ceiling, *run.uncached[3:]]
        for page in order:
            drive(page, port if page.server != "datasette" else datasette_port, args)
    with servers.make_serve(env, port, log.with_name(log.name + "-cached.log")):
        for page in [*run.cached, *run.first_views]:
            drive(page, port, args)


def drive(page, page_port, args):
    base = f"http://127.0.0.1:{page_port}"
    if page.per_request:
        target = PerRequest(lambda n: base + page.per_request.make_url(n), page.path)
    else:
        target = base + page.path
    run_load([target], clients=2, duration=1.0)  # warm up
    page.result = run_load([target], args.clients, args.duration, label=page.name)
    print(
        f"  {page.name:<44} {page.server:<16} {page.result.throughput:8.1f} req/s "
        f"p50 {page.result.p50_ms:7.1f} ms  p99 {page.result.p99_ms:7.1f} ms  "
        f"errors {page.result.errors}",
        flush=True,
    )


def verdict(met, text):
    return f"- {'MET' if met else 'MISSED'}: {text}"


def targets(run, runs):
    """Each target met or missed on ``run``'s database, with its figure."""
    if run.database == "sqlite":
        return sqlite_targets(run)
    return postgresql_targets(run, runs[0])


def sqlite_targets(run):
    """The targets of the SQLite run."""
    datasette_fastest, ceiling = run.datasette_fastest, run.ceiling_throughput
    timeline, first, deep = (page.result.throughput for page in run.uncached[:3])
    middle = run.uncached[4]
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
            f"{run.uncached[2].name} (uncached) {deep:.1f} req/s = {deep / first:.2f}× the first "
            "page (target ≥ 0.75×)",
        ),
    ]
    for page in run.cached:
        lines.append(
            verdict(
                bool(ceiling) and page.result.throughput >= 0.5 * ceiling,
                f"{page.name}, cached repeat view {page.result.throughput:.1f} req/s = "
                f"{ratio(page.result.throughput, ceiling)} the static file (target ≥ 0.5×)",
            )
        )
    lines += first_view_targets(run)
    most = max(page.queries or 0 for page in run.uncached)
    lines.append(verdict(most <= 10, f"at most {most} SQL queries per page (target ≤ 10)"))
    lines.append(
        f"- For reference: the first page cached {run.cached[1].result.throughput:.1f} req/s = "
        f"{ratio(run.cached[1].result.throughput, datasette_fastest)} Datasette's fastest."
    )
    lines.append(
        f"- For reference: {middle.name} (uncached) {middle.result.throughput:.1f} req/s = "
        f"{middle.result.throughput / first:.2f}× the first page (no target)."
    )
    return lines


# How much slower than its warm view a page's first view may be: a reader who follows a shared
# link should not wait much longer than one who reloads.
FIRST_VIEW_LIMITS = {"/": 2.0, "/events/": 1.3}


def first_view_targets(run):
    """Each first view's p50 against the warm (uncached, fragments kept) view of its page, and
    for a new start date, for reference, against the unfiltered page's."""
    warm = {page.path: page for page in run.uncached}
    lines = []
    for page in run.first_views:
        path = page.path.split("?")[0]
        warm_ms, limit = warm[page.warm_path].result.p50_ms, FIRST_VIEW_LIMITS[path]
        times = page.result.p50_ms / warm_ms
        line = verdict(
            times <= limit,
            f"{page.name} p50 {page.result.p50_ms:.1f} ms = {times:.2f}× the warm view of "
            f"`{page.warm_path}` ({warm_ms:.1f} ms; target ≤ {limit}×)",
        )
        if page.warm_path != path:
            unfiltered_ms = warm[path].result.p50_ms
            line += (
                f"; {page.result.p50_ms / unfiltered_ms:.2f}× the unfiltered `{path}` "
                f"({unfiltered_ms:.1f} ms, for reference)"
            )
        lines.append(line)
    return lines


def postgresql_targets(run, sqlite_run):
    """On PostgreSQL: every page at most twice its SQLite time (p50) in the same run; the deep
    and middle table pages at least 0.75× the first page's throughput."""
    lines = []
    theirs = [*sqlite_run.uncached, *sqlite_run.first_views, *sqlite_run.cached]
    ours = [*run.uncached, *run.first_views, *run.cached]
    for sqlite_page, page in zip(theirs, ours, strict=True):
        times = page.result.p50_ms / sqlite_page.result.p50_ms
        lines.append(
            verdict(
                times <= 2,
                f"{page.name} ({page.server}) p50 {page.result.p50_ms:.1f} ms = {times:.2f}× "
                f"SQLite's {sqlite_page.result.p50_ms:.1f} ms (target ≤ 2×)",
            )
        )
    first = run.uncached[1].result.throughput
    for page in (run.uncached[2], run.uncached[4]):
        throughput = page.result.throughput
        lines.append(
            verdict(
                throughput >= 0.75 * first,
                f"{page.name} (uncached) {throughput:.1f} req/s = {throughput / first:.2f}× the "
                "first page (target ≥ 0.75×)",
            )
        )
    most = max(page.queries or 0 for page in [*run.uncached, *run.first_views])
    lines.append(verdict(most <= 10, f"at most {most} SQL queries per page (target ≤ 10)"))
    return lines


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def plans_appendix(runs):
    """Each page's slowest query (page cache off, fragments warm) and its plan, per database."""
    sections = []
    for run in runs:
        for path, plan in run.prepared.plans.items():
            if plan is None:
                continue
            sections.append(
                f"<details><summary>{run.label}: <code>{path}</code>, slowest query "
                f"{plan.milliseconds:.1f} ms</summary>\n\n```sql\n{plan.sql}\n```\n\n"
                f"```\n{plan.text}\n```\n\n</details>"
            )
    return "\n\n".join(sections)


def write_report(args, text, runs):
    description = machine_description()
    for run in runs:
        if run.prepared.server_version:
            description[run.label] = run.prepared.server_version
    average = load_average()
    if average:
        description["Load average at the end (1, 5, 15 min)"] = ", ".join(
            f"{value:.2f}" for value in average
        )
    machine = "\n".join(f"- {name}: {value}" for name, value in description.items())
    errors = [
        f"- {run.label}, {page.name}: {sample}"
        for run in runs
        for page in run.rows
        for sample in page.result.error_samples
    ]
    databases_text = " and ".join(run.label for run in runs)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(
        f"""# Benchmarks

Produced by `make bench` (bench/compare.py) on {datetime.date.today().isoformat()}, commit
{git_commit()}: {args.events:,} synthetic events (`seed_synthetic --seed {args.seed}`) in
{databases_text} (the same data; PostgreSQL VACUUM ANALYZEd after the seed, as autovacuum does),
served by `make serve` (gunicorn, 2 workers, DEBUG off, database connections kept) and the
SQLite file by Datasette with its default settings; {args.clients} concurrent keep-alive clients
for {args.duration:g} s per page (shorter than the 10 s of earlier runs, so that both databases
fit in a few minutes each), pages alternating with Datasette's fastest table page.
"ours, uncached" runs with the page cache off (CACHE_PUBLIC_PAGES=0: every request renders the
page, reading its rows from the database; the timeline's counts per month, the compiled SQL of
its index query, a table's total, its histogram and the filter forms stay cached until the next
write, as in production); "ours, cached" with it on (repeat views); "ours, first view" with it on
too, every request asking for a URL never asked before: `_x=<n>`, an unknown parameter, or
`start=<day n>`, a different start date each request. A first view is measured against the
warm ("uncached") view of its own page: an unknown parameter's against the page it is
redirected to, a new start date's against a start date's page (`?start=2012-03-04`) viewed
again, with the unfiltered page's beside it.
Both show 50 rows a page (Datasette asked with `_size=50`). Requests carry
`X-Forwarded-Proto: https`, as from a TLS-terminating proxy (the production settings redirect
plain HTTP). SQL queries are counted once per page, uncached, with Django's test client; the
slowest query of each page and its plan are in the appendix.

## Machine

{machine}

## Results

{text}
{chr(10).join(["", "Errors:", *errors]) if errors else ""}

## Appendix: the slowest query of each page, and its plan

{plans_appendix(runs)}
"""
    )


if __name__ == "__main__":
    sys.exit(main())
