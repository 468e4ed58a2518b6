"""Doubts as data: the findings the import records, for the seeds and variants of them."""

from pathlib import Path

import pytest

from articles.importer.models import Finding
from articles.importer.parse import (
    DOUBT_CAPTION,
    DOUBT_CUT_OFF,
    DOUBT_LINK_DROPPED,
    DOUBT_TRUNCATED,
    parse_page,
)
from articles.models import Article, Section
from tests.importer.seed_files import SEEDS, UNNA, full_article, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("register")]


PAGE = """{kicker}:
{title}

[8.7.2019] Der Kreis Unna baut seine Verwaltung um.
{caption}
Einen Digitalen Masterplan hat der Kreis Unna vorgestellt.

Er gilt bis 2022. (ve)
{links}
Stichwörter: Politik, Kreis Unna
"""


def page(caption="", links="", kicker="Kreis Unna", title="Digitaler Masterplan") -> str:
    return PAGE.format(caption=caption, links=links, kicker=kicker, title=title)


def findings_of(article) -> list[tuple[str, str]]:
    return sorted(article.findings.values_list("kind", "field"))


def write(tmp_path, text, name="seite.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_doubt_kinds_are_finding_kinds():
    kinds = {DOUBT_CAPTION, DOUBT_CUT_OFF, DOUBT_LINK_DROPPED, DOUBT_TRUNCATED}
    assert kinds <= set(Finding.Kind.values)


def test_a_short_question_taken_as_caption_is_a_finding(tmp_path):
    text = page(caption="Wer zahlt die Digitalisierung? ")
    assert [d.kind for d in parse_page(text).doubts] == [DOUBT_CAPTION]
    run_import(write(tmp_path, text))
    finding = full_article("Digitaler Masterplan").findings.get(kind=Finding.Kind.CAPTION)
    assert finding.field == "image_caption"
    assert "Fragezeichen" in finding.message
    assert finding.source_lines == [{"line": 5, "text": "Wer zahlt die Digitalisierung?"}]


def test_a_page_cut_off_before_its_keywords_is_a_finding(tmp_path):
    text = page().split("Stichwörter")[0]
    run_import(write(tmp_path, text))
    article = full_article("Digitaler Masterplan")
    assert (Finding.Kind.CUT_OFF, "body") in findings_of(article)


def test_a_dropped_javascript_link_is_a_finding(tmp_path):
    run_import(write(tmp_path, page(links="\njavascript:alert(1)\n")))
    finding = full_article("Digitaler Masterplan").findings.get(kind=Finding.Kind.LINK_DROPPED)
    assert finding.field == "links"
    assert "javascript" in finding.message


def test_a_title_cut_to_its_length_is_a_finding(tmp_path):
    long_title = "Masterplan " * 40
    run_import(write(tmp_path, page(title=long_title.strip())))
    article = Article.objects.get(teaser_only=False)
    finding = article.findings.get(kind=Finding.Kind.TRUNCATED)
    assert finding.field == "title"
    assert "gekürzt" in finding.message


def test_an_unresolved_kicker_place_is_a_finding_with_its_name(tmp_path):
    run_import(write(tmp_path, page(kicker="krz")))
    finding = Article.objects.get(teaser_only=False).findings.get(
        kind=Finding.Kind.UNRESOLVED_PLACE
    )
    assert finding.subject == "krz"
    assert finding.source_lines == [{"line": 1, "text": "krz"}]


def test_teasers_get_a_teaser_only_finding(tmp_path):
    run_import(SEEDS / UNNA)
    teaser = Article.objects.filter(teaser_only=True).first()
    assert (Finding.Kind.TEASER_ONLY, "body") in findings_of(teaser)


def test_the_full_page_closes_its_teasers_finding(tmp_path):
    run_import(SEEDS / UNNA)
    teaser = Article.objects.get(title="Mädchen für alles")
    from tests.importer.seed_files import write_cdo_page

    run_import(write_cdo_page(tmp_path))
    finding = teaser.findings.get(kind=Finding.Kind.TEASER_ONLY)
    assert finding.status == Finding.Status.CLOSED
    assert finding.resolution == Finding.Resolution.RESOLVED


def test_a_teaser_that_names_another_section_is_a_finding(tmp_path):
    from tests.importer.seed_files import write_cdo_page

    run_import(write_cdo_page(tmp_path))  # the CDO article, filed under Politik
    other = (SEEDS / UNNA).read_text(encoding="utf-8")
    other = other.replace("aus dem Bereich Politik", "aus dem Bereich Organisation")
    run_import(write(tmp_path, other, "andere-seite.txt"))
    article = full_article("Mädchen für alles")
    finding = article.findings.get(kind=Finding.Kind.TEASER_CONFLICT)
    assert finding.field == "section"
    assert finding.subject == "Organisation"
    assert Section.objects.filter(name="Organisation").exists()


def test_an_unchanged_reimport_repeats_no_finding(tmp_path):
    path = write(tmp_path, page(kicker="krz"))
    run_import(path)
    run_import(path, force=True)
    assert Finding.objects.filter(kind=Finding.Kind.UNRESOLVED_PLACE).count() == 1


def test_a_closed_finding_stays_closed_for_unchanged_input(tmp_path):
    path = write(tmp_path, page(kicker="krz"))
    run_import(path)
    Finding.objects.all().close(Finding.Resolution.ACCEPTED)
    run_import(path, force=True)
    assert not Finding.objects.open().exists()


def test_changed_input_gives_a_new_finding(tmp_path):
    run_import(write(tmp_path, page(kicker="krz")))
    Finding.objects.all().close(Finding.Resolution.ACCEPTED)
    run_import(write(tmp_path, page(kicker="kdvz")))
    assert list(Finding.objects.open().values_list("subject", flat=True)) == ["kdvz"]


def test_the_parser_stays_pure():
    """Doubts come back with the page; nothing of the parser needs a database."""
    import articles.importer.parse as parse_module

    source = Path(parse_module.__file__).read_text(encoding="utf-8")
    assert "django" not in source
    assert parse_page(page(caption="Wer zahlt? ")).doubts
