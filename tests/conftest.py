import gzip
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: rolled-back tests reuse content versions, so
    a page cached by one test would otherwise be served to the next."""
    from django.core.cache import caches

    from articles.cache.per_version import forget_all

    for cache in caches.all():
        cache.clear()
    forget_all()  # the site identity, navigation and authors kept per version


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production's hasher takes a noticeable fraction of a second per user by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def register(db, register_excerpt):
    """The register excerpt in the database: the import refuses to run without one."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_municipalities", register_excerpt, stdout=StringIO())


@pytest.fixture(scope="module")
def full_register(django_db_setup, django_db_blocker):
    """The whole shipped register, loaded once per module (it takes seconds); modules
    that use it share the xdist group "full-register"."""
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Municipality

    with django_db_blocker.unblock():
        call_command("load_municipalities", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        Municipality.objects.all().delete()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Marks for browser test modules: Playwright drives Debian's Chromium against the live
# server, whose threads need committed data. Outside CI a machine without Chromium skips.
BROWSER_TEST_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture
def page(live_server, monkeypatch):
    """A Chromium page at 1280 × 900 (Playwright never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM work happens before.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()
