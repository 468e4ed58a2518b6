"""Database outage check: pages answer 503 while PostgreSQL is unreachable, and the app
servers recover by themselves when it is back.

    .venv/bin/python checks/database_outage.py [--postgres-url URL]

gunicorn (2 workers) reaches PostgreSQL through a TCP relay that this script starts,
cuts (closing every open connection, refusing new ones) and restores:
1. with the relay up, pages and /readyz/ answer 200;
2. with the relay cut, every page answers 503 with the German outage page, /readyz/
   answers 503, /healthz/ still 200, and no response carries a traceback;
3. with the relay restored, pages answer 200 again, without a restart.
Prints each step; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    Gunicorn,
    drop_postgres,
    free_port,
    manage,
    project_environment,
    recreate_postgres,
    report,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_outage"
PAGES = ["/", "/artikel/digitaler-masterplan/", "/suche/?q=Unna", "/feeds/rss/", "/archiv/"]


class Relay:
    """A TCP relay from a local port to PostgreSQL that can be cut and restored."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    args = parser.parse_args()
    target = urlsplit(args.postgres_url)
    relay = Relay((target.hostname, target.port or 5432))
    relay.start()
    relayed = target._replace(netloc=f"{target.username}@127.0.0.1:{relay.port}").geturl()
    env = project_environment(
        DATABASE_URL=relayed, DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_LOG_LEVEL="CRITICAL"
    )
    recreate_postgres(args.postgres_url)
    try:
        manage(env, "migrate", "-v", "0")
        manage(env, "load_municipalities")  # the import refuses an empty register
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_seeds", "-v", "0")
        with Gunicorn({**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}, workers=2) as base:
            return 0 if run_steps(base, relay) else 1
    finally:
        drop_postgres(args.postgres_url)


def run_steps(base: str, relay: Relay) -> bool:
    statuses = [get(base + page)[0] for page in PAGES]
    ok = report("database up: pages answer 200", set(statuses) == {200}, str(statuses))

    relay.cut()
    answers = [get(base + page) for _ in range(2) for page in PAGES]  # both workers
    statuses = [status for status, _ in answers]
    ok &= report("database gone: every page answers 503", set(statuses) == {503}, str(statuses))
    ok &= report(
        "database gone: the German outage page, no traceback",
        all(
            "Vorübergehend nicht erreichbar" in text and "Traceback" not in text
            for _, text in answers
        ),
    )
    ok &= report("database gone: /readyz/ answers 503", get(base + "/readyz/")[0] == 503)
    ok &= report("database gone: /healthz/ still answers 200", get(base + "/healthz/")[0] == 200)

    relay.start()
    deadline, statuses = time.monotonic() + 30, []
    while time.monotonic() < deadline:
        statuses = [get(base + page)[0] for _ in range(2) for page in PAGES]
        if set(statuses) == {200}:
            break
        time.sleep(1)
    ok &= report("database back: pages answer 200 without a restart", set(statuses) == {200})
    return ok


if __name__ == "__main__":
    sys.exit(main())
