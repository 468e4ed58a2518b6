"""SQLite: an FTS5 table of stems (German stemming done in Python), ranked with bm25."""

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


def filter_matching(queryset, query_words: list[QueryWord]):
    matching = RawSQL(
        f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (match_expression(query_words),)
    )
    return queryset.filter(pk__in=matching)


class RankedResults:
    """The matches of one search, best first, as a lazy sequence for the paginator.

    The SQL is written here, not built with the ORM, to make SQLite walk the FTS hits
    and check each article by id; a plain join lets it scan every article and run the
    full-text match once per row instead.
    """

    def __init__(self, queryset, match: str):
        self.queryset = queryset
        self.match = match
        # The caller's filters, correlated with each hit: one primary-key lookup per hit
        # instead of materialising every visible article first.
        filtered = queryset.filter(pk=RawSQL(f"{TABLE}.rowid", ())).values("pk")
        filtered_sql, filtered_params = filtered.query.sql_with_params()
        self._from = f"FROM {TABLE} WHERE {TABLE} MATCH %s AND EXISTS ({filtered_sql})"
        self._params = [match, *filtered_params]
        self._count = None

    def count(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) {self._from}", self._params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        table = self.queryset.model._meta.db_table
        newest = f"SELECT published_at FROM {table} WHERE id = {TABLE}.rowid"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {TABLE}.rowid {self._from} "
                f"ORDER BY bm25({TABLE}, {weights}), ({newest}) DESC, {TABLE}.rowid "
                f"LIMIT %s OFFSET %s",
                [*self._params, stop - start, start],
            )
            ids = [row[0] for row in cursor.fetchall()]
        articles = self.queryset.in_bulk(ids)
        return [articles[pk] for pk in ids if pk in articles]

    def __iter__(self):
        return iter(self[:])


def search(queryset, query_words: list[QueryWord]) -> RankedResults:
    """The articles of `queryset` that match, best first, then newest."""
    return RankedResults(queryset, match_expression(query_words))
