"""Writing parsed pages to the database: the only importer code that touches the ORM.

Rules:
- Articles are matched by their natural key (kicker, title, day), so a page seen in
  several files, or first as a related-news teaser, is one row.
- A field an editor changed by hand (Article.edited_fields) is never written.
- A teaser never overwrites what a full page said; a full page upgrades a teaser-only
  row in place (id, slug and URL stay; a "Bericht" stays a Bericht).
- Nothing is deleted because a later file lacks it.

Speed: the pages of a batch of files are applied one after the other to the articles
in memory, and the result is written in a few bulk statements per round, not a few
dozen statements per file. A round ends early when a page would give an article a
second version within it, so that every version shows the article as its file left it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from articles.importer.history import ImportVersions
from articles.importer.parse import Page, Teaser
from articles.models import (
    Article,
    ArticleLink,
    Section,
    SourceFile,
    Tag,
    TagAlias,
    TaggedArticle,
    Vendor,
    make_duplicate_key,
    tag_key,
    unique_slugs,
)
from articles.register.resolve import MunicipalityResolver
from articles.search import index_articles
from articles.text import german_slugify

ArticlePlaces = Article.municipalities.through
ArticleSources = Article.source_files.through

# What a re-import writes to an existing row: the columns editors may correct (those
# they did correct keep their value), and two the import owns.
UPDATED_FIELDS = (
    *(
        field.name
        for field in Article._meta.concrete_fields
        if field.name in Article.EDITABLE_CONTENT_FIELDS
    ),
    "teaser_only",
    "updated_at",
)


@dataclass
class PageOutcome:
    """What saving one file did, for the command's summary."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teasers_created: int = 0
    teasers_upgraded: int = 0
    municipalities_linked: int = 0
    vendors_created: int = 0
    unresolved_places: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageFile:
    """A parsed page and the file it came from."""

    name: str
    checksum: str
    page: Page


@dataclass
class ImportContext:
    """What stays the same for every file of one run."""

    resolver: MunicipalityResolver
    sections: dict[str, Section] = field(default_factory=dict)
    vendors: set[tuple[str, str]] | None = None  # (name, postcode), loaded on first use
    tags: dict[str, int] | None = None  # tag_key(name or alias) -> id, loaded on first use

    def section(self, name: str) -> Section | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.sections:
            section = Section.objects.filter(name__iexact=name).first()
            self.sections[key] = section or Section.objects.create(name=name)
        return self.sections[key]

    def forget_cached_rows(self) -> None:
        """After a rollback the cached rows may no longer exist."""
        self.sections.clear()
        self.vendors = None
        self.tags = None

    def tag_ids(self, names) -> set[int]:
        """Ids of the tags with these names or aliases (case-insensitive), created where
        missing. A tag's own name wins over another tag's alias."""
        if self.tags is None:
            self.tags = dict(TagAlias.objects.values_list("key", "tag_id"))
            self.tags.update(
                (tag_key(name), pk) for pk, name in Tag.objects.values_list("pk", "name")
            )
        ids = set()
        for name in names:
            key = tag_key(name)
            if key not in self.tags:
                tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
                self.tags[key] = tag.pk
            ids.add(self.tags[key])
        return ids

    def record_vendor(self, vendor) -> bool:
        """Create the vendor unless known (by name and postcode); True if created."""
        if self.vendors is None:
            self.vendors = set(Vendor.objects.values_list("name", "postcode"))
        if (vendor.name, vendor.postcode) in self.vendors:
            return False
        _, created = Vendor.objects.get_or_create(
            name=vendor.name,
            postcode=vendor.postcode,
            defaults={"city": vendor.city, "section": self.section(vendor.section)},
        )
        self.vendors.add((vendor.name, vendor.postcode))
        return created

    def municipality_ids(self, kicker: str, tags=()) -> tuple[set[int], list[str]]:
        """Municipalities a kicker and tags name, and the kicker places not recognised."""
        found, unresolved = set(), []
        kicker_parts = [kicker] if self.resolver.resolve_id(kicker) else kicker.split("/")
        for part in kicker_parts:
            municipality_id = self.resolver.resolve_id(part.strip())
            if municipality_id:
                found.add(municipality_id)
            elif part.strip():
                unresolved.append(part.strip())
        found.update(filter(None, map(self.resolver.resolve_id, tags)))
        return found, unresolved


