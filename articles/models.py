"""The editorial data model: articles and what they are filed under."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.images import WebImageField
from articles.slug_urls import slug_url
from articles.text import german_slugify, match_key

# ArticleQuerySet.filed_in: up to this many tag or place rows count as "a few".
SPARSE_LINKS = 1000
SLUG_CANDIDATES = 50  # base, base-2, … base-50: looked up by equality


def unique_slug(model, base: str, *, max_length: int, exclude_pk=None, reserved=frozenset()) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is still free in `model` and not
    `reserved` (slugs given to rows not yet saved).

    Looks the first fifty candidates up by equality, which uses the slug index on
    both databases (a LIKE 'base%' scans the table on SQLite).
    """
    base = _slug_base(base, max_length)
    others = model._default_manager.exclude(pk=exclude_pk).order_by()
    candidates = _numbered_slugs(base, max_length, SLUG_CANDIDATES)
    taken = set(others.filter(slug__in=candidates).values_list("slug", flat=True))
    taken |= reserved.intersection(candidates)
    if len(taken) == len(candidates):
        taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
        taken |= {slug for slug in reserved if slug.startswith(base)}
        candidates = _numbered_slugs(base, max_length, len(taken) + 1)
    return next(candidate for candidate in candidates if candidate not in taken)


def unique_slugs(model, bases: list[str], *, max_length: int) -> list[str]:
    """unique_slug() for many new rows at once: two queries, unless a title has more
    than fifty namesakes."""
    bases = [_slug_base(base, max_length) for base in bases]
    taken = _existing_slugs(model, set(bases))
    numbered = {
        candidate
        for base in set(bases) & taken
        for candidate in _numbered_slugs(base, max_length, SLUG_CANDIDATES)
    }
    taken |= _existing_slugs(model, numbered)
    chosen = []
    for base in bases:
        slug = base
        if slug in taken:
            candidates = _numbered_slugs(base, max_length, SLUG_CANDIDATES)
            free = (candidate for candidate in candidates if candidate not in taken)
            slug = next(free, None) or unique_slug(
                model, base, max_length=max_length, reserved=taken
            )
        taken.add(slug)
        chosen.append(slug)
    return chosen


def _existing_slugs(model, slugs: set[str], chunk_size: int = 1000) -> set[str]:
    """Which of `slugs` rows use, in chunks that stay under the databases' limits on
    query parameters."""
    wanted, existing = sorted(slugs), set()
    rows = model._default_manager.order_by()
    for start in range(0, len(wanted), chunk_size):
        chunk = wanted[start : start + chunk_size]
        existing.update(rows.filter(slug__in=chunk).values_list("slug", flat=True))
    return existing


def _slug_base(base: str, max_length: int) -> str:
    return base[:max_length].strip("-") or "ohne-titel"


def _numbered_slugs(base: str, max_length: int, count: int) -> list[str]:
    """base, base-2, … base-<count>, each cut to max_length."""

    def numbered(number: int) -> str:
        suffix = f"-{number}"
        return base[: max_length - len(suffix)].rstrip("-") + suffix

    return [base, *(numbered(number) for number in range(2, count + 1))]


