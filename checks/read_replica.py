"""Read-replica check: public reads from a second PostgreSQL database, the rest from the primary.

    .venv/bin/python checks/read_replica.py [--primary-url URL] [--replica-url URL]

Prepares a primary (migrate, register, seeds, an editor), copies it into a second
database that stands in for the replica (CREATE DATABASE … TEMPLATE), and changes the
titles of three articles in the replica only, as replication would apply a change
(session_replication_role = replica: the content-version triggers do not fire). Then,
with gunicorn on DATABASE_URL and DATABASE_REPLICA_URL (page cache on):
1. an anonymous reader gets article A with the replica's title, and finds it by a word
   that only the replica's search index has;
2. an editor logs in (forms over HTTP); the admin and the public page show the editor
   the primary's title;
3. the editor saves a new title for article B: it is in the primary, not in the replica;
4. the replica is now behind the primary's content version: readers get B's new title
   and article D's primary title (the whole request reads from the primary);
5. the replica catches up (B's title and the version copied over, as replication
   would): a reader gets article C with the replica's title again.
Prints each step; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    Gunicorn,
    drop_postgres,
    manage,
    project_environment,
    recreate_postgres,
    report,
)

PRIMARY_URL = "postgres://postgres@127.0.0.1:5432/newsroom_replica_primary"
REPLICA_URL = "postgres://postgres@127.0.0.1:5432/newsroom_replica_copy"
EDITOR, PASSWORD = "chefin", "Replica-Check-2026!"
NEW_TITLE = "Masterplan, in der Redaktion korrigiert"
COUNTER = "articles_contentversion"
SEARCH_WORD = "Replikawort"  # in article A's search vector, in the replica only


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--primary-url", default=PRIMARY_URL, help="database to (re)create")
    parser.add_argument("--replica-url", default=REPLICA_URL, help="database to (re)create")
    args = parser.parse_args()
    env = project_environment(
        DATABASE_URL=args.primary_url,
        DATABASE_REPLICA_URL=args.replica_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    recreate_postgres(args.primary_url)
    try:
        articles = prepare(env, args.primary_url, args.replica_url)
        with Gunicorn(env, workers=2) as server:
            return 0 if run_steps(server, articles, args.primary_url, args.replica_url) else 1
    finally:
        drop_postgres(args.replica_url)
        drop_postgres(args.primary_url)


def connect(url: str):
    import psycopg

    return psycopg.connect(urlsplit(url)._replace(scheme="postgresql").geturl(), autocommit=True)


def replicate(url: str, statements: list[tuple[str, list]]) -> None:
    """Apply statements to the replica the way replication does: no triggers."""
    with connect(url) as db:
        db.execute("SET session_replication_role = replica")
        for statement, parameters in statements:
            db.execute(statement, parameters)


def prepare(env: dict, primary_url: str, replica_url: str) -> dict:
    """Primary ready, replica copied from it with three titles of its own; the articles
    by letter: (id, path, primary title, replica title)."""
    plain = env | {"DATABASE_REPLICA_URL": ""}  # the replica does not exist yet
    manage(plain, "migrate", "--noinput", "-v", "0")
    manage(plain, "load_municipalities")  # the import refuses an empty register
    manage(plain, "collectstatic", "--noinput", "-v", "0")
    manage(plain, "import_seeds", "-v", "0")
    output = manage(
        plain,
        "shell",
        "-c",
        "import json\n"
        "from django.contrib.auth.models import Group, User\n"
        "from articles.models import Article\n"
        f"user = User.objects.create_user({EDITOR!r}, password={PASSWORD!r}, is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Chefredaktion'))\n"
        "b = Article.objects.get(title='Digitaler Masterplan')\n"
        "others = Article.objects.published().exclude(pk=b.pk).order_by('-published_at')[:3]\n"
        "print(json.dumps([[a.pk, a.get_absolute_url(), a.title] for a in [b, *others]]))",
    ).stdout
    rows = json.loads(output.strip().splitlines()[-1])
    articles = {
        letter: (pk, path, title, f"REPLIKA-{letter} {title}")
        for letter, (pk, path, title) in zip("BACD", rows, strict=True)
    }
    recreate = connect(primary_url)
    with recreate:
        name = urlsplit(replica_url).path.lstrip("/")
        template = urlsplit(primary_url).path.lstrip("/")
        recreate.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        recreate.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    replicate(
        replica_url,
        [
            ("UPDATE articles_article SET title = %s WHERE id = %s", [replica_title, pk])
            for letter, (pk, _, _, replica_title) in articles.items()
            if letter != "B"
        ]
        + [
            (
                "UPDATE articles_article SET search_vector = search_vector || "
                "to_tsvector('german_unaccent', %s) WHERE id = %s",
                [SEARCH_WORD, articles["A"][0]],
            )
        ],
    )
    return articles


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, html.unescape(response.read().decode())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def title_of(url: str, pk: int) -> str:
    with connect(url) as db:
        return db.execute("SELECT title FROM articles_article WHERE id = %s", [pk]).fetchone()[0]


def version_of(url: str) -> int:
    with connect(url) as db:
        row = db.execute(f"SELECT version FROM {COUNTER} WHERE id = 1").fetchone()
        return row[0] if row else 0


def run_steps(server: str, articles: dict, primary_url: str, replica_url: str) -> bool:
    import mechanicalsoup

    a_pk, a_path, a_primary, a_replica = articles["A"]
    print(f"server {server}, article A {a_path}")
    status, page = get(server + a_path)
    ok = report(
        "1. an anonymous reader gets A from the replica",
        status == 200 and a_replica in page,
        f"HTTP {status}",
    )
    ok &= report("   and again (page cache)", a_replica in get(server + a_path)[1])
    status, page = get(f"{server}/suche/?q={SEARCH_WORD}")
    ok &= report(
        "   a search finds A by a word only the replica's index has",
        status == 200 and a_replica in page,
        f"HTTP {status}",
    )

    b_pk, b_path, b_primary, _ = articles["B"]
    editor = mechanicalsoup.StatefulBrowser()
    editor.open(f"{server}/admin/login/?next=/admin/")
    editor.select_form("#login-form")
    editor["username"], editor["password"] = EDITOR, PASSWORD
    logged_in = editor.submit_selected()
    ok &= report(
        "2. an editor logs in",
        logged_in.status_code == 200 and "/admin/login/" not in logged_in.url,
    )
    editor.open(f"{server}/admin/articles/article/{a_pk}/change/")
    admin_title = editor.select_form("#article_form").form.find("input", {"name": "title"})
    admin_title = admin_title.get("value") if admin_title else None
    ok &= report(
        "   the admin shows the editor the primary's title of A",
        admin_title == a_primary,
        repr(admin_title),
    )
    public = html.unescape(editor.open(server + a_path).text)
    ok &= report(
        "   so does the public page, to the logged-in editor",
        a_primary in public and a_replica not in public,
    )
    editor.open(f"{server}/admin/articles/article/{b_pk}/change/")
    editor.select_form("#article_form")
    editor["title"] = NEW_TITLE
    editor["correction_kind"] = "still"
    saved = "erfolgreich geändert" in editor.submit_selected(btnName="_continue").text
    ok &= report(
        "3. the editor's save goes to the primary",
        saved and title_of(primary_url, b_pk) == NEW_TITLE,
        f"primary: {title_of(primary_url, b_pk)!r}",
    )
    ok &= report("   and not to the replica", title_of(replica_url, b_pk) == b_primary)
    primary_version, replica_version = version_of(primary_url), version_of(replica_url)
    ok &= report(
        "   the replica is now behind",
        replica_version < primary_version,
        f"content version {replica_version} < {primary_version}",
    )

    status, page = get(server + b_path)
    ok &= report(
        "4. a reader gets B's new title at once (read from the primary)",
        status == 200 and NEW_TITLE in page,
    )
    _, d_path, d_primary, d_replica = articles["D"]
    status, page = get(server + d_path)
    ok &= report(
        "   and D's primary title: nothing is read from a replica that is behind",
        status == 200 and d_primary in page and d_replica not in page,
    )

    replicate(
        replica_url,
        [
            ("UPDATE articles_article SET title = %s WHERE id = %s", [NEW_TITLE, b_pk]),
            (f"UPDATE {COUNTER} SET version = %s WHERE id = 1", [primary_version]),
        ],
    )
    _, c_path, _, c_replica = articles["C"]
    status, page = get(server + c_path)
    ok &= report(
        "5. the replica caught up: a reader gets C from the replica again",
        status == 200 and c_replica in page,
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
