"""The import desk in the admin: runs, uploads with a dry run, the worklist, unknown names."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.importer.models import Finding, ImportedArticle, ImportFile, ImportRun
from articles.models import Article, Municipality, MunicipalityAlias
from tests.admin.conftest import logged_in, make_user
from tests.admin.helpers import change_form_data, run_action
from tests.importer.seed_files import SEEDS, UNNA, full_article, run_import

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_importrun_upload")


def seed_bytes(name=UNNA) -> bytes:
    return (SEEDS / name).read_bytes()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def chefin(db, register):
    return logged_in(make_user("chefin", "Chefredaktion"))


def upload(client, *files, follow=True):
    return client.post(UPLOAD, {"files": list(files)}, follow=follow)


# --- runs are records -----------------------------------------------------------------------


def test_the_command_records_its_run_with_files_and_articles(register):
    run_import(SEEDS / UNNA)
    run = ImportRun.objects.get()
    assert run.origin == ImportRun.Origin.COMMAND
    assert run.state == ImportRun.State.DONE
    assert run.counts["created"] == 1 and run.counts["teasers_created"] == 5
    file = run.files.get()
    assert file.status == ImportFile.Status.IMPORTED
    actions = set(file.article_rows.values_list("action", flat=True))
    assert actions == {ImportedArticle.Action.CREATED, ImportedArticle.Action.TEASER}


def test_a_failed_file_is_recorded_with_its_line(tmp_path, register):
    bad = tmp_path / "kaputt.txt"
    bad.write_text("Kicker:\nTitel\n\nkein Datum\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(bad)
    file = ImportFile.objects.get()
    assert file.status == ImportFile.Status.FAILED
    assert file.error_line == 4
    assert "kaputt.txt" in file.error


def test_an_unchanged_file_is_recorded_as_unchanged(register):
    run_import(SEEDS / UNNA)
    run_import(SEEDS / UNNA)
    assert ImportRun.objects.first().files.get().status == ImportFile.Status.UNCHANGED


def test_the_import_refuses_an_empty_register():
    with pytest.raises(CommandError, match="register is empty"):
        run_import(SEEDS / UNNA)
    assert not Article.objects.exists()
    assert ImportRun.objects.get().state == ImportRun.State.FAILED


def test_the_run_page_lists_files_and_links_the_articles(chefin):
    run_import(SEEDS / UNNA)
    run = ImportRun.objects.get()
    page = chefin.get(run.get_absolute_url())
    article = full_article("Digitaler Masterplan")
    assert reverse("admin:articles_article_change", args=[article.pk]) in page.text
    assert "Importiert" in page.text


def test_the_article_page_links_its_import_runs(chefin):
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    page = chefin.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert ImportRun.objects.get().get_absolute_url() in page.text


# --- upload, dry run, execution -------------------------------------------------------------


def test_an_upload_is_first_a_dry_run_that_writes_no_article(chefin):
    response = upload(chefin, SimpleUploadedFile("unna.txt", seed_bytes()))
    run = ImportRun.objects.get()
    assert run.dry_run and run.state == ImportRun.State.DONE
    assert not Article.objects.exists()
    assert "Import ausführen" in response.text
    assert "Digitaler Masterplan" in response.text


def test_the_dry_run_shows_the_fields_that_would_change(chefin, tmp_path):
    run_import(SEEDS / UNNA)
    changed = seed_bytes().replace("Mobilere Bürgerservices".encode(), b"Mobile Dienste")
    response = upload(chefin, SimpleUploadedFile("unna.txt", changed))
    change = ImportRun.objects.first().files.get().changes[0]
    assert change["action"] == "updated"
    assert [label for label, _, _ in change["fields"]] == ["Vorspann"]
    assert "Mobile Dienste" in response.text
    assert full_article("Digitaler Masterplan").lead.count("Mobilere") == 1


def test_executing_the_dry_run_imports_the_same_files(chefin):
    upload(chefin, SimpleUploadedFile("seeds.zip", zip_of({"a/unna.txt": seed_bytes()})))
    checked = ImportRun.objects.get()
    response = chefin.post(
        reverse("admin:articles_importrun_execute", args=[checked.pk]), follow=True
    )
    run = ImportRun.objects.first()
    assert run.checked_run == checked and not run.dry_run
    assert run.state == ImportRun.State.DONE
    assert full_article("Digitaler Masterplan").status == Article.Status.PUBLISHED
    assert "Fertig" in response.text


def test_a_dry_run_executes_only_once(chefin):
    upload(chefin, SimpleUploadedFile("unna.txt", seed_bytes()))
    checked = ImportRun.objects.get()
    url = reverse("admin:articles_importrun_execute", args=[checked.pk])
    chefin.post(url)
    response = chefin.post(url, follow=True)
    assert ImportRun.objects.filter(checked_run=checked).count() == 1
    assert "schon ausgeführt" in response.text


def test_hostile_members_are_refused_by_name_and_the_rest_goes_on(chefin):
    archive = zip_of({"../boese.txt": b"x", "bild.png": b"png", "unna.txt": seed_bytes()})
    response = upload(chefin, SimpleUploadedFile("seeds.zip", archive))
    run = ImportRun.objects.get()
    assert list(run.uploads.values_list("name", flat=True)) == ["unna.txt"]
    refused = " ".join(r["message"] for r in run.options["refused"])
    assert "boese.txt" in refused and "bild.png" in refused
    assert "bild.png" in response.text


def test_an_upload_with_nothing_importable_is_refused_in_german(chefin):
    response = upload(chefin, SimpleUploadedFile("bild.png", b"png"), follow=False)
    assert response.status_code == 200
    assert "Keine der Dateien lässt sich importieren" in response.text
    assert not ImportRun.objects.exists()


def test_a_zip_bomb_is_refused(chefin):
    bomb = zip_of({"bombe.txt": b"0" * 5_000_000})
    response = upload(chefin, SimpleUploadedFile("bombe.zip", bomb), follow=False)
    assert not ImportRun.objects.exists()
    assert "bombe.zip" in response.text


def test_redaktion_may_not_start_an_import(register):
    client = logged_in(make_user("redakteur", "Redaktion"))
    assert client.get(UPLOAD).status_code == 403
    assert (
        "Artikelseiten importieren"
        not in client.get(reverse("admin:articles_importrun_changelist")).text
    )


# --- the worklist ---------------------------------------------------------------------------


def test_the_worklist_shows_open_findings_with_source_and_stored_value(chefin):
    run_import(SEEDS)
    response = chefin.get(reverse("admin:articles_finding_changelist"), follow=True)
    assert response.status_code == 200
    assert "Zeile" in response.text
    assert "Nur Anreißer" in response.text


def test_the_worklist_queries_do_not_grow_with_its_length(chefin, tmp_path):
    url = reverse("admin:articles_finding_changelist")
    run_import(SEEDS / UNNA)
    chefin.get(url)
    with CaptureQueriesContext(connection) as few:
        chefin.get(url)
    run_import(SEEDS)
    with CaptureQueriesContext(connection) as many:
        chefin.get(url)
    assert Finding.objects.count() > 2 * ImportedArticle.objects.filter(file__run=None).count()
    assert len(many) == len(few)


def test_passt_so_closes_the_chosen_findings(chefin):
    run_import(SEEDS / UNNA)
    finding = Finding.objects.first()
    run_action(chefin, "accept", [finding], model=Finding)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED
    assert finding.resolution == Finding.Resolution.ACCEPTED


def test_editing_the_field_closes_its_finding(chefin):
    run_import(SEEDS / UNNA)
    teaser = Article.objects.get(title="Mädchen für alles")
    url = reverse("admin:articles_article_change", args=[teaser.pk])
    data = change_form_data(chefin, teaser, body="Der volle Text, nachgetragen.")
    chefin.post(url, data)
    finding = teaser.findings.get(kind=Finding.Kind.TEASER_ONLY)
    assert finding.resolution == Finding.Resolution.EDITED


def test_the_admin_index_shows_open_findings_per_kind(chefin):
    run_import(SEEDS / UNNA)
    page = chefin.get(reverse("admin:index"))
    assert "Zu prüfen" in page.text
    assert "Nur Anreißer" in page.text


# --- unknown names and relinking -----------------------------------------------------------


def test_an_unknown_name_becomes_an_organisation_and_its_articles_are_linked(chefin, tmp_path):
    page = tmp_path / "krz.txt"
    page.write_text(
        "krz:\nStrategie\n\n[1.2.2021] Das krz hat eine Strategie.\n\nText. (ve)\n\n"
        "Stichwörter: IT, krz\n",
        encoding="utf-8",
    )
    run_import(page)
    url = reverse("admin:articles_finding_candidates")
    assert "krz" in chefin.get(url).text
    chefin.post(url, {"name": "krz", "choice": "organisation"})
    krz = Municipality.objects.get(name="krz", kind=Municipality.Kind.OTHER)
    assert list(Article.objects.get(title="Strategie").municipalities.all()) == [krz]
    assert not Finding.objects.open().filter(subject="krz").exists()


def test_an_unknown_name_becomes_an_alias_of_a_register_entry(chefin, tmp_path):
    run_import(SEEDS / UNNA)
    name = (
        Finding.objects.open().filter(kind="unresolved_place").values_list("subject", flat=True)[0]
    )
    target = Municipality.objects.get(ags="05978")  # Kreis Unna
    chefin.post(
        reverse("admin:articles_finding_candidates"),
        {"name": name, "choice": "alias", "target": "05978"},
    )
    assert MunicipalityAlias.objects.filter(municipality=target, name=name).exists()
    assert not Finding.objects.open().filter(subject=name).exists()


def test_loading_the_register_later_links_the_teasers_places(register_excerpt):
    Municipality.objects.create(name="Irgendwo", slug="irgendwo", kind="land", ags="99")
    run_import(SEEDS / UNNA)
    teaser = Article.objects.get(title="Digitalstrategie neu ausgerichtet")  # Düsseldorf
    assert not teaser.municipalities.exists()
    call_command("load_municipalities", register_excerpt, stdout=StringIO())
    assert teaser.municipalities.filter(name="Düsseldorf").exists()


def test_relinking_keeps_places_an_editor_corrected(register):
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    berlin = Municipality.objects.get(ags="11")
    article.municipalities.set([berlin])
    article.mark_edited("municipalities")
    article.save()
    call_command("relink_municipalities", stdout=StringIO())
    assert list(article.municipalities.all()) == [berlin]


# --- twins ----------------------------------------------------------------------------------


def test_a_corrected_headline_of_the_same_file_updates_the_known_article(register, tmp_path):
    source = tmp_path / UNNA
    source.write_bytes(seed_bytes())
    run_import(source)
    source.write_bytes(seed_bytes().replace(b"Digitaler Masterplan", b"Digitaler Masterplan 2022"))
    run_import(source)
    assert Article.objects.filter(teaser_only=False).count() == 1
    article = Article.objects.get(teaser_only=False)
    assert article.title == "Digitaler Masterplan 2022"
    assert article.duplicate_key.endswith("digitaler masterplan 2022")


def test_a_similar_article_from_another_file_is_a_draft_with_a_twin_finding(register, tmp_path):
    run_import(SEEDS / UNNA)
    other = tmp_path / "kopie.txt"
    text = (
        (SEEDS / UNNA)
        .read_text(encoding="utf-8")
        .replace("Digitaler Masterplan", "Masterplan für die Kreisverwaltung")
    )
    other.write_text(text, encoding="utf-8")
    run_import(other)
    twin = Article.objects.get(title="Masterplan für die Kreisverwaltung")
    assert twin.status == Article.Status.DRAFT
    finding = twin.findings.get(kind=Finding.Kind.POSSIBLE_TWIN)
    assert finding.subject == str(full_article("Digitaler Masterplan").pk)


def test_a_new_alias_in_the_admin_relinks_the_articles_naming_it(chefin, tmp_path):
    page = tmp_path / "krz.txt"
    page.write_text(
        "krz:\nStrategie\n\n[1.2.2021] Das krz hat eine Strategie.\n\nText. (ve)\n\n"
        "Stichwörter: IT\n",
        encoding="utf-8",
    )
    run_import(page)
    unna = Municipality.objects.get(ags="05978")
    url = reverse("admin:articles_municipality_change", args=[unna.pk])
    data = change_form_data(chefin, unna)
    prefix = "aliases"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{total}-name"] = "krz"
    data[f"{prefix}-{total}-municipality"] = str(unna.pk)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    chefin.post(url, data)
    assert list(Article.objects.get(title="Strategie").municipalities.all()) == [unna]


def test_the_relink_action_resolves_places_again(chefin):
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    article.municipalities.clear()
    run_action(chefin, "relink_places", [Municipality.objects.first()], model=Municipality)
    assert article.municipalities.exists()


def test_a_twin_in_the_same_run_is_a_draft_with_a_twin_finding(register, tmp_path):
    text = (SEEDS / UNNA).read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    corrected = text.replace("Digitaler Masterplan", "Digitaler Masterplan beschlossen")
    (tmp_path / "b.txt").write_text(corrected, encoding="utf-8")
    run_import(tmp_path)
    twin = Article.objects.get(title="Digitaler Masterplan beschlossen")
    assert twin.status == Article.Status.DRAFT
    original = full_article("Digitaler Masterplan")
    assert twin.findings.get(kind=Finding.Kind.POSSIBLE_TWIN).subject == str(original.pk)
