"""The import command end to end: files in, rows out, editors' corrections kept."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Municipality, Section, SourceFile, Tag, Vendor
from tests.importer.seed_files import (
    LEER,
    MAERKISCHER_KREIS,
    SEEDS,
    THUERINGEN,
    UNNA,
    copy_seed,
    full_article,
    run_import,
    write_cdo_page,
)

# The import refuses to run on an empty register (tests/test_import_desk.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("register")]


def test_seeds_import_as_five_full_articles_and_their_teasers():
    output = run_import()
    assert Article.objects.filter(teaser_only=False).count() == 5
    assert Article.objects.filter(teaser_only=True).count() == 20
    assert "Files: 5 read, 0 skipped unchanged, 0 failed" in output
    assert "Articles: 5 created, 0 updated, 0 unchanged" in output


def test_imported_articles_are_published_and_filed_under_their_section():
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    assert article.status == Article.Status.PUBLISHED
    assert article.section.name == "Politik"
    assert sorted(article.tags.names()) == ["Digitalisierung", "Kreis Unna"]
    assert article.source_files.get().name == UNNA


def test_teaser_seen_on_two_pages_is_one_article_from_both_files():
    run_import(SEEDS / UNNA, SEEDS / MAERKISCHER_KREIS)
    teaser = Article.objects.get(title="Digitalstrategie neu ausgerichtet")
    assert teaser.teaser_only
    assert sorted(teaser.source_files.values_list("name", flat=True)) == [
        UNNA,
        MAERKISCHER_KREIS,
    ]


def test_teaser_marked_bericht_becomes_a_bericht():
    run_import(SEEDS / UNNA)
    assert Article.objects.get(title="Mädchen für alles").kind == Article.Kind.BERICHT


def test_kicker_and_tags_link_register_municipalities(register):
    output = run_import(SEEDS / UNNA, verbosity=2)
    article = full_article("Digitaler Masterplan")
    assert list(article.municipalities.values_list("ags", flat=True)) == ["05978"]
    assert "Municipalities linked: " in output


def test_unresolved_kicker_places_are_listed_in_the_detailed_report(register):
    output = run_import(SEEDS / "003_0c7bb1666681cfe8.txt", verbosity=2)
    assert "unresolved kicker places: krz" in output


def test_vendors_are_created_once(tmp_path):
    run_import(SEEDS / THUERINGEN)
    run_import(copy_seed(THUERINGEN, tmp_path, "copy.txt"))
    assert sorted(Vendor.objects.values_list("name", flat=True)) == [
        "AIDA ORGA GmbH",
        "JCC Software",
    ]


def test_unchanged_file_is_skipped_on_the_next_run():
    run_import(SEEDS / UNNA)
    output = run_import(SEEDS / UNNA)
    assert "Files: 1 read, 1 skipped unchanged, 0 failed" in output


def test_forced_reimport_of_unchanged_seeds_changes_and_creates_nothing():
    run_import()
    before = {a.pk: a.updated_at for a in Article.objects.all()}
    output = run_import(force=True)
    assert "Articles: 0 created, 0 updated, 5 unchanged" in output
    assert "Teasers: 0 created, 0 upgraded" in output
    assert {a.pk: a.updated_at for a in Article.objects.all()} == before


def test_dry_run_reports_but_writes_nothing():
    output = run_import(SEEDS / UNNA, dry_run=True)
    assert "Dry run, nothing written." in output
    assert "Articles: 1 created" in output
    assert not Article.objects.exists()
    assert not SourceFile.objects.exists()
    assert not Section.objects.exists()


def test_duplicate_page_under_another_name_merges_into_one_article(tmp_path):
    run_import(SEEDS / UNNA, copy_seed(UNNA, tmp_path, "unna-again.txt"))
    article = full_article("Digitaler Masterplan")
    assert Article.objects.filter(title="Digitaler Masterplan").count() == 1
    assert article.source_files.count() == 2


def test_full_page_upgrades_its_teaser_in_place(tmp_path):
    run_import(SEEDS / UNNA)
    teaser = Article.objects.get(title="Digitalstrategie neu ausgerichtet")
    page = tmp_path / "duesseldorf.txt"
    page.write_text(
        "Düsseldorf:\nDigitalstrategie neu ausgerichtet\n\n\n"
        "[23.4.2024] Die nordrhein-westfälische Landeshauptstadt Düsseldorf hat ihre "
        "Digitalstrategie neu ausgerichtet.\n\n"
        "Der volle Text des Artikels steht hier. (ab)\n\n"
        "Stichwörter: Politik, Düsseldorf\n",
        encoding="utf-8",
    )
    output = run_import(page)
    upgraded = Article.objects.get(pk=teaser.pk)
    assert not upgraded.teaser_only
    assert upgraded.slug == teaser.slug
    assert upgraded.body_text == "Der volle Text des Artikels steht hier."
    assert "1 upgraded to full articles" in output


def test_upgraded_bericht_stays_a_bericht(tmp_path):
    run_import(SEEDS / UNNA)
    run_import(write_cdo_page(tmp_path))
    article = Article.objects.get(title="Mädchen für alles")
    assert (article.kind, article.teaser_only) == (Article.Kind.BERICHT, False)


def test_changed_page_updates_the_article(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("mobiler werden", "mobil werden"),
        encoding="utf-8",
    )
    output = run_import(seed)
    assert "Articles: 0 created, 1 updated" in output
    assert "mobil werden" in full_article("Digitaler Masterplan").body_text


def test_editor_corrected_title_survives_reimport(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    article = full_article("Digitaler Masterplan")
    article.title = "Digitaler Masterplan für den Kreis Unna"
    article.mark_edited("title")
    article.save()
    run_import(seed, force=True)
    assert Article.objects.filter(kicker="Kreis Unna").count() == 1
    article.refresh_from_db()
    assert article.title == "Digitaler Masterplan für den Kreis Unna"


def test_editor_lock_on_one_field_lets_the_others_update(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    article = full_article("Digitaler Masterplan")
    article.lead = "Von der Redaktion gekürzt."
    article.mark_edited("lead")
    article.save()
    seed.write_text(
        seed.read_text(encoding="utf-8")
        .replace("Anhand eines", "Mit Hilfe eines")
        .replace("mobiler werden", "mobil werden"),
        encoding="utf-8",
    )
    run_import(seed)
    article.refresh_from_db()
    assert article.lead == "Von der Redaktion gekürzt."
    assert "mobil werden" in article.body_text


def test_editor_added_municipality_is_not_removed_by_reimport(tmp_path, register):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    article = full_article("Digitaler Masterplan")
    article.municipalities.add(Municipality.objects.get(ags="05"))
    run_import(seed, force=True)
    assert set(article.municipalities.values_list("ags", flat=True)) == {"05", "05978"}


def test_later_file_without_a_teaser_deletes_nothing(tmp_path):
    run_import(SEEDS / UNNA)
    count = Article.objects.count()
    run_import(SEEDS / LEER)
    assert Article.objects.count() > count
    assert Article.objects.filter(title="Digitalstrategie neu ausgerichtet").exists()


def test_furniture_only_file_fails_by_name_and_line_and_others_still_import(tmp_path):
    broken = tmp_path / "furniture.txt"
    broken.write_text("Suchen...\n\n\u00a0Anzeige\n\nAboverwaltung\nAktuelle Meldungen", "utf-8")
    good = copy_seed(UNNA, tmp_path)
    out = StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_seeds", str(broken), str(good), stdout=out, stderr=out)
    assert f"{broken}:1:" in out.getvalue()
    assert full_article("Digitaler Masterplan")
    assert not SourceFile.objects.filter(name="furniture.txt").exists()


def test_missing_path_fails_clearly():
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_seeds", "/nonexistent/seeds", stdout=out, stderr=out)
    assert "/nonexistent/seeds: no such file" in out.getvalue()


def test_windows_1252_crlf_file_imports_like_the_utf8_one(tmp_path):
    text = (SEEDS / LEER).read_text(encoding="utf-8").replace("\n", "\r\n")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(text.encode("cp1252"))
    run_import(legacy)
    article = full_article("Amt für Digitalisierung in Planung")
    assert article.image_caption == "Kreis Leer startet die „Initiative Digital“."


def test_javascript_link_is_dropped_and_reported(tmp_path):
    text = (SEEDS / UNNA).read_text(encoding="utf-8")
    seed = tmp_path / "hostile.txt"
    seed.write_text(
        text.replace("https://www.kreis-unna.de", "javascript:alert(1)"), encoding="utf-8"
    )
    output = run_import(seed, verbosity=2)
    assert not full_article("Digitaler Masterplan").links.exists()
    assert "javascript" in output


def test_markup_in_a_page_is_stored_as_text(tmp_path):
    text = (SEEDS / UNNA).read_text(encoding="utf-8")
    seed = tmp_path / "markup.txt"
    seed.write_text(text.replace("Digitaler Masterplan", "<b>Masterplan</b>", 1), "utf-8")
    run_import(seed)
    assert Article.objects.filter(title="<b>Masterplan</b>").exists()


def test_editor_set_kind_is_not_upgraded_by_a_bericht_teaser(tmp_path):
    run_import(write_cdo_page(tmp_path))
    article = Article.objects.get(title="Mädchen für alles")
    article.kind = Article.Kind.MELDUNG
    article.mark_edited("kind")
    article.save()
    run_import(write_cdo_page(tmp_path, title="Mädchen für alles Bericht"))
    article.refresh_from_db()
    assert article.kind == Article.Kind.MELDUNG


def test_new_article_gets_one_version_with_its_tags_and_places(register):
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    (version,) = article.history.all()
    assert version.history_type == "+"
    assert version.history_change_reason == f"Import aus {UNNA}"
    assert version.title == "Digitaler Masterplan"
    assert sorted(row.tag.name for row in version.tags.all()) == ["Digitalisierung", "Kreis Unna"]
    assert [row.municipality.name for row in version.municipalities.all()] == ["Kreis Unna"]


def test_teaser_gets_one_version_when_created():
    run_import(SEEDS / UNNA)
    teaser = Article.objects.get(title="Digitalstrategie neu ausgerichtet")
    assert [v.history_type for v in teaser.history.all()] == ["+"]


def test_changed_page_adds_one_version_and_unchanged_reimport_none(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    run_import(seed, force=True)
    article = full_article("Digitaler Masterplan")
    assert article.history.count() == 1
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("mobiler werden", "mobil werden"),
        encoding="utf-8",
    )
    run_import(seed)
    latest = article.history.first()
    assert (article.history.count(), latest.history_type) == (2, "~")
    assert "mobil werden" in " ".join(block["text"] for block in latest.body)


def test_import_versions_are_diffable_in_the_admin_history(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    seed.write_text(
        seed.read_text(encoding="utf-8").replace(
            "Stichwörter: Politik,", "Stichwörter: Politik, OZG,"
        ),
        encoding="utf-8",
    )
    run_import(seed)
    newer, older = full_article("Digitaler Masterplan").history.all()[:2]
    changed = {change.field for change in newer.diff_against(older).changes}
    assert changed == {"tags"}


def test_a_merged_tag_stays_merged_when_its_page_is_imported_again(tmp_path):
    seed = copy_seed(UNNA, tmp_path)
    run_import(seed)
    survivor = Tag.objects.create(name="Digitale Verwaltung")
    survivor.absorb([Tag.objects.get(name="Digitalisierung")])
    article = full_article("Digitaler Masterplan")
    versions = article.history.count()
    run_import(seed, force=True)
    assert sorted(article.tags.names()) == ["Digitale Verwaltung", "Kreis Unna"]
    assert not Tag.objects.filter(name="Digitalisierung").exists()
    assert article.history.count() == versions  # nothing changed, no new version


def test_a_new_page_with_a_renamed_tags_old_name_gets_the_renamed_tag(tmp_path):
    run_import(SEEDS / UNNA)
    tag = Tag.objects.get(name="Digitalisierung")
    tag.name = "Digitale Transformation"
    tag.save()
    page = tmp_path / "digital.txt"
    page.write_text(
        "Kreis Testhausen:\nDigital voran\n\n\n[1.5.2024] Ein Vorspann.\n\n"
        "Text. (ab)\n\nStichwörter: Politik, digitalisierung\n",
        encoding="utf-8",
    )
    run_import(page)
    assert list(full_article("Digital voran").tags.names()) == ["Digitale Transformation"]
    assert not Tag.objects.filter(name__iexact="Digitalisierung").exists()
