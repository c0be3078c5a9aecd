"""Start and stop the servers a benchmark drives: `make serve` and Datasette, on loopback."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT / ".venv" / "bin"
LOOPBACK = "127.0.0.1"


def free_port():
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def production_env(database_url, port, workers=2, **extra):
    """The environment `make serve` runs with in a benchmark: DEBUG off, a throwaway secret."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        HOST=LOOPBACK,
        PORT=str(port),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=LOOPBACK,
        WEB_CONCURRENCY=str(workers),
        **extra,
    )
    return env


def manage(env, *args):
    """Run manage.py with ``env``; raise with its output if it fails."""
    python = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
    completed = subprocess.run(
        [str(python), "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout


def _status(port, path):
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_until_ready(port, process, paths=("/healthz", "/"), timeout=90):
    """Poll until the first of ``paths`` that exists answers 200 (a 404 moves on to the next:
    /healthz arrives with the production settings, `/` is the fallback)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            for path in paths:
                status = _status(port, path)
                if status == 200:
                    return path
                if status != 404:
                    break
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no server answered on {LOOPBACK}:{port} within {timeout} s")


@contextlib.contextmanager
def running(command, env, port, log_path, ready_paths=("/healthz", "/")):
    """Run ``command`` in its own process group until the block ends; stop the whole group."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            try:
                wait_until_ready(port, process, ready_paths)
            except RuntimeError as error:
                raise RuntimeError(f"{error}; see {log_path}") from error
            yield process
        finally:
            stop(process)


def stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def make_serve(env, port, log_path):
    """`make serve` (collectstatic, migrate, gunicorn) with ``env``, until the block ends."""
    return running(["make", "--no-print-directory", "serve"], env, port, log_path)


def datasette(database_path, port, log_path):
    """Datasette with its default settings on ``database_path``, until the block ends."""
    command = [
        str(VENV_BIN / "datasette"),
        "serve",
        str(database_path),
        "--host",
        LOOPBACK,
        "--port",
        str(port),
    ]
    env = dict(os.environ)
    return running(command, env, port, log_path, ready_paths=("/-/versions.json",))
