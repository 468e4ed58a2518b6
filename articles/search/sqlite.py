"""SQLite: an FTS5 table of stems (German stemming done in Python), ranked with bm25."""

import json

from django.db import connection
from django.db.models.expressions import RawSQL

from articles.search.documents import SearchDocument
from articles.search.text import QueryWord, index_terms, stem

TABLE = "articles_search_fts"
COLUMNS = ("kicker", "title", "lead", "body", "tags", "places")
# bm25 weights per column, in COLUMNS order: headline words count most.
WEIGHTS = (8.0, 10.0, 4.0, 1.0, 3.0, 3.0)

# The table itself is created by migration 0005_search_index.


def index(documents: list[SearchDocument]) -> None:
    rows = [
        (
            document.article_id,
            *(index_terms(getattr(document, column)) for column in COLUMNS),
        )
        for document in documents
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(row[0],) for row in rows])
        placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({placeholders})", rows
        )


def remove(article_ids) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in article_ids])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def _quoted(token: str) -> str:
    return f'"{token}"'  # tokens are letters and digits only: nothing to escape


def match_expression(query_words: list[QueryWord]) -> str:
    """An FTS5 query: every word must match; hyphenated words as phrases."""
    clauses = []
    for word in query_words:
        if len(word.parts) == 1:
            spellings = word.parts[0]
            options = [_quoted(stem(s)) for s in spellings]
            if word.prefix:
                options += [_quoted(s) + "*" for s in spellings]
            clauses.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
        else:
            stems = [_quoted(stem(spellings[0])) for spellings in word.parts]
            phrases = [" + ".join(stems)]
            if word.prefix:
                phrases.append(" + ".join([*stems[:-1], _quoted(word.parts[-1][0]) + "*"]))
            clauses.append("(" + " OR ".join(phrases) + ")")
    return " AND ".join(clauses)


def after_bulk_indexing() -> None:
    """Nothing to do: FTS5 keeps no planner statistics."""


def _hits(query_words: list[QueryWord]) -> RawSQL:
    return RawSQL(
        f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (match_expression(query_words),)
    )


def filter_matching(queryset, query_words: list[QueryWord]):
    return queryset.filter(pk__in=_hits(query_words))


def newest_hits(queryset, query_words: list[QueryWord], limit: int):
    """(id, score) of the newest `limit` matches in `queryset`, newest first; the score
    is bm25, negated so that higher is better (headline words count most).

    Two queries: the ids through the articles' date index, probing the set of FTS
    matches; then bm25 of just those ids. The unary plus keeps the id list away from
    FTS5's rowid lookup: one pass over the matches that checks each against the list is
    hundreds of times faster than running the full-text query once per id.
    """
    newest = filter_matching(queryset, query_words).order_by("-published_at", "-pk")
    ids = list(newest.values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({TABLE}, {weights}) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
            [match_expression(query_words), json.dumps(ids)],
        )
        scores = dict(cursor.fetchall())
    return [(pk, -scores.get(pk, 0.0)) for pk in ids]
