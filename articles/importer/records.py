"""Storing an import run: its files, what each did to which article, and the findings.

`RunRecorder` collects the files' results as the run goes and writes them in a few
bulk statements per batch, inside the batch's transaction (articles.importer.run), so
that a batch's articles and its record commit together. Dry runs record the files and
what would change; their articles do not exist afterwards, so no article rows and no
findings are written for them.
"""

from django.db.models import F
from django.utils import timezone

from articles.importer.findings import finding_rows
from articles.importer.models import Finding, ImportedArticle, ImportFile, ImportRun

SUMMARY_COUNTS = (
    "created",
    "updated",
    "unchanged",
    "teasers_created",
    "teasers_upgraded",
    "twins_matched",
    "municipalities_linked",
    "vendors_created",
)


class RunRecorder:
    def __init__(self, run: ImportRun):
        self.run = run
        self.offset = 0
        self.pending: dict[int, object] = {}  # position -> FileResult

    def start(self, *, total: int, offset: int = 0) -> None:
        self.offset = offset
        now = timezone.now()
        ImportRun.objects.filter(pk=self.run.pk).update(
            state=ImportRun.State.RUNNING, started_at=now, files_total=total, files_done=0
        )
        self.run.state, self.run.started_at, self.run.files_total = (
            ImportRun.State.RUNNING,
            now,
            total,
        )

    def add_missing(self, position: int, result) -> None:
        self.pending[position] = result

    def add(self, index: int, result) -> None:
        """A file that finished outside a batch (unchanged, unreadable, failed)."""
        self.pending[self.offset + index] = result

    def forget(self, indexes) -> None:
        """A batch was rolled back: its files are recorded again when they finish."""
        for index in indexes:
            self.pending.pop(self.offset + index, None)

    def record_batch(self, indexes, results) -> None:
        for index, result in zip(indexes, results, strict=True):
            self.pending[self.offset + index] = result
        self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pending = sorted(self.pending.items(), key=lambda item: item[0])
        files = ImportFile.objects.bulk_create(
            [self._file_row(position, result) for position, result in pending]
        )
        if not self.run.dry_run:
            self._write_articles_and_findings(files, [result for _, result in pending])
        ImportRun.objects.filter(pk=self.run.pk).update(files_done=F("files_done") + len(files))
        self.pending.clear()

    def finish(self, summary, *, error: str = "") -> None:
        self.flush()
        counts = {name: getattr(summary.totals, name) for name in SUMMARY_COUNTS}
        for status in ImportFile.Status.values:
            counts[f"files_{status}"] = summary.count(status)
        self.run.counts = counts
        self.run.finished_at = timezone.now()
        self.run.state = ImportRun.State.FAILED if error else ImportRun.State.DONE
        self.run.error = error
        self.run.files_done = self.run.files_total
        self.run.save(update_fields=["counts", "finished_at", "state", "error", "files_done"])

    def fail(self, error: str) -> None:
        """The run stopped before its end: what was recorded stays, with the reason."""
        ImportRun.objects.filter(pk=self.run.pk).update(
            state=ImportRun.State.FAILED, error=error, finished_at=timezone.now()
        )

    def _file_row(self, position: int, result) -> ImportFile:
        outcome = result.outcome
        return ImportFile(
            run=self.run,
            position=position,
            name=str(result.path)[:500],
            status=result.status,
            error=result.error,
            error_line=result.error_line,
            warnings=result.warnings,
            changes=outcome.changes if outcome else [],
        )

    def _write_articles_and_findings(self, files, results) -> None:
        rows, findings, upgraded = {}, [], set()
        for file, result in zip(files, results, strict=True):
            if result.outcome is None:
                continue
            for article, action in result.outcome.articles:
                rows.setdefault((file.pk, article.pk), action)
                if action == ImportedArticle.Action.UPGRADED:
                    upgraded.add(article.pk)
            findings += finding_rows(result.outcome.findings, run=self.run, source_file=file.name)
        ImportedArticle.objects.bulk_create(
            [
                ImportedArticle(file_id=file_id, article_id=article_id, action=action)
                for (file_id, article_id), action in rows.items()
            ],
            batch_size=500,
        )
        Finding.objects.bulk_create(findings, ignore_conflicts=True, batch_size=500)
        if upgraded:  # the full page arrived: the article is no longer teaser-only
            Finding.objects.filter(article_id__in=upgraded, kind=Finding.Kind.TEASER_ONLY).close(
                Finding.Resolution.RESOLVED
            )
