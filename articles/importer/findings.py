"""Doubts as data: the findings an import records on the articles it touched.

The parser returns its doubts (articles.importer.parse.Doubt); the persistence step adds
its own (a place it could not resolve, a teaser-only article, teasers that disagree, a
possible twin) as `FindingDraft`s on the articles in memory. Once the articles have ids,
`write_findings` inserts them. A finding is identified by article, kind, field and a
fingerprint of its input: inserting one that exists (open or closed) is a no-op, so the
next import of unchanged input neither repeats a finding nor reopens a closed one.
"""

import hashlib
from dataclasses import dataclass

from articles.importer.models import Finding

Kind = Finding.Kind


@dataclass
class FindingDraft:
    article: object  # an Article; its id is known only once the batch is written
    kind: str
    field: str
    message: str
    lines: tuple[tuple[int, str], ...] = ()
    subject: str = ""  # the unresolved name
    # The article this one may be a twin of; its id (known once written) is the subject.
    twin: object = None

    @property
    def resolved_subject(self) -> str:
        return str(self.twin.pk) if self.twin is not None else self.subject

    def fingerprint(self) -> str:
        parts = [self.kind, self.field, self.resolved_subject]
        parts += [text for _, text in self.lines]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def drafts_from_doubts(article, doubts) -> list[FindingDraft]:
    return [
        FindingDraft(article, doubt.kind, doubt.field, doubt.message, doubt.lines)
        for doubt in doubts
    ]


def finding_rows(drafts, *, run=None, source_file: str = "") -> list[Finding]:
    """Unsaved findings for the drafts whose article has an id; insert them with
    `bulk_create(..., ignore_conflicts=True)` (see the module docstring)."""
    rows = [
        Finding(
            article_id=draft.article.pk,
            kind=draft.kind,
            field=draft.field,
            message=draft.message[:500],
            subject=draft.resolved_subject[:300],
            source_file=source_file[:500],
            source_lines=[{"line": no, "text": text} for no, text in draft.lines],
            fingerprint=draft.fingerprint(),
            run=run,
        )
        for draft in drafts
        if draft.article.pk is not None
    ]
    return rows
