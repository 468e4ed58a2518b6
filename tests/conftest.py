import gzip
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# NRW with Regierungsbezirk Düsseldorf, the city of Düsseldorf and Kreis Unna with its
# towns; Sachsen with Landkreis Görlitz and the town of Görlitz; Bayern; Berlin.
EXCERPT_LAENDER = {"05", "09", "11", "14"}
EXCERPT_BEZIRKE = {"051"}
EXCERPT_KREISE = {"05111", "05978", "11000", "14626"}


def in_excerpt(record: str) -> bool:
    record_type, key = record[:2], record[10:18].strip()
    if record_type == "10":
        return key in EXCERPT_LAENDER
    if record_type == "20":
        return key in EXCERPT_BEZIRKE
    return record_type in {"40", "50", "60"} and key[:5] in EXCERPT_KREISE


@pytest.fixture(scope="session")
def register_excerpt(tmp_path_factory) -> Path:
    """A small register file cut from the shipped one: real records, fast to load."""
    path = tmp_path_factory.mktemp("register") / "GV100AD_excerpt.txt"
    with gzip.open(settings.MUNICIPAL_REGISTER_FILE, "rt", encoding="utf-8") as register:
        path.write_text("".join(filter(in_excerpt, register)), encoding="utf-8")
    return path
