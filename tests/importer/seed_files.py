"""The seed files the import tests use, and small ways to run the import on them."""

import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from articles.text import german_slugify

SEEDS = Path(settings.SEEDS_DIR)
UNNA = "000_6574cf2c9a28390d.txt"  # Kreis Unna: Digitaler Masterplan, Politik teasers
LEER = "001_512854dc28e21360.txt"  # Kreis Leer: caption, credit, label line
THUERINGEN = "002_3164a5156098ca3b.txt"  # four links, vendors, publisher notice
MAERKISCHER_KREIS = "004_e987a252d529bd64.txt"  # intertitle; the same teasers as 000


def run_import(*paths, **options) -> str:
    out = StringIO()
    call_command("import_seeds", *map(str, paths), stdout=out, stderr=out, **options)
    return out.getvalue()


def copy_seed(name: str, folder: Path, as_name: str | None = None) -> Path:
    target = folder / (as_name or name)
    shutil.copy(SEEDS / name, target)
    return target


def full_article(title: str) -> Article:
    return Article.objects.get(title=title, teaser_only=False)


def write_cdo_page(
    folder: Path,
    title: str = "Mädchen für alles",
    lead: str = "Immer mehr Kommunen richten die Stelle eines CDO ein.",
) -> Path:
    """The full page of a teaser that seed 000 lists as a Bericht."""
    page = folder / f"{german_slugify(title)}.txt"
    page.write_text(
        f"Chief Digital Officer:\n{title}\n\n\n"
        f"[9.4.2024] {lead}\n\n"
        "Volltext. (ab)\n\nStichwörter: Politik, CDO\n",
        encoding="utf-8",
    )
    return page
