"""Realistic articles in bulk, for benchmarks and the admin's performance work.

Text is built from the real sentences of the seed pages, so lengths, umlauts and
vocabulary look like production; tags follow a long-tailed (Zipf) distribution; kickers
and municipalities come from the register when it is loaded. Rows are bulk-inserted,
so this module computes what Article.save() would (natural key, unique slug) itself.
Everything is drawn from one seeded random.Random: the same seed, reference date and
database give the same articles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from django.db import transaction
from django.utils import timezone

from articles.importer.parse import PageParseError, parse_page
from articles.importer.read import read_seed
from articles.models import Article, Municipality, Section, Tag, TaggedArticle, make_duplicate_key
from articles.text import german_slugify

SECTIONS = (("Politik", 5), ("Praxis", 4), ("Panorama", 3), ("Wirtschaft", 2), ("Schwerpunkt", 1))
SUBJECTS = (
    "Digitalstrategie",
    "E-Akte",
    "Bürgerportal",
    "OZG-Umsetzung",
    "Breitbandausbau",
    "Rechenzentrum",
    "Onlinedienste",
    "Smart-City-Projekt",
    "IT-Sicherheit",
    "Open Data",
    "Ratsinformationssystem",
    "Geoportal",
    "Schul-IT",
    "E-Rechnung",
    "Serviceportal",
    "Kfz-Zulassung online",
    "Digitaler Bauantrag",
    "Cloud-Strategie",
    "KI-Pilotprojekt",
    "Bürgerservice",
    "Glasfasernetz",
    "Verwaltungsportal",
    "Chatbot",
    "Datenplattform",
    "Digitallotsen",
    "Onlinezugang",
    "Terminvergabe",
    "Wohngeld digital",
    "Fachverfahren",
    "Informationssicherheit",
    "Homeoffice-Lösung",
    "Dokumentenmanagement",
    "Digitalpakt",
    "Mobilitätsplattform",
    "Leitstelle",
    "Katasteramt",
    "Meldewesen",
    "Personalausweis",
)
PREDICATES = (
    "neu ausgerichtet",
    "gestartet",
    "beschlossen",
    "ausgeweitet",
    "vorgestellt",
    "erfolgreich eingeführt",
    "auf dem Prüfstand",
    "geht in die nächste Runde",
    "ausgezeichnet",
    "wird ausgebaut",
    "nimmt Fahrt auf",
    "vor dem Abschluss",
    "in Betrieb genommen",
    "verlängert",
    "modernisiert",
    "gebündelt",
    "evaluiert",
    "für alle Ortsteile",
    "mit neuem Partner",
    "kommt voran",
)
TOPIC_KICKERS = ("OZG", "Studie", "Interview", "Kommentar", "IT-Planungsrat", "Vitako", "KGSt")
TAG_WORDS = (
    "Digitalisierung",
    "OZG",
    "E-Government",
    "IT-Sicherheit",
    "Breitband",
    "Smart City",
    "Open Data",
    "Cloud",
    "KI",
    "Bürgerservice",
    "interkommunale Kooperation",
    "E-Akte",
    "Register-Modernisierung",
    "Datenschutz",
    "Barrierefreiheit",
    "Schul-IT",
    "Geodaten",
    "Mobilität",
    "Nachhaltigkeit",
    "Fachkräfte",
    "Haushalt",
    "Beschaffung",
    "Open Source",
    "Digitale Souveränität",
    "Rechenzentrum",
    "E-Rechnung",
    "Dokumentenmanagement",
)
TAG_PREFIXES = ("Digital", "Daten", "Bürger", "Verwaltungs", "Netz", "Service", "Kommunal")
TAG_SUFFIXES = (
    "strategie",
    "plattform",
    "portal",
    "kompetenz",
    "werkstatt",
    "labor",
    "agentur",
    "verbund",
    "netzwerk",
    "offensive",
    "gipfel",
    "beirat",
    "zentrum",
    "forum",
)
INITIALS = ("ve", "al", "bs", "th", "sib", "ba", "ur", "co", "mh")
PLACEHOLDER_KICKERS = ("Kreis Unna", "Landkreis Görlitz", "Düsseldorf", "Bayern", "Hessen")
MUNICIPALITY_KIND_WEIGHTS = {
    Municipality.Kind.LAND: 8,
    Municipality.Kind.KREIS: 6,
    Municipality.Kind.KREISFREIE_STADT: 6,
    Municipality.Kind.STADT: 1,
    Municipality.Kind.OTHER: 2,
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])")


@dataclass
class Vocabulary:
    sentences: list[str]
    tags: list[str]
    places: list[tuple[int | None, str]]  # (municipality id or None, kicker)
    place_weights: list[float]
    sections: list[Section] = field(default_factory=list)


def seed_sentences(seeds_dir: Path) -> list[str]:
    """Every sentence of the seed pages' leads, bodies and teasers, in file order."""
    sentences: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            page = parse_page(read_seed(path).text, path.name)
        except PageParseError:
            continue
        texts = [page.lead, *(b.text for b in page.body if b.type == "paragraph")]
        texts += [teaser.lead for teaser in page.teasers]
        for text in texts:
            sentences.extend(s.strip() for s in SENTENCE_END.split(text) if len(s) > 30)
    return sentences or ["Die Verwaltung wird digital."]


