"""Small factories: each makes one valid object, with keyword overrides."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from articles.models import Article, Municipality, Section

BERLIN = ZoneInfo("Europe/Berlin")
_sequence = itertools.count(1)


def berlin(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def make_section(name=None, **fields) -> Section:
    return Section.objects.create(name=name or f"Bereich {next(_sequence)}", **fields)


def make_municipality(name=None, **fields) -> Municipality:
    number = next(_sequence)
    fields.setdefault("slug", f"kommune-{number}")
    return Municipality.objects.create(name=name or f"Kommune {number}", **fields)


def make_article(**fields) -> Article:
    number = next(_sequence)
    fields.setdefault("kicker", f"Kreis {number}")
    fields.setdefault("title", f"Digitaler Masterplan {number}")
    fields.setdefault("published_at", berlin(2019, 7, 8))
    fields.setdefault(
        "lead", "Anhand eines digitalen Masterplans soll die Verwaltung umgebaut werden."
    )
    fields.setdefault("status", Article.Status.PUBLISHED)
    return Article.objects.create(**fields)
