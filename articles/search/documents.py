"""What of an article is searchable, grouped by weight (A most important … D least)."""

from dataclasses import dataclass

from articles.models import Article


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
    articles = (
        Article.objects.filter(pk__in=list(article_ids))
        .only("pk", "kicker", "title", "lead", "body")
        .prefetch_related("tags", "municipalities")
    )
    return [
        SearchDocument(
            article_id=article.pk,
            kicker=article.kicker,
            title=article.title,
            lead=article.lead,
            body=article.body_text,
            tags=" ".join(tag.name for tag in article.tags.all()),
            places=" ".join(place.name for place in article.municipalities.all()),
        )
        for article in articles
    ]
