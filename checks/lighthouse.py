"""Lighthouse on the home page and an article: accessibility, best practices and SEO
must each score 100.

    .venv/bin/python checks/lighthouse.py

Google's Lighthouse (the npm package, pinned below, installed into var/node on first
use) drives Debian's Chromium against gunicorn serving a fresh SQLite database with the
seeds and the collected static files, DEBUG off, as readers get the pages. Prints each
page's scores and, for a score below 100, the audits that failed; exits 1 if any page
scores below 100 in any of the three categories.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, manage, project_environment, report  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
NODE_DIR = ROOT / "var" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("accessibility", "best-practices", "seo")


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        cwd=NODE_DIR,
        check=True,
    )


def audit(url: str, folder: Path) -> dict:
    """Lighthouse's JSON report of `url` (desktop form factor, no throttling: we check
    quality here, not speed)."""
    output = folder / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--preset=desktop",
            "--output=json",
            f"--output-path={output}",
            "--quiet",
        ],
        check=True,
        timeout=180,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    return json.loads(output.read_text())


def failed_audits(result: dict, category: str) -> list[str]:
    refs = result["categories"][category]["auditRefs"]
    audits = result["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in refs
        if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    if not shutil.which(CHROMIUM):
        return report("Chromium is installed", False, f"{CHROMIUM} missing: make test-tools")
    install_lighthouse()
    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as name:
        folder = Path(name)
        env = project_environment(
            DJANGO_SQLITE_PATH=str(folder / "lighthouse.sqlite3"),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_LOG_LEVEL="WARNING",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_municipalities")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_seeds", "-v", "0")
        article = manage(
            env,
            "shell",
            "-c",
            "from articles.models import Article\n"
            "print(Article.objects.published().full().first().get_absolute_url())",
        ).stdout.split()[-1]
        ok = True
        with Gunicorn(env, workers=1) as base:
            for path in ["/", article]:
                result = audit(base + path, folder)
                scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
                problems = [
                    audit_line
                    for category in CATEGORIES
                    if scores[category] < 100
                    for audit_line in failed_audits(result, category)
                ]
                detail = ", ".join(f"{c} {s}" for c, s in scores.items())
                if problems:
                    detail += "; " + "; ".join(problems)
                ok &= report(
                    f"Lighthouse {path}", not problems and min(scores.values()) == 100, detail
                )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
