"""gunicorn settings for `make serve`, read from the same environment as the Django settings.

HOST, PORT          address to bind (default 127.0.0.1:8000)
WEB_CONCURRENCY     worker processes (default 2; about two per core is a good start)
FORWARDED_ALLOW_IPS proxies trusted to say the request came over HTTPS (default: loopback)
GUNICORN_CMD_ARGS   any other gunicorn option, e.g. "--access-logfile - --threads 4"
"""

import gc
import os

wsgi_app = "calais.wsgi:application"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Load the application once in the master before forking: a configuration error (no SECRET_KEY,
# say) stops the server at once with one clear message instead of every worker failing to boot.
# Django opens no database connection at import, so no connection is shared across the fork.
preload_app = True

timeout = 30
graceful_timeout = 30
errorlog = "-"
# gunicorn's runtime control socket is one path per user; several servers on one machine (tests,
# the benchmark) would fight over it, and nothing here uses it.
control_socket_disable = True


def post_fork(server, worker):
    """Garbage collection tuned for a worker that serves many short requests.

    What the master loaded before the fork (Django, the app, its templates) lives as long as the
    worker: gc.freeze() keeps it out of every collection's scan. And the youngest generation is
    collected every 10,000 allocations instead of 700: a timeline page keeps a few thousand
    objects alive while it renders, and the default thresholds collected (and promoted) them
    several times a request (docs/performance.md).
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