def tag_vocabulary() -> list[str]:
    """Common tags first, then a long tail of rarer compounds."""
    tail = [prefix + suffix for prefix in TAG_PREFIXES for suffix in TAG_SUFFIXES]
    tail += [
        f"{word} {year}" for word in ("Haushalt", "Wahl", "Förderung") for year in range(2010, 2026)
    ]
    return list(dict.fromkeys([*TAG_WORDS, *tail]))


def build_vocabulary(seeds_dir: Path) -> Vocabulary:
    municipalities = list(
        Municipality.objects.filter(kind__in=MUNICIPALITY_KIND_WEIGHTS)
        .order_by("pk")
        .values_list("pk", "name", "kind")
    )
    if municipalities:
        places = [(pk, name) for pk, name, _ in municipalities]
        weights = [MUNICIPALITY_KIND_WEIGHTS[kind] for _, _, kind in municipalities]
    else:
        places = [(None, name) for name in PLACEHOLDER_KICKERS]
        weights = [1.0] * len(places)
    places += [(None, kicker) for kicker in TOPIC_KICKERS]
    weights += [sum(weights) * 0.05 / len(TOPIC_KICKERS)] * len(TOPIC_KICKERS)
    sections = []
    for name, _ in SECTIONS:
        section = Section.objects.filter(name=name).first() or Section.objects.create(name=name)
        sections.append(section)
    return Vocabulary(seed_sentences(seeds_dir), tag_vocabulary(), places, weights, sections)


@dataclass
class GeneratedArticle:
    """One article's values, before it becomes a row: comparable across runs."""

    kicker: str
    title: str
    published_at: dt.datetime
    kind: str
    status: str
    teaser_only: bool
    lead: str
    body: list[dict]
    section_index: int
    municipality_id: int | None
    tags: list[str]
    image_caption: str
    author_initials: str


class ArticleGenerator:
    def __init__(self, vocabulary: Vocabulary, *, seed: int, today: dt.date):
        self.vocab = vocabulary
        self.random = Random(seed)
        self.today = today
        self.section_weights = [weight for _, weight in SECTIONS]
        # Zipf-like: the n-th tag is used about 1/n as often as the first.
        self.tag_weights = [1 / rank**1.1 for rank in range(1, len(vocabulary.tags) + 1)]

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.random.choices(self.vocab.sentences, k=self.random.randint(low, high)))

    def article(self) -> GeneratedArticle:
        rng = self.random
        municipality_id, kicker = rng.choices(self.vocab.places, self.vocab.place_weights)[0]
        roll = rng.random()
        status = (
            Article.Status.DRAFT
            if roll < 0.04
            else Article.Status.REVIEW
            if roll < 0.07
            else Article.Status.PUBLISHED
        )
        if 0.07 <= roll < 0.10:  # scheduled: published, with a date in the next month
            day = self.today + dt.timedelta(days=rng.randint(1, 30))
        else:
            day = self.today - dt.timedelta(days=rng.randint(0, 15 * 365))
        published_at = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randint(6, 20), rng.choice((0, 15, 30, 45)))),
            timezone.get_default_timezone(),
        )
        kind = Article.Kind.BERICHT if rng.random() < 0.15 else Article.Kind.MELDUNG
        teaser_only = rng.random() < 0.08
        body = [] if teaser_only else self.body(kind)
        tags = rng.choices(self.vocab.tags, self.tag_weights, k=rng.randint(1, 4))
        if municipality_id and rng.random() < 0.5:
            tags.append(kicker)
        return GeneratedArticle(
            kicker=kicker,
            title=self.title(),
            published_at=published_at,
            kind=kind,
            status=status,
            teaser_only=teaser_only,
            lead=self.sentences(1, 2),
            body=body,
            section_index=rng.choices(range(len(SECTIONS)), self.section_weights)[0],
            municipality_id=municipality_id,
            tags=list(dict.fromkeys(tags)),
            image_caption=self.sentences(1, 1) if rng.random() < 0.6 else "",
            author_initials=rng.choice(INITIALS),
        )

    def title(self) -> str:
        rng = self.random
        subject, predicate = rng.choice(SUBJECTS), rng.choice(PREDICATES)
        if rng.random() < 0.3:
            return f"{subject} {predicate} – {rng.choice(SUBJECTS)} folgt"
        return f"{subject} {predicate}"

    def body(self, kind: str) -> list[dict]:
        rng = self.random
        paragraphs = rng.randint(5, 9) if kind == Article.Kind.BERICHT else rng.randint(2, 4)
        blocks = []
        for number in range(paragraphs):
            if number and kind == Article.Kind.BERICHT and number % 3 == 0:
                blocks.append({"type": "intertitle", "text": f"{rng.choice(SUBJECTS)} im Blick"})
            blocks.append({"type": "paragraph", "text": self.sentences(3, 6)})
        return blocks


