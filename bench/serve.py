"""Serving benchmark: gunicorn (2 workers, DEBUG off) driven by wrk, on SQLite and PostgreSQL.

    .venv/bin/python bench/serve.py [--database sqlite|postgres|both] [--sizes 1000,100000]
                                    [--duration 10] [--connections 64]

For each database and archive size: a fresh database with the register and N generated
articles, gunicorn on a free port, then for every page a cold request (the first, a page
cache miss: what rendering costs), a 2-second warm-up and a wrk run (requests/s, p50,
p99, errors). Each
page's rate is reported as a share of the /healthz/ ceiling measured in the same run
(no database, no template), and p50 at the largest size as a ratio of the smallest.
Exits 1 when a measurement could not be made; a missed target is reported, not fatal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import (  # noqa: E402
    Gunicorn,
    drop_postgres,
    generate_archive,
    manage,
    note,
    print_table,
    recreate_postgres,
    serving_environment,
    serving_matrix,
    timed_get,
    wrk,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_serve"
FLAT_TARGET = 1.5  # p50 at the largest size / p50 at the smallest
SITEMAP_PART_TARGET_S = 1.0

# (label, share-of-ceiling target); the URL of each is found in the generated data.
PAGES = [
    ("healthz", None),
    ("home", 0.50),
    ("home, 2 filters", 0.25),
    ("article", 0.50),
    ("tag", 0.25),
    ("feed (RSS)", 0.25),
    ("search", 0.20),
    ("sitemap index", 0.25),
    ("sitemap part", 0.25),
    ("api list", 0.50),
    ("api detail", 0.50),
]
# The content API with the page cache off (a second gunicorn), each over a mix of URLs:
# list pages of every kind (filters, later pages by cursor) and article details; with
# the article fragments cached (articles.api.fragments), and with them off as well.
UNCACHED_PAGES = [
    ("api list, uncached", 0.15),
    ("api list, uncached, no fragments", None),
    ("api list, uncached mix", 0.15),
    ("api list, uncached mix, no fragments", None),
    ("api detail, uncached mix", 0.15),
]
UNCACHED_SETTINGS = {"DJANGO_PAGE_CACHE_SECONDS": "0"}
NO_FRAGMENTS = {**UNCACHED_SETTINGS, "DJANGO_API_FRAGMENT_SECONDS": "0"}

PICK_URLS = """
import json
from django.db.models import Count
from articles.models import Article, Section, Tag
article = Article.objects.published().full().first()
section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
tag = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n").first()
year = article.published_at.year - 1
from articles.api.paging import encode_cursor
from articles.models import Municipality
sample = list(Article.objects.published().order_by("?").only("slug", "published_at")[:300])
api_details = [f"/api/v1/articles/{a.slug}" for a in sample]
later_pages = [
    "/api/v1/articles?cursor=" + encode_cursor("after", [a.published_at.isoformat(), a.pk])
    for a in sample[:150]
]
busy_tags = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n")[:20]
places = Municipality.objects.filter(articles__isnull=False).distinct().order_by("?")[:20]
filters = (
    [f"/api/v1/articles?section={s.slug}" for s in Section.objects.all()]
    + [f"/api/v1/articles?tag={t.slug}" for t in busy_tags]
    + [f"/api/v1/articles?municipality={p.ags or p.slug}" for p in places]
    + [f"/api/v1/articles?year={y}&kind=bericht" for y in range(year - 5, year + 1)]
)
api_lists = ["/api/v1/articles", *later_pages, *filters]
print(json.dumps({
    "healthz": "/healthz/",
    "home": "/",
    "home, 2 filters": f"/?bereich={section.slug}&jahr={year}",
    "article": article.get_absolute_url(),
    "tag": f"/themen/{tag.slug}/",
    "feed (RSS)": "/feeds/rss/",
    "search": "/suche/?q=Digitalisierung",
    "sitemap index": "/sitemap.xml",
    "sitemap part": "/sitemap-artikel.xml?p=1",
    "api list": "/api/v1/articles",
    "api detail": f"/api/v1/articles/{article.slug}",
    "api list, uncached": ["/api/v1/articles"],
    "api list, uncached mix": api_lists,
    "api detail, uncached mix": api_details,
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="1000,100000", help="article counts, comma-separated")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--only",
        help='pages whose label starts with one of these, comma-separated ("api,home"); '
        "the /healthz/ ceiling is always measured",
    )
    args = parser.parse_args()
    databases, sizes = serving_matrix(args.database, args.sizes)
    results, failed = {}, False
    for database in databases:
        for size in sizes:
            try:
                results[(database, size)] = measure(database, size, args)
            except Exception as error:  # report it, go on with the other measurements
                note(f"{database}, {size:,} articles: failed: {error}")
                failed = True
    print_report(results, databases, sizes, args)
    if args.json:
        rows = [{"database": db, "articles": n, **figures} for (db, n), figures in results.items()]
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if failed else 0


def selected(pages: list[tuple], args) -> list[tuple]:
    if not args.only:
        return pages
    prefixes = tuple(prefix.strip() for prefix in args.only.split(","))
    return [page for page in pages if page[0] == "healthz" or page[0].startswith(prefixes)]


def measure(database: str, size: int, args) -> dict:
    env = serving_environment()
    work = Path(tempfile.mkdtemp(prefix="newsroom-serve-"))
    try:
        if database == "sqlite":
            env["DJANGO_SQLITE_PATH"] = str(work / "serve.sqlite3")
        else:
            env["DATABASE_URL"] = args.postgres_url
            recreate_postgres(args.postgres_url)
        started = time.perf_counter()
        generated = generate_archive(env, size, database, args.postgres_url)
        setup_s = time.perf_counter() - started
        note(f"{database}, {size:,} articles: ready in {setup_s:.0f} s ({generated})")
        urls = json.loads(manage(env, "shell", "-c", PICK_URLS).stdout.strip().splitlines()[-1])
        with Gunicorn(env, args.workers) as base:
            figures = {"setup_s": setup_s, "generated": generated, "pages": {}}
            for label, _ in selected(PAGES, args):
                url = base + urls[label]
                cold_s, status = timed_get(url)  # the first request: a page cache miss
                # Every worker keeps its own cache without Redis: warm them all (a short
                # discarded run) so that one worker's first miss does not stall the run.
                wrk(url, args.connections, 2)
                load = wrk(url, args.connections, args.duration)
                figures["pages"][label] = {"url": urls[label], "cold_s": cold_s, **load}
                note(
                    f"  {label}: HTTP {status}, cold {cold_s * 1000:.0f} ms, "
                    f"{load['rps']:,.0f} req/s, p50 {load['p50_ms']:.1f} ms, "
                    f"p99 {load['p99_ms']:.1f} ms"
                )
            figures["sitemap_parts"] = sitemap_part_times(base)
        for label, _ in selected(UNCACHED_PAGES, args):
            settings = NO_FRAGMENTS if label.endswith("no fragments") else UNCACHED_SETTINGS
            paths = urls[label.removesuffix(", no fragments")]
            with Gunicorn({**env, **settings}, args.workers) as uncached:
                cold_s, status = timed_get(uncached + paths[0])
                wrk(uncached, args.connections, 2, paths)
                load = wrk(uncached, args.connections, args.duration, paths)
            figures["pages"][label] = {"url": f"{len(paths)} URLs", "cold_s": cold_s, **load}
            note(
                f"  {label}: HTTP {status}, {len(paths)} URLs, {load['rps']:,.0f} req/s, "
                f"p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms"
            )
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if database == "postgres":
            drop_postgres(args.postgres_url)


def sitemap_part_times(base: str) -> dict[str, float]:
    """Every part the sitemap index lists, fetched cold: the 1-second target."""
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=60) as response:
        index = response.read().decode()
    times = {}
    for location in re.findall(r"<loc>([^<]+)</loc>", index):
        parts = urlsplit(location)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        times[path] = timed_get(base + path)[0]
    return times


