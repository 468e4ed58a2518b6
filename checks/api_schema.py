"""The content API against its own OpenAPI schema: schemathesis on a live gunicorn.

    .venv/bin/python checks/api_schema.py [--max-examples 100] [--seed N]

A fresh SQLite database with the register and the seeds, gunicorn (2 workers, DEBUG
off), then schemathesis over every operation of /api/v1/openapi.json: examples, the
coverage phase and fuzzing, positive and negative data, all its checks (server errors,
status codes, content types, headers and bodies as documented, invalid input refused,
valid input accepted, unsupported methods refused). The rate limit is off for the run
(it has tests of its own); anything schemathesis reports fails the check.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, manage, project_environment, report  # noqa: E402

PAGED = ["/api/v1/articles", "/api/v1/tags", "/api/v1/municipalities", "/api/v1/vendors"]


def issued_cursors(base: str) -> dict[str, str]:
    """A real `next` cursor of each paged operation, for the positive test cases."""
    cursors = {}
    for path in PAGED:
        with urllib.request.urlopen(f"{base}{path}?page_size=1", timeout=30) as response:
            next_url = json.load(response)["next"]
        cursors[path] = next_url.split("cursor=", 1)[1].split("&", 1)[0]
    return cursors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100, help="per operation")
    parser.add_argument("--seed", type=int, help="schemathesis's random seed, to reproduce")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-api-schema-") as folder:
        env = project_environment(
            DJANGO_SQLITE_PATH=str(Path(folder) / "api.sqlite3"),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_LOG_LEVEL="ERROR",
            DJANGO_API_RATE_LIMIT="",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_municipalities")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_seeds", "-v", "0")
        with Gunicorn(env) as base:
            env["SCHEMATHESIS_HOOKS"] = "checks.api_schema_hooks"
            env["NEWSROOM_API_CURSORS"] = json.dumps(issued_cursors(base))
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(ROOT / "checks" / "schemathesis.toml"),
                "run",
                f"{base}/api/v1/openapi.json",
                "--checks",
                "all",
                "--mode",
                "all",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(args.max_examples),
                "--workers",
                "2",
                "--generation-database",
                "none",
                "--no-color",
                "--report-dir",
                str(Path(folder) / "report"),
            ]
            if args.seed is not None:
                command += ["--seed", str(args.seed)]
            completed = subprocess.run(command, cwd=ROOT, env=env, check=False)
    return (
        0 if report("schemathesis: every operation, all checks", completed.returncode == 0) else 1
    )


if __name__ == "__main__":
    sys.exit(main())
