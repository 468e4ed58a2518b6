"""What of an article is searchable, grouped by weight (A most important … D least)."""

from collections import defaultdict
from dataclasses import dataclass

from articles.models import Article, TaggedArticle


@dataclass(frozen=True, slots=True)
class SearchDocument:
    article_id: int
    kicker: str
    title: str
    lead: str
    body: str
    tags: str
    places: str


def documents_for(article_ids) -> list[SearchDocument]:
    ids = list(article_ids)
    articles = Article.objects.filter(pk__in=ids).only("pk", "kicker", "title", "lead", "body")
    # Names only, by plain joins: cheaper than prefetching tag and municipality rows.
    tags = _names_by_article(
        TaggedArticle.objects.filter(content_object_id__in=ids), "content_object_id", "tag__name"
    )
    places = _names_by_article(
        Article.municipalities.through.objects.filter(article_id__in=ids),
        "article_id",
        "municipality__name",
    )
    return [
        SearchDocument(
            article_id=article.pk,
            kicker=article.kicker,
            title=article.title,
            lead=article.lead,
            body=article.body_text,
            tags=" ".join(tags[article.pk]),
            places=" ".join(places[article.pk]),
        )
        for article in articles.order_by()
    ]


def _names_by_article(rows, article_column: str, name_column: str) -> dict[int, list[str]]:
    names = defaultdict(list)
    for article_id, name in rows.order_by(name_column).values_list(article_column, name_column):
        names[article_id].append(name)
    return names
