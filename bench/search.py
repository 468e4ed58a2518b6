"""Search benchmark: 20 typical queries over N generated articles, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--articles 100000] [--database sqlite|postgres|both]

For each database (a fresh one, measured in a subprocess because Django reads its
settings once): generate N articles, time the index build (rebuild_search_index), then
run every query REPEAT times as the results page does (count + first page) with the
full-text search and with a naive icontains search over the same fields, and report
median and p95 of each and the naive/full-text ratio. The full-text search counts and
ranks up to articles.search.RANKED_WINDOW hits ("1000+" in the per-query lines); the
naive search counts every hit and orders by date. Targets: p95 < 50 ms on
PostgreSQL, < 100 ms on SQLite.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_DB = "newsroom_bench_search"
TARGET_P95_MS = {"sqlite": 100.0, "postgres": 50.0}
REPEAT = 5
PAGE = 20

QUERIES = [
    "OZG",
    "Videochat",
    "E-Akte",
    "Digitalisierungsstrategie",
    "Görlitz",
    "goerlitz",
    "Kreis Unna",
    "Breitbandausbau",
    "Cloud",
    "IT-Sicherheit",
    "Onlinedienste",
    "Bürgerportal",
    "Kommunalwahlen",
    "Rechenzentrum",
    "Open Data",
    "Digitalisierungsstr",
    "Wahl-O-Mat",
    "Smart City",
    "Düsseldorf",
    "Förderung Breitband",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.articles)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = {database: run_worker(database, args.articles) for database in databases}
    print_report(results, args.articles)
    return 0


# --- Coordinator ------------------------------------------------------------------------


def run_worker(database: str, articles: int) -> dict:
    env = {**os.environ, "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench")}
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            env["DJANGO_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        else:
            recreate_postgres()
            env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + POSTGRES_BENCH_DB
        print(f"{database}: generating {articles} articles and measuring …", file=sys.stderr)
        completed = subprocess.run(
            [sys.executable, __file__, "--worker", database, "--articles", str(articles)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if database == "postgres":
            drop_postgres()
    if completed.returncode != 0:
        sys.exit(f"{database} worker failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _admin():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True)


def recreate_postgres() -> None:
    with _admin() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_BENCH_DB}")


def drop_postgres() -> None:
    with _admin() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")


def print_report(results: dict, articles: int) -> None:
    print(f"\nSearch benchmark: {articles} articles, {len(QUERIES)} queries × {REPEAT} runs")
    print("(each run = count + first page of 20, as the results page does)\n")
    header = (
        f"{'database':<10} {'index build':>12} {'FTS median':>11} {'FTS p95':>9} "
        f"{'naive median':>13} {'naive p95':>10} {'naive/FTS':>10} {'target p95':>11}"
    )
    print(header)
    print("-" * len(header))
    for database, r in results.items():
        target = TARGET_P95_MS[database]
        verdict = "PASS" if r["fts_p95_ms"] < target else "FAIL"
        print(
            f"{database:<10} {r['index_build_s']:>10.1f} s {r['fts_median_ms']:>8.1f} ms "
            f"{r['fts_p95_ms']:>6.1f} ms {r['naive_median_ms']:>10.1f} ms "
            f"{r['naive_p95_ms']:>7.1f} ms {r['naive_median_ms'] / r['fts_median_ms']:>9.1f}× "
            f"{'<' + str(int(target)) + ' ms ' + verdict:>11}"
        )
    for database, r in results.items():
        print(f"\n{database}: per query, median ms (FTS / naive) and FTS hits")
        for query, figures in r["per_query"].items():
            print(f"  {query:<28} {figures[0]:>7.1f} / {figures[1]:>7.1f}   {figures[2]!s:>6} hits")


# --- Worker: one database, configured by the environment --------------------------------


def worker(articles: int) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import Q

    from articles.models import Article
    from articles.search import search_articles

    quiet = StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_municipalities", stdout=quiet)
    call_command("generate_articles", articles, seed=1, without_search_index=True, stdout=quiet)
    started = time.perf_counter()
    call_command("rebuild_search_index", stdout=quiet)
    index_build = time.perf_counter() - started

    def fts(query):
        return search_articles(
            query, Article.objects.published().select_related("section")
        ).queryset

    def naive(query):
        match = Q()
        for word in query.split():
            match &= (
                Q(kicker__icontains=word)
                | Q(title__icontains=word)
                | Q(lead__icontains=word)
                | Q(body__icontains=word)
            )
        return (
            Article.objects.published()
            .select_related("section")
            .filter(match)
            .order_by("-published_at")
        )

    def timed(make_queryset, query):
        started = time.perf_counter()
        queryset = make_queryset(query)
        hits = queryset.count()
        list(queryset[:PAGE])
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, f"{hits}+" if getattr(queryset, "more_than_counted", False) else hits

    all_fts, all_naive, per_query = [], [], {}
    for query in QUERIES:
        timed(fts, query)  # warm caches once, as a running site has them
        fts_runs = [timed(fts, query) for _ in range(REPEAT)]
        naive_runs = [timed(naive, query) for _ in range(REPEAT)]
        all_fts += [ms for ms, _ in fts_runs]
        all_naive += [ms for ms, _ in naive_runs]
        per_query[query] = (
            statistics.median(ms for ms, _ in fts_runs),
            statistics.median(ms for ms, _ in naive_runs),
            fts_runs[0][1],
        )

    def p95(values):
        return statistics.quantiles(values, n=20)[-1]

    print(
        json.dumps(
            {
                "index_build_s": index_build,
                "fts_median_ms": statistics.median(all_fts),
                "fts_p95_ms": p95(all_fts),
                "naive_median_ms": statistics.median(all_naive),
                "naive_p95_ms": p95(all_naive),
                "per_query": per_query,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
