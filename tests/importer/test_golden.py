"""Each seed parses to the page written by hand in golden/<seed stem>.json."""

import dataclasses
import datetime as dt
import json
import pathlib

import pytest

from articles.importer.parse import parse_page

HERE = pathlib.Path(__file__).resolve().parent
SEEDS = sorted((HERE.parents[1] / "seeds").glob("*.txt"))


SKIPPED = {"warnings", "doubts", "kicker_line", "keywords_line"}


def as_json(value):
    """A parsed page as plain JSON data; warnings, doubts and line numbers are not part
    of the golden files (tests/importer/test_findings.py has the doubts)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [as_json(item) for item in value]
    if dataclasses.is_dataclass(value):
        fields = (field.name for field in dataclasses.fields(value) if field.name not in SKIPPED)
        return {name: as_json(getattr(value, name)) for name in fields}
    return value


def test_every_seed_has_a_golden_file():
    assert SEEDS
    assert sorted(path.stem for path in (HERE / "golden").glob("*.json")) == [
        path.stem for path in SEEDS
    ]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_seed_parses_to_its_golden_page(seed):
    expected = json.loads((HERE / "golden" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    page = parse_page(seed.read_text(encoding="utf-8"), seed.name)
    actual = as_json(page)
    for key in expected:  # field by field, for a readable failure
        assert actual[key] == expected[key], key
    assert actual == expected


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_seed_parses_without_warnings(seed):
    assert parse_page(seed.read_text(encoding="utf-8"), seed.name).warnings == ()
