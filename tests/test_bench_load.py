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
