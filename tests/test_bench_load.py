"""The benchmark's load generator (bench/load.py)."""

import http.server
import threading

from bench.load import PerRequest, run_load


def test_a_per_request_url_asks_for_a_new_url_every_request():
    """A first view is measured with a URL never asked before, warm-up included."""
    paths = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    url = PerRequest(lambda n: f"{base}/?_x={n}", "/?_x=<n>")
    try:
        run_load([url], clients=2, duration=0.2)
        result = run_load([url], clients=2, duration=0.2, label="first views")
    finally:
        server.shutdown()
        server.server_close()

    assert result.errors == 0 and result.requests > 1
    assert len(paths) == len(set(paths))


def _serve(handle_path):
    """A loopback HTTP server answering each GET with handle_path(path): (status, headers)."""
    paths = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            paths.append(self.path)
            status, headers = handle_path(self.path)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, paths


def test_a_redirect_to_the_canonical_url_is_followed_and_served():
    """An unknown parameter is redirected to the page's canonical URL: the reader gets the page."""
    server, paths = _serve(
        lambda path: (301, {"Location": "/events/"}) if "_x" in path else (200, {})
    )
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        result = run_load([f"{base}/events/?_x=1"], clients=1, duration=0.2)
    finally:
        server.shutdown()
        server.server_close()

    assert result.errors == 0 and result.requests > 0
    assert paths[:2] == ["/events/?_x=1", "/events/"]


def test_a_redirect_to_https_is_an_error():
    """The benchmark says it came through TLS; a redirect to HTTPS means the header was ignored."""
    server, paths = _serve(lambda path: (301, {"Location": "https://127.0.0.1/events/"}))
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        result = run_load([f"{base}/events/"], clients=1, duration=0.2)
    finally:
        server.shutdown()
        server.server_close()

    assert result.requests > 0 and result.errors == result.requests
    assert set(paths) == {"/events/"}
