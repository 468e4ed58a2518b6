"""Writing parsed pages to the database: the only importer code that touches the ORM.

Rules:
- Articles are matched by their natural key (kicker, title, day), so a page seen in
  several files, or first as a related-news teaser, is one row.
- A field an editor changed by hand (Article.edited_fields) is never written.
- A teaser never overwrites what a full page said; a full page upgrades a teaser-only
  row in place (id, slug and URL stay; a "Bericht" stays a Bericht).
- Nothing is deleted because a later file lacks it.
- A page whose natural key is new but whose source file or lead points to a known
  article is a possible twin (a corrected headline): with strong evidence (same file,
  same day, near-identical lead) it updates the known article; with weaker evidence it
  is created as a draft with a "possible twin" finding, never as a second published one.
- Where the parser or this step decided on weak evidence, the outcome carries findings
  (articles.importer.findings) for the editors' worklist.

Speed: the pages of a batch of files are applied one after the other to the articles
in memory, and the result is written in a few bulk statements per round, not a few
dozen statements per file. A round ends early when a page would give an article a
second version within it, so that every version shows the article as its file left it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from difflib import SequenceMatcher
from functools import cache

from django.utils import timezone

from articles.importer.findings import FindingDraft, Kind, drafts_from_doubts
from articles.importer.history import ImportVersions
from articles.importer.models import ImportedArticle
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
    VendorAlias,
    make_duplicate_key,
    tag_key,
    unique_slugs,
    vendor_key,
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
    "duplicate_key",  # follows a corrected headline when the page is matched as a twin
    "updated_at",
)

# Twins: leads at least this similar (difflib's ratio) are "near-identical" (strong
# evidence, with the same file and day), or similar enough to flag (weak evidence).
TWIN_LEAD_STRONG = 0.9
TWIN_LEAD_WEAK = 0.75
TWIN_FIELDS = ("pk", "duplicate_key", "kicker", "title", "lead", "published_at")
Action = ImportedArticle.Action


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
    twins_matched: int = 0
    unresolved_places: list[str] = field(default_factory=list)
    articles: list[tuple[Article, str]] = field(default_factory=list)  # (article, Action)
    findings: list[FindingDraft] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)  # what would change; ImportContext.explain


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
    explain: bool = False  # describe each change, old -> new (dry runs)

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
        """Create the vendor unless known (by normalised name, or a merged vendor's
        former name, at its postcode); True if created."""
        if self.vendors is None:
            self.vendors = set(Vendor.objects.values_list("key", "postcode"))
            self.vendors |= set(VendorAlias.objects.values_list("key", "vendor__postcode"))
        key = (vendor_key(vendor.name), vendor.postcode)
        if key in self.vendors:
            return False
        self.vendors.add(key)
        if Vendor.objects.matching(vendor.name, vendor.postcode).exists():
            return False
        Vendor.objects.create(
            name=vendor.name,
            postcode=vendor.postcode,
            city=vendor.city,
            section=self.section(vendor.section),
        )
        return True

    def municipality_ids(self, kicker: str, tags=()) -> tuple[set[int], list[str]]:
        """Municipalities a kicker and tags name, and the kicker places not recognised."""
        return resolve_places(self.resolver, kicker, tags)


def resolve_places(resolver: MunicipalityResolver, kicker: str, tags=()):
    """Municipalities a kicker and tags name, and the kicker parts not recognised: the
    rule of the import and of relinking (articles.register.relink)."""
    found, unresolved = set(), []
    kicker_parts = [kicker] if resolver.resolve_id(kicker) else kicker.split("/")
    for part in kicker_parts:
        municipality_id = resolver.resolve_id(part.strip())
        if municipality_id:
            found.add(municipality_id)
        elif part.strip():
            unresolved.append(part.strip())
    found.update(filter(None, map(resolver.resolve_id, tags)))
    return found, unresolved


def ambiguous_tags(resolver: MunicipalityResolver, tags) -> list[str]:
    """Tags that name several register places none of which the rules can choose."""
    return [tag for tag in tags if resolver.is_known(tag) and not resolver.resolve_id(tag)]


def publication_time(day: date) -> datetime:
    """Pages give a day only: midnight in Berlin, so the article is public on that day."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def page_key(page: Page | Teaser) -> str:
    return make_duplicate_key(page.kicker, page.title, publication_time(page.published))


