"""Merging twin articles: two or more articles that tell the same story become one.

The importer sometimes creates a second article for a story it already has (a source
page whose headline was corrected gets a new duplicate key). A merge keeps the oldest
article (smallest `created_at`, then smallest id) with its id, slug, status and
duplicate key, and folds the others into it:

* their URLs answer with a 301 to the kept article (SlugRedirect), including the old
  slugs that already redirected to them;
* tags, places and source files are united; links the kept article lacks are appended;
* fields the kept article lacks (and no editor emptied on purpose) are taken over;
* their versions become versions of the kept article, which gets one more version
  naming the merge; their deletion leaves no deletion version behind;
* findings, import rows, proposed changes and correction notices move over.

Nothing is published: the kept article keeps its status (publishing is a right of its
own). The absorbed articles' duplicate keys go with them.

Everything happens in one transaction with the articles locked. All writes are bulk
writes without signals, so the search index is updated explicitly at the end; the
page cache goes stale through the content-version triggers (articles.cache.content_version)
on the article, link, tag, place, correction and redirect tables.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import (
    Article,
    ArticleLink,
    Correction,
    EditingPresence,
    Finding,
    ImportedArticle,
    Revision,
    SlugRedirect,
    TaggedArticle,
    unite_relation_rows,
)
from articles.search import index_articles
from articles.versions import CHANGED, REASON_MAX_LENGTH, record_versions

# Taken from an absorbed article only while the kept one's is empty and not edited.
FILLABLE_FIELDS = ("lead", "body", "image_caption", "image_credit", "section", "image")


@dataclass
class MergeResult:
    kept: Article
    absorbed_ids: list[int]


def merge_articles(articles, *, user=None) -> MergeResult:
    """Merge `articles` (instances or a queryset) into the oldest of them."""
    ids = _article_ids(articles)
    with transaction.atomic():
        kept, absorbed = _lock(ids)
        absorbed_ids = [article.pk for article in absorbed]
        changed = _take_missing_fields(kept, absorbed)
        changed |= _unite_bookkeeping(kept, absorbed)
        _unite_relations(kept, absorbed_ids)
        _unite_links(kept, absorbed_ids)
        _redirect_slugs(kept, absorbed)
        _move_findings(kept, absorbed_ids, user)
        _move_import_rows(kept, absorbed_ids)
        _move_editorial_records(kept, absorbed_ids)
        _move_history(kept, absorbed_ids)
        _delete_without_history(absorbed_ids)
        _save(kept, changed)
        record_versions([(kept, CHANGED, merge_reason(absorbed))], user=user)
        index_articles([kept.pk])
    return MergeResult(kept=kept, absorbed_ids=absorbed_ids)


def _article_ids(articles) -> list[int]:
    ids = sorted({getattr(article, "pk", article) for article in articles})
    if len(ids) < 2:
        raise ValidationError("Zum Zusammenführen bitte mindestens zwei Artikel wählen.")
    return ids


def _lock(ids) -> tuple[Article, list[Article]]:
    """The articles, locked, oldest first: the oldest is kept."""
    locked = list(
        Article.objects.filter(pk__in=ids).order_by("created_at", "pk").select_for_update()
    )
    if len(locked) != len(ids):
        raise ValidationError(
            "Mindestens einer der Artikel ist inzwischen gelöscht worden; bitte neu wählen."
        )
    return locked[0], locked[1:]


def merge_reason(absorbed) -> str:
    """'Zusammengeführt mit Nr. 7 („Titel“)', titles shortened to fit the version's
    reason field."""
    prefix = "Zusammengeführt mit "
    parts = [(f"Nr. {article.pk} („", article.title, "“)") for article in absorbed]
    frame = len(prefix) + sum(len(a) + len(b) for a, _, b in parts) + 2 * (len(parts) - 1)
    budget = max(1, (REASON_MAX_LENGTH - frame) // len(parts))
    named = [f"{start}{_shorten(title, budget)}{end}" for start, title, end in parts]
    return prefix + ", ".join(named)


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _take_missing_fields(kept: Article, absorbed: list[Article]) -> set[str]:
    """Fill the kept article's empty fields from the absorbed ones (oldest first),
    unless an editor marked the field as edited: then empty is what they want."""
    changed = set()
    for name in FILLABLE_FIELDS:
        if kept.is_edited(name) or not _is_empty(kept, name):
            continue
        donor = next((a for a in absorbed if not _is_empty(a, name)), None)
        if donor is None:
            continue
        setattr(kept, name, getattr(donor, name))
        changed.add(name)
        if name == "image":  # the description belongs to the picture
            kept.image_alt = donor.image_alt
            changed.add("image_alt")
        if name == "body" and kept.teaser_only and not donor.teaser_only:
            kept.teaser_only = False  # the full text is there now
            changed.add("teaser_only")
    return changed


def _is_empty(article: Article, name: str) -> bool:
    if name == "section":
        return article.section_id is None
    return not getattr(article, name)


def _unite_bookkeeping(kept: Article, absorbed: list[Article]) -> set[str]:
    """Edit marks of all of them; the latest public correction among them."""
    changed = set()
    marks = sorted(set(kept.edited_fields).union(*(a.edited_fields for a in absorbed)))
    if marks != kept.edited_fields:
        kept.edited_fields = marks
        changed.add("edited_fields")
    corrected = [a.corrected_at for a in (kept, *absorbed) if a.corrected_at]
    if corrected and max(corrected) != kept.corrected_at:
        kept.corrected_at = max(corrected)  # their correction notices move here
        changed.add("corrected_at")
    return changed


def _unite_relations(kept: Article, absorbed_ids: list[int]) -> None:
    """Tags, places and source files of all of them, each once, without the m2m
    signals (which would write a version per change)."""
    relations = (
        (TaggedArticle, "tag", "content_object"),
        (Article.municipalities.through, "municipality", "article"),
        (Article.source_files.through, "sourcefile", "article"),
    )
    for through, other_end, article_end in relations:
        unite_relation_rows(through, other_end, article_end, kept, absorbed_ids)


def _unite_links(kept: Article, absorbed_ids: list[int]) -> None:
    """The kept article's links, then the others' links it lacks (by URL, or by label
    for links without one), numbered 0, 1, 2 … in that order. The others' duplicates
    stay with them and go when they are deleted."""
    links = list(ArticleLink.objects.filter(article=kept).order_by("position", "pk"))
    seen = {_link_key(link) for link in links}
    theirs = ArticleLink.objects.filter(article_id__in=absorbed_ids).order_by(
        "article__created_at", "article_id", "position", "pk"
    )
    for link in theirs:
        if _link_key(link) not in seen:
            seen.add(_link_key(link))
            links.append(link)
    for position, link in enumerate(links):
        link.article_id, link.position = kept.pk, position
    ArticleLink.objects.bulk_update(links, ["article", "position"])


def _link_key(link: ArticleLink) -> tuple[str, str]:
    url = link.url.strip()
    return ("url", url) if url else ("label", link.label.strip())


def _redirect_slugs(kept: Article, absorbed: list[Article]) -> None:
    """The absorbed articles' URLs, and those that already led to them, lead here."""
    SlugRedirect.objects.filter(article__in=absorbed).update(article=kept)
    for article in absorbed:
        SlugRedirect.objects.update_or_create(old_slug=article.slug, defaults={"article": kept})


