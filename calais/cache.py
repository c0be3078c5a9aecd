"""The embedded cache used without Redis: diskcache's Django cache, kept open between requests."""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    """diskcache's Django cache (SQLite files with an index, shared by the processes of one
    machine), whose connections outlive a request.

    Django closes every cache when a request finishes. diskcache's ``close()`` closes its SQLite
    connections, and opening them again (a connect and the pragmas of each shard) costs more than
    serving a cached page. Its connections are per thread and reopened after a fork, so keeping
    them is safe under gunicorn's workers.
    """

    def close(self, **kwargs):
        pass
