"""One import run: find the files, read and parse each, and save them in batches.

A batch of files is saved in one transaction, and each file either fully or not at all:
when saving a batch fails, its files are saved again one by one, each in its own
transaction, and only the file that fails alone is reported (file, line, reason).
Unchanged files (same name and checksum as last time) are skipped.

A run with a recorder (articles.importer.records) stores what each file did and the
findings on its articles, in the transaction of the file's batch. The files come from
disk (`import_seed_files`) or from elsewhere, such as an upload (`import_sources`).
An empty municipal register refuses the run: without it no article gets its places.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.db import transaction

from articles.importer.parse import PageParseError, parse_page
from articles.importer.persist import ImportContext, PageFile, PageOutcome, save_pages
from articles.importer.read import SeedReadError, SeedText, read_seed, seed_from_bytes
from articles.models import Municipality, SourceFile
from articles.register.resolve import MunicipalityResolver

logger = logging.getLogger(__name__)

# Files per transaction. Larger batches save fewer statements per file; an interrupted
# run redoes at most one batch, and a writer holds SQLite's write lock for one batch.
BATCH_FILES = 100


class FileStatus:
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class EmptyRegisterError(Exception):
    """The municipal register is not loaded: an import would link no places."""

    def __str__(self) -> str:
        return (
            "The municipal register is empty: load it first with "
            '`make manage ARGS="load_municipalities"`; without it no article gets its places.'
        )


def register_loaded() -> bool:
    """Whether the municipal register is in the database (entries with an official key)."""
    return Municipality.objects.exclude(ags="").exists()


@dataclass(frozen=True)
class SeedSource:
    """One file to import: a label for messages (its path) and how to read it."""

    label: str
    read: Callable[[], SeedText]

    @classmethod
    def from_path(cls, path: Path) -> "SeedSource":
        return cls(str(path), lambda: read_seed(path))

    @classmethod
    def from_bytes(cls, label: str, name: str, data: bytes) -> "SeedSource":
        return cls(label, lambda: seed_from_bytes(name, data))


@dataclass
class FileResult:
    path: Path | str  # the label: a path, or "upload.zip: folder/name.txt"
    status: str
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    outcome: PageOutcome | None = None
    error_line: int | None = None


@dataclass
class ImportSummary:
    results: list[FileResult] = field(default_factory=list)
    totals: PageOutcome = field(default_factory=PageOutcome)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.results if result.status == FileStatus.FAILED]

    def add(self, result: FileResult) -> None:
        self.results.append(result)
        if result.outcome is None:
            return
        for counter in fields(PageOutcome):
            value = getattr(result.outcome, counter.name)
            if isinstance(value, int):
                setattr(self.totals, counter.name, getattr(self.totals, counter.name) + value)


def find_seed_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files named, and `*.txt` below folders named, in a stable order; missing paths fail."""
    files, missing = [], []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileResult(path, FileStatus.FAILED, error=f"{path}: no such file"))
    return files, missing


class DryRunRollback(Exception):
    """Raised inside a dry run's transaction so that nothing it wrote stays."""


@dataclass
class _ParsedFile:
    index: int  # in the run's list of files
    path: str
    file: PageFile
    warnings: list[str]


def import_seed_files(paths: Iterable[Path], **options) -> ImportSummary:
    """Import the seed files named and below the folders named; see import_sources()."""
    files, missing = find_seed_files(paths)
    return import_sources([SeedSource.from_path(path) for path in files], missing, **options)