def unique_slugs(taken: set[str]) -> Iterator:
    """A function from base slug to a free one, remembering what it handed out."""
    counters: dict[str, int] = {}

    def free(base: str, max_length: int = 255) -> str:
        base = base[:max_length].strip("-") or "ohne-titel"
        candidate, number = base, counters.get(base, 1)
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        counters[base] = number
        taken.add(candidate)
        return candidate

    return free


def generate_articles(
    count: int, *, seed: int, seeds_dir: Path, today: dt.date | None = None, batch_size=2000
) -> int:
    """Insert `count` articles; returns how many were created."""
    today = today or timezone.localdate()
    with transaction.atomic():
        vocabulary = build_vocabulary(seeds_dir)
        generator = ArticleGenerator(vocabulary, seed=seed, today=today)
        tag_ids = ensure_tags(vocabulary.tags + [name for _, name in vocabulary.places])
        slug_for = unique_slugs(set(Article.objects.values_list("slug", flat=True)))
        keys = set(Article.objects.values_list("duplicate_key", flat=True))
        created = 0
        while created < count:
            batch = []
            while len(batch) < min(batch_size, count - created):
                item = generator.article()
                key = make_duplicate_key(item.kicker, item.title, item.published_at)
                if key in keys:
                    continue  # the same kicker, title and day twice: not a new article
                keys.add(key)
                batch.append((item, key))
            insert_batch(batch, vocabulary, tag_ids, slug_for)
            created += len(batch)
    return created


def ensure_tags(names: list[str]) -> dict[str, int]:
    """Tag ids by lower-cased name, creating missing tags with unique slugs in bulk."""
    existing = {name.casefold(): pk for pk, name in Tag.objects.values_list("pk", "name")}
    slug_for = unique_slugs(set(Tag.objects.values_list("slug", flat=True)))
    missing = {}
    for name in names:
        if name.casefold() not in existing and name.casefold() not in missing:
            missing[name.casefold()] = Tag(name=name, slug=slug_for(german_slugify(name), 160))
    Tag.objects.bulk_create(missing.values(), batch_size=1000)
    return {name.casefold(): pk for pk, name in Tag.objects.values_list("pk", "name")}


def insert_batch(batch, vocabulary: Vocabulary, tag_ids: dict[str, int], slug_for) -> None:
    articles = [
        Article(
            kicker=item.kicker,
            title=item.title,
            slug=slug_for(german_slugify(item.title)),
            duplicate_key=key,
            published_at=item.published_at,
            kind=item.kind,
            status=item.status,
            teaser_only=item.teaser_only,
            lead=item.lead,
            body=item.body,
            section=vocabulary.sections[item.section_index],
            image_caption=item.image_caption,
            author_initials=item.author_initials,
        )
        for item, key in batch
    ]
    Article.objects.bulk_create(articles)  # primary keys come back on SQLite and PostgreSQL
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object_id=article.pk, tag_id=tag_ids[name.casefold()])
        for article, (item, _) in zip(articles, batch, strict=True)
        for name in item.tags
    )
    through = Article.municipalities.through
    through.objects.bulk_create(
        through(article_id=article.pk, municipality_id=item.municipality_id)
        for article, (item, _) in zip(articles, batch, strict=True)
        if item.municipality_id
    )
