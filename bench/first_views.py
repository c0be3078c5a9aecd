"""First and warm views of the public pages, and the histogram's drawing, timed in-process.

A quick measure for development (docs/performance.md, "First views"); `make bench` is the full
benchmark. Run it on a seeded scratch database with the page cache off:

    export DATABASE_URL=sqlite:////tmp/fv.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_synthetic --events 100000 --seed 1
    .venv/bin/python -m bench.first_views [--cpu] [--requests 15]

Each figure is the median of ``--requests`` requests through Django's test client, in an
in-process cache (a fresh LocMemCache). "warm" repeats one URL; "first" makes each request new:
an unknown parameter (``&_x=<random>``), a start date not asked before, an actor not asked before.
``--cpu`` times with the process's CPU clock, steadier than the wall clock on a shared machine.
"""

import argparse
import os
import statistics
import time
import uuid

PAGES = {
    "timeline /": "/",
    "/?start=2012-03-04": "/?start=2012-03-04",
    "/?q=calais": "/?q=calais",
    "/?kind=measure&category=policing": "/?kind=measure&category=policing",
    "events table": "/events/",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--cpu", action="store_true", help="time with the CPU clock")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calais.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.CACHE_PUBLIC_PAGES = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fv"}
    }
    from django.test import Client

    from timeline.models import Actor

    clock = time.process_time if options.cpu else time.perf_counter
    client = Client()
    n = options.requests

    def timed(url):
        started = clock()
        response = client.get(url, secure=True)
        # An unknown parameter is answered by a redirect to the canonical URL.
        assert response.status_code in (200, 301), (url, response.status_code)
        return (clock() - started) * 1000

    def report(name, warm_url, first_urls):
        timed(warm_url)
        warm = statistics.median(timed(warm_url) for _ in range(n))
        first = statistics.median(timed(url) for url in first_urls)
        print(f"{name:36} warm {warm:6.1f} ms  first {first:6.1f} ms  ({first / warm:.2f}x)")

    for name, url in PAGES.items():
        join = "&" if "?" in url else "?"
        report(name, url, [f"{url}{join}_x={uuid.uuid4().hex}" for _ in range(n)])
    days = [f"2012-{month:02d}-{day:02d}" for month in range(1, 13) for day in (3, 9, 17, 26)]
    report(
        "new start date /?start=2012-MM-DD",
        "/?start=2012-03-04",
        [f"/?start={d}" for d in days[:n]],
    )
    slugs = list(Actor.objects.order_by("?").values_list("slug", flat=True)[: n + 1])
    report("new actor /?actor=<slug>", f"/?actor={slugs[-1]}", [f"/?actor={s}" for s in slugs[:n]])
    histogram(clock, n)


def histogram(clock, n):
    """The histogram of all events drawn from its counts, and kept."""
    from django.test import RequestFactory

    from timeline.public import entries
    from timeline.public.environment import page_link_prefix
    from timeline.public.filters import TimelineFilterForm

    request = RequestFactory().get("/", {"kind": "event"})
    form = TimelineFilterForm(request.GET)
    timeline = entries.Timeline(
        form.querysets(), identity=form.identity(), summary=form.summary_selection()
    )
    timeline.counts()

    def median(function):
        times = []
        for _ in range(n * 3):
            started = clock()
            function()
            times.append((clock() - started) * 1000)
        return statistics.median(times)

    drawn = median(
        lambda: entries.render_histogram(timeline.counts(), page_link_prefix(request.GET))
    )
    kept = median(lambda: timeline.render_histogram(page_link_prefix(request.GET)))
    print(f"histogram drawn {drawn:.2f} ms, kept and linked {kept:.2f} ms")


if __name__ == "__main__":
    main()
