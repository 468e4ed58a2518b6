"""Article versions written by the import: one per article and file, in a few inserts.

Left to itself, simple-history records a version on every save and on every change of
tags or places, and re-reads all relations each time: three or more versions per new
article, two thirds of the import's time. The import silences it for the articles it
writes and records each article once, after the file, with its final tags and places.
"""

from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import Article

CREATED, CHANGED = "+", "~"
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason


class ImportVersions:
    """Collects the articles one file created or changed, then writes their versions."""

    def __init__(self, reason: str):
        self.reason = reason[:REASON_MAX_LENGTH]
        self._pending: dict[int, tuple[Article, str]] = {}

    @staticmethod
    def silence(article: Article) -> Article:
        """No automatic versions for this instance (simple-history's own switch)."""
        article.skip_history_when_saving = True
        return article

    def created(self, article: Article) -> None:
        self._pending[article.pk] = (article, CREATED)

    def changed(self, article: Article) -> None:
        self._pending.setdefault(article.pk, (article, CHANGED))

    def write(self) -> int:
        """Insert the versions and their relation rows; returns the number of versions."""
        if not self._pending:
            return 0
        history = Article.history.model
        now = timezone.now()
        versions = history.objects.bulk_create(
            history(
                history_date=now,
                history_type=history_type,
                history_change_reason=self.reason,
                history_user=None,
                **{
                    field.attname: getattr(article, field.attname)
                    for field in history.tracked_fields
                },
            )
            for article, history_type in self._pending.values()
        )
        version_of = {version.id: version for version in versions}
        for field in history._history_m2m_fields:
            _write_relation_versions(field, version_of)
        for article, _ in self._pending.values():
            del article.skip_history_when_saving
        count, self._pending = len(versions), {}
        return count


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
