"""Writing parsed pages to the database: the only importer code that touches the ORM.

Rules:
- Articles are matched by their natural key (kicker, title, day), so a page seen in
  several files, or first as a related-news teaser, is one row.
- A field an editor changed by hand (Article.edited_fields) is never written.
- A teaser never overwrites what a full page said; a full page upgrades a teaser-only
  row in place (id, slug and URL stay; a "Bericht" stays a Bericht).
- Nothing is deleted because a later file lacks it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models.signals import m2m_changed
from django.utils import timezone

from articles.importer.history import ImportVersions
from articles.importer.parse import Page, Teaser
from articles.models import (
    Article,
    ArticleLink,
    Section,
    SourceFile,
    Tag,
    TaggedArticle,
    Vendor,
    natural_key,
)
from articles.register.resolve import MunicipalityResolver


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


@dataclass
class ImportContext:
    """What stays the same for every file of one run."""

    resolver: MunicipalityResolver
    sections: dict[str, Section] = field(default_factory=dict)
    vendors: set[tuple[str, str]] | None = None  # (name, postcode), loaded on first use
    tags: dict[str, int] | None = None  # casefolded name -> id, loaded on first use

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
        """Ids of the tags with these names (case-insensitive), created where missing."""
        if self.tags is None:
            self.tags = {name.casefold(): pk for pk, name in Tag.objects.values_list("pk", "name")}
        ids = set()
        for name in names:
            key = name.casefold()
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


def save_page(page: Page, source: SourceFile, context: ImportContext) -> PageOutcome:
    outcome = PageOutcome()
    versions = ImportVersions(f"Import aus {source.name}")
    published_at = publication_time(page.published)
    section = context.section(page.section)
    municipality_ids, outcome.unresolved_places = context.municipality_ids(page.kicker, page.tags)
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
    key = natural_key(page.kicker, page.title, published_at)
    known = _known_articles(key, page.teasers)
    article = known.get(key)
    if article is None:
        article = versions.silence(
            Article(**values, kind=page.kind, status=Article.Status.PUBLISHED, teaser_only=False)
        )
        article.save()
        known[key] = article
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
            article.save()
    new = bool(outcome.created)
    changed |= _set_tags_and_links(article, page, context, new=new)
    outcome.municipalities_linked = _link_municipalities(article, municipality_ids, new=new)
    changed |= bool(outcome.municipalities_linked)
    if not outcome.created:
        outcome.updated, outcome.unchanged = (1, 0) if changed else (0, 1)
    if outcome.created:
        versions.created(article)
    elif changed:
        versions.changed(article)

    seen_in_file = [
        article,
        *(_save_teaser(t, known, context, outcome, versions) for t in page.teasers),
    ]
    Article.source_files.through.objects.bulk_create(
        [
            Article.source_files.through(article_id=seen.pk, sourcefile_id=source.pk)
            for seen in seen_in_file
        ],
        ignore_conflicts=True,
    )
    for vendor in page.vendors:
        outcome.vendors_created += context.record_vendor(vendor)
    versions.write()
    return outcome


def _known_articles(page_key: str, teasers) -> dict[str, Article]:
    """The page's article and its teasers' articles that exist already: one query.

    Their versions are written by ImportVersions, once for the file."""
    keys = [page_key]
    keys += [natural_key(t.kicker, t.title, publication_time(t.published)) for t in teasers]
    articles = Article.objects.filter(natural_key__in=keys).order_by()
    return {a.natural_key: ImportVersions.silence(a) for a in articles}


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


def _link_municipalities(article: Article, municipality_ids: set[int], *, new=False) -> int:
    """Add the municipalities the page names; never remove one an editor added."""
    if article.is_edited("municipalities"):
        return 0
    if new:
        _add_relations(article, Article.municipalities.through, "municipality", municipality_ids)
        return len(municipality_ids)
    missing = municipality_ids - set(article.municipalities.values_list("pk", flat=True))
    article.municipalities.add(*missing)
    return len(missing)


def _add_relations(article: Article, through, field: str, ids: set[int]) -> None:
    """A just-created article's m2m rows in one insert, then the signal the related
    manager would send, so that history and the search index see them."""
    if not ids:
        return
    through.objects.bulk_create(
        [through(**{_article_field(through): article, f"{field}_id": pk}) for pk in ids]
    )
    m2m_changed.send(
        sender=through,
        instance=article,
        action="post_add",
        reverse=False,
        model=through._meta.get_field(field).related_model,
        pk_set=set(ids),
        using=article._state.db,
    )


def _article_field(through) -> str:
    return "content_object" if through is TaggedArticle else "article"


def _set_tags_and_links(article: Article, page: Page, context, *, new=False) -> bool:
    """Tags and links as the page gives them, unless an editor owns them."""
    changed = False
    if new:
        _add_relations(article, TaggedArticle, "tag", context.tag_ids(page.tags))
        changed = bool(page.tags)
    elif not article.is_edited("tags") and set(article.tags.names()) != set(page.tags):
        article.tags.set(list(page.tags))
        changed = True
    if not article.is_edited("links"):
        wanted = [(link.url, link.label) for link in page.links]
        present = [] if new else list(article.links.values_list("url", "label"))
        if wanted != present:
            if not new:
                article.links.all().delete()
            ArticleLink.objects.bulk_create(
                ArticleLink(article=article, position=position, url=url, label=label)
                for position, (url, label) in enumerate(wanted)
            )
            changed = True
    return changed


def _save_teaser(
    teaser: Teaser,
    known: dict[str, Article],
    context: ImportContext,
    outcome: PageOutcome,
    versions: ImportVersions,
) -> Article:
    published_at = publication_time(teaser.published)
    key = natural_key(teaser.kicker, teaser.title, published_at)
    article = known.get(key)
    if article is None:
        article = Article(
            kicker=teaser.kicker,
            title=teaser.title,
            kind=teaser.kind,
            published_at=published_at,
            lead=teaser.lead,
            image_caption=teaser.image_caption,
            section=context.section(teaser.section),
            status=Article.Status.PUBLISHED,
            teaser_only=True,
        )
        versions.silence(article).save()
        versions.created(article)
        known[key] = article
        municipality_ids, _ = context.municipality_ids(teaser.kicker)
        outcome.municipalities_linked += _link_municipalities(article, municipality_ids, new=True)
        outcome.teasers_created += 1
    elif (
        article.teaser_only
        and teaser.image_caption
        and not article.image_caption
        and not article.is_edited("image_caption")
    ):
        # Another page's teaser may carry the caption this one lacked.
        article.image_caption = teaser.image_caption
        article.save(update_fields=["image_caption", "updated_at"])
        versions.changed(article)
    return article
