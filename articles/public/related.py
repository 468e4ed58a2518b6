"""The related-news sidebars of an article page.

Three lists, in this order, each at most SIDEBAR_SIZE items, never the article itself
and no article twice on the page (a later list skips what an earlier one shows):
1. "Mehr aus dem Bereich <Section>": the newest of the same section;
2. "Mehr aus dem Kyffhäuserkreis": the newest about the article's most specific place
   or anything below it (a Kreis's Gemeinden), never about the Land above it: a reader
   of Kyffhäuserkreis news wants the Kreis's, not Thüringen's;
3. "Zum Thema": most shared tags first, then the newest.
Each list costs one query (the place list three: the places below, their links, the list).
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from articles.cache import keys as cache_keys
from articles.models import Article, Municipality
from articles.register.grammar import news_from

SIDEBAR_SIZE = 5

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
    items = list(
        _candidates()
        .filter(tags__in=tag_ids)
        .exclude(pk__in=seen)
        .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids)))
        .order_by("-shared_tags", "-published_at", "title")[:SIDEBAR_SIZE]
    )
    return Sidebar("Zum Thema", items)
