"""What the benchmarks and checks share: throwaway PostgreSQL databases and app servers."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def project_environment(**settings: str) -> dict:
    """This process's environment without the project's settings (DJANGO_*, DATABASE_URL,
    REDIS_URL), a throwaway secret key, and `settings`: every run states its database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env["DJANGO_SECRET_KEY"] = "bench-and-checks-only-insecure-key"
    env.update(settings)
    return env


def report(step: str, ok: bool, detail: str = "") -> bool:
    """One line of a check's output: PASS or FAIL, the step, and what was seen."""
    print(f"{'PASS' if ok else 'FAIL'}  {step}{f'  ({detail})' if detail else ''}", flush=True)
    return ok


def manage(env: dict, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    """`manage.py arguments` in a subprocess; with `check`, a failure raises with its stderr."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and completed.returncode != 0:
        command = " ".join(arguments)[:200]
        raise RuntimeError(f"manage.py {command}: {completed.stderr.strip()[-500:]}")
    return completed


def _admin_connection(url: str):
    """A connection to the server's `postgres` database, and the name of `url`'s database."""
    import psycopg

    parts = urlsplit(url)
    admin_url = parts._replace(scheme="postgresql", path="/postgres").geturl()
    return psycopg.connect(admin_url, autocommit=True), parts.path.lstrip("/")


def recreate_postgres(url: str) -> None:
    from psycopg import sql

    connection, name = _admin_connection(url)
    with connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    from psycopg import sql

    connection, name = _admin_connection(url)
    with connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the project on a free port for a `with` block; yields its base URL."""

    def __init__(self, env: dict, workers: int = 2, stderr=None):
        self.env, self.workers, self.stderr = env, workers, stderr

    def __enter__(self) -> str:
        port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "newsroom.wsgi",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{port}",
                "--backlog=2048",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stderr=self.stderr,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/readyz/", timeout=2) as response:
                    if response.status == 200:
                        return base
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not become ready in 60 s")

    def __exit__(self, *exc_info) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


# A reader mix for load checks: wrk cycles through these pages.
READER_PATHS = [
    "/",
    "/?bereich=politik",
    "/suche/?q=Digitalisierung",
    "/suche/?q=OZG",
    "/feeds/rss/",
    "/sitemap.xml",
    "/archiv/",
    "/impressum/",
]
# wrk's Lua script cycling through a list of paths (%s: the quoted paths, comma-separated).
WRK_PATHS_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


class Readers(threading.Thread):
    """wrk over the reader mix in rounds of `round_s` seconds until stopped (or for
    `rounds` rounds); sums requests, bad responses and socket errors."""

    def __init__(self, base: str, connections: int, *, round_s: int = 10, rounds: int = 0):
        if shutil.which("wrk") is None:
            raise RuntimeError("wrk is not installed: apt-get install wrk (make bench-serve does)")
        super().__init__(daemon=True)
        self.base, self.connections, self.round_s, self.max_rounds = (
            base,
            connections,
            round_s,
            rounds,
        )
        self.stopping = threading.Event()
        self.requests = self.bad_responses = self.socket_errors = self.rounds = 0
        self.error: Exception | None = None  # what stopped the rounds early, if anything
        self.p50_ms: list[float] = []
        self.p99_ms: list[float] = []

    @property
    def clean(self) -> bool:
        """The readers ran, and no response was bad: the pass condition of every check."""
        return (
            self.error is None
            and self.requests > 0
            and self.bad_responses == 0
            and self.socket_errors == 0
        )

    def run(self) -> None:
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
                script.write(WRK_PATHS_SCRIPT % ", ".join(f'"{path}"' for path in READER_PATHS))
                script.flush()
                while not self.stopping.is_set() and not (
                    self.max_rounds and self.rounds >= self.max_rounds
                ):
                    self._round(script.name)
        except Exception as error:  # reported by the check that reads it
            self.error = error

    def _round(self, script: str) -> None:
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{self.connections}",
                f"-d{self.round_s}s",
                "--timeout=10s",  # a browser waits far longer than wrk's default 2 s
                "--latency",
                "-s",
                script,
                self.base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.rounds += 1
        self.requests += int(re.search(r"(\d+) requests in", output).group(1))
        if bad := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
            self.bad_responses += int(bad.group(1))
        errors = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        )
        if errors:
            self.socket_errors += sum(map(int, errors.groups()))
        for percentile, values in (("50", self.p50_ms), ("99", self.p99_ms)):
            if found := re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.MULTILINE):
                values.append(
                    float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
                )
