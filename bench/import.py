"""Import benchmark: parse rate, import rates and queries per file, on SQLite and PostgreSQL.

Not a test: it prints a table of figures against their targets and exits 0 even when a
target is missed; only a failing import (or a crashed measurement) exits 1.

    .venv/bin/python bench/import.py [--files 5000] [--database sqlite|postgres|both]

Each database is measured in a subprocess of this script (Django reads its settings once
per process): a fresh database, migrate, load_municipalities, then three imports of the
same generated files (first, unchanged, --force) and query counts for a probe set of files
on the empty and on the full database. The imports record their runs, files and findings
as the command does. For the cost of recording, further subprocesses measure the first
import alone on fresh databases, alternately with recording off and on (FIRST_ONLY_ROUNDS
each); the best rate of each side is compared, since a shared machine only slows runs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seedgen import SeedGenerator  # noqa: E402
from bench.support import drop_postgres, recreate_postgres  # noqa: E402

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"

PARSE_TARGET = 1000  # files/s, read + parse
IMPORT_TARGET = 300  # articles/s, first import on SQLite
SKIP_RATIO_TARGET = 5  # first import time / unchanged run time
RECORDING_COST_TARGET = 0.15  # recorded first import at most 15 % slower than unrecorded
FIRST_ONLY_ROUNDS = 2  # pairs of first-import-only runs, recording off and on
QUERY_GROWTH_TOLERANCE = 1.05  # queries/file on the full database vs the empty one


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=5000, help="seed files to generate")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="sqlite",
        help="default sqlite: both databases take longer than the ~5 minutes of a default run",
    )
    parser.add_argument("--probe-files", type=int, default=200, help="files for query counts")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="database to (re)create")
    parser.add_argument("--seed", type=int, default=20240423, help="random seed of the files")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: sqlite | postgres
    parser.add_argument("--work-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first-only", choices=["on", "off"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.work_dir, first_only=args.first_only)
    return coordinate(args)


# --- The coordinating process: files, parse rate, one subprocess per database --------------


def coordinate(args) -> int:
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    try:
        figures = {"files": args.files, "probe_files": args.probe_files}
        figures["load_before"] = os.getloadavg()[0]
        started = time.perf_counter()
        generator = SeedGenerator(seed=args.seed)
        generator.write_set(work / "seeds", args.files, teaser_pool=max(args.files // 2, 5))
        # The probe set has its own teasers, so that it does the same work on any database.
        generator.write_set(work / "probe", args.probe_files, teaser_pool=args.probe_files)
        figures["generate_s"] = time.perf_counter() - started
        figures["bytes"] = sum(p.stat().st_size for p in (work / "seeds").iterdir())
        note(f"generated {args.files} + {args.probe_files} files in {figures['generate_s']:.1f} s")
        figures["parse"] = measure_parse(sorted((work / "seeds").iterdir()))
        note(f"parsed at {figures['parse']['files_per_s']:.0f} files/s")

        databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
        for database in databases:
            rates = {"off": [], "on": []}
            for _ in range(FIRST_ONLY_ROUNDS):
                for recording in ("off", "on"):
                    alone = run_worker(database, work, args.postgres_url, first_only=recording)
                    if "first" in alone:
                        rates[recording].append(import_rate(alone["first"]))
            figures[database] = run_worker(database, work, args.postgres_url)
            if "first" in figures[database]:
                rates["on"].append(import_rate(figures[database]["first"]))
            figures[database]["first_import_rates"] = rates
        figures["load_after"] = os.getloadavg()[0]
        figures["total_s"] = time.perf_counter() - started
        print_report(figures, databases)
        failed = [db for db in databases if "error" in figures[db] or figures[db].get("failed")]
        return 1 if failed else 0
    finally:
        if args.keep:
            note(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def measure_parse(paths: list[Path]) -> dict:
    """Read + parse alone, no database: the floor under any import rate."""
    from articles.importer.parse import parse_page
    from articles.importer.read import read_seed

    warnings = teasers = 0
    started = time.perf_counter()
    for path in paths:
        page = parse_page(read_seed(path).text, source=str(path))
        warnings += len(page.warnings)
        teasers += len(page.teasers)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "files_per_s": len(paths) / seconds,
        "warnings": warnings,
        "teasers": teasers,
    }


def import_rate(first: dict) -> float:
    return (first["created"] + first["teasers_created"]) / first["seconds"]


def run_worker(database: str, work: Path, postgres_url: str, *, first_only=None) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    env.pop("DATABASE_URL", None)
    sqlite_path = work / "bench.sqlite3"
    if database == "sqlite":
        env["DJANGO_SQLITE_PATH"] = str(sqlite_path)
    else:
        env["DATABASE_URL"] = postgres_url
        try:
            recreate_postgres(postgres_url)
        except Exception as error:  # no server, no rights: report it, go on with the rest
            note(f"postgres: cannot create the database, skipped: {error}")
            return {"skipped": f"no database: {str(error).splitlines()[0][:80]}"}
    what = f" (first import alone, recording {first_only})" if first_only else ""
    note(f"{database}: measuring in a subprocess{what}")
    try:
        command = [sys.executable, __file__, "--worker", database, "--work-dir", str(work)]
        completed = subprocess.run(
            command + (["--first-only", first_only] if first_only else []),
            env=env,
            cwd=ROOT,
            check=False,
        )
        result_file = work / f"result-{database}{'-' + first_only if first_only else ''}.json"
        if completed.returncode != 0 or not result_file.exists():
            return {"error": f"the measurement exited with status {completed.returncode}"}
        return json.loads(result_file.read_text())
    finally:
        if database == "postgres":
            drop_postgres(postgres_url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


# --- The measuring subprocess: one database, configured by the environment ----------------


class _Rollback(Exception):
    """Undoes a probe import, so that it leaves the database as it found it."""


def worker(database: str, work: Path, *, first_only: str | None = None) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article, Municipality

    result: dict = {"failed": 0, "errors": []}
    prefix = f"{database}:"

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    result["migrate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("load_municipalities", stdout=io.StringIO())
    result["municipalities_s"] = time.perf_counter() - started
    result["municipalities"] = Municipality.objects.count()
    note(
        f"{prefix} migrate {result['migrate_s']:.1f} s, register {result['municipalities_s']:.1f} s"
    )

    if first_only:  # the first import alone, on its own fresh database
        record = first_only == "on"
        result["first"] = timed_import([work / "seeds"], force=False, result=result, record=record)
        note(f"{prefix} first import, recording {first_only}: {result['first']['seconds']:.1f} s")
        (work / f"result-{database}-{first_only}.json").write_text(json.dumps(result))
        return 0

    probe = sorted((work / "probe").iterdir())
    result["queries_empty"] = count_queries(probe)
    note(f"{prefix} {result['queries_empty']['per_file']:.1f} queries/file on the empty database")

    seeds = [work / "seeds"]
    for run, force in (("first", False), ("second", False), ("third", True)):
        result[run] = timed_import(seeds, force=force, result=result)
        note(f"{prefix} {run} import: {result[run]['seconds']:.1f} s")
    result["articles"] = Article.objects.count()
    result["teaser_only"] = Article.objects.filter(teaser_only=True).count()

    result["queries_full"] = count_queries(probe)
    note(f"{prefix} {result['queries_full']['per_file']:.1f} queries/file on the full database")
    imported = sorted((work / "seeds").iterdir())[: len(probe)]
    result["queries_force"] = count_queries(imported, force=True)

    (work / f"result-{database}.json").write_text(json.dumps(result))
    return 0


def timed_import(paths: list[Path], *, force: bool, result: dict, record: bool = True) -> dict:
    """One import run, timed by the wall clock and by this process's CPU time; recorded
    (run, files, findings) as the command records it, unless `record` is false.

    The CPU time tells a slow importer from a busy machine (other processes on the cores).
    """
    from articles.importer.models import ImportRun
    from articles.importer.records import RunRecorder
    from articles.importer.run import FileStatus, import_seed_files

    def progress(done: int, total: int) -> None:
        if done % 1000 == 0 and done < total and time.perf_counter() - started > 5:
            note(f"  {done:,} of {total:,} files, {time.perf_counter() - started:.0f} s")

    started, cpu = time.perf_counter(), time.process_time()
    recorder = None
    if record:
        recorder = RunRecorder(ImportRun.objects.create(origin=ImportRun.Origin.COMMAND))
    summary = import_seed_files(paths, force=force, on_progress=progress, recorder=recorder)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    totals = summary.totals
    failed = summary.failed
    result["failed"] += len(failed)
    result["errors"] += [f.error for f in failed[:5]]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "files": len(summary.results),
        "skipped": summary.count(FileStatus.UNCHANGED),
        "failed": len(failed),
        "created": totals.created,
        "updated": totals.updated,
        "unchanged": totals.unchanged,
        "teasers_created": totals.teasers_created,
        "teasers_upgraded": totals.teasers_upgraded,
        "municipalities_linked": totals.municipalities_linked,
        "vendors_created": totals.vendors_created,
    }


def count_queries(paths: list[Path], *, force: bool = False) -> dict:
    """Queries per file of importing `paths`, rolled back so that the database stays as is.

    The log is emptied at each progress report (after each batch of files): Django's
    query log keeps only the last 9,000 queries, a total could be cut short. The count
    includes the run's setup (checksums, municipality aliases).
    """
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from articles.importer.run import import_seed_files

    kinds: dict[str, int] = {}
    done = 0

    def progress(finished: int, total: int) -> None:
        nonlocal done
        done = finished
        queries = list(connection.queries_log)
        connection.queries_log.clear()
        for query in queries:
            sql = query["sql"].split(" times: ", 1)[-1]  # how executemany() is logged
            kind = sql.split(None, 1)[0].upper()
            kinds[kind] = kinds.get(kind, 0) + 1

    with CaptureQueriesContext(connection):  # turns the query log on
        try:
            with transaction.atomic():
                connection.queries_log.clear()
                import_seed_files(paths, force=force, on_progress=progress)
                raise _Rollback
        except _Rollback:
            pass
    files = max(done, 1)
    return {
        "files": done,
        "per_file": sum(kinds.values()) / files,
        "kinds": {kind: count / files for kind, count in sorted(kinds.items())},
    }


# --- The report ----------------------------------------------------------------------------


def print_report(figures: dict, databases: list[str]) -> None:
    parse = figures["parse"]
    rows = [
        (
            "parse (read+parse, no DB)",
            f"{parse['files_per_s']:,.0f} files/s",
            f">= {PARSE_TARGET:,} files/s",
            verdict(parse["files_per_s"] >= PARSE_TARGET),
        ),
        ("parse warnings", f"{parse['warnings']}", "0", verdict(parse["warnings"] == 0)),
    ]
    for database in databases:
        rows += database_rows(database, figures[database], figures["files"])
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print()
    print(
        f"Import benchmark: {figures['files']:,} generated files "
        f"({figures['bytes'] / 1e6:.1f} MB, generated in {figures['generate_s']:.1f} s), "
        f"{figures['probe_files']} probe files for query counts; {figures['total_s']:.0f} s in "
        f"all; load average {figures['load_before']:.1f} before, {figures['load_after']:.1f} "
        f"after, on {os.cpu_count()} cores"
    )
    print(line)
    for number, row in enumerate([HEADER, *rows]):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print(line)
    print(line)
    for database in databases:
        print_details(database, figures[database])


HEADER = ("figure", "measured", "target", "result")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def database_rows(database: str, result: dict, files: int) -> list[tuple[str, str, str, str]]:
    if "skipped" in result:
        return [(f"[{database}] measurement", result["skipped"], "", "SKIP")]
    if "error" in result:
        return [(f"[{database}] measurement", result["error"], "", "FAIL")]
    first, second, third = result["first"], result["second"], result["third"]
    articles = first["created"] + first["teasers_created"]
    rate = articles / first["seconds"]
    skip_ratio = first["seconds"] / second["seconds"]
    force_ratio = first["seconds"] / third["seconds"]
    empty, full = result["queries_empty"]["per_file"], result["queries_full"]["per_file"]
    on_sqlite = database == "sqlite"
    tag = f"[{database}]"
    rows = []
    rates = result.get("first_import_rates", {})
    judged_here = on_sqlite and not (rates.get("on") and rates.get("off"))  # else: best-of row
    if rates.get("on") and rates.get("off"):
        recorded, unrecorded = max(rates["on"]), max(rates["off"])
        cost = 1 - recorded / unrecorded
        runs = f"best of {len(rates['on'])} recorded, {len(rates['off'])} unrecorded"
        rows.append(
            (
                f"{tag} recording cost",
                f"{cost:+.0%} ({recorded:,.0f} vs {unrecorded:,.0f} articles/s; {runs})",
                f"<= {RECORDING_COST_TARGET:.0%}",
                verdict(cost <= RECORDING_COST_TARGET),
            )
        )
        if on_sqlite:
            rows.append(
                (
                    f"{tag} 1st import, best recorded",
                    f"{recorded:,.0f} articles/s",
                    f">= {IMPORT_TARGET} articles/s",
                    verdict(recorded >= IMPORT_TARGET),
                )
            )
    return [
        *rows,
        (
            f"{tag} 1st import",
            f"{rate:,.0f} articles/s ({articles:,} in {first['seconds']:.1f} s)",
            f">= {IMPORT_TARGET} articles/s" if judged_here else "(info)",
            verdict(rate >= IMPORT_TARGET) if judged_here else "-",
        ),
        (
            f"{tag} 2nd run, unchanged",
            f"{second['seconds']:.2f} s, 1st/2nd = {skip_ratio:.1f}x",
            f">= {SKIP_RATIO_TARGET}x",
            verdict(skip_ratio >= SKIP_RATIO_TARGET),
        ),
        (
            f"{tag} 2nd run skipped",
            f"{second['skipped']:,} of {second['files']:,} files",
            "all",
            verdict(second["skipped"] == files),
        ),
        (
            f"{tag} 3rd run, --force",
            f"{third['seconds']:.1f} s, 1st/3rd = {force_ratio:.1f}x",
            "(info)",
            "-",
        ),
        (
            f"{tag} 3rd run changes",
            f"{third['created']} created, {third['updated']} updated, "
            f"{third['teasers_created']} teasers",
            "0 (nothing changed)",
            verdict(third["created"] + third["updated"] + third["teasers_created"] == 0),
        ),
        (
            f"{tag} queries/file, empty DB",
            f"{empty:.1f}",
            "(baseline)",
            "-",
        ),
        (
            f"{tag} queries/file, full DB",
            f"{full:.1f}",
            "<= empty DB",
            verdict(full <= empty * QUERY_GROWTH_TOLERANCE),
        ),
        (
            f"{tag} import failures",
            f"{result['failed']}",
            "0",
            verdict(result["failed"] == 0),
        ),
    ]


def print_details(database: str, result: dict) -> None:
    if "error" in result or "skipped" in result:
        return
    first, third = result["first"], result["third"]
    print(
        f"\n[{database}] migrate {result['migrate_s']:.1f} s; load_municipalities "
        f"{result['municipalities_s']:.1f} s ({result['municipalities']:,} entries)"
    )
    print(
        f"[{database}] 1st import: {first['created']:,} full articles, "
        f"{first['teasers_created']:,} teaser-only created, {first['teasers_upgraded']:,} "
        f"teasers upgraded, {first['municipalities_linked']:,} municipality links, "
        f"{first['vendors_created']} vendors; rows now: {result['articles']:,} articles "
        f"({result['teaser_only']:,} teaser-only)"
    )
    print(
        f"[{database}] 3rd run (--force): {third['files']:,} files, {third['unchanged']:,} "
        f"unchanged, {third['updated']:,} updated"
    )
    articles = first["created"] + first["teasers_created"]
    print(
        f"[{database}] CPU time of this process: 1st import {first['cpu_seconds']:.1f} s of "
        f"{first['seconds']:.1f} s ({articles / first['cpu_seconds']:,.0f} articles per CPU "
        f"second), 3rd run {third['cpu_seconds']:.1f} s of {third['seconds']:.1f} s"
    )
    for label, key in (
        ("probe, empty DB", "queries_empty"),
        ("probe, full DB", "queries_full"),
        ("--force re-import of imported files", "queries_force"),
    ):
        counts = result[key]
        kinds = ", ".join(f"{kind} {value:.1f}" for kind, value in counts["kinds"].items())
        print(f"[{database}] queries/file, {label}: {counts['per_file']:.1f} ({kinds})")
    for error in result["errors"]:
        print(f"[{database}] error: {error}")


if __name__ == "__main__":
    sys.exit(main())