# --- The report ----------------------------------------------------------------------------


def print_report(results: dict, databases: list[str], sizes: list[int], args) -> None:
    print(
        f"\nServing benchmark: gunicorn {args.workers} workers, wrk {args.connections} "
        f"connections x {args.duration} s per page, {os.cpu_count()} cores\n"
    )
    header = (
        "database",
        "articles",
        "page",
        "req/s",
        "of ceiling",
        "target",
        "p50 ms",
        "p99 ms",
        "cold ms",
        "errors",
        "result",
    )
    rows = []
    for (database, size), figures in results.items():
        pages = figures["pages"]
        ceiling = pages["healthz"]["rps"]
        for label, target in PAGES + UNCACHED_PAGES:
            if label not in pages:
                continue
            page = pages[label]
            share = page["rps"] / ceiling
            errors = page["non_2xx_3xx"] + page["socket_errors"]
            ok = errors == 0 and (target is None or share >= target)
            rows.append(
                (
                    database,
                    f"{size:,}",
                    label,
                    f"{page['rps']:,.0f}",
                    f"{share:.0%}",
                    ("ceiling" if label == "healthz" else "-")
                    if target is None
                    else f">= {target:.0%}",
                    f"{page['p50_ms']:.1f}",
                    f"{page['p99_ms']:.1f}",
                    f"{page['cold_s'] * 1000:.0f}",
                    str(errors),
                    "PASS" if ok else "FAIL",
                )
            )
    print_table(header, rows)

    smallest, largest = min(sizes), max(sizes)
    if smallest != largest:
        print(
            f"\nFlat cost: p50 at {largest:,} articles / p50 at {smallest:,} "
            f"(target <= {FLAT_TARGET}x)"
        )
        flat_rows = []
        for database in databases:
            small, large = results.get((database, smallest)), results.get((database, largest))
            if not (small and large):
                continue
            for label, _ in PAGES + UNCACHED_PAGES:
                if label not in small["pages"] or label not in large["pages"]:
                    continue
                before, after = small["pages"][label], large["pages"][label]
                ratio = after["p50_ms"] / before["p50_ms"]
                cold = after["cold_s"] / before["cold_s"]
                flat_rows.append(
                    (
                        database,
                        label,
                        f"{before['p50_ms']:.1f}",
                        f"{after['p50_ms']:.1f}",
                        f"{ratio:.2f}x",
                        f"{cold:.2f}x",
                        "PASS" if ratio <= FLAT_TARGET else "FAIL",
                    )
                )
        print_table(
            ("database", "page", "p50 small", "p50 large", "ratio", "cold ratio", "result"),
            flat_rows,
        )

    print(f"\nSitemap parts, cold (target < {SITEMAP_PART_TARGET_S:.0f} s each)")
    part_rows = []
    for (database, size), figures in results.items():
        parts = figures["sitemap_parts"]
        slowest = max(parts, key=parts.get)
        ok = parts[slowest] < SITEMAP_PART_TARGET_S
        part_rows.append(
            (
                database,
                f"{size:,}",
                str(len(parts)),
                slowest,
                f"{parts[slowest] * 1000:.0f} ms",
                "PASS" if ok else "FAIL",
            )
        )
    print_table(("database", "articles", "parts", "slowest part", "time", "result"), part_rows)


if __name__ == "__main__":
    sys.exit(main())
