"""Load check: 60 seconds of 32 concurrent readers over a mix of pages.

    .venv/bin/python checks/load_mix.py [--articles 10000] [--seconds 60] [--connections 32]
                                        [--database sqlite|postgres|both]

For each database: a fresh database with the register and generated articles, gunicorn
(2 workers, DEBUG off), then wrk over the reader mix of bench/support.py (home, a
filtered list, two searches, the feed, the sitemap, the archive, the imprint). Passes
with zero non-2xx/3xx responses and zero socket errors; prints requests/s, p50 and p99.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    Gunicorn,
    Readers,
    drop_postgres,
    manage,
    project_environment,
    recreate_postgres,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_load_mix"


def check(database: str, args, work: Path) -> bool:
    env = project_environment(DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_LOG_LEVEL="WARNING")
    if database == "sqlite":
        env["DJANGO_SQLITE_PATH"] = str(work / "load.sqlite3")
    else:
        env["DATABASE_URL"] = args.postgres_url
        recreate_postgres(args.postgres_url)
    try:
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["load_municipalities"],
            ["generate_articles", str(args.articles)],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            manage(env, *command)
        with Gunicorn(env, workers=2) as base:
            readers = Readers(base, args.connections, round_s=args.seconds, rounds=1)
            readers.run()
    finally:
        if database == "postgres":
            drop_postgres(args.postgres_url)
    ok = readers.clean
    if readers.error:
        print(f"FAIL  [{database}] the readers stopped: {readers.error!r}")
    print(
        f"{'PASS' if ok else 'FAIL'}  [{database}] {args.seconds} s x {args.connections} "
        f"connections: {readers.requests:,} requests ({readers.requests / args.seconds:,.0f}/s), "
        f"{readers.bad_responses} non-2xx/3xx, {readers.socket_errors} socket errors, "
        f"p50 {readers.p50_ms[0]:.1f} ms, p99 {readers.p99_ms[0]:.1f} ms",
        flush=True,
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="newsroom-load-") as folder:
        results = [check(database, args, Path(folder)) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
