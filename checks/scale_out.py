"""Scale-out check: two app servers share one PostgreSQL and one Redis.

    .venv/bin/python checks/scale_out.py [--postgres-url URL] [--redis-url URL]

Starts two gunicorn instances (A and B) on two ports against a fresh PostgreSQL
database and one Redis, with the seeds imported, then:
1. a reader loads an article through B (now in B's page cache, which is Redis);
2. an editor logs in through A in Chromium and corrects the article's title;
3. the editor's session cookie from A opens the admin on B (shared sessions);
4. the reader loads the article through B again: the new title, at once.
Prints each step; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import urllib.request
from pathlib import Path

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

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_scale_out"
REDIS_URL = "redis://127.0.0.1:6379/7"
# Chefredaktion: a Redaktion change to a live article would wait for approval.
EDITOR, PASSWORD = "chefin", "Scale-out-Check-2026!"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEW_TITLE = "Masterplan, in der Redaktion korrigiert"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    parser.add_argument("--redis-url", default=REDIS_URL, help="Redis database to use (flushed)")
    args = parser.parse_args()
    env = project_environment(
        DATABASE_URL=args.postgres_url,
        REDIS_URL=args.redis_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    recreate_postgres(args.postgres_url)
    try:
        prepare(env, args.redis_url)
        with Gunicorn(env, workers=2) as server_a, Gunicorn(env, workers=2) as server_b:
            return 0 if run_steps(server_a, server_b, env) else 1
    finally:
        drop_postgres(args.postgres_url)


def prepare(env: dict, redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_municipalities")  # the import refuses an empty register
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "import_seeds", "-v", "0")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User\n"
        f"user = User.objects.create_user({EDITOR!r}, password={PASSWORD!r}, is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Chefredaktion'))",
    )


def get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def redis_page_keys(env: dict) -> int:
    import redis

    return len(redis.Redis.from_url(env["REDIS_URL"]).keys("*page*"))


def run_steps(server_a: str, server_b: str, env: dict) -> bool:
    from playwright.sync_api import sync_playwright

    article_id, path = manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article\n"
        "a = Article.objects.get(title='Digitaler Masterplan')\n"
        "print(a.pk, a.get_absolute_url())",
    ).stdout.split()[-2:]
    print(f"A = {server_a}, B = {server_b}, article {path}")
    status, before = get(server_b + path)
    ok = report("B serves the article to a reader", status == 200 and NEW_TITLE not in before)
    ok &= report("B serves it again", get(server_b + path)[0] == 200)
    ok &= report("the page is stored in Redis, where A sees it too", redis_page_keys(env) > 0)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(f"{server_a}/admin/login/")
        page.fill("#id_username", EDITOR)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():  # click() does not wait for the page it loads
            page.click("input[type=submit]")
        page.goto(f"{server_a}/admin/articles/article/{article_id}/change/")
        page.fill("#id_title", NEW_TITLE)
        page.check("input[name=correction_kind][value=still]")
        with page.expect_navigation():
            page.click("input[name=_continue]")
        saved = "erfolgreich geändert" in page.content()
        cookies = page.context.cookies()
        browser.close()
    ok &= report("the editor corrects the title through A", saved)

    session = "; ".join(f"{c['name']}={c['value']}" for c in cookies if c["name"] == "sessionid")
    status, admin_page = get(f"{server_b}/admin/", cookie=session)
    ok &= report(
        "A's session cookie opens the admin on B", status == 200 and "Abmelden" in admin_page
    )
    status, after = get(server_b + path)
    ok &= report("B shows the new title at once", status == 200 and NEW_TITLE in after)
    return ok


if __name__ == "__main__":
    sys.exit(main())
