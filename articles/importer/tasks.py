"""Background work of the import desk, run by the task worker (`manage.py db_worker`).

Imports started in the admin can take longer than a request: the view stores the run
and its uploaded files and enqueues `run_import`; the run's page shows the progress the
recorder writes. Relinking after a register or alias change is a task as well.
"""

from django_tasks import task

from articles.importer.models import ImportRun, UploadedSeedFile
from articles.importer.records import RunRecorder
from articles.importer.run import EmptyRegisterError, SeedSource, import_sources
from articles.register.relink import relink_municipalities

EMPTY_REGISTER = (
    "Das Gemeindeverzeichnis ist leer: Ohne es bekäme kein Artikel seine Orte. "
    "Bitte zuerst das Verzeichnis laden (load_municipalities)."
)


@task()
def run_import(run_id: int) -> dict:
    """Import (or, for a dry run, check) the uploaded files of the run."""
    run = ImportRun.objects.get(pk=run_id)
    uploads = UploadedSeedFile.objects.filter(run_id=run.checked_run_id or run.pk)
    sources = [
        SeedSource.from_bytes(upload.label, upload.name, bytes(upload.data))
        for upload in uploads.order_by("position")
    ]
    recorder = RunRecorder(run)
    try:
        import_sources(
            sources,
            force=run.options.get("force", False),
            dry_run=run.dry_run,
            recorder=recorder,
        )
    except EmptyRegisterError:
        recorder.fail(EMPTY_REGISTER)
    except Exception as error:
        recorder.fail(f"Der Import brach ab: {type(error).__name__}: {error}")
        raise
    run.refresh_from_db()
    return run.counts


@task()
def relink_places() -> dict:
    result = relink_municipalities()
    return {
        "articles_changed": result.articles_changed,
        "places_added": result.places_added,
        "places_removed": result.places_removed,
        "findings_closed": result.findings_closed,
    }
