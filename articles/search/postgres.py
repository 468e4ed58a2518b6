"""PostgreSQL: a stored weighted tsvector (german stemming, unaccent), GIN-indexed."""

import functools
import itertools
import operator

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections

from articles.search.documents import SearchDocument
from articles.search.text import QueryWord, stem

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


class StoredLexemes(SearchQuery):
    """A tsquery of lexemes as the index stores them, cast without parsing: to_tsquery
    would cut "wahl-o-mat" into a phrase of its parts again."""

    template = "%(expressions)s::tsquery"

    def __init__(self, value: str):
        super().__init__(value, search_type="raw")


def _lexeme(word: str, prefix: bool) -> str:
    return f"{word}:*" if prefix else word  # words are letters and digits only


def tsquery(query_words: list[QueryWord]) -> str:
    """A raw tsquery of single words (to_tsquery stems them): every word must match."""
    clauses = []
    for word in query_words:
        options = [_lexeme(spelling, word.prefix) for spelling in word.parts[0]]
        clauses.append("(" + " | ".join(options) + ")")
    return " & ".join(clauses)


def compound_tsquery(query_words: list[QueryWord]) -> str:
    """Hyphenated words as the stored lexemes of the whole compound ('e-akt').

    PostgreSQL's parser indexes "E-Akte" as the compound and as its parts; the compound
    alone is an exact lookup with a good row estimate, where the phrase of the parts
    ("e <-> akt") makes the planner guess low and recheck every candidate's positions.
    Snowball's German stemmer here is the one the german configuration uses.
    """
    clauses = []
    for word in query_words:
        spellings = {"-".join(parts) for parts in itertools.product(*word.parts)}
        options = {f"'{stem(spelling)}'" for spelling in spellings}
        if word.prefix:
            options = {f"{option}:*" for option in options}
            options |= {f"'{spelling}':*" for spelling in spellings}
        clauses.append("(" + " | ".join(sorted(options)) + ")")
    return " & ".join(clauses)


def _query(query_words: list[QueryWord]) -> SearchQuery:
    single = [word for word in query_words if len(word.parts) == 1]
    hyphenated = [word for word in query_words if len(word.parts) > 1]
    queries = []
    if single:
        queries.append(SearchQuery(tsquery(single), config=CONFIG, search_type="raw"))
    if hyphenated:
        queries.append(StoredLexemes(compound_tsquery(hyphenated)))
    return functools.reduce(operator.and_, queries)


def after_bulk_indexing() -> None:
    """Fresh planner statistics for the vectors, and the dead row versions cleared away.

    Without statistics every search is planned as if it matched almost nothing, and
    broad words take a slow plan. Indexing rewrites each row it touches; until the old
    versions are vacuumed, a search's walk down the date index visits every article
    twice (autovacuum would get there, a minute or so later).
    """
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE articles_article")  # VACUUM cannot run in a transaction
        else:
            cursor.execute("VACUUM (ANALYZE) articles_article")


def filter_matching(queryset, query_words: list[QueryWord]):
    return queryset.filter(search_vector=_query(query_words))


def newest_hits(queryset, query_words: list[QueryWord], limit: int):
    """(id, weighted ts_rank) of the newest `limit` matches in `queryset`, newest first.

    One query, in two steps. The subquery finds the window by date and carries only id
    and date: when the planner answers from the GIN index (two words, say) it sorts
    every match, and sorting the vectors with them spilled to disk (24 MB for "Smart
    City" at 100,000 articles). The rank is then computed for the window's rows only.
    """
    query = _query(query_words)
    newest = (
        queryset.filter(search_vector=query)
        .order_by("-published_at", "-pk")
        .values("pk", "published_at")[:limit]
    )
    newest_sql, newest_params = newest.query.sql_with_params()
    compiler = newest.query.get_compiler(using=newest.db)
    query_sql, query_params = compiler.compile(query.resolve_expression(newest.query))
    weights = "{" + ",".join(str(weight) for weight in RANK_WEIGHTS) + "}"
    # On the queryset's database: the read replica for public searches (newsroom.db_router).
    with connections[newest.db].cursor() as cursor:
        cursor.execute(
            f"SELECT newest.pk, ts_rank('{weights}'::float4[], article.search_vector, {query_sql}) "
            f"FROM ({newest_sql}) AS newest "
            "JOIN articles_article AS article ON article.id = newest.pk "
            "ORDER BY newest.published_at DESC, newest.pk DESC",
            [*query_params, *newest_params],
        )
        return cursor.fetchall()
