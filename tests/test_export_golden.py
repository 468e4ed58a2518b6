"""Import → export of each seed page equals its golden file, written by hand from the page.

The golden files (tests/golden/<seed>.json) are the fidelity contract of the importer:
every field of the full article and of each related-news teaser.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.export import EXPORT_KEYS

GOLDEN = Path(__file__).parent / "golden"
SEEDS = sorted(Path(settings.SEEDS_DIR).glob("*.txt"))

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("full-register")]


def export_after_import(*paths) -> list[dict]:
    call_command("import_seeds", *map(str, paths), stdout=StringIO())
    out = StringIO()
    call_command("export_articles", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_seed_exports_as_its_golden_file(seed, full_register):
    expected = json.loads((GOLDEN / f"{seed.stem}.json").read_text(encoding="utf-8"))
    assert export_after_import(seed) == expected


def test_every_export_object_has_exactly_the_agreed_keys(full_register):
    exported = export_after_import(*SEEDS)
    assert exported
    assert all(tuple(article) == EXPORT_KEYS for article in exported)


def test_export_is_sorted_by_date_then_title(full_register):
    exported = export_after_import(*SEEDS)
    assert exported == sorted(exported, key=lambda a: (a["published"], a["title"]))


def test_export_writes_a_file_with_output(tmp_path, full_register):
    call_command("import_seeds", str(SEEDS[0]), stdout=StringIO())
    target = tmp_path / "export.json"
    call_command("export_articles", output=target)
    assert json.loads(target.read_text(encoding="utf-8"))[0]["slug"]
