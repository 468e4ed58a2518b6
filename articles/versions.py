"""Article versions written explicitly: one per article and change, with its relations.

Left to itself, simple-history records a version on every save and on every change of
tags or places: a form that changes the text and the places writes two or three
versions, and a restored version writes one more that changes nothing. The import and
the change form write their versions here instead, once everything of the change is
saved, and never a version that is the same as the one before.
"""

from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import Article

CREATED, CHANGED = "+", "~"
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason
# Kept in every version but no content: a version that differs only here is not written.
BOOKKEEPING_FIELDS = {"edited_fields"}


def record_versions(entries, *, user=None) -> dict[int, object]:
    """Insert a version per (article, history type, reason) with the article's current
    fields and relation rows, in a few statements; returns the versions by article id."""
    entries = list(entries)
    if not entries:
        return {}
    history = Article.history.model
    now = timezone.now()
    versions = history.objects.bulk_create(
        history(
            history_date=now,
            history_type=history_type,
            history_change_reason=(reason or "")[:REASON_MAX_LENGTH] or None,
            history_user=user,
            **{field.attname: getattr(article, field.attname) for field in history.tracked_fields},
        )
        for article, history_type, reason in entries
    )
    version_of = {version.id: version for version in versions}
    for field in history._history_m2m_fields:
        _write_relation_versions(field, version_of)
    return version_of


def record_version_if_changed(article, *, user=None, reason="") -> bool:
    """A version of `article` as saved now, unless it equals the latest one."""
    latest = article.history.order_by("-history_id").first()
    if latest is not None and same_content(latest, article):
        return False
    record_versions([(article, CHANGED if latest else CREATED, reason)], user=user)
    return True


def same_content(version, article) -> bool:
    history = Article.history.model
    for field in history.tracked_fields:
        if field.name in BOOKKEEPING_FIELDS:
            continue
        if getattr(version, field.attname) != getattr(article, field.attname):
            return False
    for field in history._history_m2m_fields:
        related = field.m2m_reverse_field_name()
        kept = set(getattr(version, field.name).values_list(related, flat=True))
        now = set(getattr(article, field.name).values_list("pk", flat=True))
        if kept != now:
            return False
    return True


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
