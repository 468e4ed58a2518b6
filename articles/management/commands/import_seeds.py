import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importer.run import FileStatus, import_seed_files


class Command(BaseCommand):
    help = (
        "Import article pages saved as text (seed files). PATHs are files or folders "
        "(searched recursively for *.txt); without one, the project's seeds/ folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--force", action="store_true", help="Import files whose checksum is unchanged."
        )

    def handle(self, *args, paths, dry_run, force, verbosity, **options):
        summary = import_seed_files(
            paths or [settings.SEEDS_DIR],
            force=force,
            dry_run=dry_run,
            on_progress=self._progress if sys.stderr.isatty() else None,
        )
        for result in summary.results:
            if result.status == FileStatus.FAILED:
                self.stderr.write(self.style.ERROR(result.error))
            if verbosity >= 2:
                self._write_detail(result)
        self._write_summary(summary, dry_run)
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} file(s) failed; see the errors above.")

    def _progress(self, done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _write_detail(self, result) -> None:
        outcome = result.outcome
        line = f"{result.path}: {result.status}"
        if outcome:
            line += (
                f" (created {outcome.created}, updated {outcome.updated}, teasers "
                f"{outcome.teasers_created} new/{outcome.teasers_upgraded} upgraded, "
                f"municipalities {outcome.municipalities_linked}, "
                f"vendors {outcome.vendors_created})"
            )
            if outcome.unresolved_places:
                line += f"\n  unresolved kicker places: {', '.join(outcome.unresolved_places)}"
        self.stdout.write(line)
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))

    def _write_summary(self, summary, dry_run) -> None:
        totals = summary.totals
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}Files: {len(summary.results)} read, "
            f"{summary.count(FileStatus.UNCHANGED)} skipped unchanged, "
            f"{summary.count(FileStatus.FAILED)} failed\n"
            f"Articles: {totals.created} created, {totals.updated} updated, "
            f"{totals.unchanged} unchanged\n"
            f"Teasers: {totals.teasers_created} created, "
            f"{totals.teasers_upgraded} upgraded to full articles\n"
            f"Municipalities linked: {totals.municipalities_linked}\n"
            f"Vendors: {totals.vendors_created} created"
        )
