"""A bounded HTTP load generator for loopback servers (standard library only).

N client threads, each with its own keep-alive connection, request the given URLs in turn for T
seconds, then stop. Reported: requests, throughput, p50 and p99 latency, and errors (a status of
300 or more, or any exception). Only 127.0.0.1 is accepted as a target: this drives our own
servers, nothing else.

Every request says it came through a TLS-terminating proxy (``X-Forwarded-Proto: https``), as
production requests do: with DEBUG off the site redirects plain HTTP to HTTPS, and a benchmark of
that redirect would measure nothing. gunicorn trusts the header from loopback only
(FORWARDED_ALLOW_IPS); Datasette ignores it. A redirect to HTTPS or to another host counts as an
error for the same reason; one to a path of the same server (a canonical URL) is followed, and
the request's latency is that of both answers.

A target may be a ``PerRequest`` URL instead of a fixed one: a function of a request's number
that gives a URL never asked before in the run (a first view: an unknown parameter such as
``&_x=<n>``, or a filter value of its own). Its numbers count on from one load to the next, so a
warm-up never asks in advance for a URL that the measured load then finds cached.

    python -m bench.load --clients 10 --duration 5 http://127.0.0.1:8000/ http://127.0.0.1:8000/events/
"""

import argparse
import http.client
import itertools
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
HEADERS = {"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}


@dataclass
class LoadResult:
    label: str
    duration: float = 0.0
    latencies: list = field(default_factory=list)
    errors: int = 0
    error_samples: list = field(default_factory=list)
    parts: dict = field(default_factory=dict)  # per URL, when several were loaded together

    @property
    def requests(self):
        return len(self.latencies) + self.errors

    @property
    def throughput(self):
        return len(self.latencies) / self.duration if self.duration else 0.0

    def percentile(self, fraction):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def p50_ms(self):
        return self.percentile(0.50) * 1000

    @property
    def p99_ms(self):
        return self.percentile(0.99) * 1000

    @property
    def mean_ms(self):
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")


class PerRequest:
    """A URL made afresh for every request: ``make_url(n)`` for n = 0, 1, 2... in one process.

    ``label`` stands for it in reports, e.g. ``/?_x=<n>``.
    """

    _numbers = itertools.count()  # next() on it is atomic under the GIL: no lock

    def __init__(self, make_url, label):
        self.make_url = make_url
        self.label = label

    def __call__(self):
        return self.make_url(next(self._numbers))

    def __str__(self):
        return self.label


def loopback_target(url):
    """(port, path) of a URL on 127.0.0.1, or ValueError naming the URL."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK:
        raise ValueError(f"Only http://{LOOPBACK} targets are allowed, not {url!r}.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.port or 80, path


def _target(url):
    """(port, path, url): ``url`` itself is kept to make a PerRequest's path for each request,
    which its label stands for."""
    if isinstance(url, PerRequest):
        port, _ = loopback_target(url())
        return port, url.label, url
    port, path = loopback_target(url)
    return port, path, url


def _get(connection, path, port):
    """The status of GET ``path``, after following one redirect to a path of the same server.

    A reader who follows a link with a parameter the site does not know (``?utm_source=...``)
    is sent to the page's canonical URL: what that reader waits for is both answers. A redirect
    anywhere else (to HTTPS, another host) is not followed and counts as an error.
    """
    connection.request("GET", path, headers=HEADERS)
    response = connection.getresponse()
    response.read()
    location = response.getheader("Location", "")
    if response.status in (301, 302, 303, 307, 308):
        same_server = _same_server_path(location, port)
        if same_server is not None:
            connection.request("GET", same_server, headers=HEADERS)
            response = connection.getresponse()
            response.read()
    return response.status


def _same_server_path(location, port):
    if location.startswith("/") and not location.startswith("//"):
        return location
    parts = urlsplit(location)
    if parts.scheme == "http" and parts.hostname == LOOPBACK and (parts.port or 80) == port:
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return None


def _client(targets, deadline, offset, result, lock, timeout):
    connections = {}
    latencies = {target: [] for target in targets}
    errors = dict.fromkeys(targets, 0)
    samples = []
    index = offset
    while time.perf_counter() < deadline:
        target = targets[index % len(targets)]
        port, path, url = target
        if isinstance(url, PerRequest):
            path = loopback_target(url())[1]
        index += 1
        connection = connections.get(port)
        if connection is None:
            connection = connections[port] = http.client.HTTPConnection(
                LOOPBACK, port, timeout=timeout
            )
        started = time.perf_counter()
        try:
            status = _get(connection, path, port)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connections.pop(port)
            errors[target] += 1
            if len(samples) < 3:
                samples.append(f"{path}: {error!r}")
            continue
        elapsed = time.perf_counter() - started
        if status >= 300:
            errors[target] += 1
            if len(samples) < 3:
                samples.append(f"{path}: HTTP {status}")
        else:
            latencies[target].append(elapsed)
    for connection in connections.values():
        connection.close()
    with lock:
        for target in targets:
            result.latencies += latencies[target]
            result.errors += errors[target]
            if len(targets) > 1:
                part = result.parts.setdefault(target[1], LoadResult(label=target[1]))
                part.latencies += latencies[target]
                part.errors += errors[target]
        result.error_samples += samples[: max(0, 5 - len(result.error_samples))]


def run_load(urls, clients=10, duration=10.0, label=None, timeout=30.0):
    """Drive ``clients`` concurrent clients over ``urls`` (strings or PerRequest URLs) for
    ``duration`` seconds."""
    if not urls:
        raise ValueError("Give at least one URL to load.")
    if clients < 1 or duration <= 0:
        raise ValueError("clients must be at least 1 and duration positive.")
    targets = [_target(url) for url in urls]
    result = LoadResult(label=label or (str(urls[0]) if len(urls) == 1 else f"{len(urls)} URLs"))
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + duration
    threads = [
        threading.Thread(
            target=_client,
            args=(targets, deadline, number, result, lock, timeout),
            daemon=True,
        )
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + timeout + 5)
    result.duration = time.perf_counter() - started
    for part in result.parts.values():
        part.duration = result.duration
    return result


def format_table(results):
    """A Markdown table of load results."""
    lines = [
        "| target | requests | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.label} | {result.requests} | {result.throughput:.1f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help=f"http://{LOOPBACK}:PORT/... URLs")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds")
    args = parser.parse_args(argv)
    try:
        result = run_load(args.urls, args.clients, args.duration, label="all URLs")
    except ValueError as error:
        parser.error(str(error))
    print(format_table([result]))
    for sample in result.error_samples:
        print(f"error: {sample}", file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
