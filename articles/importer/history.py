"""Article versions written by the import: one per article and file, in a few inserts.

Left to itself, simple-history records a version on every save and on every change of
tags or places, and re-reads all relations each time. The import writes with bulk
statements, which simple-history does not see, and records each article once per
file instead, with its final fields, tags and places, and the file as the reason.
"""

from articles.models import Article
from articles.versions import CHANGED, CREATED, REASON_MAX_LENGTH, record_versions


class ImportVersions:
    """The versions still to write, by natural key: at most one per article.

    Write them once the articles and their relation rows are in the database, and
    before anything else changes those articles."""

    def __init__(self):
        self._pending: dict[str, tuple[Article, str, str]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._pending

    def created(self, key: str, article: Article, reason: str) -> None:
        self._pending[key] = (article, CREATED, reason[:REASON_MAX_LENGTH])

    def changed(self, key: str, article: Article, reason: str) -> None:
        self._pending.setdefault(key, (article, CHANGED, reason[:REASON_MAX_LENGTH]))

    def write(self) -> set[int]:
        """Insert the versions and their relation rows; returns the articles' ids."""
        written = record_versions(self._pending.values())
        self._pending = {}
        return set(written)