def save_pages(files: Sequence[PageFile], context: ImportContext) -> list[PageOutcome]:
    """Save the files' pages in the caller's transaction, with the same result as saving
    them one after the other; returns what each file did."""
    sources = SourceFile.objects.record({file.name: file.checksum for file in files})
    batch = _Batch(context, files)
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

    def __init__(self, context: ImportContext, files: Sequence[PageFile]):
        self.context = context
        pages = [file.page for file in files]
        page_keys = {page_key(page) for page in pages}
        teaser_keys = {page_key(teaser) for page in pages for teaser in page.teasers}
        self.articles = _articles_by_key(page_keys | teaser_keys)
        # Known articles that a page with a new key may be a twin of.
        self.twin_candidates = _twin_candidates(
            [file for file in files if page_key(file.page) not in self.articles],
            exclude=set(self.articles),
        )
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
        twin = None
        if article is None:
            twin, strong = self._twin_of(page, source)
            if strong:
                article = self._adopt_twin(twin, key)
                outcome.twins_matched, twin = 1, None
        explained = {} if self.context.explain else None
        if article is None:
            status = Article.Status.DRAFT if twin else Article.Status.PUBLISHED
            article = Article(**values, kind=page.kind, status=status, teaser_only=False)
            self._create(key, article)
            outcome.created = 1
            changed = True
        else:
            was_teaser = article.teaser_only
            changed = _update_fields(article, values, explained)
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
        changed |= self._set_tags(key, article, page.tags, explained)
        changed |= self._set_links(
            key, article, [(link.url, link.label) for link in page.links], explained
        )
        outcome.municipalities_linked = self._link_places(key, article, municipality_ids)
        changed |= bool(outcome.municipalities_linked)
        if outcome.created:
            self.round.versions.created(key, article, reason)
            action = Action.CREATED
        elif changed:
            self.round.versions.changed(key, article, reason)
            outcome.updated = 1
            action = Action.UPGRADED if was_teaser else Action.UPDATED
        else:
            outcome.unchanged = 1
            action = Action.UNCHANGED
        outcome.articles.append((article, action))
        if explained is not None:
            outcome.changes.append(_change_entry(article, action, explained))
        self._page_findings(page, article, outcome, twin)
        if outcome.created:  # a later page of the batch may be its twin
            self.twin_candidates.append(_TwinCandidate(article, {source.name}))

        seen = [key, *(self._apply_teaser(teaser, outcome, reason) for teaser in page.teasers)]
        self.round.sources.update((seen_key, source.pk) for seen_key in seen)
        for vendor in page.vendors:
            outcome.vendors_created += self.context.record_vendor(vendor)
        return outcome

    def _page_findings(self, page: Page, article: Article, outcome: PageOutcome, twin) -> None:
        findings = outcome.findings
        findings += drafts_from_doubts(article, page.doubts)
        kicker_lines = ((page.kicker_line, page.kicker),) if page.kicker_line else ()
        if not article.is_edited("municipalities"):
            findings += _unresolved(article, outcome.unresolved_places, kicker_lines)
            keyword_lines = ((page.keywords_line, ", ".join(page.tags)),) if page.tags else ()
            for tag in ambiguous_tags(self.context.resolver, page.tags):
                findings.append(
                    FindingDraft(
                        article,
                        Kind.UNRESOLVED_PLACE,
                        "municipalities",
                        f"Das Stichwort „{tag}“ passt zu mehreren Orten des Verzeichnisses; "
                        "keiner wurde verknüpft.",
                        keyword_lines,
                        subject=tag,
                    )
                )
        if twin is not None:
            findings.append(
                FindingDraft(
                    article,
                    Kind.POSSIBLE_TWIN,
                    "",  # no field edit answers it: a merge or "passt so" does
                    f"Vielleicht derselbe Artikel wie „{twin.article}“: {twin.evidence}. "
                    "Als Entwurf angelegt: zusammenführen oder veröffentlichen.",
                    kicker_lines,
                    twin=twin.article,
                )
            )

    def _twin_of(self, page: Page, source: SourceFile):
        """The known article this page may be a twin of, and whether the evidence is strong."""
        day = publication_time(page.published)
        best, best_ratio = None, 0.0
        for candidate in self.twin_candidates:
            same_day = candidate.article.published_at == day
            same_file = source.name in candidate.sources
            if not (same_day or same_file):
                continue
            ratio = _similarity(page.lead, candidate.article.lead)
            if same_file and same_day and ratio >= TWIN_LEAD_STRONG:
                return candidate, True
            if (same_file or ratio >= TWIN_LEAD_WEAK) and ratio >= best_ratio:
                best, best_ratio = candidate, ratio
                candidate.evidence = _twin_evidence(same_file, same_day, ratio)
        return best, False

    def _adopt_twin(self, twin, key: str) -> Article:
        """The page is the known article under a corrected headline: its key follows.
        Only now is the whole row read (and locked), with its relations."""
        self.twin_candidates.remove(twin)
        (article,) = _articles_by_pk([twin.article.pk])
        tag_ids, places, links = _relations_of([article])
        old_key = article.duplicate_key
        article.duplicate_key = key
        self.articles[key] = article
        self.tag_ids[key], self.places[key] = tag_ids[old_key], places[old_key]
        self.links[key] = links[old_key]
        self._mark_changed(key, article)
        return article

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
            municipality_ids, unresolved = self.context.municipality_ids(teaser.kicker)
            outcome.municipalities_linked += self._link_places(key, article, municipality_ids)
            outcome.teasers_created += 1
            outcome.articles.append((article, Action.TEASER))
            head = ((teaser.line, f"{teaser.kicker}: {teaser.title}"),)
            outcome.findings += _unresolved(article, unresolved, head)
            outcome.findings.append(
                FindingDraft(
                    article,
                    Kind.TEASER_ONLY,
                    "body",
                    "Nur aus einem Anreißer bekannt: Der volle Text liegt nicht vor. "
                    "Der Artikel wird vollständig, sobald seine Seite importiert wird.",
                    head,
                )
            )
            return key
        if _teaser_fills_caption(article, teaser):
            article.image_caption = teaser.image_caption
            self._mark_changed(key, article)
            self.round.versions.changed(key, article, reason)
        if article.teaser_only and key in self.places:
            # A register loaded after the teaser was first seen: its places follow.
            municipality_ids, _ = self.context.municipality_ids(teaser.kicker)
            outcome.municipalities_linked += self._link_places(key, article, municipality_ids)
        section = self.context.section(teaser.section)
        if (
            section
            and article.section_id
            and section.pk != article.section_id
            and not article.is_edited("section")
        ):
            outcome.findings.append(
                FindingDraft(
                    article,
                    Kind.TEASER_CONFLICT,
                    "section",
                    f"Ein Anreißer ordnet den Artikel dem Bereich „{section.name}“ zu; "
                    "gespeichert ist ein anderer Bereich.",
                    ((teaser.line, f"{teaser.kicker}: {teaser.title}"),),
                    subject=section.name,
                )
            )
        return key

    def _create(self, key: str, article: Article) -> None:
        article.duplicate_key = key
        self.articles[key] = self.round.new[key] = article
        self.tag_ids[key], self.places[key], self.links[key] = set(), set(), []

    def _mark_changed(self, key: str, article: Article) -> None:
        if key not in self.round.new:  # the insert writes the latest values anyway
            self.round.changed[key] = article

    def _set_tags(self, key: str, article: Article, names, explained=None) -> bool:
        """Tags by id: a name that is another tag's alias (a merge, a rename) is that tag."""
        if article.is_edited("tags"):
            return False
        wanted = self.context.tag_ids(names)
        if self.tag_ids[key] == wanted:
            return False
        if explained is not None:
            names_by_id = {pk: name for name, pk in (self.context.tags or {}).items()}
            explained["tags"] = (
                ", ".join(sorted(names_by_id.get(pk, str(pk)) for pk in self.tag_ids[key])),
                ", ".join(names),
            )
        self.tag_ids[key] = self.round.tags[key] = wanted
        return True

    def _set_links(self, key: str, article: Article, links, explained=None) -> bool:
        if article.is_edited("links") or self.links[key] == links:
            return False
        if explained is not None:
            explained["links"] = (
                " · ".join(url or label for url, label in self.links[key]),
                " · ".join(url or label for url, label in links),
            )
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


