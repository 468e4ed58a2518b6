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

The lists they are taken from (the newest of the section, of the place, of each tag,
with a few more rows than a box shows for what an earlier box or the article takes)
are the same for every article of that section, place or tag: they are kept across
requests (articles.cache.lists) while none of their articles and none of the lists
changed, so that a page usually reads them with one lookup. Read afresh, the section
list costs one query, the place list three (the places below it, their links and the
place's, then the list), the tag lists four together (their tags' first rows, the
newest of each, those articles' fields, their tags).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.models import Exists, OuterRef

from articles.cache import keys as cache_keys
from articles.cache.lists import kept_lists
from articles.models import SPARSE_LINKS, Article, Municipality, TaggedArticle
from articles.register.grammar import news_from

SIDEBAR_SIZE = 5
TOPIC_CANDIDATES = 50  # the newest articles of each tag that compete for "Zum Thema"
# Rows kept of each list: a box's worth, and as many as the boxes before it and the
# article itself may take from it.
SECTION_ROWS = SIDEBAR_SIZE + 1
PLACE_ROWS = 2 * SIDEBAR_SIZE + 1
TOPIC_ROWS = TOPIC_CANDIDATES + 2 * SIDEBAR_SIZE + 1
# What a box shows of an article, in the model's order (the rows of a kept list; those
# of a tag add the article's tag ids); the id first.
FIELDS = tuple(
    field.attname
    for field in Article._meta.concrete_fields
    if field.attname in {"id", "slug", "kicker", "title", "published_at", "teaser_only"}
)
TITLE, PUBLISHED_AT = FIELDS.index("title"), FIELDS.index("published_at")

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


def _published_rows():
    return Article.objects.published().values_list(*FIELDS)


def _shown(rows) -> list[Article]:
    """Articles from kept rows, loaded as from the database (each names its cache key)."""
    db = Article.objects.db
    return [Article.from_db(db, FIELDS, row[: len(FIELDS)]) for row in rows]


def _most_specific_place(article: Article) -> Municipality | None:
    places = sorted(article.municipalities.all(), key=lambda m: _SPECIFICITY[m.kind])
    return places[0] if places else None  # equally specific ones in the article's order


def related_sidebars(article: Article, version: int | None = None) -> list[Sidebar]:
    """The non-empty sidebars for `article` (its municipalities and tags prefetched), on
    a page rendered at content `version` (articles.cache.lists.kept_lists)."""
    place = _most_specific_place(article)
    tag_ids = [tag.pk for tag in article.tags.all()]
    lists = _lists(article.section_id, place, tag_ids, version)
    seen = {article.pk}
    sidebars = []
    for build in (
        lambda: _same_section(article, lists, seen),
        lambda: _same_place(place, lists, seen),
        lambda: _same_topic(tag_ids, lists, seen),
    ):
        sidebar = build()  # after the boxes before it: it skips what they show
        if sidebar and sidebar.articles:
            seen.update(item.pk for item in sidebar.articles)
            sidebars.append(sidebar)
    return sidebars


def _section_name(section_id) -> str:
    return f"{cache_keys.section_list(section_id)}:{SECTION_ROWS}"


def _place_name(place) -> str:
    return f"{cache_keys.place_list(place.pk)}:{PLACE_ROWS}"


def _tag_name(tag_id) -> str:
    return f"{cache_keys.tag_list(tag_id)}:{TOPIC_ROWS}t"


def _lists(section_id, place, tag_ids: list[int], version) -> dict[str, list[tuple]]:
    """The kept (or freshly read) lists the article's boxes are taken from."""
    wanted, readers, tag_names = {}, {}, {}
    if section_id is not None:
        name = _section_name(section_id)
        wanted[name] = cache_keys.section_list(section_id)
        readers[name] = lambda: _published_rows().filter(section_id=section_id)[:SECTION_ROWS]
    if place is not None:
        name = _place_name(place)
        wanted[name] = cache_keys.place_list(place.pk)
        readers[name] = lambda: (
            _published_rows().about_place(place).order_by("-published_at", "pk")[:PLACE_ROWS]
        )
    for tag_id in tag_ids:
        tag_names[_tag_name(tag_id)] = tag_id
        wanted[_tag_name(tag_id)] = cache_keys.tag_list(tag_id)

    def read(names: list[str]) -> dict[str, list[tuple]]:
        rows = {name: list(readers[name]()) for name in names if name in readers}
        if tags := [tag_names[name] for name in names if name in tag_names]:
            by_tag = _newest_of_tags(tags)
            rows.update({_tag_name(tag_id): by_tag[tag_id] for tag_id in tags})
        return rows

    return kept_lists(wanted, read, version)


def _unseen(rows, seen: set[int], limit: int) -> list[tuple]:
    return [row for row in rows if row[0] not in seen][:limit]


def _same_section(article: Article, lists, seen: set[int]) -> Sidebar | None:
    if article.section_id is None:
        return None
    cache_keys.depends_on(cache_keys.section_list(article.section_id))
    rows = lists[_section_name(article.section_id)]
    items = _shown(_unseen(rows, seen, SIDEBAR_SIZE))
    return Sidebar(f"Mehr aus dem Bereich {article.section.name}", items)


def _same_place(place, lists, seen: set[int]) -> Sidebar | None:
    if place is None:
        return None
    cache_keys.depends_on(cache_keys.place_list(place.pk))
    items = _shown(_unseen(lists[_place_name(place)], seen, SIDEBAR_SIZE))
    return Sidebar(f"Mehr {news_from(place)}", items)


def _same_topic(tag_ids: list[int], lists, seen: set[int]) -> Sidebar | None:
    if not tag_ids:
        return None
    cache_keys.depends_on(*map(cache_keys.tag_list, tag_ids))
    candidates = {
        row[0]: row
        for tag_id in tag_ids
        for row in _unseen(lists[_tag_name(tag_id)], seen, TOPIC_CANDIDATES)
    }
    shared = set(tag_ids)
    # Most shared tags, then the newest, then by title (stable sorts, last key first).
    ranked = sorted(candidates.values(), key=lambda row: row[TITLE])
    ranked.sort(
        key=lambda row: (len(shared.intersection(row[-1])), row[PUBLISHED_AT]), reverse=True
    )
    return Sidebar("Zum Thema", _shown(ranked[:SIDEBAR_SIZE]))


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


def _newest_of_tags(tag_ids: list[int]) -> dict[int, list[tuple]]:
    """The newest TOPIC_ROWS public articles of each tag, newest first, as rows of
    FIELDS and the article's tag ids: one UNION ALL of one LIMITed branch per tag, each
    planned by the tag's size as ArticleQuerySet.filed_in plans a tag page. A small
    tag's articles are looked up by key (at most SPARSE_LINKS, sorted); a large tag's
    are met walking the articles newest first, probing the (article, tag) index, which
    soon meets enough of them. (Given the tag's rows in a subquery instead of their
    keys, SQLite's planner walks the date index of the whole archive for a small tag
    too.) Then the fields and the tags of the articles found, one query each."""
    linked = _tag_rows(tag_ids)
    branches, params = [], []
    for tag_id in tag_ids:
        if not linked[tag_id]:
            continue
        if len(linked[tag_id]) <= SPARSE_LINKS:
            filed = Article.objects.filter(pk__in=linked[tag_id])
        else:
            tagged = TaggedArticle.objects.filter(tag_id=tag_id, content_object_id=OuterRef("pk"))
            filed = Article.objects.filter(Exists(tagged))
        branch = filed.published().order_by("-published_at", "-pk").values("pk")[:TOPIC_ROWS]
        sql, branch_params = _compiled(branch)
        branches.append(f"SELECT %s, pk FROM ({sql}) AS topic_{tag_id}")
        params.extend([tag_id, *branch_params])
    newest = defaultdict(list)
    if branches:
        with connections[Article.objects.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            for tag_id, pk in cursor.fetchall():
                newest[tag_id].append(pk)
    found = {pk for pks in newest.values() for pk in pks}
    fields = {row[0]: row for row in Article.objects.filter(pk__in=found).values_list(*FIELDS)}
    tags_of = defaultdict(list)
    for pk, tag_id in (
        TaggedArticle.objects.filter(content_object_id__in=found)
        .order_by("tag_id")
        .values_list("content_object_id", "tag_id")
    ):
        tags_of[pk].append(tag_id)
    rows = {}
    for tag_id in tag_ids:
        articles = sorted(
            # (an article deleted between the two queries is left out)
            (fields[pk] for pk in newest[tag_id] if pk in fields),
            key=lambda r: (r[PUBLISHED_AT], r[0]),
        )
        rows[tag_id] = [(*row, tuple(tags_of[row[0]])) for row in reversed(articles)]
    return rows


def _compiled(queryset) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to be wrapped in a sub-SELECT of a UNION ALL
    (Django refuses LIMITed branches in a compound statement on SQLite)."""
    return queryset.query.get_compiler(using=queryset.db).as_sql()
