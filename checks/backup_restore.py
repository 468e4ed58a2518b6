"""Backup and restore check: the documented backup path round-trips the whole archive.

    .venv/bin/python checks/backup_restore.py [--database sqlite|postgres|both]

For each database: import the seeds into a fresh database, correct an article through
the ORM (a history version and an editor lock), then back it up the documented way
(SQLite: the online backup API, what `sqlite3 .backup` does; PostgreSQL: pg_dump
--format=custom, pg_restore into a new database) and compare, before and after:
- export_articles (every article as JSON),
- dumpdata of every model (history, users, tags, register, sessions included),
- the search: the same query finds the same articles.
Prints each comparison; exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    drop_postgres,
    manage,
    project_environment,
    recreate_postgres,
)

POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432"
CORRECTION = """
from articles.models import Article
article = Article.objects.get(title="Digitaler Masterplan")
article.title = "Digitaler Masterplan für den Kreis Unna"
article.mark_edited("title")
article._change_reason = "Titel präzisiert"
article.save()
article.tags.add("Backup-Prüfung")
"""
SEARCH = """
from articles.models import Article
from articles.search import search_articles
result = search_articles("Masterplan Unna", Article.objects.published())
print(sorted(article.pk for article in result.queryset[:100]))
"""


def snapshot(env: dict) -> dict[str, str]:
    return {
        "export_articles": manage(env, "export_articles").stdout,
        "dumpdata (every model)": manage(env, "dumpdata", "--indent", "1").stdout,
        "search results": manage(env, "shell", "-c", SEARCH).stdout.strip().splitlines()[-1],
    }


def fill(env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_municipalities")
    manage(env, "import_seeds", "-v", "0")
    manage(env, "shell", "-c", CORRECTION)


def check_sqlite(work: Path) -> bool:
    source, env = project_environment(), project_environment()
    source["DJANGO_SQLITE_PATH"] = str(work / "live.sqlite3")
    env["DJANGO_SQLITE_PATH"] = str(work / "restored.sqlite3")
    fill(source)
    before = snapshot(source)
    live, copy = sqlite3.connect(work / "live.sqlite3"), sqlite3.connect(work / "restored.sqlite3")
    with copy:
        live.backup(copy)
    live.close(), copy.close()
    return compare("sqlite", before, snapshot(env))


def check_postgres(work: Path) -> bool:
    live_url, restored_url = (
        f"{POSTGRES_ADMIN}/newsroom_backup_live",
        f"{POSTGRES_ADMIN}/newsroom_backup_restored",
    )
    source, env = project_environment(), project_environment()
    source["DATABASE_URL"], env["DATABASE_URL"] = live_url, restored_url
    recreate_postgres(live_url)
    recreate_postgres(restored_url)
    try:
        fill(source)
        before = snapshot(source)
        dump = work / "newsroom.dump"
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={dump}",
                live_url.replace("postgres:", "postgresql:"),
            ],
            check=True,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored_url}", str(dump)], check=True
        )
        return compare("postgres", before, snapshot(env))
    finally:
        drop_postgres(live_url)
        drop_postgres(restored_url)


def compare(database: str, before: dict, after: dict) -> bool:
    ok = True
    for name, text in before.items():
        same = text == after[name]
        size = f"{len(text):,} characters" if len(text) > 200 else text
        print(f"{'PASS' if same else 'FAIL'}  [{database}] {name} identical after restore ({size})")
        ok &= same
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    checks = {"sqlite": check_sqlite, "postgres": check_postgres}
    databases = list(checks) if args.database == "both" else [args.database]
    with tempfile.TemporaryDirectory(prefix="newsroom-backup-") as work:
        results = [checks[database](Path(work)) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
