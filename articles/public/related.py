"""The related-news sidebars of an article page.

Three lists, in this order, each at most SIDEBAR_SIZE items, never the article itself
and no article twice on the page (a later list skips what an earlier one shows):
1. "Mehr aus dem Bereich <Section>": the newest of the same section;
2. "Mehr aus <Municipality>": the same municipalities first, then their Kreise, then
   their Länder (the register's parent chain);
3. "Zum Thema": most shared tags first, then the newest.
Each list costs one query (the municipality list up to three, one per level).
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from articles.models import Article, Municipality

SIDEBAR_SIZE = 5

# Most specific first: the heading names the most specific place of the article.
_SPECIFICITY = {
    Municipality.Kind.GEMEINDE: 0,
    Municipality.Kind.STADT: 0,
    Municipality.Kind.KREISFREIE_STADT: 0,
    Municipality.Kind.OTHER: 0,
    Municipality.Kind.GEMEINDEVERBAND: 1,
    Municipality.Kind.KREIS: 2,
    Municipality.Kind.REGIERUNGSBEZIRK: 3,
    Municipality.Kind.LAND: 4,
}


@dataclass(frozen=True)
class Sidebar:
    heading: str
    articles: list[Article]


def _candidates():
    return Article.objects.published().only("slug", "kicker", "title", "published_at")


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
    items = list(
        _candidates().filter(section_id=article.section_id).exclude(pk__in=seen)[:SIDEBAR_SIZE]
    )
    return Sidebar(f"Mehr aus dem Bereich {article.section.name}", items)


def _same_place(article: Article, seen: set[int]) -> Sidebar | None:
    places = sorted(article.municipalities.all(), key=lambda m: _SPECIFICITY[m.kind])
    if not places:
        return None
    levels = [{m.pk for m in places}]
    levels.append({m.parent_id for m in places if m.parent_id} - levels[0])
    levels.append({m.land_id for m in places if m.land_id} - levels[0] - levels[1])
    items: list[Article] = []
    for level in filter(None, levels):
        excluded = seen | {item.pk for item in items}
        found = (
            _candidates()
            .filter(pk__in=Article.objects.filter(municipalities__in=level).values("pk"))
            .exclude(pk__in=excluded)[: SIDEBAR_SIZE - len(items)]
        )
        items.extend(found)
        if len(items) == SIDEBAR_SIZE:
            break
    return Sidebar(f"Mehr aus {places[0].name}", items)


def _same_topic(article: Article, seen: set[int]) -> Sidebar | None:
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return None
    items = list(
        _candidates()
        .filter(tags__in=tag_ids)
        .exclude(pk__in=seen)
        .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids)))
        .order_by("-shared_tags", "-published_at", "title")[:SIDEBAR_SIZE]
    )
    return Sidebar("Zum Thema", items)
