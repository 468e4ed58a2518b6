"""HTTP cache check: Varnish (xkey) in front of two app servers, purged on write.

    .venv/bin/python checks/varnish.py [--postgres-url URL]

Starts two gunicorn instances on one fresh PostgreSQL database with the seeds imported,
Debian's varnishd with the project's VCL (deploy/varnish/newsroom.vcl) in front of
both, and the purge worker (manage.py purge_http_cache). Then:
1. public pages are answered by Varnish itself the second time (X-Cache: HIT), without
   the cache keys, which are the proxy's business;
2. an article's title is changed with a raw SQL UPDATE (no Django, no signals: only the
   triggers know): its new title is visible through Varnish within a second, and so on
   a list that shows it;
3. pages that do not show the article stay cached (HIT; varnishstat counts the hits);
4. a logged-in editor passes Varnish (private, never stored), and a reader with a stray
   cookie gets the shared copy, which sets no cookie.
Prints each step; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    Gunicorn,
    Varnish,
    drop_postgres,
    free_port,
    manage,
    project_environment,
    recreate_postgres,
    report,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_varnish"
EDITOR, PASSWORD = "redakteurin", "Varnish-Check-2026!"
NEW_TITLE = "Masterplan, durch den Proxy berichtigt"
VISIBLE_WITHIN_S = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    args = parser.parse_args()
    port = free_port()
    env = project_environment(
        DATABASE_URL=args.postgres_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_PROXY_COUNT="1",  # Varnish
        # The app servers name their pages' keys; the worker purges them here.
        DJANGO_HTTP_CACHE_PURGE=f"http://127.0.0.1:{port}/",
    )
    recreate_postgres(args.postgres_url)
    try:
        prepare(env)
        with Gunicorn(env) as server_a, Gunicorn(env) as server_b:
            varnish = Varnish([server_a, server_b], port=port)
            with varnish as proxy:
                worker = subprocess.Popen(
                    [sys.executable, "manage.py", "purge_http_cache", "--interval", "0.1"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                try:
                    worker.stdout.readline()  # started: its first round purges everything
                    time.sleep(1)
                    return 0 if run_steps(varnish, proxy, server_a, args.postgres_url) else 1
                finally:
                    worker.terminate()
                    worker.wait(timeout=10)
    finally:
        drop_postgres(args.postgres_url)


def prepare(env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_municipalities")  # the import refuses an empty register
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "import_seeds", "-v", "0")
    manage(
        env,
        "shell",
        "-c",
        f"from django.contrib.auth.models import User\n"
        f"User.objects.create_user({EDITOR!r}, password={PASSWORD!r}, is_staff=True)",
    )


def fetch(url: str, cookie: str = "", opener=None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with (opener.open if opener else urllib.request.urlopen)(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode()


def database(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def run_steps(varnish: Varnish, proxy: str, app: str, postgres_url: str) -> bool:
    # The oldest public article: on no front page, in few sidebars.
    [(article_id, slug, title)] = database(
        postgres_url,
        "SELECT id, slug, title FROM articles_article WHERE status = 'published' "
        "AND NOT teaser_only ORDER BY published_at, id LIMIT 1",
    )
    article = f"/artikel/{slug}/"
    key = f"a{article_id}"
    candidates = ["/", "/archiv/", "/impressum/", "/feeds/rss/"] + [
        f"/artikel/{other}/"
        for (other,) in database(
            postgres_url,
            "SELECT slug FROM articles_article WHERE status = 'published' AND id <> %s "
            "ORDER BY published_at DESC LIMIT 12",
            [article_id],
        )
    ]
    carries = {path: key in fetch(app + path)[1].get("xkey", "").split() for path in candidates}
    unrelated = [path for path, has in carries.items() if not has]
    related = [path for path, has in carries.items() if has]

    ok = True
    for path in [article, *unrelated]:
        fetch(proxy + path)
    second = {path: fetch(proxy + path) for path in [article, *unrelated]}
    ok &= report(
        "second requests are Varnish hits",
        all(headers.get("X-Cache") == "HIT" for _, headers, _ in second.values()),
        f"{len(second)} pages",
    )
    ok &= report(
        "the keys stay inside the proxy",
        not any("xkey" in h or "Surrogate-Key" in h for _, h, _ in second.values()),
    )

    retitle(postgres_url, article_id, NEW_TITLE)
    changed_at = time.monotonic()
    seen = None
    while time.monotonic() - changed_at < 5:
        if NEW_TITLE in fetch(proxy + article)[2]:
            seen = time.monotonic() - changed_at
            break
        time.sleep(0.02)
    ok &= report(
        f"the raw UPDATE shows through Varnish within {VISIBLE_WITHIN_S:g} s",
        seen is not None and seen <= VISIBLE_WITHIN_S,
        "not within 5 s" if seen is None else f"after {seen * 1000:.0f} ms",
    )
    ok &= report(
        "a list that shows the article shows the new title",
        bool(related) and all(NEW_TITLE in fetch(proxy + path)[2] for path in related),
        ", ".join(related) or "no candidate page shows it",
    )
    hits_before = varnish.stats()
    after = {path: fetch(proxy + path)[1].get("X-Cache") for path in unrelated}
    ok &= report(
        "pages that do not show it stay cached",
        bool(unrelated) and all(state == "HIT" for state in after.values()),
        f"{sum(state == 'HIT' for state in after.values())} of {len(after)} hits",
    )
    hits_after = varnish.stats()
    ok &= report(
        "varnishstat counts those hits",
        hits_after["cache_hit"] - hits_before["cache_hit"] == len(unrelated),
        f"cache_hit {hits_before['cache_hit']} -> {hits_after['cache_hit']}",
    )
    ok &= check_cookies(proxy, article)
    retitle(postgres_url, article_id, title)
    return ok


def retitle(postgres_url: str, article_id: int, title: str) -> None:
    database(
        postgres_url, "UPDATE articles_article SET title = %s WHERE id = %s", [title, article_id]
    )


def check_cookies(proxy: str, article: str) -> bool:
    ok = True
    jar = http.cookiejar.CookieJar()
    editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{proxy}/admin/login/?next=/admin/"
    page = fetch(login, opener=editor)[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": EDITOR, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"}
    ).encode()
    editor.open(urllib.request.Request(login, data=form, headers={"Referer": login}), timeout=30)
    logged_in = any(cookie.name == "sessionid" for cookie in jar)
    ok &= report("the editor logs in through Varnish", logged_in)
    twice = [fetch(proxy + article, opener=editor)[1] for _ in range(2)]
    private = [
        h.get("X-Cache") == "MISS" and "private" in h.get("Cache-Control", "") for h in twice
    ]
    ok &= report(
        "a logged-in editor passes the proxy, privately",
        logged_in and all(private),
        ", ".join(f"{h.get('X-Cache')} {h.get('Cache-Control')}" for h in twice),
    )
    _, headers, _ = fetch(proxy + article, cookie="csrftoken=abc; _pk_id=1")
    ok &= report(
        "a reader with a stray cookie gets the shared copy, setting no cookie",
        headers.get("X-Cache") == "HIT" and "Set-Cookie" not in headers,
        f"{headers.get('X-Cache')}, Set-Cookie: {headers.get('Set-Cookie', 'none')}",
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
