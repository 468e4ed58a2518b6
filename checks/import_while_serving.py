"""Import-while-serving check: a full import runs while 32 readers load the site.

    .venv/bin/python checks/import_while_serving.py [--files 5000] [--connections 32]
                                                     [--database sqlite|postgres|both]

For each database: a fresh database with the register, gunicorn (2 workers, DEBUG off),
then wrk with `connections` connections cycling through home, filtered list, search,
feed, sitemap and an article page, in 10-second rounds, for as long as the import of
`files` generated seed files runs. Passes when:
- no response was a 5xx (or any other non-2xx/3xx) and wrk saw no socket errors,
- neither the import nor gunicorn logged "database is locked" or a traceback,
- the import exited 0, and every article the files contain is in the database exactly
  once (natural keys from parsing the files = natural keys in the database).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seedgen import SeedGenerator  # noqa: E402
from bench.support import (  # noqa: E402
    Gunicorn,
    Readers,
    drop_postgres,
    manage,
    project_environment,
    recreate_postgres,
    report,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_import_while_serving"
KEYS_CHECK = """
from pathlib import Path
from articles.importer.parse import parse_page
from articles.importer.persist import publication_time
from articles.importer.read import read_seed
from articles.models import Article, make_duplicate_key
expected = set()
for path in sorted(Path(%r).glob("*.txt")):
    page = parse_page(read_seed(path).text, source=str(path))
    for item in (page, *page.teasers):
        expected.add(make_duplicate_key(item.kicker, item.title, publication_time(item.published)))
stored = list(Article.objects.values_list("duplicate_key", flat=True))
print(len(expected), len(stored), len(set(stored)), len(expected - set(stored)))
"""


def check(database: str, args, work: Path, seeds: Path) -> bool:
    env = project_environment(DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_LOG_LEVEL="WARNING")
    if database == "sqlite":
        env["DJANGO_SQLITE_PATH"] = str(work / "serving.sqlite3")
    else:
        env["DATABASE_URL"] = args.postgres_url
        recreate_postgres(args.postgres_url)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_municipalities")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        server_log = work / f"gunicorn-{database}.log"
        with server_log.open("w") as log, Gunicorn(env, workers=2, stderr=log) as base:
            readers = Readers(base, args.connections)
            readers.start()
            imported = manage(env, "import_seeds", str(seeds), check=False)
            readers.stopping.set()
            readers.join()
        logged = server_log.read_text() + imported.stdout + imported.stderr
        expected, stored, distinct, missing = map(
            int, manage(env, "shell", "-c", KEYS_CHECK % str(seeds)).stdout.split()[-4:]
        )
    finally:
        if database == "postgres":
            drop_postgres(args.postgres_url)
    p99 = max(readers.p99_ms, default=float("nan"))
    print(
        f"[{database}] {readers.requests:,} requests in {readers.rounds} rounds of 10 s "
        f"during the import; worst p99 {p99:.0f} ms"
    )
    ok = report(
        f"[{database}] the import exits 0",
        imported.returncode == 0,
        imported.stdout.strip().splitlines()[0] if imported.stdout else "",
    )
    ok &= report(
        f"[{database}] the readers read the site during the whole import",
        readers.error is None and readers.requests > 0,
        repr(readers.error) if readers.error else f"{readers.requests:,} requests",
    )
    ok &= report(
        f"[{database}] no 5xx or other non-2xx/3xx responses",
        readers.bad_responses == 0,
        f"{readers.bad_responses} of {readers.requests:,}",
    )
    ok &= report(
        f"[{database}] no socket errors", readers.socket_errors == 0, str(readers.socket_errors)
    )
    ok &= report(
        f'[{database}] no "database is locked", no traceback',
        "database is locked" not in logged and "Traceback" not in logged,
    )
    ok &= report(
        f"[{database}] every article exactly once",
        stored == distinct == expected and missing == 0,
        f"{expected:,} in the files, {stored:,} rows, {distinct:,} distinct, {missing} missing",
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="newsroom-serving-") as folder:
        work = Path(folder)
        seeds = work / "seeds"
        SeedGenerator(seed=11).write_set(seeds, args.files, teaser_pool=args.files // 2)
        results = [check(database, args, work, seeds) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
