"""How long one cache write takes in a cache that is already full:
`python -m bench.cache_writes [--entries 20000] [--size 20000] [--writes 50]`.

For Django's FileBasedCache, diskcache's Django cache (calais.cache.DiskCache, the default without
REDIS_URL) and Redis (REDIS_URL, default redis://127.0.0.1:6379/11, if it answers): fill a scratch
cache with ``--entries`` values of ``--size`` bytes, then time ``--writes`` writes of one more
value of that size, and print the median in milliseconds, beside the same in a cache of 100
entries. FileBasedCache is filled with its culling off (it would otherwise list its directory on
each of the 20,000 writes) and measured with a MAX_ENTRIES above the count, so the figure is the
listing of the directory that every one of its writes does, not a cull. The Redis keys are
written under a prefix of their own and deleted afterwards. A benchmark that prints figures, not
a test; docs/performance.md keeps its latest output.
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid

import django
from django.core.cache.backends.filebased import FileBasedCache

from calais.cache import DiskCache

SMALL = 100


class UnculledFileBasedCache(FileBasedCache):
    """A FileBasedCache that skips its cull: to fill one quickly."""

    def _cull(self):
        pass


def file_based(directory, entries):
    """The cache to measure and the one to fill it with."""
    params = {"OPTIONS": {"MAX_ENTRIES": max(entries, SMALL) * 10}}
    return FileBasedCache(directory, params), UnculledFileBasedCache(directory, params)


def disk_cache(directory, entries):
    cache = DiskCache(directory, {"SHARDS": 8, "OPTIONS": {"size_limit": 2**34}})
    return cache, cache


def redis_cache(url, prefix):
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(url, {"KEY_PREFIX": prefix})


def fill(cache, entries, value):
    for number in range(entries):
        cache.set(f"fill-{number}", value, None)


def median_write_ms(cache, writes, value):
    timings = []
    for number in range(writes):
        key = f"write-{number}"
        started = time.perf_counter()
        cache.set(key, value, None)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure_local(make, entries, writes, value):
    with tempfile.TemporaryDirectory(prefix="calais-cache-bench-") as directory:
        cache, filler = make(directory, entries)
        fill(filler, entries, value)
        os.sync()  # the fill's writes on disk, not competing with the ones measured
        return median_write_ms(cache, writes, value)


def measure_redis(url, entries, writes, value):
    prefix = f"calais-cache-bench-{uuid.uuid4().hex[:8]}"
    cache = redis_cache(url, prefix)
    try:
        cache.set("probe", 1, 10)
    except Exception as error:
        return None, str(error).splitlines()[0]
    try:
        fill(cache, entries, value)
        return median_write_ms(cache, writes, value), None
    finally:
        keys = [f"fill-{n}" for n in range(entries)] + [f"write-{n}" for n in range(writes)]
        for start in range(0, len(keys), 1000):
            cache.delete_many(keys[start : start + 1000])
        cache.delete("probe")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--size", type=int, default=20000, help="bytes a value")
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calais.settings")
    django.setup()
    value = os.urandom(args.size)

    print(f"Median of {args.writes} writes of {args.size:,} bytes, in milliseconds:\n")
    print(f"| cache | {SMALL} entries | {args.entries:,} entries |")
    print("|---|---:|---:|")
    for name, make in (
        ("Django FileBasedCache", file_based),
        ("diskcache (calais.cache.DiskCache)", disk_cache),
    ):
        small = measure_local(make, SMALL, args.writes, value)
        full = measure_local(make, args.entries, args.writes, value)
        print(f"| {name} | {small:.2f} | {full:.2f} |")
    small, error = measure_redis(args.redis, SMALL, args.writes, value)
    if error is None:
        full, error = measure_redis(args.redis, args.entries, args.writes, value)
    if error is None:
        print(f"| Redis ({args.redis}) | {small:.2f} | {full:.2f} |")
    else:
        print(f"| Redis ({args.redis}) | not reachable: {error} | |")


if __name__ == "__main__":
    main()
