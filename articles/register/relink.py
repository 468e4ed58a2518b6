"""Resolving the places of existing articles again, after the register or an alias changed.

The import links the places a kicker and its tags name when it sees a page. When the
register is loaded later, or an editor adds an alias ("krz" is the Kommunales
Rechenzentrum Minden-Ravensberg/Lippe), the articles already imported, teasers
included, are resolved again by the same rule (articles.importer.persist.resolve_places).
Articles whose places an editor corrected (edited_fields) are left alone. A finding
about a name that now resolves is closed.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from articles.importer.models import Finding
from articles.importer.persist import resolve_places
from articles.models import Article, TaggedArticle
from articles.register.resolve import MunicipalityResolver
from articles.search import index_articles
from articles.versions import CHANGED, record_versions

ArticlePlaces = Article.municipalities.through
REASON = "Orte neu zugeordnet (Verzeichnis geändert)"
CHUNK = 2000


@dataclass
class RelinkResult:
    articles_changed: int = 0
    places_added: int = 0
    places_removed: int = 0
    findings_closed: int = 0


def relink_municipalities(article_ids=None) -> RelinkResult:
    """Resolve the places of these articles (default: all) again; see the module docstring."""
    resolver = MunicipalityResolver.from_database()
    result = RelinkResult()
    articles = Article.objects.order_by("pk")
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    ids = list(articles.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        _relink_chunk(resolver, ids[start : start + CHUNK], result)
    result.findings_closed = _close_resolved_findings(resolver)
    return result


@transaction.atomic
def _relink_chunk(resolver, ids, result: RelinkResult) -> None:
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ids).select_for_update()}
    tags = defaultdict(list)
    tagged = TaggedArticle.objects.filter(content_object_id__in=ids).order_by()
    for article_id, name in tagged.values_list("content_object_id", "tag__name"):
        tags[article_id].append(name)
    current = defaultdict(set)
    placed = ArticlePlaces.objects.filter(article_id__in=ids).order_by()
    for article_id, municipality_id in placed.values_list("article_id", "municipality_id"):
        current[article_id].add(municipality_id)
    added, removed, changed = [], [], []
    for pk, article in articles.items():
        if article.is_edited("municipalities"):
            continue
        wanted, _ = resolve_places(resolver, article.kicker, tags[pk])
        missing, stale = wanted - current[pk], current[pk] - wanted
        if missing or stale:
            added += [ArticlePlaces(article_id=pk, municipality_id=m) for m in missing]
            removed += [(pk, m) for m in stale]
            changed.append(article)
    for pk, municipality_id in removed:
        ArticlePlaces.objects.filter(article_id=pk, municipality_id=municipality_id).delete()
    ArticlePlaces.objects.bulk_create(added, ignore_conflicts=True, batch_size=500)
    if changed:
        record_versions((article, CHANGED, REASON) for article in changed)
        index_articles([article.pk for article in changed])
    result.articles_changed += len(changed)
    result.places_added += len(added)
    result.places_removed += len(removed)


def _close_resolved_findings(resolver) -> int:
    unresolved = Finding.objects.open().filter(kind=Finding.Kind.UNRESOLVED_PLACE)
    names = set(unresolved.values_list("subject", flat=True))
    resolved = [name for name in names if resolver.resolve_id(name)]
    if not resolved:
        return 0
    return unresolved.filter(subject__in=resolved).close(Finding.Resolution.RESOLVED)
