"""The findings the seeds give with the whole register: the import's doubts, pinned.

After a deliberate change, regenerate with
`GOLDEN_FINDINGS=write .venv/bin/pytest tests/importer/test_findings_golden.py` and
review the diff of golden_findings.json.
"""

import json
import os
from pathlib import Path

import pytest

from articles.importer.models import Finding
from tests.importer.seed_files import SEEDS, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("full-register")]

GOLDEN = Path(__file__).parent / "golden_findings.json"


def test_the_seeds_give_their_golden_findings(full_register):
    run_import(SEEDS)
    actual = sorted(
        [f.source_file.rsplit("/", 1)[-1], f.kind, f.field, f.subject, str(f.article)]
        for f in Finding.objects.select_related("article")
    )
    if os.environ.get("GOLDEN_FINDINGS") == "write":
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert actual == json.loads(GOLDEN.read_text(encoding="utf-8"))
