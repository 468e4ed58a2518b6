"""What each operation reads. Everything public starts from Article.objects.published()."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from articles.api.problems import ApiProblem
from articles.api.schemas import ArticleFilters, MunicipalityFilters, VendorFilters
from articles.cache import keys as cache_keys
from articles.models import (
    Article,
    ArticleLink,
    Correction,
    Municipality,
    Section,
    Tag,
    TaggedArticle,
    Vendor,
)
from articles.search import filter_matching

PLACE_PARENTS = "parent__parent__parent__parent"  # Gemeinde › Verband › Kreis › Bezirk › Land


# What an item shows; the rest of the row (search vector, edit marks) stays in the table.
ARTICLE_FIELDS = (
    "slug",
    "kicker",
    "title",
    "kind",
    "published_at",
    "corrected_at",
    "lead",
    "body",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
    "author_initials",
    "teaser_only",
    "section__slug",
    "section__name",
)


def public_articles():
    return Article.objects.published().select_related("section").only(*ARTICLE_FIELDS)


def article_rows(ids):
    """The rows of these articles with what an item shows, published or not: for ids
    read from public_articles() in the same request (check Article.is_public)."""
    return (
        Article.objects.select_related("section").only(*ARTICLE_FIELDS, "status").filter(pk__in=ids)
    )


@dataclass
class Relations:
    """The tags, places, links and corrections of a page of articles, by article id:
    one query each, as plain rows (prefetch_related would build a queryset and model
    instances per article and relation: half of a list's time, profiled)."""

    tags: dict = field(default_factory=lambda: defaultdict(list))
    places: dict = field(default_factory=lambda: defaultdict(list))
    links: dict = field(default_factory=lambda: defaultdict(list))
    corrections: dict = field(default_factory=lambda: defaultdict(list))


def relations_of(articles) -> Relations:
    ids = [article.pk for article in articles]
    relations = Relations()
    if not ids:
        return relations
    tagged = TaggedArticle.objects.filter(content_object_id__in=ids)
    for article_id, slug, name in tagged.values_list("content_object_id", "tag__slug", "tag__name"):
        relations.tags[article_id].append((slug, name))
    for rows in relations.tags.values():
        rows.sort(key=lambda tag: tag[1].casefold())
    filed = Article.municipalities.through.objects.filter(article_id__in=ids)
    for article_id, *place in filed.order_by("municipality__name").values_list(
        "article_id",
        "municipality__slug",
        "municipality__name",
        "municipality__kind",
        "municipality__ags",
    ):
        relations.places[article_id].append(place)
    links = ArticleLink.objects.filter(article_id__in=ids).order_by("position", "pk")
    for article_id, url, label in links.values_list("article_id", "url", "label"):
        relations.links[article_id].append((url, label))
    corrections = Correction.objects.filter(article_id__in=ids).order_by("created_at", "pk")
    for article_id, note, created_at in corrections.values_list("article_id", "note", "created_at"):
        relations.corrections[article_id].append((note, created_at))
    return relations


def filtered_articles(filters: ArticleFilters):
    articles = public_articles()
    if filters.section:
        articles = articles.filter(section=section_by_slug(filters.section))
    if filters.land:
        articles = articles.about_place(place_by_key(filters.land, land=True))
    if filters.municipality:
        articles = articles.about_place(place_by_key(filters.municipality))
    if filters.tag:
        articles = articles.tagged(tag_by_slug(filters.tag))
    if filters.kind:
        articles = articles.filter(kind=filters.kind.value)
    if filters.year:
        articles = articles.filter(published_at__year=filters.year)
    if filters.since:
        articles = articles.filter(published_at__gte=filters.since)
    if filters.until:
        articles = articles.filter(published_at__lte=filters.until)
    if filters.modified_since or filters.modified_until:
        articles = articles.alias(modified=Coalesce("corrected_at", "published_at"))
        if filters.modified_since:
            articles = articles.filter(modified__gte=filters.modified_since)
        if filters.modified_until:
            articles = articles.filter(modified__lte=filters.modified_until)
    if filters.q:
        articles = filter_matching(articles, filters.q)
    return articles


def _not_found(what: str, value: str) -> ApiProblem:
    return ApiProblem(404, f"{what} „{value}“ gibt es nicht.")


def section_by_slug(slug: str, sections=Section.objects) -> Section:
    """The section with this slug, from `sections` (e.g. with its counts), or a 404."""
    section = sections.filter(slug=slug).first()
    if section is None:
        raise _not_found("Einen Bereich", slug)
    return section


def tag_by_slug(slug: str, tags=Tag.objects) -> Tag:
    tag = tags.filter(slug=slug).first()
    if tag is None:
        raise _not_found("Ein Thema", slug)
    return tag


def place_by_key(key: str, *, land: bool = False) -> Municipality:
    """A place by its slug or its official key (AGS)."""
    places = Municipality.objects.select_related(PLACE_PARENTS)
    if land:
        places = places.filter(kind=Municipality.Kind.LAND)
    # An official key is digits: looked up as one first, then as a slug (one index each).
    place = places.filter(ags=key).first() if key.isdigit() else None
    if place is None:
        place = places.filter(slug=key).first()
    if place is None:
        raise _not_found("Ein Land" if land else "Einen Ort", key)
    return place


def _published_count(relation: str):
    """The published articles per row, as a correlated subquery: counted for the rows of
    the page only, not grouped over the whole table first."""
    cache_keys.depends_on(cache_keys.COUNTS)
    counted = (
        Article.objects.published()
        .filter(**{relation: OuterRef("pk")})
        .order_by()
        .values(relation)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sections():
    return Section.objects.annotate(article_count=_published_count("section")).order_by("name")


def tags():
    return Tag.objects.annotate(article_count=_published_count("tags"))


def municipalities(filters: MunicipalityFilters):
    places = Municipality.objects.select_related(PLACE_PARENTS).annotate(
        article_count=_published_count("municipalities")
    )
    if filters.kind:
        places = places.filter(kind=filters.kind.value)
    if filters.land:
        places = places.filter(land=place_by_key(filters.land, land=True))
    if filters.parent:
        places = places.filter(parent=place_by_key(filters.parent))
    if filters.with_articles:
        places = places.filter(
            Exists(Article.objects.published().filter(municipalities=OuterRef("pk")))
        )
    return places


def municipality(key: str) -> Municipality:
    place = place_by_key(key)
    cache_keys.depends_on(cache_keys.COUNTS)
    place.article_count = place.articles.published().count()
    return place


def vendors(filters: VendorFilters):
    found = Vendor.objects.select_related("section")
    if filters.section:
        found = found.filter(section=section_by_slug(filters.section))
    return found