class BySlugManager(models.Manager):
    """For models whose natural key (in dumps with --natural-foreign) is their slug."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Section(models.Model):
    """A Bereich of the site (Politik, Praxis, Panorama, …): the first Stichwort of a page."""

    name = models.CharField("Name", max_length=100, unique=True)
    slug = models.SlugField("Kurzname", max_length=100, unique=True)
    description = models.TextField("Beschreibung", blank=True)

    objects = BySlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Bereich"
        verbose_name_plural = "Bereiche"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section, german_slugify(self.name), max_length=100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:section", self.slug)

    def natural_key(self):
        return (self.slug,)


def unite_relation_rows(through, article_field, field, target, source_ids):
    """Give everything on the `article_field` side of `through` that is linked to one of
    `source_ids` (on the `field` side) a link to `target` as well, once: the through
    tables are unique per pair. Merging tags moves articles to the kept tag; merging
    articles (articles.merging) moves tags the other way. Returns the rows' other ends
    newly linked and all those the merge touches; the source rows go with their owners."""
    linked = through.objects.filter(**{f"{field}_id__in": source_ids})
    affected = set(linked.values_list(f"{article_field}_id", flat=True))
    already = set(
        through.objects.filter(**{field: target}).values_list(f"{article_field}_id", flat=True)
    )
    moving = affected - already
    through.objects.bulk_create(
        through(**{f"{article_field}_id": article_id, field: target}) for article_id in moving
    )
    return moving, affected


def _reindex_for_search(article_ids) -> None:
    """Bulk writes send no signals: tell the search index what they changed."""
    from articles.search import index_articles  # the search package imports this module

    index_articles(article_ids)


class Municipality(models.Model):
    """A Land, Kreis, Stadt, Gemeinde … of the official register, or an organisation.

    Register entries carry their official key (AGS at their level: 2 digits for a Land,
    5 for a Kreis, 8 for a Gemeinde, 9 for a Gemeindeverband); entries of kind "other"
    (IT service providers, associations) have none.
    """

    class Kind(models.TextChoices):
        LAND = "land", "Land"
        REGIERUNGSBEZIRK = "regierungsbezirk", "Regierungsbezirk"
        KREIS = "kreis", "Kreis/Landkreis"
        KREISFREIE_STADT = "kreisfreie_stadt", "Kreisfreie Stadt"
        STADT = "stadt", "Stadt"
        GEMEINDE = "gemeinde", "Gemeinde"
        GEMEINDEVERBAND = "gemeindeverband", "Gemeindeverband/Amt"
        OTHER = "other", "Sonstige Organisation"

    name = models.CharField("Name", max_length=150)
    official_name = models.CharField(
        "Amtliche Bezeichnung", max_length=150, blank=True, help_text="Wie im Gemeindeverzeichnis."
    )
    slug = models.SlugField("Kurzname", max_length=160, unique=True)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    ags = models.CharField(
        "Amtlicher Schlüssel",
        max_length=12,
        blank=True,
        help_text="Regionalschlüssel der Ebene (Land 2, Kreis 5, Gemeinde 8 Stellen).",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Übergeordnet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    # Denormalised from the parent chain so that "articles from a Land" is one join.
    land = models.ForeignKey(
        "self",
        verbose_name="Land",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "land"},
    )
    population = models.PositiveIntegerField("Einwohner", null=True, blank=True)

    objects = BySlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Kommune"
        verbose_name_plural = "Kommunen"
        permissions = [("merge_municipality", "Darf Kommunen zusammenführen")]
        constraints = [
            models.UniqueConstraint(
                fields=["ags"], condition=~Q(ags=""), name="municipality_unique_ags"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"], name="municipality_kind_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:municipality", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def in_register(self) -> bool:
        return bool(self.ags)

    @property
    def parent_chain(self) -> list["Municipality"]:
        """The entries above this one, nearest first (Kreis, Regierungsbezirk, Land)."""
        chain, current, seen = [], self.parent, {self.pk}
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain

    @transaction.atomic
    def absorb(self, duplicates) -> int:
        """Merge duplicate "other" entries into this one; returns the articles moved.

        Articles, aliases and children move here, and each duplicate's name becomes an
        alias, so that the import resolves it to this entry from now on.
        """
        duplicates = [d for d in duplicates if d.pk != self.pk]
        if any(d.in_register for d in duplicates):
            raise ValidationError("Nur Einträge ohne amtlichen Schlüssel können aufgehen.")
        ids = [d.pk for d in duplicates]
        moving, affected = unite_relation_rows(
            Article.municipalities.through, "article", "municipality", self, ids
        )
        keys = set(self.aliases.values_list("key", flat=True))
        for duplicate in duplicates:
            for name in [duplicate.name, *duplicate.aliases.values_list("name", flat=True)]:
                if match_key(name) not in keys and name != self.name:
                    keys.add(match_key(name))
                    MunicipalityAlias.objects.create(municipality=self, name=name)
        Municipality.objects.filter(parent_id__in=ids).update(parent=self)
        Municipality.objects.filter(pk__in=ids).delete()
        _reindex_for_search(affected)
        return len(moving)


class MunicipalityAlias(models.Model):
    """A name by which texts refer to a municipality ("Kreis Unna", "Freistaat Bayern")."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="Kommune", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("Bezeichnung", max_length=150)
    key = models.CharField("Suchschlüssel", max_length=150, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Alternativer Name"
        verbose_name_plural = "Alternative Namen"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"], name="municipality_alias_unique_key"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = match_key(self.name)
        super().save(*args, **kwargs)


class Tag(TagBase):
    """A Stichwort; our own model so that tags get German slugs and a description."""

    # Longer than taggit's default: organisation names such as
    # "Kommunales Rechenzentrum Minden-Ravensberg/Lippe (krz)" are tags.
    name = models.CharField("Name", max_length=150, unique=True)
    slug = models.SlugField("Kurzname", max_length=160, unique=True, allow_unicode=False)
    description = models.TextField("Beschreibung", blank=True)

    natural_key_fields = ["slug"]  # taggit's natural keys, by the stable slug

    class Meta:
        ordering = ["name"]
        verbose_name = "Stichwort"
        verbose_name_plural = "Stichwörter"
        permissions = [("merge_tag", "Darf Stichwörter zusammenführen")]

    def slugify(self, tag, i=None):
        slug = german_slugify(tag)[:150] or "stichwort"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return slug_url("articles:tag", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        tag = super().from_db(db, field_names, values)
        tag._name_from_db = tag.__dict__.get("name")
        tag._slug_from_db = tag.__dict__.get("slug")
        return tag

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_name = getattr(self, "_name_from_db", None)
        old_slug = getattr(self, "_slug_from_db", None)
        super().save(*args, **kwargs)
        if old_name and tag_key(old_name) != tag_key(self.name):
            # Imported pages still use the old name: it must find the renamed tag.
            self.keep_alias(old_name)
            self.aliases.filter(key=tag_key(self.name)).delete()
        if old_slug and old_slug != self.slug:
            self.keep_redirect(old_slug)
        self._name_from_db, self._slug_from_db = self.name, self.slug

    def keep_redirect(self, old_slug: str) -> None:
        """Let the page under `old_slug` answer with a 301 to this tag's page."""
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": self})
        TagRedirect.objects.filter(old_slug=self.slug).delete()

    def keep_alias(self, name: str) -> None:
        """Let the import file `name` under this tag from now on."""
        if tag_key(name) != tag_key(self.name):
            TagAlias.objects.update_or_create(
                key=tag_key(name), defaults={"tag": self, "name": name}
            )

    @transaction.atomic
    def absorb(self, others) -> int:
        """Merge `others` into this tag; returns how many articles were re-tagged.

        Every article tagged with one of them ends up tagged with this one, exactly
        once (the through table is unique per article and tag); then they are deleted.
        Their names and aliases become this tag's aliases, so that the next import
        files articles under this tag instead of bringing the merged ones back.
        """
        ids = [tag.pk for tag in others if tag.pk != self.pk]
        moving, affected = unite_relation_rows(TaggedArticle, "content_object", "tag", self, ids)
        TagAlias.objects.filter(tag_id__in=ids).update(tag=self)
        TagAlias.objects.filter(tag=self, key=tag_key(self.name)).delete()
        TagRedirect.objects.filter(tag_id__in=ids).update(tag=self)
        for tag in others:
            if tag.pk in ids:
                self.keep_alias(tag.name)
                self.keep_redirect(tag.slug)
        descriptions = [self.description, *(t.description for t in others if t.pk in ids)]
        self.description = "\n\n".join(filter(None, descriptions))
        self.save(update_fields=["description"])
        Tag.objects.filter(pk__in=ids).delete()
        _reindex_for_search(affected)
        return len(moving)


class HistoryTaggableManager(TaggableManager):
    """Taggit's manager plus what simple-history needs to record tags in the history."""

    def __get__(self, instance, model):
        manager = super().__get__(instance, model)
        manager.field = self  # simple-history finds m2m fields through the descriptor
        return manager

    def m2m_field_name(self):
        return self.through._meta.get_field("content_object").name


def tag_key(name: str) -> str:
    """How the import compares tag names: case does not matter ("OZG", "ozg")."""
    return name.casefold()


class TagAlias(models.Model):
    """Another name of a tag: the name of a tag merged into it, or its own old name.

    The import files a page's Stichwort under the tag its alias names, so that a merge
    or a rename by the editors is not undone by the next import."""

    tag = models.ForeignKey(
        Tag, verbose_name="Stichwort", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(
        "Name",
        max_length=150,
        help_text="Seiten mit diesem Stichwort ordnet der Import dem Stichwort oben zu.",
    )
    key = models.CharField("Suchschlüssel", max_length=150, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "Alternativer Name"
        verbose_name_plural = "Alternative Namen"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        key = tag_key(self.name)
        taken = TagAlias.objects.filter(key=key).exclude(pk=self.pk).select_related("tag").first()
        if taken:
            raise ValidationError(
                {"name": f"„{self.name}“ ist schon ein alternativer Name von „{taken.tag}“."}
            )
        named = Tag.objects.filter(name__iexact=self.name).first()
        if named and named.pk == self.tag_id:
            raise ValidationError({"name": f"„{named}“ ist der Name des Stichworts selbst."})
        if named:
            # Another tag's own name wins in the import: the alias would never be used.
            raise ValidationError(
                {
                    "name": f"„{named}“ ist ein Stichwort. Um es hierher zu übernehmen, bitte "
                    "die beiden Stichwörter zusammenführen."
                }
            )


class TagRedirect(models.Model):
    """A tag's former slug (renamed, or merged into another tag): its old page answers
    with a 301 to the tag's current one, like SlugRedirect for articles."""

    old_slug = models.SlugField("Alter Kurzname", max_length=160, unique=True)
    tag = models.ForeignKey(
        Tag, verbose_name="Stichwort", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "Weiterleitung eines Stichworts"
        verbose_name_plural = "Weiterleitungen von Stichwörtern"

    def __str__(self):
        return f"{self.old_slug} → {self.tag.slug}"

    def get_absolute_url(self):
        return self.tag.get_absolute_url()


class TaggedArticleManager(models.Manager):
    def get_by_natural_key(self, duplicate_key, tag_slug):
        return self.get(content_object__duplicate_key=duplicate_key, tag__slug=tag_slug)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", verbose_name="Artikel", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        Tag, verbose_name="Stichwort", on_delete=models.CASCADE, related_name="tagged_articles"
    )

    objects = TaggedArticleManager()

    class Meta:
        verbose_name = "Verschlagwortung"
        verbose_name_plural = "Verschlagwortungen"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_article_unique_tag"
            ),
        ]

    def natural_key(self):
        """Article and tag, each by its own natural key (taggit's base has none here)."""
        return (self.content_object.duplicate_key, self.tag.slug)

    natural_key.dependencies = ["articles.article", "articles.tag"]


class SourceFileQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        return self.get(name=name)

    def record(self, checksums: dict[str, str]) -> dict[str, "SourceFile"]:
        """Create or update the files' rows (by name) in one statement; the rows by name."""
        now = timezone.now()
        sources = self.bulk_create(
            [
                SourceFile(name=name, checksum=sum_, imported_at=now)
                for name, sum_ in checksums.items()
            ],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["checksum", "imported_at"],
        )
        return {source.name: source for source in sources}


class SourceFile(models.Model):
    """A seed file as last imported: its checksum decides whether it is read again."""

    name = models.CharField("Dateiname", max_length=255, unique=True)
    checksum = models.CharField("SHA-256", max_length=64)
    imported_at = models.DateTimeField("Importiert am", default=timezone.now)

    objects = SourceFileQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Quelldatei"
        verbose_name_plural = "Quelldateien"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


def municipalities_below(place: "Municipality"):
    """The entries one or two levels below `place` (a Kreis's Gemeinden and Verbände and
    the Verbände's members), through the parent index twice. (As a join of the parent,
    `parent = x OR parent.parent = x`, it reads the whole register.)"""
    children = Municipality.objects.filter(parent=place).values("pk")
    return Municipality.objects.filter(Q(parent=place) | Q(parent__in=children))


def _has_rows_in(model) -> RawSQL:
    """Whether an article of the query has rows in `model` (by its `article` key), as
    SQL over the article table: Exists() of a queryset took three times as long to
    build and compile (a millisecond of every article page at 100,000 articles)."""
    table = model._meta.db_table
    column = model._meta.get_field("article").column
    outer = Article._meta.db_table
    sql = f'EXISTS (SELECT 1 FROM "{table}" r WHERE r."{column}" = "{outer}"."id")'
    return RawSQL(sql, (), output_field=models.BooleanField())


class ArticleQuerySet(models.QuerySet):
    def get_by_natural_key(self, duplicate_key):
        return self.get(duplicate_key=duplicate_key)

    def published(self):
        """What the public may see: the one entry point for every public page."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def full(self):
        return self.filter(teaser_only=False)

    def listed(self):
        """As lists show articles: with their section; the search index stays in the
        database (on PostgreSQL a tsvector of the whole text, read by no page)."""
        return self.select_related("section").defer("search_vector")

    def for_article_page(self):
        """What an article's page shows of its relations: the section joined, places and
        tags prefetched, and, in the article's own query, whether it has weblinks and
        corrections. Most articles have neither: Article.prefetch_sparse_relations()
        then reads them only where they exist, two queries fewer per page."""
        return (
            self.select_related("section")
            .prefetch_related("municipalities", "tags")
            .annotate(has_links=_has_rows_in(ArticleLink), has_corrections=_has_rows_in(Correction))
        )

    def about_place(self, place: "Municipality"):
        """Articles about `place` or anything below it: a Land's Kreise and Gemeinden,
        a Kreis's Gemeinden (also those of its Gemeindeverbände). Below a Land or a
        Regierungsbezirk the register's keys nest (a Gemeinde's AGS begins with its
        Land's); below a Kreis or a Gemeindeverband the parents, two levels, say it
        (a Verband's members keep their Kreis's key, and organisations have none)."""
        links = Article.municipalities.through.objects
        if place.ags and place.kind in (Municipality.Kind.LAND, Municipality.Kind.REGIERUNGSBEZIRK):
            # Four levels deep, by key, joined: as a list of hundreds or thousands of keys
            # it cost the list's length in index lookups per article walked (45 ms for
            # Mecklenburg-Vorpommern's newest at 100,000 articles on SQLite, 6 ms joined).
            return self.filed_in(
                links.filter(municipality__ags__startswith=place.ags), "article_id"
            )
        # The keys first (through the parent index): given `place OR below` as a
        # subquery, PostgreSQL scans every link row (12 ms at 100,000 articles for a
        # Gemeinde with nothing below it); a list of keys is an index lookup.
        places = [place.pk, *municipalities_below(place).values_list("pk", flat=True)]
        return self.filed_in(links.filter(municipality_id__in=places), "article_id")

    def tagged(self, tag: "Tag"):
        return self.filed_in(TaggedArticle.objects.filter(tag=tag), "content_object_id")

    def filed_in(self, links, article_field: str):
        """Articles with a row among `links` (their tag or place rows), planned by how
        many there are, so that a page of the newest stays cheap at any archive size:
        a few (a small Gemeinde, a rare tag) are found through the rows' index; many
        are found walking the articles newest first, which meets a page of them soon.
        Walking for a rare tag scans the whole archive; listing a common tag's rows
        first reads tens of thousands. At most SPARSE_LINKS + 1 rows are read to tell."""
        few = list(links.values_list(article_field, flat=True)[: SPARSE_LINKS + 1])
        if len(few) <= SPARSE_LINKS:
            return self.filter(pk__in=few)
        return self.filter(Exists(links.filter(**{article_field: OuterRef("pk")})))

    def in_workflow_state(self, state: str):
        """Articles in one of Article.WORKFLOW_STATES: "geplant" is a published one
        whose time has not come yet, so the list can tell it from a live one."""
        if state == Article.SCHEDULED:
            return self.scheduled()
        if state == Article.Status.PUBLISHED:
            return self.published()
        return self.filter(status=state)

    def search(self, text: str):
        """Articles matching `text` in the full-text index (kicker, title, lead, body,
        tags, places), as the public search understands it: stems, umlauts, prefixes."""
        from articles.search import filter_matching  # the search package imports this module

        return filter_matching(self, text) if text.strip() else self

    def for_admin_list(self):
        """Everything a row of the admin list shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            models.Prefetch("municipalities", Municipality.objects.only("pk", "name")),
            "tags",  # taggit's prefetch accepts no custom queryset
        )

    def locked(self) -> list["Article"]:
        """The articles, locked until the caller's transaction ends: an edit saved
        between reading and writing them back would be overwritten. PostgreSQL locks the
        rows (FOR UPDATE); SQLite's IMMEDIATE transaction holds the write lock anyway."""
        if not transaction.get_connection(self.db).in_atomic_block:
            raise transaction.TransactionManagementError("locked() needs a transaction")
        return list(Article.objects.filter(pk__in=self.values("pk")).select_for_update())

    @transaction.atomic
    def set_status(self, status: str, *, user=None) -> int:
        """Move the articles to `status`, recording each change in their history."""
        articles = self.exclude(status=status).locked()
        now = timezone.now()
        for article in articles:
            article.status, article.updated_at = status, now
        bulk_update_with_history(
            articles, Article, ["status", "updated_at"], batch_size=500, default_user=user
        )
        return len(articles)

    @transaction.atomic
    def set_section(self, section, *, user=None) -> int:
        """File the articles under `section`: a correction the import keeps."""
        articles = self.exclude(section=section).locked()
        now = timezone.now()
        for article in articles:
            article.section, article.updated_at = section, now
            article.mark_edited("section")
        bulk_update_with_history(
            articles,
            Article,
            ["section", "edited_fields", "updated_at"],
            batch_size=500,
            default_user=user,
        )
        return len(articles)

    def add_tag(self, tag) -> int:
        """Tag the articles (one history entry each); the import keeps their tags."""
        return self._change_tag(self.exclude(tagged_items__tag=tag), "add", tag)

    def remove_tag(self, tag) -> int:
        return self._change_tag(self.filter(tagged_items__tag=tag), "remove", tag)

    @staticmethod
    @transaction.atomic
    def _change_tag(queryset, method: str, tag) -> int:
        articles = queryset.locked()
        for article in articles:
            article.mark_edited("tags")
        Article.objects.bulk_update(articles, ["edited_fields"], batch_size=500)
        for article in articles:
            getattr(article.tags, method)(tag)
        return len(articles)

    @transaction.atomic
    def release_edit_marks(self, *, user=None) -> int:
        """Let the next import overwrite the editors' corrections again."""
        articles = self.exclude(edited_fields=[]).locked()
        for article in articles:
            article.edited_fields = []
        bulk_update_with_history(
            articles, Article, ["edited_fields"], batch_size=500, default_user=user
        )
        return len(articles)


class AuthorQuerySet(models.QuerySet):
    def get_by_natural_key(self, initials):
        return self.get(initials=initials)

    def by_initials(self, initials) -> dict[str, "Author"]:
        """The authors known under `initials`, by their folded Kürzel (one query)."""
        wanted = {author_key(value) for value in initials if value}
        if not wanted:
            return {}
        return {author.key: author for author in self.filter(key__in=wanted)}


def author_key(initials: str) -> str:
    """How a Kürzel is compared: "VE", "ve" and " ve " are one author."""
    return initials.strip().casefold()


class Author(models.Model):
    """Who writes under a Kürzel: the pages show the name where it is known; articles
    keep the Kürzel the page gave, so an unknown one stays as it was."""

    initials = models.CharField("Kürzel", max_length=10, help_text="Wie unter den Artikeln.")
    key = models.CharField("Suchschlüssel", max_length=10, unique=True, editable=False)
    name = models.CharField("Name", max_length=150)
    slug = models.SlugField("Kurzname", max_length=160, unique=True, blank=True)
    role = models.CharField("Funktion", max_length=150, blank=True, help_text="Z. B. Redakteurin.")
    bio = models.TextField("Kurzbiografie", max_length=1000, blank=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Autor oder Autorin"
        verbose_name_plural = "Autorinnen und Autoren"

    def __str__(self):
        return f"{self.name} ({self.initials})"

    def save(self, *args, **kwargs):
        self.initials = self.initials.strip()
        self.key = author_key(self.initials)
        if not self.slug:
            self.slug = unique_slug(
                Author, german_slugify(self.name), max_length=160, exclude_pk=self.pk
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:author", self.slug)

    def clean(self):
        super().clean()
        taken = Author.objects.filter(key=author_key(self.initials)).exclude(pk=self.pk).first()
        if taken:
            raise ValidationError(
                {"initials": f"Das Kürzel „{self.initials}“ gehört schon zu {taken.name}."}
            )

    def natural_key(self):
        return (self.initials,)


def make_duplicate_key(kicker: str, title: str, published_at: datetime) -> str:
    """Identity of an article across files: kicker, title and publication day, folded."""
    day = timezone.localdate(published_at) if timezone.is_aware(published_at) else published_at
    return f"{day:%Y-%m-%d}|{match_key(kicker)}|{match_key(title)}"


class Article(models.Model):
    """A Meldung or Bericht, imported from a seed page or written in the admin."""

    class Kind(models.TextChoices):
        MELDUNG = "meldung", "Meldung"
        BERICHT = "bericht", "Bericht"

    class Status(models.TextChoices):
        DRAFT = "draft", "Entwurf"
        REVIEW = "review", "Zur Prüfung"
        PUBLISHED = "published", "Veröffentlicht"

    class BlockType(models.TextChoices):
        PARAGRAPH = "paragraph", "Absatz"
        INTERTITLE = "intertitle", "Zwischenüberschrift"

    # A workflow state of the admin list, not stored: published with a future date.
    SCHEDULED = "scheduled"
    WORKFLOW_STATES = (
        (Status.DRAFT, "Entwurf"),
        (Status.REVIEW, "Zur Prüfung"),
        (SCHEDULED, "Geplant"),
        (Status.PUBLISHED, "Veröffentlicht"),
    )

    # Fields an editor may correct by hand; the import must leave them alone afterwards.
    EDITABLE_CONTENT_FIELDS = (
        "kicker",
        "title",
        "kind",
        "published_at",
        "lead",
        "body",
        "image_caption",
        "image_credit",
        "author_initials",
        "section",
        "municipalities",
        "tags",
        "links",
    )

    kicker = models.CharField("Dachzeile", max_length=200)
    title = models.CharField("Titel", max_length=300)
    slug = models.SlugField("Kurzname", max_length=255, unique=True, blank=True)
    kind = models.CharField("Art", max_length=10, choices=Kind.choices, default=Kind.MELDUNG)
    published_at = models.DateTimeField("Veröffentlicht am")
    lead = models.TextField("Vorspann", blank=True)
    body = models.JSONField(
        "Text",
        default=list,
        blank=True,
        help_text='Blöcke: [{"type": "paragraph" | "intertitle", "text": "…"}, …]',
    )
    image = WebImageField("Bild", upload_to="artikel/%Y/%m/", blank=True)
    image_alt = models.CharField(
        "Alternativtext",
        max_length=300,
        blank=True,
        help_text="Beschreibt das Bild für Menschen, die es nicht sehen. Pflicht bei Bildern.",
    )
    image_caption = models.CharField("Bildunterschrift", max_length=500, blank=True)
    image_credit = models.CharField("Bildquelle", max_length=200, blank=True)
    author_initials = models.CharField("Kürzel", max_length=10, blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name="Bereich",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name="Kommunen", blank=True, related_name="articles"
    )
    tags = HistoryTaggableManager(
        "Stichwörter",
        through=TaggedArticle,
        blank=True,
        help_text="Durch Kommas getrennte Stichwörter.",
    )
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    teaser_only = models.BooleanField(
        "Nur Anreißer",
        default=False,
        help_text="Nur aus einem Anreißer bekannt; der volle Text liegt nicht vor.",
    )
    source_files = models.ManyToManyField(
        SourceFile, verbose_name="Quelldateien", blank=True, related_name="articles"
    )
    duplicate_key = models.CharField(
        "Dublettenschlüssel", max_length=600, editable=False, help_text="Datum|Dachzeile|Titel"
    )
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only
    edited_fields = models.JSONField(
        "Von Redaktion geändert",
        default=list,
        blank=True,
        help_text="Felder, die der Import nicht mehr überschreibt.",
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert am", auto_now=True)
    corrected_at = models.DateTimeField(
        "Korrigiert am",
        null=True,
        blank=True,
        editable=False,
        help_text="Zeit der letzten Korrektur mit öffentlichem Hinweis (Pressekodex, Ziffer 3).",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="Artikelversion",
        verbose_name_plural="Artikelversionen",
        m2m_fields=[municipalities, tags],
        excluded_fields=["updated_at", "search_vector"],
    )

    class Meta:
        ordering = ["-published_at", "title"]
        get_latest_by = "published_at"
        verbose_name = "Artikel"
        verbose_name_plural = "Artikel"
        permissions = [
            ("publish_article", "Darf Artikel veröffentlichen und zurückziehen"),
            ("merge_article", "Darf Artikel zusammenführen"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["duplicate_key"], name="article_unique_duplicate_key"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["section", "-published_at"], name="article_section_published"),
            models.Index(fields=["-published_at"], name="article_published"),
            # The sitemap index's lastmod: the newest change, without a sort of the table.
            models.Index(fields=["-updated_at"], name="article_updated"),
            models.Index(fields=["-corrected_at"], name="article_corrected"),
            # An author's page: their newest articles.
            models.Index(fields=["author_initials", "-published_at"], name="article_author"),
        ]

    def __str__(self):
        return f"{self.kicker}: {self.title}" if self.kicker else self.title

    def save(self, *args, **kwargs):
        if not self.duplicate_key:
            # Set once: the identity under which the import knows this article, so an
            # editor's corrected title does not make the next import create a twin.
            self.duplicate_key = make_duplicate_key(self.kicker, self.title, self.published_at)
        if not self.slug:
            self.slug = unique_slug(
                Article, german_slugify(self.title), max_length=255, exclude_pk=self.pk
            )
        old_slug = getattr(self, "_slug_from_db", None)
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            # Links and search engines know the old URL: keep it answering with a 301.
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})
            SlugRedirect.objects.filter(old_slug=self.slug).delete()
        self._slug_from_db = self.slug

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    def natural_key(self):
        """Dumps with --natural-foreign name the article by its stored duplicate key."""
        return (self.duplicate_key,)

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Bitte einen Alternativtext für das Bild angeben."})

    @property
    def workflow_state(self) -> str:
        """Status as the desk sees it: a published article with a future date is "geplant"."""
        if self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            return self.SCHEDULED
        return self.status

    @property
    def workflow_label(self) -> str:
        return dict(self.WORKFLOW_STATES)[self.workflow_state]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._slug_from_db = instance.__dict__.get("slug")
        return instance

    # Relations most articles do not have (ArticleQuerySet.for_article_page).
    SPARSE_RELATIONS = ("links", "corrections")

    def prefetch_sparse_relations(self) -> None:
        """Reads the weblinks and corrections for_article_page() found; those it found
        missing are set empty without a query. Without its flags, reads both."""
        wanted = []
        for name in self.SPARSE_RELATIONS:
            if getattr(self, f"has_{name}", True):
                wanted.append(name)
            else:
                # Evaluated, as prefetch_related_objects() leaves its results: iterating a
                # bare none() still compiles its query (half a millisecond each).
                empty = getattr(self, name).none()
                empty._result_cache, empty._prefetch_done = [], True
                cache = self.__dict__.setdefault("_prefetched_objects_cache", {})
                cache[name] = empty
        prefetch_related_objects([self], *wanted)

    @property
    def modified_at(self):
        """What readers and machines are told as the article's last change
        (dateModified, sitemap lastmod, feed updated): the last correction with a
        public notice. Imports and silent corrections do not move it."""
        return self.corrected_at or self.published_at

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def intertitles(self) -> list[str]:
        return [b["text"] for b in self.body if b.get("type") == self.BlockType.INTERTITLE]

    @property
    def body_text(self) -> str:
        """Plain text of the body: paragraphs and intertitles joined by one blank line."""
        return "\n\n".join(block["text"] for block in self.body)

    def is_edited(self, field_name: str) -> bool:
        return field_name in self.edited_fields

    def mark_edited(self, *field_names: str) -> None:
        self.edited_fields = sorted(set(self.edited_fields) | set(field_names))


class Revision(models.Model):
    """A change by Redaktion to a published or scheduled article, waiting for the second
    pair of eyes: the public keeps the live version until Chefredaktion approves it.

    It keeps what the change form posted and the snapshot of the article the form was
    loaded from (articles.admin.concurrency), so that approval goes through the same
    form, rules and conflict check as any save.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Wartet auf Freigabe"
        APPROVED = "approved", "Freigegeben"
        REJECTED = "rejected", "Abgelehnt"

    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Vorgeschlagen von",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("Vorgeschlagen am", auto_now_add=True)
    data = models.JSONField("Formulardaten", default=dict)
    loaded_state = models.TextField("Stand beim Öffnen")
    fields = models.JSONField("Geänderte Felder", default=list)
    status = models.CharField(
        "Status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Entschieden von",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("Entschieden am", null=True, blank=True)
    reason = models.TextField("Begründung der Ablehnung", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Änderungsvorschlag"
        verbose_name_plural = "Änderungsvorschläge"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="revision_status_created"),
            models.Index(fields=["article", "status"], name="revision_article_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="revision_rejection_has_reason",
            ),
        ]

    def __str__(self):
        day = timezone.localtime(self.created_at).strftime("%d.%m.%Y") if self.created_at else ""
        return f"Vorschlag von {self.author} zu „{self.article}“ ({day})"

    def get_absolute_url(self):
        return reverse("admin:articles_article_revision", args=[self.article_id, self.pk])

    def decide(self, status: str, user, reason: str = "") -> None:
        self.status, self.decided_by, self.reason = status, user, reason
        self.decided_at = timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at", "reason"])


class Correction(models.Model):
    """A public correction notice under an article (Pressekodex, Ziffer 3)."""

    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField("Hinweis", max_length=500)
    created_at = models.DateTimeField("Korrigiert am", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["article", "created_at", "pk"]
        verbose_name = "Korrekturhinweis"
        verbose_name_plural = "Korrekturhinweise"
        indexes = [models.Index(fields=["article", "created_at"], name="correction_article")]

    def __str__(self):
        return f"Korrektur vom {timezone.localtime(self.created_at):%d.%m.%Y}: {self.note[:60]}"

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class EditingPresence(models.Model):
    """Who has an article's change form open: the form pings while it is open, so that
    another editor sees "Gerade geöffnet von …" before two people edit at once."""

    TIMEOUT_SECONDS = 60  # a form that has not pinged for this long is closed

    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Person", on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField("Zuletzt gesehen", default=timezone.now)

    class Meta:
        ordering = ["article", "-seen_at"]
        verbose_name = "Geöffnetes Formular"
        verbose_name_plural = "Geöffnete Formulare"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_unique_user"),
        ]
        indexes = [models.Index(fields=["article", "seen_at"], name="presence_article_seen")]

    def __str__(self):
        return f"{self.user} in „{self.article}“"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])

    @classmethod
    def ping(cls, article_id, user) -> None:
        cls.objects.update_or_create(
            article_id=article_id, user=user, defaults={"seen_at": timezone.now()}
        )

    @classmethod
    def others(cls, article_id, user) -> list[str]:
        """The names of the other people who have the article open now."""
        since = timezone.now() - timedelta(seconds=cls.TIMEOUT_SECONDS)
        present = cls.objects.filter(article_id=article_id, seen_at__gte=since).exclude(user=user)
        return sorted(
            presence.user.get_full_name() or presence.user.get_username()
            for presence in present.select_related("user")
        )


class SlugRedirect(models.Model):
    """An article's former slug, so that its old URL redirects to the current one."""

    old_slug = models.SlugField("Alter Kurzname", max_length=255, unique=True)
    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField("Angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "Weiterleitung"
        verbose_name_plural = "Weiterleitungen"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class ArticleLink(models.Model):
    """A weblink under an article, in the order the page gives them."""

    article = models.ForeignKey(
        Article, verbose_name="Artikel", on_delete=models.CASCADE, related_name="links"
    )
    position = models.PositiveSmallIntegerField("Position", default=0)
    url = models.URLField(
        "Adresse",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Nur http- und https-Adressen.",
    )
    label = models.CharField("Beschriftung", max_length=300, blank=True)

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "Weblink"
        verbose_name_plural = "Weblinks"
        constraints = [
            # Only web links: a javascript: or data: URL can never reach a page.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="article_link_http_only",
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(label=""), name="article_link_not_empty"
            ),
        ]

    def __str__(self):
        return self.label or self.url


class VendorQuerySet(models.QuerySet):
    def get_by_natural_key(self, name, postcode):
        return self.get(name=name, postcode=postcode)

    def matching(self, name: str, postcode: str):
        """The vendor a page's "name, PLZ" means: the same normalised name (or a former
        name kept as an alias by a merge) at the same postcode."""
        key = vendor_key(name)
        return self.filter(Q(key=key) | Q(aliases__key=key), postcode=postcode).distinct()


# Legal forms a vendor's name may carry or leave out: "JCC Software" and "JCC Software
# GmbH" at one postcode are one vendor.
_LEGAL_FORMS = (
    "gmbh & co. kg",
    "gmbh & co kg",
    "ag & co. kg",
    "ggmbh",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ohg",
    "gbr",
    "ug (haftungsbeschränkt)",
    "ug",
    "e.v.",
    "ev",
    "e.g.",
    "eg",
    "se",
    "kgaa",
    "aör",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
)


def vendor_key(name: str) -> str:
    """A vendor's name folded for comparison: case, spacing, punctuation around it and a
    trailing legal form do not count."""
    key = " ".join(name.casefold().replace(",", " ").split())
    changed = True
    while changed:
        changed = False
        for form in _LEGAL_FORMS:
            if key.endswith(" " + form):
                key, changed = key[: -len(form)].rstrip(" ,-"), True
    return match_key(key) or match_key(name)


class Vendor(models.Model):
    """A supplier listed under "Ausgewählte Anbieter aus dem Bereich …" on the pages."""

    name = models.CharField("Name", max_length=200)
    key = models.CharField(
        "Suchschlüssel", max_length=200, editable=False, db_index=True, default=""
    )
    slug = models.SlugField("Kurzname", max_length=220, unique=True, blank=True, default="")
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    city = models.CharField("Ort", max_length=100, blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name="Bereich",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vendors",
    )

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "Anbieter"
        verbose_name_plural = "Anbieter"
        permissions = [("merge_vendor", "Darf Anbieter zusammenführen")]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "postcode"], name="vendor_unique_name_postcode"
            ),
            models.UniqueConstraint(fields=["key", "postcode"], name="vendor_unique_key_postcode"),
        ]
        indexes = [models.Index(fields=["section", "name"], name="vendor_section_name")]

    def __str__(self):
        return f"{self.name}, {self.postcode} {self.city}".strip(", ")

    def save(self, *args, **kwargs):
        self.key = vendor_key(self.name)
        if not self.slug:
            self.slug = unique_slug(
                Vendor, german_slugify(f"{self.name} {self.city}"), max_length=220
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:vendor", self.slug)

    def clean(self):
        super().clean()
        twin = (
            Vendor.objects.matching(self.name, self.postcode).exclude(pk=self.pk).first()
            if self.name
            else None
        )
        if twin:
            raise ValidationError(
                {"name": f"Unter der PLZ {self.postcode} gibt es schon „{twin.name}“."}
            )

    def natural_key(self):
        return (self.name, self.postcode)

    @transaction.atomic
    def absorb(self, duplicates) -> int:
        """Merge `duplicates` into this vendor; returns how many went. Their names
        become aliases, so that the import finds this vendor under them from now on."""
        refusal = merge_refusal([self, *duplicates])
        if refusal:
            raise ValidationError(refusal)
        duplicates = [vendor for vendor in duplicates if vendor.pk != self.pk]
        ids = [vendor.pk for vendor in duplicates]
        VendorAlias.objects.filter(vendor_id__in=ids).update(vendor=self)
        for vendor in duplicates:
            if vendor.key != self.key:
                VendorAlias.objects.get_or_create(
                    vendor=self, key=vendor.key, defaults={"name": vendor.name}
                )
        VendorAlias.objects.filter(vendor=self, key=self.key).delete()
        if self.section_id is None:
            self.section_id = next((v.section_id for v in duplicates if v.section_id), None)
            self.save(update_fields=["section"])
        Vendor.objects.filter(pk__in=ids).delete()
        return len(ids)


def merge_refusal(vendors) -> str:
    """Why these vendors cannot become one, or "": the import finds a vendor by name at
    its postcode, so a twin from elsewhere would come back with the next page naming it."""
    postcodes = sorted({vendor.postcode for vendor in vendors})
    if len(postcodes) < 2:
        return ""
    shown = ", ".join(postcode or "ohne PLZ" for postcode in postcodes)
    return (
        "Nur Anbieter mit derselben PLZ lassen sich zusammenführen; "
        f"gewählt sind Anbieter mit den PLZ {shown}."
    )


class VendorAlias(models.Model):
    """A former name of a vendor, kept by a merge."""

    vendor = models.ForeignKey(
        Vendor, verbose_name="Anbieter", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField("Name", max_length=200)
    key = models.CharField("Suchschlüssel", max_length=200, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "Früherer Name"
        verbose_name_plural = "Frühere Namen"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "key"], name="vendor_alias_unique_key"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = vendor_key(self.name)
        super().save(*args, **kwargs)


class ContentVersion(models.Model):
    """A counter that database triggers raise on every write to public content.

    The page cache keys pages by it, so that any write (admin, action, import, merge,
    a raw UPDATE) makes every cached page stale at once, on every app server. See
    articles.cache.content_version for the triggers.
    """

    version = models.BigIntegerField("Stand", default=0)

    class Meta:
        verbose_name = "Inhaltsstand"
        verbose_name_plural = "Inhaltsstände"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="content_version_single_row")]

    def __str__(self):
        return f"Inhaltsstand {self.version}"


class CacheKey(models.Model):
    """A thing that public pages show, and the content version of its last change.

    Keys name an article ("a12"), a tag ("t3"), a place ("p7"), the list of a section,
    tag or place ("ls2", "lt3", "lp7"), the site-wide lists ("l") and a few coarse
    things (articles.cache.keys). Database triggers write the keys a row change
    affects, in the transaction of the change; a cached page is fresh while none of the
    keys it carries changed after the version it was rendered at, and the purge worker
    sends the changed keys to the HTTP caches in front. See articles.cache.triggers.
    """

    key = models.CharField("Schlüssel", max_length=40, primary_key=True)
    version = models.BigIntegerField("Stand")

    class Meta:
        verbose_name = "Cache-Schlüssel"
        verbose_name_plural = "Cache-Schlüssel"
        ordering = ["key"]
        indexes = [models.Index(fields=["version"], name="cachekey_version")]

    def __str__(self):
        return f"{self.key} (Stand {self.version})"


# The import's records live in the importer's room; Django finds them through this module.
from articles.identity.models import SiteIdentity  # noqa: E402, F401
from articles.importer.models import (  # noqa: E402, F401
    Finding,
    ImportedArticle,
    ImportFile,
    ImportRun,
    UploadedSeedFile,
)
