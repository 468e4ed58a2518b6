import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importer.models import ImportRun
from articles.importer.records import RunRecorder
from articles.importer.run import EmptyRegisterError, FileStatus, import_seed_files


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
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not store the run in the database (a benchmark's baseline).",
        )

    def handle(self, *args, paths, dry_run, force, no_record, verbosity, **options):
        paths = paths or [settings.SEEDS_DIR]
        recorder = None
        if not no_record:
            run = ImportRun.objects.create(
                origin=ImportRun.Origin.COMMAND,
                dry_run=dry_run,
                options={"paths": [str(path) for path in paths], "force": force},
            )
            recorder = RunRecorder(run)
        try:
            summary = import_seed_files(
                paths,
                force=force,
                dry_run=dry_run,
                on_progress=self._progress if sys.stderr.isatty() else None,
                recorder=recorder,
            )
        except EmptyRegisterError as error:
            if recorder:
                recorder.fail(str(error))
            raise CommandError(str(error)) from None
        except BaseException as error:
            if recorder:
                recorder.fail(f"{type(error).__name__}: {error}")
            raise
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
