"""Interrupted import check: an import killed with SIGKILL and run again ends exactly as
an import that was never interrupted.

    .venv/bin/python checks/interrupted_import.py [--files 1000] [--rounds 3]
                                                  [--database sqlite|postgres]

Generates seed-like files, imports them once without interruption (the reference), then,
in a second database, starts the import, kills it with SIGKILL at a random moment, and
repeats that `rounds` times before a last run to the end. The export of every article
(export_articles: fields, tags, places, links, source files) must equal the reference,
and the last run's summary must report only the files the killed runs had not finished.
Prints each comparison; exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seedgen import SeedGenerator  # noqa: E402
from bench.support import (  # noqa: E402
    drop_postgres,
    manage,
    project_environment,
    recreate_postgres,
    report,
)

POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432"


def environment(database: str, work: Path, name: str) -> dict:
    env = project_environment()
    if database == "sqlite":
        env["DJANGO_SQLITE_PATH"] = str(work / f"{name}.sqlite3")
    else:
        env["DATABASE_URL"] = f"{POSTGRES_ADMIN}/newsroom_{name}"
        recreate_postgres(env["DATABASE_URL"])
    return env


def prepare(env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_municipalities")


def imported_files(env: dict) -> int:
    script = "from articles.models import SourceFile; print(SourceFile.objects.count())"
    return int(manage(env, "shell", "-c", script).stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="imports killed before the last")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="newsroom-interrupted-") as folder:
        work = Path(folder)
        seeds = work / "seeds"
        SeedGenerator(seed=args.seed).write_set(seeds, args.files, teaser_pool=args.files // 2)
        reference = environment(args.database, work, "reference")
        interrupted = environment(args.database, work, "interrupted")
        try:
            return 0 if run(args, rng, seeds, reference, interrupted) else 1
        finally:
            if args.database == "postgres":
                drop_postgres(reference["DATABASE_URL"])
                drop_postgres(interrupted["DATABASE_URL"])


def run(args, rng: random.Random, seeds: Path, reference: dict, interrupted: dict) -> bool:
    prepare(reference)
    started = time.perf_counter()
    manage(reference, "import_seeds", str(seeds), "-v", "0")
    full_run = time.perf_counter() - started
    print(f"reference import of {args.files:,} files: {full_run:.1f} s")

    prepare(interrupted)
    for round_number in range(1, args.rounds + 1):
        delay = rng.uniform(1.0, max(full_run * 0.8, 1.5))
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_seeds", str(seeds), "-v", "0"],
            cwd=ROOT,
            env=interrupted,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        done = imported_files(interrupted)
        print(f"round {round_number}: killed after {delay:.1f} s, {done:,} files imported")
    done_before_last = imported_files(interrupted)
    last = manage(interrupted, "import_seeds", str(seeds), check=False)
    skipped = int(re.search(r"(\d+) skipped unchanged", last.stdout).group(1))
    ok = report("the last run exits 0", last.returncode == 0, f"exit {last.returncode}")
    ok &= report(
        "the last run skips exactly the files the killed runs finished",
        skipped == done_before_last,
        f"{skipped:,} skipped, {done_before_last:,} recorded",
    )
    before = manage(reference, "export_articles").stdout
    after = manage(interrupted, "export_articles").stdout
    ok &= report(
        "every article once, none half-written: export equals the uninterrupted import",
        before == after,
        f"{before.count(chr(10) + '  {'):,} articles",
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
