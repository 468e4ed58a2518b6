"""Files are saved in batches, one transaction each: the result must be the same as
saving them one by one, and a file the database refuses must fail alone."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from articles.importer import persist, run
from articles.models import Article, Section, SourceFile, Tag, Vendor, unique_slugs
from tests.factories import make_article
from tests.importer.seed_files import (
    LEER,
    SEEDS,
    UNNA,
    copy_seed,
    full_article,
    run_import,
    write_cdo_page,
)
from tests.second_connection import edit_from_another_connection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("register")]


def mixed_files(folder):
    """Pages that meet in one batch: a duplicate, a teaser's full page after its teaser,
    a changed page, namesakes, and the seeds."""
    files = sorted(SEEDS.glob("*.txt"))
    files.append(copy_seed(UNNA, folder, "unna-again.txt"))
    files.append(write_cdo_page(folder))
    changed = copy_seed(LEER, folder, "leer-changed.txt")
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Stichwörter: ", "Stichwörter: OZG, "),
        encoding="utf-8",
    )
    files.append(changed)
    for number in (1, 2):
        namesake = folder / f"namesake-{number}.txt"
        namesake.write_text(
            f"Kreis {number}:\nDigitaler Masterplan\n\n\n[{number}.5.2024] Ein Vorspann.\n\n"
            "Text. (ab)\n\nStichwörter: Politik\n",
            encoding="utf-8",
        )
        files.append(namesake)
    return files


def imported_state() -> dict:
    """The export and every version, without ids and times."""
    out = StringIO()
    call_command("export_articles", stdout=out)
    versions = [
        (
            version.duplicate_key,
            version.history_type,
            version.history_change_reason,
            version.title,
            version.teaser_only,
            sorted(row.tag.name for row in version.tags.all()),
            sorted(row.municipality.name for row in version.municipalities.all()),
        )
        for version in Article.history.order_by("duplicate_key", "history_id")
    ]
    return {"export": json.loads(out.getvalue()), "versions": versions}


def forget_everything() -> None:
    Article.objects.all().delete()
    Article.history.all().delete()
    for model in (Tag, Section, SourceFile, Vendor):
        model.objects.all().delete()


def test_one_batch_gives_the_same_articles_and_versions_as_one_file_at_a_time(
    tmp_path, monkeypatch
):
    files = mixed_files(tmp_path)
    monkeypatch.setattr(run, "BATCH_FILES", 1)
    run_import(*files)
    one_by_one = imported_state()
    forget_everything()
    monkeypatch.setattr(run, "BATCH_FILES", 100)
    run_import(*files)
    assert imported_state() == one_by_one
    assert len(one_by_one["versions"]) > len(one_by_one["export"])  # updates were versioned


def test_teaser_and_its_full_page_in_one_batch_get_a_version_each(tmp_path):
    run_import(SEEDS / UNNA, write_cdo_page(tmp_path))
    upgraded, created = Article.objects.get(title="Mädchen für alles").history.all()
    assert (created.history_type, created.teaser_only) == ("+", True)
    assert (upgraded.history_type, upgraded.teaser_only) == ("~", False)
    assert upgraded.history_change_reason == "Import aus maedchen-fuer-alles.txt"


def test_file_the_database_refuses_fails_alone_and_its_batch_imports(tmp_path, monkeypatch):
    refused = write_cdo_page(tmp_path, title="Abgelehnt")
    insert_articles = persist._insert_articles

    def refuse_one_title(articles):
        if any(article.title == "Abgelehnt" for article in articles):
            raise IntegrityError("refused by the database")
        insert_articles(articles)

    monkeypatch.setattr(persist, "_insert_articles", refuse_one_title)
    output = StringIO()
    with pytest.raises(CommandError, match="1 file"):
        files = [SEEDS / UNNA, refused, SEEDS / LEER]
        call_command("import_seeds", *map(str, files), stdout=output, stderr=output)
    assert f"{refused}: could not be saved: refused by the database" in output.getvalue()
    assert "Files: 3 read, 0 skipped unchanged, 1 failed" in output.getvalue()
    assert full_article("Digitaler Masterplan") and Article.objects.filter(kicker="Kreis Leer")
    assert not Article.objects.filter(title="Abgelehnt").exists()
    assert not SourceFile.objects.filter(name=refused.name).exists()


def test_batch_import_queries_do_not_grow_with_the_number_of_files(tmp_path):
    few, many = tmp_path / "few", tmp_path / "many"
    few.mkdir(), many.mkdir()
    # Each page has its own lead: pages of one day with the same lead would be twins.
    leads = [hashlib.sha256(str(number).encode()).hexdigest() for number in range(60)]
    for number in range(5):
        write_cdo_page(few, title=f"Wenige Seiten {number}", lead=leads[number])
    for number in range(50):
        write_cdo_page(many, title=f"Viele Seiten {number}", lead=leads[10 + number])
    run_import(few)  # creates the section and the tags both folders use
    for number in range(5, 10):
        write_cdo_page(few, title=f"Wenige Seiten {number}", lead=leads[number])
    with CaptureQueriesContext(connection) as five_files:
        run_import(few)
    with CaptureQueriesContext(connection) as fifty_files:
        run_import(many)
    assert Article.objects.filter(title__startswith="Viele Seiten").count() == 50
    # File by file, each page cost about 25 queries. What remains grows only where
    # Django splits a long insert to stay under SQLite's limit on query parameters.
    # About ten of them record the run: the run, its files, their articles, findings.
    assert len(five_files) <= 40
    assert len(fifty_files) <= len(five_files) + 4


def test_namesakes_saved_together_get_numbered_slugs():
    make_article(title="Digitaler Masterplan")
    bases = ["digitaler-masterplan", "digitaler-masterplan", "ozg"]
    slugs = unique_slugs(Article, bases, max_length=255)
    assert slugs == ["digitaler-masterplan-2", "digitaler-masterplan-3", "ozg"]


def test_namesakes_saved_together_stay_unique_past_fifty():
    for _ in range(50):
        make_article(title="Digitaler Masterplan")
    slugs = unique_slugs(Article, ["digitaler-masterplan"] * 2, max_length=255)
    assert slugs == ["digitaler-masterplan-51", "digitaler-masterplan-52"]


def write_page_with_nkr_teaser(folder):
    """A page whose related news list the NKR teaser of seed 000, with a caption."""
    page = folder / "nkr-caption.txt"
    page.write_text(
        "Kreis Testhausen:\nEine Seite mit Anreißern\n\n\n[1.5.2024] Ein Vorspann.\n\n"
        "Text. (ab)\n\nStichwörter: Politik\n\n"
        "Weitere Meldungen und Beiträge aus dem Bereich Politik\n"
        "NKR: One-Stop-Shop für Sozialleistungen\n"
        "[3.4.2024] Mehr Mut zur Digitalisierung, so der Normenkontrollrat. mehr...\n"
        "Ein Bild vom Normenkontrollrat.\n",
        encoding="utf-8",
    )
    return page


@pytest.mark.parametrize("together", [False, True], ids=["two runs", "one batch"])
def test_a_later_teaser_gives_a_teaser_only_article_its_missing_caption(tmp_path, together):
    page = write_page_with_nkr_teaser(tmp_path)
    if together:
        run_import(SEEDS / UNNA, page)
    else:
        run_import(SEEDS / UNNA)
        run_import(page)
    teaser = Article.objects.get(title="One-Stop-Shop für Sozialleistungen")
    assert (teaser.teaser_only, teaser.image_caption) == (True, "Ein Bild vom Normenkontrollrat.")
    assert [(v.history_type, v.image_caption) for v in teaser.history.all()] == [
        ("~", "Ein Bild vom Normenkontrollrat."),
        ("+", ""),
    ]


@pytest.mark.django_db(transaction=True)
def test_an_edit_cannot_be_saved_between_a_batch_reading_and_writing_its_articles(
    tmp_path, monkeypatch
):
    """On both databases: PostgreSQL locks the rows, SQLite's IMMEDIATE transaction
    holds the write lock from the batch's first read."""
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    changed = copy_seed(UNNA, tmp_path, "unna-changed.txt")
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Masterplans", "Masterplanes"),
        encoding="utf-8",
    )
    outcomes, write = [], persist._Batch.write

    def write_after_an_edit(batch):
        outcomes.append(edit_from_another_connection(article.pk))
        return write(batch)

    monkeypatch.setattr(persist._Batch, "write", write_after_an_edit)
    run_import(changed)
    assert outcomes and set(outcomes) == {"blocked"}


def test_articles_a_batch_may_update_are_locked_until_it_commits(tmp_path):
    """Otherwise an editor's correction saved during the batch would be overwritten."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's import holds the database's write lock for the whole batch")
    run_import(SEEDS / UNNA)
    with CaptureQueriesContext(connection) as queries:
        run_import(copy_seed(UNNA, tmp_path, "unna-again.txt"))
    preload = [q["sql"] for q in queries if '"duplicate_key" IN' in q["sql"]]
    assert preload and all(sql.endswith("FOR UPDATE") for sql in preload)
