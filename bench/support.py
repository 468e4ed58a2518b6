"""What the benchmarks and checks share: throwaway PostgreSQL databases and app servers."""

from __future__ import annotations

import json
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


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if the process is still there after 30 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_ready(server, base: str, name: str, seconds: int) -> str:
    """`base` once its /readyz/ answers 200; stops `server` (a context manager with a
    process) and raises if it exits or does not answer in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            stderr = server.process.stderr.read().decode() if server.process.stderr else ""
            raise RuntimeError(f"{name} stopped: {stderr}")
        try:
            with urllib.request.urlopen(base + "/readyz/", timeout=2) as response:
                if response.status == 200:
                    return base
        except OSError:
            time.sleep(0.2)
    server.__exit__()
    raise RuntimeError(f"{name} did not become ready in {seconds} s")


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
        return wait_until_ready(self, f"http://127.0.0.1:{port}", "gunicorn", 60)

    def __exit__(self, *exc_info) -> None:
        stop(self.process)


VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"


class Varnish:
    """Debian's varnishd with the project's VCL (deploy/varnish/newsroom.vcl) in front
    of `backends` (base URLs, round robin) on a free port, for a `with` block; yields
    its base URL. stats() reads its counters (varnishstat)."""

    def __init__(self, backends: list[str], port: int | None = None, memory: str = "256m"):
        self.backends, self.port, self.memory = backends, port, memory

    def __enter__(self) -> str:
        if shutil.which("varnishd") is None:
            raise RuntimeError("varnishd is missing: apt-get install varnish varnish-modules")
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        self.workdir.chmod(0o755)
        (self.workdir / "backends.vcl").write_text(self._backends_vcl())
        port = self.port or free_port()
        self.process = subprocess.Popen(
            [
                "varnishd",
                "-F",  # in the foreground: stopped with the block
                "-j",
                "none",  # no jail: a throwaway instance of the user running the check
                "-n",
                str(self.workdir / "state"),
                "-a",
                f"127.0.0.1:{port}",
                "-T",
                "127.0.0.1:0",
                "-p",
                f"vcl_path={self.workdir}:{VCL.parent}",
                "-f",
                str(VCL),
                "-s",
                f"malloc,{self.memory}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return wait_until_ready(self, f"http://127.0.0.1:{port}", "varnishd", 30)

    def _backends_vcl(self) -> str:
        lines = []
        for number, url in enumerate(self.backends, 1):
            address = urlsplit(url)
            lines.append(
                f'backend app{number} {{ .host = "{address.hostname}"; '
                f'.port = "{address.port}"; .first_byte_timeout = 60s; }}'
            )
        lines.append("sub vcl_init {\n    new app = directors.round_robin();")
        lines.extend(f"    app.add_backend(app{n});" for n in range(1, len(self.backends) + 1))
        lines.append("}")
        return "\n".join(lines) + "\n"

    def stats(self) -> dict[str, int]:
        """MAIN counters: cache_hit, cache_miss, cache_hitmiss, n_object, ..."""
        output = subprocess.run(
            ["varnishstat", "-n", str(self.workdir / "state"), "-1", "-j"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        counters = json.loads(output)
        counters = counters.get("counters", counters)  # varnishstat 7 nests them
        return {
            name.removeprefix("MAIN."): entry["value"]
            for name, entry in counters.items()
            if name.startswith("MAIN.") and isinstance(entry, dict)
        }

    def __exit__(self, *exc_info) -> None:
        stop(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


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


# --- Serving benchmarks: a generated archive, wrk runs, tables (bench/serve.py, newsday.py) --


def serving_environment(**settings: str) -> dict:
    """The production-like settings of the serving benchmarks: DEBUG off, and a rate
    limit that one client asking all the time (wrk) counts but never reaches."""
    return project_environment(
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_API_RATE_LIMIT="1000000000/m",
        **settings,
    )


def note(message: str) -> None:
    """A progress line on stderr: stdout is kept for the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def serving_matrix(database: str, sizes: str) -> tuple[list[str], list[int]]:
    """The databases ("both" is both) and archive sizes ("1000,100000") of a serving
    benchmark, once wrk is there and the static files are collected (whitenoise serves
    them with DEBUG off); exits 1 without wrk."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (or: make bench-serve)")
    manage(serving_environment(), "collectstatic", "--noinput", "-v", "0")
    databases = ["sqlite", "postgres"] if database == "both" else [database]
    return databases, [int(size) for size in sizes.split(",")]


def generate_archive(env: dict, size: int, database: str, postgres_url: str = "") -> str:
    """Migrates the (empty) database of `env`, loads the register and generates `size`
    articles; returns generate_articles' own account of it."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_municipalities")
    generated = manage(env, "generate_articles", str(size)).stdout.strip()
    if database == "postgres":
        settle_postgres(postgres_url)
    return generated


def settle_postgres(url: str) -> None:
    """Measure a database in its steady state: after a bulk load, autovacuum would
    otherwise vacuum the new rows (and the checkpointer flush them) during the runs."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute("VACUUM (ANALYZE)")
        db.execute("CHECKPOINT")


def timed_get(url: str) -> tuple[float, int]:
    """Seconds and HTTP status of one GET."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        return time.perf_counter() - started, response.status


# wrk's Lua script drawing each request's path at random from a list (%s: the quoted
# paths, comma-separated; a path listed twice is drawn twice as often); every thread
# has a seed of its own, fixed, so that runs draw the same sequences.
WRK_RANDOM_PATHS_SCRIPT = """
local paths = {%s}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(seed * 7919)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""
# Appended to every script: the percentiles --latency does not print (p95), in µs.
WRK_PERCENTILES_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("percentiles_us %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(95), latency:percentile(99)))
end
"""
_WRK_PERCENTILES = re.compile(r"^percentiles_us (\d+) (\d+) (\d+) (\d+)$", re.MULTILINE)


def wrk(
    url: str,
    connections: int,
    duration: float,
    paths: list[str] | None = None,
    *,
    random_order: bool = False,
    timeout: str | None = None,
) -> dict:
    """wrk on one URL, or over `paths` on the server at `url` (in turn, or drawn at
    random): requests/s, requests, p50/p90/p95/p99 in ms, bad responses, socket errors."""
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        *([f"--timeout={timeout}"] if timeout else []),  # wrk's own: 2 s
    ]
    script = WRK_PERCENTILES_SCRIPT
    if paths:
        quoted = ", ".join(json.dumps(path) for path in paths)
        script = (WRK_RANDOM_PATHS_SCRIPT if random_order else WRK_PATHS_SCRIPT) % quoted + script
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        output = subprocess.run(
            [*command, "-s", file.name, url], capture_output=True, text=True, check=True
        ).stdout
    p50, p90, p95, p99 = (int(us) / 1000 for us in _WRK_PERCENTILES.search(output).groups())
    non_2xx_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": p50,
        "p90_ms": p90,
        "p95_ms": p95,
        "p99_ms": p99,
        "non_2xx_3xx": int(non_2xx_3xx.group(1)) if non_2xx_3xx else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def print_table(header: tuple, rows: list[tuple], markdown: bool = False) -> None:
    """Rows of strings under a header: aligned plain text, or a markdown table."""
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * width for width in widths)
    print(line)
    print("  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(line)
