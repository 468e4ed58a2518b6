"""The related-news sidebars of an article page.

Three lists, in this order, each at most SIDEBAR_SIZE items, never the article itself
and no article twice on the page (a later list skips what an earlier one shows):
1. "Mehr aus dem Bereich <Section>": the newest of the same section;
2. "Mehr aus dem Kyffhäuserkreis": the newest about the article's most specific place
   or anything below it (a Kreis's Gemeinden), never about the Land above it: a reader
   of Kyffhäuserkreis news wants the Kreis's, not Thüringen's;
3. "Zum Thema": most shared tags first, then the newest, among the newest
   TOPIC_CANDIDATES of each of the article's tags: an old article sharing more tags than
   any of those is not looked for (ranking every article that shares a tag would read
   each tag's whole popularity on every view; a reader wants recent related news).
Each list costs one query (the place list two: the links of the place and of those below
it, then the list; the topic list two: the first rows of its tags, then the list).
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Exists, OuterRef
from django.db.models.expressions import RawSQL

from articles.cache import keys as cache_keys
from articles.models import SPARSE_LINKS, Article, Municipality, TaggedArticle
from articles.register.grammar import news_from

SIDEBAR_SIZE = 5
TOPIC_CANDIDATES = 50  # the newest articles of each tag that compete for "Zum Thema"

# Most specific first: the heading names the most specific place of the article.
_SPECIFICITY = {
    Municipality.Kind.GEMEINDE: 0,
    Municipality.Kind.STADT: 0,
    Municipality.Kind.KREISFREIE_STADT: 0,
    Municipality.Kind.GEMEINDEVERBAND: 1,
    Municipality.Kind.KREIS: 2,
    Municipality.Kind.REGIERUNGSBEZIRK: 3,
    Municipality.Kind.LAND: 4,
    # An organisation (an IT service provider) is no place: its box only without one.
    Municipality.Kind.OTHER: 5,
}


@dataclass(frozen=True)
class Sidebar:
    heading: str
    articles: list[Article]


def _candidates():
    return Article.objects.published().only(
        "slug", "kicker", "title", "published_at", "teaser_only"
    )


def related_sidebars(article: Article) -> list[Sidebar]:
    """The non-empty sidebars for `article` (its municipalities and tags prefetched)."""
    seen = {article.pk}
    sidebars = []
    for build in (_same_section, _same_place, _same_topic):
        sidebar = build(article, seen)
        if sidebar and sidebar.articles:
            seen.update(item.pk for item in sidebar.articles)
            sidebars.append(sidebar)
    return sidebars


def _same_section(article: Article, seen: set[int]) -> Sidebar | None:
    if article.section_id is None:
        return None
    cache_keys.depends_on(cache_keys.section_list(article.section_id))
    items = list(
        _candidates().filter(section_id=article.section_id).exclude(pk__in=seen)[:SIDEBAR_SIZE]
    )
    return Sidebar(f"Mehr aus dem Bereich {article.section.name}", items)


def _same_place(article: Article, seen: set[int]) -> Sidebar | None:
    places = sorted(article.municipalities.all(), key=lambda m: _SPECIFICITY[m.kind])
    if not places:
        return None
    place = places[0]  # the most specific; equally specific ones in the article's order
    cache_keys.depends_on(cache_keys.place_list(place.pk))
    items = list(
        _candidates()
        .about_place(place)
        .exclude(pk__in=seen)
        .order_by("-published_at", "pk")[:SIDEBAR_SIZE]
    )
    return Sidebar(f"Mehr {news_from(place)}", items)


def _same_topic(article: Article, seen: set[int]) -> Sidebar | None:
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return None
    cache_keys.depends_on(*map(cache_keys.tag_list, tag_ids))
    candidates = _newest_per_tag(tag_ids, seen)
    if candidates is None:  # no article carries any of the tags
        return None
    # Only the SIDEBAR_SIZE winners become Article instances (each names its cache key).
    items = list(
        Article.objects.filter(pk__in=candidates)
        .only("slug", "kicker", "title", "published_at", "teaser_only")
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared_tags=Count("tagged_items"))
        .order_by("-shared_tags", "-published_at", "title")[:SIDEBAR_SIZE]
    )
    return Sidebar("Zum Thema", items)


def _tag_rows(tag_ids: list[int]) -> dict[int, list[int]]:
    """The articles of each tag (any status), up to SPARSE_LINKS + 1 of them: one query
    over at most that many index entries per tag, never a tag's whole popularity."""
    branches, params = [], []
    for tag_id in tag_ids:
        rows = TaggedArticle.objects.filter(tag_id=tag_id).order_by()
        sql, branch_params = _compiled(rows.values("content_object_id")[: SPARSE_LINKS + 1])
        branches.append(f"SELECT %s, content_object_id FROM ({sql}) AS tag_{tag_id}")
        params.extend([tag_id, *branch_params])
    found = {tag_id: [] for tag_id in tag_ids}
    with connections[TaggedArticle.objects.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        for tag_id, article_id in cursor.fetchall():
            found[tag_id].append(article_id)
    return found


def _newest_per_tag(tag_ids: list[int], seen: set[int]) -> RawSQL | None:
    """The keys of the newest TOPIC_CANDIDATES public articles of each tag (not `seen`):
    one UNION ALL of one LIMITed branch per tag, each planned by the tag's size as
    ArticleQuerySet.filed_in plans a tag page. A small tag's articles are looked up by
    key (at most SPARSE_LINKS, sorted); a large tag's are met walking the articles newest
    first, probing the (article, tag) index, which soon meets enough of them. (Given the
    tag's rows in a subquery instead of their keys, SQLite's planner walks the date index
    of the whole archive for a small tag too.)"""
    rows = _tag_rows(tag_ids)
    branches, params = [], []
    for tag_id in tag_ids:
        if not rows[tag_id]:
            continue
        if len(rows[tag_id]) <= SPARSE_LINKS:
            filed = Article.objects.filter(pk__in=rows[tag_id])
        else:
            tagged = TaggedArticle.objects.filter(tag_id=tag_id, content_object_id=OuterRef("pk"))
            filed = Article.objects.filter(Exists(tagged))
        branch = (
            filed.published()
            .exclude(pk__in=seen)
            .order_by("-published_at", "-pk")
            .values("pk")[:TOPIC_CANDIDATES]
        )
        sql, branch_params = _compiled(branch)
        branches.append(f"SELECT * FROM ({sql}) AS topic_{tag_id}")
        params.extend(branch_params)
    return RawSQL(" UNION ALL ".join(branches), params) if branches else None


def _compiled(queryset) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to be wrapped in a sub-SELECT of a UNION ALL
    (Django refuses LIMITed branches in a compound statement on SQLite)."""
    return queryset.query.get_compiler(using=queryset.db).as_sql()