def publication_time(day: date) -> datetime:
    """Pages give a day only: midnight in Berlin, so the article is public on that day."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def page_key(page: Page | Teaser) -> str:
    return make_duplicate_key(page.kicker, page.title, publication_time(page.published))


def save_pages(files: Sequence[PageFile], context: ImportContext) -> list[PageOutcome]:
    """Save the files' pages in the caller's transaction, with the same result as saving
    them one after the other; returns what each file did."""
    sources = SourceFile.objects.record({file.name: file.checksum for file in files})
    batch = _Batch(context, [file.page for file in files])
    outcomes = []
    for file in files:
        if batch.would_version_again(file.page):
            batch.write()
        outcomes.append(batch.apply(file.page, sources[file.name]))
    batch.write()
    index_articles(batch.versioned_ids)
    return outcomes


@dataclass
class _Round:
    """The writes collected since the last flush, by natural key."""

    new: dict[str, Article] = field(default_factory=dict)
    changed: dict[str, Article] = field(default_factory=dict)
    tags: dict[str, set[int]] = field(default_factory=dict)  # replaces the article's tags
    places: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # added
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # replaces them
    sources: set[tuple[str, int]] = field(default_factory=set)
    versions: ImportVersions = field(default_factory=ImportVersions)


class _Batch:
    """The articles a batch of pages touches, in memory, and the writes still to do."""

    def __init__(self, context: ImportContext, pages: Sequence[Page]):
        self.context = context
        page_keys = {page_key(page) for page in pages}
        teaser_keys = {page_key(teaser) for page in pages for teaser in page.teasers}
        self.articles = _articles_by_key(page_keys | teaser_keys)
        # The relations of every existing article that a page (not just a teaser) names.
        self.tag_ids, self.places, self.links = _relations_of(
            [article for key, article in self.articles.items() if key in page_keys]
        )
        self.round = _Round()
        self.versioned_ids: set[int] = set()

    def would_version_again(self, page: Page) -> bool:
        """True if the page would change an article that has a version in this round."""
        pending = self.round.versions
        if page_key(page) in pending:
            return True
        return any(
            key in pending and _teaser_fills_caption(self.articles[key], teaser)
            for key, teaser in ((page_key(teaser), teaser) for teaser in page.teasers)
        )

    def apply(self, page: Page, source: SourceFile) -> PageOutcome:
        """Apply one file's page to the articles in memory; write() saves the result."""
        outcome = PageOutcome()
        reason = f"Import aus {source.name}"
        published_at = publication_time(page.published)
        section = self.context.section(page.section)
        municipality_ids, outcome.unresolved_places = self.context.municipality_ids(
            page.kicker, page.tags
        )
        values = {
            "kicker": page.kicker,
            "title": page.title,
            "published_at": published_at,
            "lead": page.lead,
            "body": [{"type": block.type, "text": block.text} for block in page.body],
            "image_caption": page.image_caption,
            "image_credit": page.image_credit,
            "author_initials": page.author_initials,
            "section": section,
        }
        key = make_duplicate_key(page.kicker, page.title, published_at)
        article = self.articles.get(key)
        if article is None:
            article = Article(
                **values, kind=page.kind, status=Article.Status.PUBLISHED, teaser_only=False
            )
            self._create(key, article)
            outcome.created = 1
            changed = True
        else:
            changed = _update_fields(article, values)
            if (
                page.kind == Article.Kind.BERICHT
                and article.kind != page.kind
                and not article.is_edited("kind")
            ):
                article.kind, changed = page.kind, True
            if article.teaser_only:
                article.teaser_only, changed = False, True
                outcome.teasers_upgraded = 1
            if changed:
                self._mark_changed(key, article)
        changed |= self._set_tags(key, article, page.tags)
        changed |= self._set_links(key, article, [(link.url, link.label) for link in page.links])
        outcome.municipalities_linked = self._link_places(key, article, municipality_ids)
        changed |= bool(outcome.municipalities_linked)
        if outcome.created:
            self.round.versions.created(key, article, reason)
        elif changed:
            self.round.versions.changed(key, article, reason)
            outcome.updated = 1
        else:
            outcome.unchanged = 1

        seen = [key, *(self._apply_teaser(teaser, outcome, reason) for teaser in page.teasers)]
        self.round.sources.update((seen_key, source.pk) for seen_key in seen)
        for vendor in page.vendors:
            outcome.vendors_created += self.context.record_vendor(vendor)
        return outcome

    def _apply_teaser(self, teaser: Teaser, outcome: PageOutcome, reason: str) -> str:
        published_at = publication_time(teaser.published)
        key = make_duplicate_key(teaser.kicker, teaser.title, published_at)
        article = self.articles.get(key)
        if article is None:
            article = Article(
                kicker=teaser.kicker,
                title=teaser.title,
                kind=teaser.kind,
                published_at=published_at,
                lead=teaser.lead,
                image_caption=teaser.image_caption,
                section=self.context.section(teaser.section),
                status=Article.Status.PUBLISHED,
                teaser_only=True,
            )
            self._create(key, article)
            self.round.versions.created(key, article, reason)
            municipality_ids, _ = self.context.municipality_ids(teaser.kicker)
            outcome.municipalities_linked += self._link_places(key, article, municipality_ids)
            outcome.teasers_created += 1
        elif _teaser_fills_caption(article, teaser):
            article.image_caption = teaser.image_caption
            self._mark_changed(key, article)
            self.round.versions.changed(key, article, reason)
        return key

    def _create(self, key: str, article: Article) -> None:
        article.duplicate_key = key
        self.articles[key] = self.round.new[key] = article
        self.tag_ids[key], self.places[key], self.links[key] = set(), set(), []

    def _mark_changed(self, key: str, article: Article) -> None:
        if key not in self.round.new:  # the insert writes the latest values anyway
            self.round.changed[key] = article

    def _set_tags(self, key: str, article: Article, names) -> bool:
        """Tags by id: a name that is another tag's alias (a merge, a rename) is that tag."""
        if article.is_edited("tags"):
            return False
        wanted = self.context.tag_ids(names)
        if self.tag_ids[key] == wanted:
            return False
        self.tag_ids[key] = self.round.tags[key] = wanted
        return True

    def _set_links(self, key: str, article: Article, links: list[tuple[str, str]]) -> bool:
        if article.is_edited("links") or self.links[key] == links:
            return False
        self.links[key] = self.round.links[key] = links
        return True

    def _link_places(self, key: str, article: Article, municipality_ids: set[int]) -> int:
        """Add the municipalities the page names; never remove one an editor added."""
        if article.is_edited("municipalities"):
            return 0
        missing = municipality_ids - self.places[key]
        self.places[key] |= missing
        self.round.places[key] |= missing
        return len(missing)

    def write(self) -> None:
        """Write the round: a few statements, whatever the number of pages in it."""
        writes, self.round = self.round, _Round()
        _insert_articles(list(writes.new.values()))
        now = timezone.now()
        for article in writes.changed.values():
            article.updated_at = now
        Article.objects.bulk_update(writes.changed.values(), UPDATED_FIELDS, batch_size=100)
        pk = {key: article.pk for key, article in self.articles.items()}
        _replace_rows(
            TaggedArticle,
            "content_object_id",
            [pk[key] for key in writes.tags if key not in writes.new],
            [
                TaggedArticle(content_object_id=pk[key], tag_id=tag_id)
                for key, tag_ids in writes.tags.items()
                for tag_id in tag_ids
            ],
        )
        ArticlePlaces.objects.bulk_create(
            [
                ArticlePlaces(article_id=pk[key], municipality_id=municipality_id)
                for key, municipality_ids in writes.places.items()
                for municipality_id in municipality_ids
            ],
            ignore_conflicts=True,
        )
        _replace_rows(
            ArticleLink,
            "article_id",
            [pk[key] for key in writes.links if key not in writes.new],
            [
                ArticleLink(article_id=pk[key], position=position, url=url, label=label)
                for key, links in writes.links.items()
                for position, (url, label) in enumerate(links)
            ],
        )
        ArticleSources.objects.bulk_create(
            [
                ArticleSources(article_id=pk[key], sourcefile_id=source)
                for key, source in writes.sources
            ],
            ignore_conflicts=True,
        )
        self.versioned_ids |= writes.versions.write()


