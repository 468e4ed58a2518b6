"""PostgreSQL: a stored weighted tsvector (german stemming, unaccent), GIN-indexed."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from articles.search.documents import SearchDocument
from articles.search.text import QueryWord

CONFIG = "german_unaccent"
# ts_rank weights for D, C, B, A.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]

_UPDATE = (
    "UPDATE articles_article SET search_vector = "
    f"setweight(to_tsvector('{CONFIG}', %s), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'C') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'D') WHERE id = %s"
)


def index(documents: list[SearchDocument]) -> None:
    rows = [
        (f"{d.kicker} {d.title}", d.lead, d.body, f"{d.tags} {d.places}", d.article_id)
        for d in documents
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_UPDATE, rows)


def remove(article_ids) -> None:
    """Nothing to do: the vector is a column of the deleted row."""


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET search_vector = NULL")


def _lexeme(word: str, prefix: bool) -> str:
    return f"{word}:*" if prefix else word  # words are letters and digits only


def tsquery(query_words: list[QueryWord]) -> str:
    """A raw tsquery: every word must match; hyphenated words as phrases."""
    clauses = []
    for word in query_words:
        if len(word.parts) == 1:
            options = [_lexeme(spelling, word.prefix) for spelling in word.parts[0]]
            clauses.append("(" + " | ".join(options) + ")")
        else:
            last = len(word.parts) - 1
            tokens = [
                _lexeme(spellings[0], word.prefix and i == last)
                for i, spellings in enumerate(word.parts)
            ]
            clauses.append("(" + " <-> ".join(tokens) + ")")
    return " & ".join(clauses)


def _query(query_words: list[QueryWord]) -> SearchQuery:
    return SearchQuery(tsquery(query_words), config=CONFIG, search_type="raw")


def filter_matching(queryset, query_words: list[QueryWord]):
    return queryset.filter(search_vector=_query(query_words))


def relevance(query_words: list[QueryWord], article_ids: list[int]) -> dict[int, float]:
    """Weighted ts_rank of each of these articles (headline words count most)."""
    from articles.models import Article  # the models module imports this package

    ranks = (
        Article.objects.filter(pk__in=article_ids)
        .annotate(rank=SearchRank(F("search_vector"), _query(query_words), weights=RANK_WEIGHTS))
        .values_list("pk", "rank")
    )
    return dict(ranks)