def _articles_by_pk(ids) -> list[Article]:
    """Whole rows, locked until the batch commits (see _articles_by_key)."""
    return list(Article.objects.filter(pk__in=ids).order_by().select_for_update())


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


def _update_fields(article: Article, values: dict, explained: dict | None = None) -> bool:
    """Set the values of fields no editor corrected; `explained` gets old -> new."""
    changed = False
    for name, value in values.items():
        # Compare foreign keys by id: no query for the related row.
        current = article.section_id if name == "section" else getattr(article, name)
        wanted = value.pk if name == "section" and value else value
        if article.is_edited(name) or current == wanted:
            continue
        if explained is not None:
            explained[name] = (_shown(getattr(article, name)), _shown(value))
        setattr(article, name, value)
        changed = True
    return changed


def _shown(value) -> str:
    """A field's value as the dry run shows it."""
    if isinstance(value, list):  # body blocks
        return "\n\n".join(block["text"] for block in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y")
    return "" if value is None else str(value)


@cache
def _field_labels() -> dict[str, str]:
    labels = {f.name: str(f.verbose_name) for f in Article._meta.get_fields() if f.concrete}
    return labels | {"tags": "Stichwörter", "links": "Links"}


def _change_entry(article: Article, action: str, explained: dict) -> dict:
    labels = _field_labels()
    return {
        "article": str(article),
        "action": action,
        "fields": [[labels.get(name, name), old, new] for name, (old, new) in explained.items()],
    }


@dataclass(eq=False)
class _TwinCandidate:
    article: Article
    sources: set[str]  # names of the files the article was imported from
    evidence: str = ""


def _twin_candidates(files: Sequence[PageFile], exclude: set[str]) -> list[_TwinCandidate]:
    """Known articles of the pages' days or files, for pages whose key is new: only the
    fields that compare them (an adopted twin is read whole, _Batch._adopt_twin)."""
    if not files:
        return []
    days = {publication_time(file.page.published) for file in files}
    names = {file.name for file in files}
    known = Article.objects.exclude(duplicate_key__in=exclude).only(*TWIN_FIELDS).order_by()
    query = known.filter(published_at__in=days, teaser_only=False)
    articles = {article.pk: article for article in query}
    by_file = ArticleSources.objects.filter(sourcefile__name__in=names, article__teaser_only=False)
    file_rows = list(by_file.values_list("article_id", "sourcefile__name"))
    missing = {pk for pk, _ in file_rows} - set(articles)
    if missing:
        articles.update((article.pk, article) for article in known.filter(pk__in=missing))
    sources = defaultdict(set)
    for pk, name in file_rows:
        sources[pk].add(name)
    return [_TwinCandidate(article, sources[pk]) for pk, article in articles.items()]


def _unresolved(article: Article, names, lines) -> list[FindingDraft]:
    return [
        FindingDraft(
            article,
            Kind.UNRESOLVED_PLACE,
            "municipalities",
            f"„{name}“ in der Dachzeile ist weder ein bekannter Ort noch eine bekannte "
            "Organisation (zuordnen unter „Unbekannte Namen“).",
            lines,
            subject=name,
        )
        for name in names
    ]


def _similarity(lead: str, other: str) -> float:
    """How alike two leads are, word by word (difflib's ratio over the words: a
    corrected word or two leave it high, and it is cheap next to comparing characters)."""
    if not lead or not other:
        return 0.0
    matcher = SequenceMatcher(None, lead.split(), other.split(), autojunk=False)
    if matcher.real_quick_ratio() < TWIN_LEAD_WEAK or matcher.quick_ratio() < TWIN_LEAD_WEAK:
        return 0.0
    return matcher.ratio()


def _twin_evidence(same_file: bool, same_day: bool, ratio: float) -> str:
    reasons = []
    if same_file:
        reasons.append("aus derselben Quelldatei")
    if same_day:
        reasons.append("vom selben Tag")
    if ratio >= TWIN_LEAD_WEAK:
        reasons.append(f"Vorspann zu {round(ratio * 100)} % gleich")
    return ", ".join(reasons)


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