def _move_findings(kept: Article, absorbed_ids: list[int], user) -> None:
    """Findings move unless the kept article has the same one (same kind, field and
    input); the doubt whether these are twins is answered."""
    taken = set(Finding.objects.filter(article=kept).values_list("kind", "field", "fingerprint"))
    moving = []
    # "open" sorts after "closed": of two equal findings, the open one moves.
    theirs = Finding.objects.filter(article_id__in=absorbed_ids).order_by("-status", "pk")
    for pk, *identity in theirs.values_list("pk", "kind", "field", "fingerprint"):
        if tuple(identity) not in taken:
            taken.add(tuple(identity))
            moving.append(pk)
    Finding.objects.filter(pk__in=moving).update(article=kept)
    Finding.objects.filter(article_id__in=absorbed_ids).delete()
    subjects = [str(pk) for pk in (kept.pk, *absorbed_ids)]
    Finding.objects.filter(
        article=kept, kind=Finding.Kind.POSSIBLE_TWIN, subject__in=subjects
    ).close(Finding.Resolution.MERGED, user)


def _move_import_rows(kept: Article, absorbed_ids: list[int]) -> None:
    """Which import files wrote the articles: once per file."""
    files = set(ImportedArticle.objects.filter(article=kept).values_list("file_id", flat=True))
    moving = []
    theirs = ImportedArticle.objects.filter(article_id__in=absorbed_ids).order_by("pk")
    for pk, file_id in theirs.values_list("pk", "file_id"):
        if file_id not in files:
            files.add(file_id)
            moving.append(pk)
    ImportedArticle.objects.filter(pk__in=moving).update(article=kept)
    ImportedArticle.objects.filter(article_id__in=absorbed_ids).delete()


def _move_editorial_records(kept: Article, absorbed_ids: list[int]) -> None:
    """Proposed changes and correction notices move; open forms of the others close."""
    Revision.objects.filter(article_id__in=absorbed_ids).update(article=kept)
    Correction.objects.filter(article_id__in=absorbed_ids).update(article=kept)
    EditingPresence.objects.filter(article_id__in=absorbed_ids).delete()


def _move_history(kept: Article, absorbed_ids: list[int]) -> None:
    """The absorbed articles' versions (and their tag and place rows) become versions
    of the kept article, so that its version list shows the whole story."""
    history = Article.history.model
    history.objects.filter(id__in=absorbed_ids).update(id=kept.pk)
    for field in history._history_m2m_fields:
        rows = HistoricalRecords.m2m_models[field].objects
        column = f"{field.m2m_field_name()}_id"
        rows.filter(**{f"{column}__in": absorbed_ids}).update(**{column: kept.pk})


def _delete_without_history(absorbed_ids: list[int]) -> None:
    """Delete the absorbed articles. simple-history writes a deletion version in
    post_delete (it offers no per-instance switch for deletes, and the global setting
    would affect every thread); their own versions have moved already, so every
    version still under their ids is that deletion version, and it goes too."""
    Article.objects.filter(pk__in=absorbed_ids).delete()
    history = Article.history.model
    stray = history.objects.filter(id__in=absorbed_ids)
    for field in history._history_m2m_fields:
        HistoricalRecords.m2m_models[field].objects.filter(history__in=stray).delete()
    stray.delete()


def _save(kept: Article, changed: set[str]) -> None:
    """Write the kept article's taken-over fields in one UPDATE: no signal, no version
    (the merge's version is recorded once everything is in place)."""
    kept.updated_at = timezone.now()
    fields = [Article._meta.get_field(name) for name in sorted(changed | {"updated_at"})]
    Article.objects.filter(pk=kept.pk).update(
        **{field.attname: getattr(kept, field.attname) for field in fields}
    )
