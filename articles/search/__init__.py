"""Full-text search over articles: one interface, the backend chosen by the database.

PostgreSQL uses a stored tsvector (german + unaccent); SQLite an FTS5 table fed with
stems computed in Python. Both index the same document and understand the same query.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

from django.db import connection

from articles.search.documents import documents_for
from articles.search.text import parse_query, query_stems

BATCH_SIZE = 500
# Relevance ranks at most this many hits, the newest ones, and the count stops here
# too. A broad word ("OZG", "Digitalisierung") matches a large part of the archive;
# ranking and counting all of it costs far more than a reader should wait, and a reader
# narrows by Bereich, Land or Jahr long before page 50.
RANKED_WINDOW = 1_000


def backend():
    name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    return import_module(f"articles.search.{name}")


class SearchHits:
    """The hits of one search, best first, as a lazy sequence for the paginator.

    The same on both databases: the backend finds the newest hits up to the window (the
    date index, probing the full-text matches) with each one's relevance score; they
    are sorted by score here, and equal scores keep the newer article first.
    """

    def __init__(self, queryset, words: list):
        self.queryset, self.words = queryset, words
        self._newest = self._ranked = None

    def _newest_hits(self) -> list[tuple[int, float]]:
        if self._newest is None:
            self._newest = backend().newest_hits(self.queryset, self.words, RANKED_WINDOW + 1)
        return self._newest

    def _ranked_hits(self) -> list[int]:
        if self._ranked is None:
            window = list(enumerate(self._newest_hits()[:RANKED_WINDOW]))
            window.sort(key=lambda hit: (-hit[1][1], hit[0]))  # score, then newer first
            self._ranked = [pk for _, (pk, _) in window]
        return self._ranked

    def count(self) -> int:
        return min(len(self._newest_hits()), RANKED_WINDOW)

    def window_ids(self) -> list[int]:
        """Every article the search ranked and counted (and the one past the window)."""
        return [pk for pk, _ in self._newest_hits()]

    @property
    def more_than_counted(self) -> bool:
        """True when more articles match than are counted and ranked."""
        return len(self._newest_hits()) > RANKED_WINDOW

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self._ranked_hits()[index]
        articles = self.queryset.in_bulk(ids) if ids else {}
        return [articles[pk] for pk in ids if pk in articles]

    def __iter__(self):
        return iter(self[:])


@dataclass
class SearchResult:
    queryset: object  # the matching articles, best first (SearchHits, or none())
    exact_stems: set[str]
    prefixes: set[str]
    understood: bool  # False when the query had no searchable word


def search_articles(query: str, queryset) -> SearchResult:
    """The articles of `queryset` that match `query`, ranked by relevance, then date."""
    words = parse_query(query)
    if not words:
        return SearchResult(queryset.none(), set(), set(), understood=False)
    exact, prefixes = query_stems(words)
    return SearchResult(SearchHits(queryset, words), exact, prefixes, understood=True)


def filter_matching(queryset, query: str):
    """`queryset` narrowed to the articles matching `query`, unranked: for lists that
    keep their own order, such as the admin's."""
    words = parse_query(query)
    return backend().filter_matching(queryset, words) if words else queryset.none()


def hits_still_hold(queryset, query: str, window_ids, changed_ids) -> bool:
    """Whether a search of `query` in `queryset` that found `window_ids` (every hit it
    ranked and counted) still finds them, and only them, after the articles
    `changed_ids` changed: none of those among the hits, none of them a match now."""
    if not changed_ids:
        return True
    if not set(changed_ids).isdisjoint(window_ids):
        return False
    return not filter_matching(queryset.filter(pk__in=changed_ids), query).exists()


def index_articles(article_ids) -> None:
    """Bring the index entries of these articles up to date (in the caller's transaction)."""
    ids = list(article_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        backend().index(documents_for(ids[start : start + BATCH_SIZE]))


def remove_articles(article_ids) -> None:
    backend().remove(list(article_ids))


def rebuild_index() -> int:
    from articles.models import Article

    backend().clear()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    index_articles(ids)
    return len(ids)


def after_bulk_indexing() -> None:
    """Call after indexing many articles at once (rebuild, generated articles), once
    their transaction has committed."""
    backend().after_bulk_indexing()


class _Deferral(threading.local):
    def __init__(self):
        self.depth = 0
        self.pending: set[int] = set()


_deferral = _Deferral()


def is_deferred() -> bool:
    return _deferral.depth > 0


def defer(article_ids) -> None:
    _deferral.pending.update(article_ids)


@contextmanager
def deferred_indexing():
    """Collect index updates and write each article once when the block ends: the
    importer saves, tags and links an article in several steps. Use it inside the
    transaction that writes the articles; on an error nothing is indexed."""
    _deferral.depth += 1
    try:
        yield
    except BaseException:
        _deferral.pending.clear()
        raise
    finally:
        _deferral.depth -= 1
    if _deferral.depth == 0 and _deferral.pending:
        pending, _deferral.pending = _deferral.pending, set()
        index_articles(pending)