def _teaser_fills_caption(article: Article, teaser: Teaser) -> bool:
    """Another page's teaser may carry the caption a teaser-only article still lacks."""
    return bool(
        article.teaser_only
        and teaser.image_caption
        and not article.image_caption
        and not article.is_edited("image_caption")
    )


def _articles_by_key(keys: set[str]) -> dict[str, Article]:
    """The articles with these natural keys that exist already, locked until the batch
    commits (PostgreSQL; SQLite's import holds the database's write lock anyway): an
    editor's correction saved meanwhile must not be overwritten with the page's text.
    """
    articles = Article.objects.filter(duplicate_key__in=keys).order_by().select_for_update()
    return {article.duplicate_key: article for article in articles}


def _relations_of(articles: list[Article]):
    """Tag ids, municipality ids and links of these articles, by natural key."""
    key_of = {article.pk: article.duplicate_key for article in articles}
    tag_ids = {key: set() for key in key_of.values()}
    places = {key: set() for key in key_of.values()}
    links = {key: [] for key in key_of.values()}
    if not key_of:
        return tag_ids, places, links
    tagged = TaggedArticle.objects.filter(content_object_id__in=key_of).order_by()
    for article_id, tag_id in tagged.values_list("content_object_id", "tag_id"):
        tag_ids[key_of[article_id]].add(tag_id)
    placed = ArticlePlaces.objects.filter(article_id__in=key_of).order_by()
    for article_id, municipality_id in placed.values_list("article_id", "municipality_id"):
        places[key_of[article_id]].add(municipality_id)
    linked = ArticleLink.objects.filter(article_id__in=key_of).order_by("article_id", "position")
    for article_id, url, label in linked.values_list("article_id", "url", "label"):
        links[key_of[article_id]].append((url, label))
    return tag_ids, places, links


def _update_fields(article: Article, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        # Compare foreign keys by id: no query for the related row.
        current = article.section_id if name == "section" else getattr(article, name)
        wanted = value.pk if name == "section" and value else value
        if article.is_edited(name) or current == wanted:
            continue
        setattr(article, name, value)
        changed = True
    return changed


def _insert_articles(articles: list[Article]) -> None:
    """Insert new articles with free slugs; what Article.save() does for one, for many."""
    if not articles:
        return
    slugs = unique_slugs(Article, [german_slugify(a.title) for a in articles], max_length=255)
    for article, slug in zip(articles, slugs, strict=True):
        article.slug = slug
    Article.objects.bulk_create(articles)


def _replace_rows(model, article_column: str, article_ids: list[int], rows: list) -> None:
    """Delete the rows of these articles, then insert `rows`."""
    if article_ids:
        model.objects.filter(**{f"{article_column}__in": article_ids}).delete()
    model.objects.bulk_create(rows)
