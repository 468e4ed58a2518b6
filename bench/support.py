"""What the benchmarks and checks share: throwaway PostgreSQL databases and app servers."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


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

    def __init__(self, env: dict, workers: int = 2):
        self.env, self.workers = env, workers

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
