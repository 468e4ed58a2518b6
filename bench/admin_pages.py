"""Admin page cost at a given number of articles: query counts and median page time.

    .venv/bin/python bench/admin_pages.py 200 20000

For each size: a fresh SQLite database under /tmp, the full municipality register,
`generate_articles N`, then 20 requests each to the article changelist and one article's
change page through Django's test client, logged in as a superuser (first request of
each page not counted: it warms caches). Each size runs in its own process, because
the database path is read when the settings load.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 20


def measure(count: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("load_municipalities", verbosity=0)
    started = time.perf_counter()
    call_command("generate_articles", str(count), "--seed", "1", verbosity=0)
    generated = time.perf_counter() - started
    user = User.objects.create_superuser("bench", password="bench-passwort-123")
    client = Client()
    client.force_login(user)
    article = Article.objects.filter(teaser_only=False).order_by("-published_at").first()
    pages = {
        "changelist": "/admin/articles/article/",
        "change": f"/admin/articles/article/{article.pk}/change/",
        "changelist search": "/admin/articles/article/?q=Digitalstrategie",
    }
    print(f"{count} articles (generated in {generated:.1f} s)")
    for name, url in pages.items():
        client.get(url)
        timings, queries = [], 0
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        median = statistics.median(timings) * 1000
        print(f"  {name:18} {queries:3d} queries, median {median:6.1f} ms")


def main(sizes: list[int]) -> None:
    for count in sizes:
        database = Path(f"/tmp/newsroom-bench-admin-{count}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SQLITE_PATH": str(database),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-key"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        subprocess.run([sys.executable, __file__, "--measure", str(count)], env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(int(sys.argv[2]))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [200, 20000])
