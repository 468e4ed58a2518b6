"""Article versions written by the import: one per article and file, in a few inserts.

Left to itself, simple-history records a version on every save and on every change of
tags or places, and re-reads all relations each time. The import writes with bulk
statements, which simple-history does not see, and records each article once per
file instead, with its final fields, tags and places, and the file as the reason.
"""

from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import Article

CREATED, CHANGED = "+", "~"
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason


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
        if not self._pending:
            return set()
        history = Article.history.model
        now = timezone.now()
        versions = history.objects.bulk_create(
            history(
                history_date=now,
                history_type=history_type,
                history_change_reason=reason,
                history_user=None,
                **{
                    field.attname: getattr(article, field.attname)
                    for field in history.tracked_fields
                },
            )
            for article, history_type, reason in self._pending.values()
        )
        version_of = {version.id: version for version in versions}
        for field in history._history_m2m_fields:
            _write_relation_versions(field, version_of)
        self._pending = {}
        return set(version_of)


def _write_relation_versions(field, version_of: dict) -> None:
    """Copy the article's current rows of one m2m table into the versions' m2m history."""
    through = field.remote_field.through
    article_field = field.m2m_field_name()
    columns = [f.attname for f in through._meta.concrete_fields]
    rows = through.objects.filter(**{f"{article_field}_id__in": version_of}).values(*columns)
    history_model = HistoricalRecords.m2m_models[field]
    history_model.objects.bulk_create(
        history_model(history=version_of[row[f"{article_field}_id"]], **row) for row in rows
    )
