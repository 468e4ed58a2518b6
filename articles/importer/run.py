"""One import run: find the files, read and parse each, and save them in batches.

A batch of files is saved in one transaction, and each file either fully or not at all:
when saving a batch fails, its files are saved again one by one, each in its own
transaction, and only the file that fails alone is reported (file, line, reason).
Unchanged files (same name and checksum as last time) are skipped.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.db import transaction

from articles.importer.parse import PageParseError, parse_page
from articles.importer.persist import ImportContext, PageFile, PageOutcome, save_pages
from articles.importer.read import SeedReadError, read_seed
from articles.models import SourceFile
from articles.register.resolve import MunicipalityResolver

logger = logging.getLogger(__name__)

# Files per transaction. Larger batches save fewer statements per file; an interrupted
# run redoes at most one batch, and a writer holds SQLite's write lock for one batch.
BATCH_FILES = 100


class FileStatus:
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class FileResult:
    path: Path
    status: str
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    outcome: PageOutcome | None = None


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
    path: Path
    file: PageFile
    warnings: list[str]


def import_seed_files(
    paths: Iterable[Path],
    *,
    force: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import the seed files; the summary lists the files in the order they were found.

    `on_progress(done, total)` is called as files are finished: a batch's files when
    its transaction has committed."""
    files, missing = find_seed_files(paths)
    results: dict[int, FileResult] = {}  # by the file's index in `files`
    known_checksums = dict(SourceFile.objects.values_list("name", "checksum"))
    context = ImportContext(resolver=MunicipalityResolver.from_database())
    batch: list[_ParsedFile] = []

    def finish(indexes: list[int], finished: list[FileResult]) -> None:
        results.update(zip(indexes, finished, strict=True))
        if on_progress and finished:
            on_progress(len(results), len(files))

    def save_batch() -> None:
        saved = _save_batch(batch, context, known_checksums, dry_run=dry_run)
        finish([parsed.index for parsed in batch], saved)
        batch.clear()

    for index, path in enumerate(files):
        if any(parsed.file.name == path.name for parsed in batch):
            save_batch()  # one row per file name: the later file's checksum wins, as in order
        parsed = _read_and_parse(index, path, known_checksums, force=force)
        if isinstance(parsed, FileResult):
            finish([index], [parsed])
            continue
        batch.append(parsed)
        if len(batch) == BATCH_FILES:
            save_batch()
    save_batch()

    summary = ImportSummary()
    for result in missing + [results[index] for index in range(len(files))]:
        summary.add(result)
    return summary


def _read_and_parse(index: int, path: Path, known_checksums, *, force) -> _ParsedFile | FileResult:
    try:
        seed = read_seed(path)
    except SeedReadError as error:
        return FileResult(path, FileStatus.FAILED, error=str(error))
    if not force and known_checksums.get(seed.name) == seed.checksum:
        return FileResult(path, FileStatus.UNCHANGED)
    try:
        page = parse_page(seed.text, source=str(path))
    except PageParseError as error:
        return FileResult(path, FileStatus.FAILED, error=str(error))
    warnings = [f"{path}:{w.line}: {w.message}" for w in page.warnings]
    return _ParsedFile(index, path, PageFile(seed.name, seed.checksum, page), warnings)


def _save_batch(batch: list[_ParsedFile], context, known_checksums, *, dry_run) -> list[FileResult]:
    if not batch:
        return []
    try:
        with transaction.atomic():
            outcomes = save_pages([parsed.file for parsed in batch], context)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        context.forget_cached_rows()
    except Exception as error:
        context.forget_cached_rows()
        if len(batch) > 1:
            # Find the file that spoils the batch: the others are saved without it.
            return [
                result
                for parsed in batch
                for result in _save_batch([parsed], context, known_checksums, dry_run=dry_run)
            ]
        (parsed,) = batch
        logger.debug("Import of %s failed", parsed.path, exc_info=True)
        return [
            FileResult(
                parsed.path,
                FileStatus.FAILED,
                error=f"{parsed.path}: could not be saved: {error}",
                warnings=parsed.warnings,
            )
        ]
    else:
        known_checksums.update((parsed.file.name, parsed.file.checksum) for parsed in batch)
    return [
        FileResult(parsed.path, FileStatus.IMPORTED, warnings=parsed.warnings, outcome=outcome)
        for parsed, outcome in zip(batch, outcomes, strict=True)
    ]