def import_sources(
    sources: list[SeedSource],
    missing: list[FileResult] = (),
    *,
    force: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    recorder=None,
) -> ImportSummary:
    """Import the files; the summary lists them in order, the missing ones first.

    `on_progress(done, total)` is called as files are finished: a batch's files when
    its transaction has committed. `recorder` (records.RunRecorder) stores the run."""
    if not register_loaded():
        raise EmptyRegisterError
    missing = list(missing)
    results: dict[int, FileResult] = {}  # by the file's index in `sources`
    known_checksums = dict(SourceFile.objects.values_list("name", "checksum"))
    context = ImportContext(resolver=MunicipalityResolver.from_database(), explain=dry_run)
    batch: list[_ParsedFile] = []
    offset = len(missing)  # positions in the recorded run: the missing files come first
    if recorder:
        recorder.start(total=offset + len(sources), offset=offset)
        for position, result in enumerate(missing):
            recorder.add_missing(position, result)

    def finish(indexes: list[int], finished: list[FileResult]) -> None:
        results.update(zip(indexes, finished, strict=True))
        if on_progress and finished:
            on_progress(len(results), len(sources))

    def save_batch() -> None:
        saved = _save_batch(batch, context, known_checksums, dry_run=dry_run, recorder=recorder)
        finish([parsed.index for parsed in batch], saved)
        batch.clear()

    def record(index: int, result: FileResult) -> None:
        if recorder:
            recorder.add(index, result)

    for index, source in enumerate(sources):
        parsed = _read_and_parse(index, source, known_checksums, force=force)
        if isinstance(parsed, FileResult):
            record(index, parsed)
            finish([index], [parsed])
            continue
        if any(other.file.name == parsed.file.name for other in batch):
            save_batch()  # one row per file name: the later file's checksum wins, as in order
        batch.append(parsed)
        if len(batch) == BATCH_FILES:
            save_batch()
    save_batch()

    summary = ImportSummary()
    for result in missing + [results[index] for index in range(len(sources))]:
        summary.add(result)
    if recorder:
        recorder.finish(summary)
    return summary


def _read_and_parse(index: int, source: SeedSource, known_checksums, *, force):
    label = source.label
    try:
        seed = source.read()
    except SeedReadError as error:
        return FileResult(label, FileStatus.FAILED, error=str(error))
    if not force and known_checksums.get(seed.name) == seed.checksum:
        return FileResult(label, FileStatus.UNCHANGED)
    try:
        page = parse_page(seed.text, source=label)
    except PageParseError as error:
        return FileResult(label, FileStatus.FAILED, error=str(error), error_line=error.line)
    warnings = [f"{label}:{w.line}: {w.message}" for w in page.warnings]
    return _ParsedFile(index, label, PageFile(seed.name, seed.checksum, page), warnings)


def _save_batch(
    batch: list[_ParsedFile], context, known_checksums, *, dry_run, recorder=None
) -> list[FileResult]:
    if not batch:
        return []

    def results_of(outcomes) -> list[FileResult]:
        return [
            FileResult(parsed.path, FileStatus.IMPORTED, warnings=parsed.warnings, outcome=outcome)
            for parsed, outcome in zip(batch, outcomes, strict=True)
        ]

    results = []
    try:
        with transaction.atomic():
            results = results_of(save_pages([parsed.file for parsed in batch], context))
            if dry_run:
                raise DryRunRollback
            if recorder:  # in the batch's transaction: the files and their record, or neither
                recorder.record_batch([parsed.index for parsed in batch], results)
    except DryRunRollback:
        context.forget_cached_rows()
        if recorder:
            recorder.record_batch([parsed.index for parsed in batch], results)
    except Exception as error:
        context.forget_cached_rows()
        if recorder:
            recorder.forget([parsed.index for parsed in batch])
        if len(batch) > 1:
            # Find the file that spoils the batch: the others are saved without it.
            return [
                result
                for parsed in batch
                for result in _save_batch(
                    [parsed], context, known_checksums, dry_run=dry_run, recorder=recorder
                )
            ]
        (parsed,) = batch
        logger.debug("Import of %s failed", parsed.path, exc_info=True)
        failed = FileResult(
            parsed.path,
            FileStatus.FAILED,
            error=f"{parsed.path}: could not be saved: {error}",
            warnings=parsed.warnings,
        )
        if recorder:
            recorder.add(parsed.index, failed)
        return [failed]
    else:
        known_checksums.update((parsed.file.name, parsed.file.checksum) for parsed in batch)
    return results
