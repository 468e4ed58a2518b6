"""The API's shapes as Pydantic models: what the schema documents and responses obey.

Field names are English, like the JSON export's; the values are the site's German
text. Times are ISO 8601 in German time (Europe/Berlin), with their offset.

The output models are plain Pydantic models, not ninja.Schema: they validate the dicts
of representation.py in pydantic-core, where ninja.Schema would read every field
through its ORM attribute getter (a third of a list's time, profiled).
"""

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from django.utils import timezone
from ninja import Field, Schema
from pydantic import BaseModel, field_validator
from pydantic_core import PydanticCustomError

from articles import models

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
KEY_PATTERN = r"^[-a-zA-Z0-9_]+$"  # a slug or an official key (AGS)
QUERY_MAX_LENGTH = 200

T = TypeVar("T")


# The stored values, named for the schema (both model enums are called "Kind").
ArticleKind = StrEnum("ArticleKind", {value: value for value in models.Article.Kind.values})
PlaceKind = StrEnum("PlaceKind", {value: value for value in models.Municipality.Kind.values})


# --- Output ---------------------------------------------------------------------------


class SectionRef(BaseModel):
    slug: str
    name: str
    url: str = Field(description="Die Seite des Bereichs auf der Website.")


class Section(SectionRef):
    description: str
    article_count: int = Field(description="Veröffentlichte Artikel im Bereich.")
    articles: str = Field(description="Die Artikel des Bereichs in dieser API.")


class TagRef(BaseModel):
    slug: str
    name: str
    url: str


class Tag(TagRef):
    description: str
    article_count: int
    articles: str


class PlaceRef(BaseModel):
    slug: str
    name: str
    kind: PlaceKind
    ags: str | None = Field(
        description="Amtlicher Schlüssel (Land 2, Regierungsbezirk 3, Kreis 5, Gemeinde 8 "
        "Stellen); null bei Organisationen außerhalb des Gemeindeverzeichnisses."
    )
    url: str


class Municipality(PlaceRef):
    official_name: str
    kind_label: str = Field(description="Die Art auf Deutsch, z. B. „Kreisfreie Stadt“.")
    population: int | None
    parents: list[PlaceRef] = Field(description="Die übergeordneten Gebiete, das Land zuerst.")
    article_count: int = Field(description="Veröffentlichte Artikel über genau diesen Ort.")
    articles: str = Field(description="Die Artikel über diesen Ort und alles darunter.")


class Vendor(BaseModel):
    name: str
    postcode: str
    city: str
    section: SectionRef | None


class Block(BaseModel):
    type: str = Field(description="paragraph (Absatz) oder intertitle (Zwischenüberschrift).")
    text: str


class Image(BaseModel):
    url: str
    alt: str
    caption: str
    credit: str


class Author(BaseModel):
    initials: str = Field(description="Das Kürzel, wie es unter dem Artikel steht.")


class Link(BaseModel):
    url: str | None = Field(
        description="Nur http(s); null, wenn nur eine Beschriftung bekannt ist."
    )
    label: str


class Correction(BaseModel):
    note: str
    date: datetime


class Article(BaseModel):
    slug: str
    url: str = Field(description="Die kanonische Adresse des Artikels auf der Website.")
    kicker: str = Field(description="Die Dachzeile.")
    title: str
    kind: ArticleKind
    published: datetime
    modified: datetime = Field(
        description="Die letzte Korrektur mit öffentlichem Hinweis, sonst die Veröffentlichung."
    )
    lead: str = Field(description="Der Vorspann.")
    body: list[Block]
    intertitles: list[str]
    image: Image | None
    author: Author | None
    section: SectionRef | None
    tags: list[TagRef]
    municipalities: list[PlaceRef]
    links: list[Link]
    corrections: list[Correction]
    teaser_only: bool = Field(
        description="Nur aus einem Anreißer bekannt: der vollständige Text liegt nicht vor."
    )


class Page(BaseModel, Generic[T]):
    next: str | None = Field(description="Die nächste Seite; null auf der letzten.")
    previous: str | None = Field(description="Die vorige Seite; null auf der ersten.")
    results: list[T]


class ParameterError(BaseModel):
    parameter: str
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ParameterError] | None = None


# --- Input ----------------------------------------------------------------------------


ISO_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)  # no article is older, none will be newer
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _iso_time(value):
    """ISO 8601 only: Pydantic would also read 0.5 as a Unix time."""
    if isinstance(value, str) and not ISO_TIME.match(value):
        raise PydanticCustomError("datetime_parsing", "not an ISO 8601 time")
    return value


def _within_archive(value: datetime | None) -> datetime | None:
    """A bound far outside the archive means the same as the archive's own edge (and the
    databases compare it without overflowing)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(year=min(max(value.year, 1900), 2199))
        return timezone.make_aware(value)
    return min(max(value, EARLIEST), LATEST)


TIME_FILTERS = ("since", "until", "modified_since", "modified_until")


class ArticleFilters(Schema):
    section: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="Bereich: sein Kurzname."
    )
    land: str | None = Field(
        None,
        max_length=160,
        pattern=KEY_PATTERN,
        description="Land: Kurzname (nordrhein-westfalen) oder Schlüssel (05).",
    )
    municipality: str | None = Field(
        None,
        max_length=160,
        pattern=KEY_PATTERN,
        description="Kommune: Kurzname oder amtlicher Schlüssel (05978 für den Kreis Unna). "
        "Schließt alles darunter ein: ein Kreis seine Gemeinden, ein Land seine Kreise.",
    )
    tag: str | None = Field(
        None, max_length=160, pattern=SLUG_PATTERN, description="Thema: sein Kurzname."
    )
    kind: ArticleKind | None = Field(None, description="Art: meldung oder bericht.")
    year: int | None = Field(None, ge=1900, le=2200, description="Erscheinungsjahr.")
    q: str | None = Field(
        None,
        min_length=1,
        max_length=QUERY_MAX_LENGTH,
        description="Volltextsuche wie auf der Website (Wortstämme, Umlaute, Präfix mit *).",
    )
    since: datetime | None = Field(None, description="Veröffentlicht ab diesem Zeitpunkt.")
    until: datetime | None = Field(None, description="Veröffentlicht bis zu diesem Zeitpunkt.")
    modified_since: datetime | None = Field(None, description="Geändert ab diesem Zeitpunkt.")
    modified_until: datetime | None = Field(None, description="Geändert bis zu diesem Zeitpunkt.")

    _iso = field_validator(*TIME_FILTERS, mode="before")(_iso_time)
    _bounded = field_validator(*TIME_FILTERS)(_within_archive)


class MunicipalityFilters(Schema):
    kind: PlaceKind | None = Field(None, description="Nur Orte dieser Art.")
    land: str | None = Field(
        None, max_length=160, pattern=KEY_PATTERN, description="Nur Orte in diesem Land."
    )
    parent: str | None = Field(
        None,
        max_length=160,
        pattern=KEY_PATTERN,
        description="Nur die unmittelbar untergeordneten Orte (Kurzname oder Schlüssel).",
    )
    with_articles: bool = Field(False, description="Nur Orte mit veröffentlichten Artikeln.")


class VendorFilters(Schema):
    section: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="Nur Anbieter dieses Bereichs."
    )
