"""Where an uncached page of the news-day mix spends its time: cProfile over the mix.

    .venv/bin/python bench/profile_mix.py --sqlite /tmp/newsday/sqlite-100000.sqlite3
    .venv/bin/python bench/profile_mix.py --database-url postgres://…/newsroom_newsday_100000
        [--requests 400] [--top 30] [--kinds older,tag,...] [--save profile.pstats]
        [--page-cache]

On a database that bench/newsday.py prepared (--keep), in one process through Django's
test client, page cache off (the kept sidebar lists stay on, as in the news day's "off"
run): bench/newsday.py's URL mix is picked, `--requests` paths are drawn from it with
its weights, run once unprofiled to warm the process, then again under cProfile. Prints
the mean time (wall clock and CPU time) and queries per kind of page, then the
profile's top functions by cumulative and by own time. Nothing is written to the
database but the mix's editor account.

With --page-cache the page cache is on (the settings' cache: the machine's files, each
process's memory with DJANGO_CACHE_DIR empty, or Redis with REDIS_URL): the first pass
stores every drawn page, so the timed and profiled passes are the hits of a primed
cache, what a request costs on a news day's steady state.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", type=Path, help="a prepared SQLite database file")
    where.add_argument("--database-url", help="a prepared PostgreSQL database")
    parser.add_argument("--requests", type=int, default=400, help="paths drawn from the mix")
    parser.add_argument("--top", type=int, default=30, help="functions listed per ordering")
    parser.add_argument("--kinds", help="only these kinds of the mix, comma-separated")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--save", type=Path, help="also write the raw profile here (pstats)")
    parser.add_argument(
        "--page-cache", action="store_true", help="page cache on: time and profile its hits"
    )
    args = parser.parse_args()
    if args.sqlite:
        os.environ["DJANGO_SQLITE_PATH"] = str(args.sqlite)
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        DJANGO_PAGE_CACHE_SECONDS="600" if args.page_cache else "0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_API_RATE_LIMIT="1000000000/m",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.newsday import EDITOR, MIX, PASSWORD, PICK_MIX

    captured = io.StringIO()
    with redirect_stdout(captured):
        exec(PICK_MIX % {"seed": args.seed, "editor": EDITOR, "password": PASSWORD}, {})
    mix = json.loads(captured.getvalue().strip().splitlines()[-1])["mix"]
    kinds = args.kinds.split(",") if args.kinds else list(mix)
    draws = [(kind, path) for kind in kinds for path in mix[kind] for _ in range(MIX[kind][1])]
    paths = random.Random(args.seed).choices(draws, k=args.requests)
    client = Client()

    def run_all(timings=None):
        for kind, path in paths:
            started, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            if timings is not None:
                timings[kind].append(
                    (
                        (time.perf_counter() - started) * 1000,
                        (time.process_time() - cpu) * 1000,
                        len(queries),
                    )
                )

    run_all()  # warm: imports, templates, the kept lists (and, with --page-cache, the pages)
    timings: dict[str, list] = defaultdict(list)
    run_all(timings)
    state = "page cache on, hits" if args.page_cache else "page cache off"
    print(f"{len(paths)} requests, {state}, unprofiled:")
    print(f"{'kind':<12} {'n':>4} {'mean ms':>8} {'p50 ms':>7} {'cpu ms':>7} {'queries':>8}")
    total = total_cpu = 0.0
    for kind in kinds:
        if not timings[kind]:
            continue
        ms, cpu, queries = zip(*timings[kind], strict=True)
        total, total_cpu = total + sum(ms), total_cpu + sum(cpu)
        print(
            f"{kind:<12} {len(ms):>4} {statistics.mean(ms):>8.1f} "
            f"{statistics.median(ms):>7.1f} {statistics.mean(cpu):>7.1f} "
            f"{statistics.mean(queries):>8.1f}"
        )
    print(
        f"mean over the mix: {total / len(paths):.1f} ms per request "
        f"({total_cpu / len(paths):.1f} ms of it CPU time of this process)"
    )
    started = time.perf_counter()
    for _ in range(len(paths)):
        client.get("/healthz/")
    ceiling = (time.perf_counter() - started) * 1000 / len(paths)
    print(f"/healthz/ (the ceiling's page) in the same process: {ceiling:.2f} ms per request\n")

    profile = cProfile.Profile()
    profile.enable()
    run_all()
    profile.disable()
    if args.save:
        profile.dump_stats(args.save)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
