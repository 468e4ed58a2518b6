"""One import run: find the files, then read, parse and save each in its own transaction.

A file that fails is reported (file, line, reason) and rolled back whole; the others
go on. Unchanged files (same name and checksum as last time) are skipped.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.db import transaction

from articles.importer.parse import PageParseError, parse_page
from articles.importer.persist import ImportContext, PageOutcome, save_page
from articles.importer.read import SeedReadError, read_seed
from articles.models import SourceFile
from articles.register.resolve import MunicipalityResolver
from articles.search import deferred_indexing

logger = logging.getLogger(__name__)


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


def import_seed_files(
    paths: Iterable[Path],
    *,
    force: bool = False,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    files, missing = find_seed_files(paths)
    for result in missing:
        summary.add(result)
    known_checksums = dict(SourceFile.objects.values_list("name", "checksum"))
    context = ImportContext(resolver=MunicipalityResolver.from_database())
    for number, path in enumerate(files, start=1):
        summary.add(_import_file(path, context, known_checksums, force=force, dry_run=dry_run))
        if on_progress:
            on_progress(number, len(files))
    return summary


def _import_file(path: Path, context: ImportContext, known_checksums, *, force, dry_run):
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
    try:
        with transaction.atomic():
            source = SourceFile.objects.record(seed.name, seed.checksum)
            with deferred_indexing():
                outcome = save_page(page, source, context)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        context.forget_cached_rows()
    except Exception as error:
        context.forget_cached_rows()
        logger.debug("Import of %s failed", path, exc_info=True)
        return FileResult(
            path, FileStatus.FAILED, error=f"{path}: could not be saved: {error}", warnings=warnings
        )
    else:
        known_checksums[seed.name] = seed.checksum
    return FileResult(path, FileStatus.IMPORTED, warnings=warnings, outcome=outcome)
