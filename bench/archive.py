"""Archive-size figures on an existing database: search, uncached pages, sitemap parts.

    .venv/bin/python bench/archive.py --database-url postgres://…/newsroom_1m [--articles 200]

For databases too large to generate on every run (1,000,000 articles: see
docs/deployment.md for how that one was built). Nothing is written. In one process,
with the page cache and the API fragment cache off:
- search: bench/search.py's 20 queries, each warmed once and then run REPEAT times as
  the results page does (count + first page of 20); median and p95;
- uncached pages through Django's test client: `--articles` random published full article
  pages, each fetched once (p50, p95), the home page, the archive and each section
  front (median of 5);
- the sitemap index, and each of its parts once (of the article parts, five spread
  over the archive).
A statement that runs longer than --timeout is cancelled and its page reported as
timed out. Prints each figure as it is measured, then a JSON line with all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an existing, migrated database")
    parser.add_argument("--articles", type=int, default=200, help="random article pages")
    parser.add_argument("--seed", type=float, default=0.42, help="setseed() for the sample")
    parser.add_argument("--skip-search", action="store_true", help="pages and sitemaps only")
    parser.add_argument(
        "--timeout", type=float, default=120, help="statement_timeout in seconds (reported)"
    )
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_API_FRAGMENT_SECONDS="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SITE_URL="http://testserver",
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    import django

    django.setup()
    from django.db import DatabaseError, connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    from articles.models import Article, Section

    def limit_statements(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")

    connection_created.connect(limit_statements)
    figures: dict = {"load_before": os.getloadavg()[0], "timeout_s": args.timeout}
    figures["articles_in_database"] = Article.objects.count()
    figures["published"] = Article.objects.published().count()
    note(
        f"{figures['articles_in_database']:,} articles ({figures['published']:,} published); "
        f"page cache and fragment cache off; statements cut at {args.timeout:.0f} s; "
        f"load average {figures['load_before']:.1f}"
    )
    if args.skip_search:
        figures["search"] = {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
        figures["search"]["per_query_median_ms"] = {}
    else:
        figures["search"] = measure_search()
    search = figures["search"]
    note(
        f"search ({search['n']} runs): median {search['p50_ms']:.1f} ms, "
        f"p95 {search['p95_ms']:.1f} ms, max {search['max_ms']:.1f} ms"
    )
    for query, ms in search["per_query_median_ms"].items():
        note(f"  {query:<28} {ms:>7.1f} ms")
    client = Client()

    def fetch(path: str) -> float | None:
        """Milliseconds, or None when a statement ran into the timeout."""
        started = time.perf_counter()
        try:
            response = client.get(path)
        except DatabaseError as error:
            note(f"  {path}: {str(error).splitlines()[0]}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        return elapsed

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [args.seed])
        cursor.execute(
            "SELECT slug FROM articles_article WHERE status = 'published' "
            "AND published_at <= now() AND NOT teaser_only ORDER BY random() LIMIT %s",
            [args.articles],
        )
        slugs = [row[0] for row in cursor.fetchall()]
    paths = [Article(slug=slug).get_absolute_url() for slug in slugs]
    fetch(paths[0])  # templates compiled, connection open: a running server's state
    figures["article"] = summary([fetch(path) for path in paths])
    article = figures["article"]
    note(
        f"article pages ({article['n']} random, uncached): p50 {article['p50_ms']:.1f} ms, "
        f"p95 {article['p95_ms']:.1f} ms, max {article['max_ms']:.1f} ms"
    )
    pages = {"home": "/", "archive": "/archiv/"}
    pages |= {f"section {s.slug}": s.get_absolute_url() for s in Section.objects.all()}
    figures["pages"] = {}
    for label, path in pages.items():
        times = [fetch(path) for _ in range(5)]
        figures["pages"][label] = None if None in times else statistics.median(times)
        note(f"  {label:<28} {show(figures['pages'][label])} (median of 5)")
    figures["sitemap_index_ms"] = fetch("/sitemap.xml")
    note(f"sitemap index: {show(figures['sitemap_index_ms'])}")
    parts = {}
    for path in sitemap_parts():
        parts[path] = fetch(path)
        note(f"  {path:<40} {show(parts[path])}")
    figures["sitemap_parts_ms"] = parts
    figures["load_after"] = os.getloadavg()[0]
    note(f"load average {figures['load_after']:.1f} at the end")
    print(json.dumps(figures))
    return 0


def sitemap_parts() -> list[str]:
    """Every part of the index but the article parts (1,000 articles each: 900 of them
    at 1,000,000 articles), of which the first, the last and three between."""
    from articles.models import Article
    from articles.public.sitemaps import SITEMAPS, ArticleSitemap

    full = Article.objects.published().full().count()
    count = max(1, -(-full // ArticleSitemap.limit))
    pages = sorted({1, count // 4 or 1, count // 2 or 1, 3 * count // 4 or 1, count})
    parts = []
    for section in SITEMAPS:
        if section == "news":
            continue  # its own URL, and a 404 while nothing is recent
        if section == "artikel":
            parts += [f"/sitemap-artikel.xml?p={page}" for page in pages]
        else:
            parts.append(f"/sitemap-{section}.xml")
    return parts


def note(message: str) -> None:
    print(message, flush=True)


def show(ms: float | None) -> str:
    return "timed out" if ms is None else f"{ms:>7.1f} ms"


def summary(values: list[float | None]) -> dict:
    timed_out = values.count(None)
    values = [value for value in values if value is not None]
    ordered = sorted(values)
    return {
        "n": len(values),
        "timed_out": timed_out,
        "p50_ms": statistics.median(values),
        "p95_ms": statistics.quantiles(values, n=20)[-1],
        "max_ms": ordered[-1],
    }


def measure_search() -> dict:
    from articles.models import Article
    from articles.search import search_articles
    from bench.search import PAGE, QUERIES, REPEAT

    def timed(query):
        started = time.perf_counter()
        queryset = search_articles(
            query, Article.objects.published().select_related("section")
        ).queryset
        queryset.count()
        list(queryset[:PAGE])
        return (time.perf_counter() - started) * 1000

    runs, per_query = [], {}
    for query in QUERIES:
        timed(query)  # warm caches once, as a running site has them
        times = [timed(query) for _ in range(REPEAT)]
        runs += times
        per_query[query] = statistics.median(times)
    return {**summary(runs), "per_query_median_ms": per_query}


if __name__ == "__main__":
    sys.exit(main())
