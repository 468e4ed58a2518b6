from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles.models import Article, ArticleLink, Section, Tag, make_duplicate_key
from articles.text import german_slugify
from tests.factories import berlin, make_article, make_section

pytestmark = pytest.mark.django_db


def test_slug_transliterates_german_umlauts_and_sharp_s():
    assert german_slugify("Bürgerservice für Görlitz") == "buergerservice-fuer-goerlitz"
    assert german_slugify("Straße") == "strasse"
    assert german_slugify("Übergreifende Digitalisierungsstrategie") == (
        "uebergreifende-digitalisierungsstrategie"
    )


def test_article_gets_transliterated_slug_from_title():
    article = make_article(title="Amt für Digitalisierung in Planung")
    assert article.slug == "amt-fuer-digitalisierung-in-planung"
    assert article.get_absolute_url() == "/artikel/amt-fuer-digitalisierung-in-planung/"


def test_second_article_with_same_title_gets_numbered_slug():
    make_article(title="Digital mit Strategie", published_at=berlin(2024, 2, 22))
    second = make_article(title="Digital mit Strategie", published_at=berlin(2025, 1, 3))
    assert second.slug == "digital-mit-strategie-2"


def test_slug_stays_when_title_changes():
    article = make_article(title="Digitaler Masterplan")
    article.title = "Digitaler Masterplan beschlossen"
    article.save()
    article.refresh_from_db()
    assert article.slug == "digitaler-masterplan"


def test_duplicate_key_folds_case_whitespace_and_typographic_quotes():
    day = berlin(2017, 9, 6)
    assert make_duplicate_key("Kreis Leer", "Die „Initiative Digital“", day) == make_duplicate_key(
        "KREIS  leer ", 'Die "Initiative Digital"', day
    )


def test_duplicate_key_uses_the_berlin_calendar_day():
    late_evening = berlin(2019, 7, 8, hour=23, minute=30)
    assert make_duplicate_key("Kreis Unna", "Digitaler Masterplan", late_evening).startswith(
        "2019-07-08|"
    )


def test_database_rejects_a_second_article_with_the_same_duplicate_key():
    make_article(kicker="Kreis Unna", title="Digitaler Masterplan", published_at=berlin(2019, 7, 8))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(
            kicker="kreis unna", title="Digitaler  Masterplan", published_at=berlin(2019, 7, 8, 9)
        )


def test_same_headline_on_another_day_is_another_article():
    make_article(kicker="Kreis Unna", title="Digitaler Masterplan", published_at=berlin(2019, 7, 8))
    make_article(kicker="Kreis Unna", title="Digitaler Masterplan", published_at=berlin(2020, 7, 8))
    assert Article.objects.count() == 2


def test_published_excludes_drafts_review_and_future_articles():
    visible = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.REVIEW)
    make_article(published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [visible]


def test_scheduled_is_published_status_with_future_date():
    future = make_article(published_at=timezone.now() + timedelta(days=1))
    make_article()
    assert list(Article.objects.scheduled()) == [future]


def test_articles_are_ordered_newest_first():
    older = make_article(published_at=berlin(2018, 1, 1))
    newer = make_article(published_at=berlin(2024, 1, 1))
    assert list(Article.objects.all()) == [newer, older]


def test_str_joins_kicker_and_title():
    assert str(make_article(kicker="Kreis Unna", title="Digitaler Masterplan")) == (
        "Kreis Unna: Digitaler Masterplan"
    )


def test_body_text_joins_blocks_with_blank_lines_and_lists_intertitles():
    article = make_article(
        body=[
            {"type": "paragraph", "text": "Erster Absatz."},
            {"type": "intertitle", "text": "IT-Sicherheit verstärkt"},
            {"type": "paragraph", "text": "Zweiter Absatz."},
        ]
    )
    assert article.body_text == "Erster Absatz.\n\nIT-Sicherheit verstärkt\n\nZweiter Absatz."
    assert article.intertitles == ["IT-Sicherheit verstärkt"]


def test_mark_edited_records_each_field_once():
    article = make_article()
    article.mark_edited("title")
    article.mark_edited("title", "lead")
    assert article.edited_fields == ["lead", "title"]
    assert article.is_edited("title")


def test_database_rejects_javascript_link():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleLink.objects.create(article=article, url="javascript:alert(1)")


def test_link_validation_rejects_non_web_schemes():
    link = ArticleLink(article=make_article(), url="ftp://example.org/file")
    with pytest.raises(Exception, match=r"Adresse|URL|gültig"):
        link.full_clean()


def test_link_keeps_label_without_url():
    link = ArticleLink.objects.create(
        article=make_article(), label="Mehr Informationen zur Initiative Digital (Deep Link)"
    )
    assert str(link) == "Mehr Informationen zur Initiative Digital (Deep Link)"


def test_tag_slug_is_transliterated():
    tag = Tag.objects.create(name="Südwestfalen-IT (SIT)")
    assert tag.slug == "suedwestfalen-it-sit"
    assert tag.get_absolute_url() == "/themen/suedwestfalen-it-sit/"


def test_tagging_an_article_uses_our_tag_model():
    article = make_article()
    article.tags.add("Digitalisierung", "OZG")
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Digitalisierung", "OZG"]


def test_section_slug_is_derived_from_name():
    assert make_section("Praxis").slug == "praxis"
    assert Section.objects.get(name="Praxis").get_absolute_url() == "/bereiche/praxis/"


def test_changing_a_slug_records_the_old_one_for_redirects():
    article = make_article(title="Digitaler Masterplan")
    article.slug = "digitaler-masterplan-kreis-unna"
    article.save()
    assert list(article.slug_redirects.values_list("old_slug", flat=True)) == [
        "digitaler-masterplan"
    ]


def test_taking_a_slug_back_removes_its_redirect():
    article = make_article(title="Digitaler Masterplan")
    article.slug = "anders"
    article.save()
    article.slug = "digitaler-masterplan"
    article.save()
    assert list(article.slug_redirects.values_list("old_slug", flat=True)) == ["anders"]


def test_slug_stays_unique_past_fifty_namesakes():
    for day in range(1, 53):
        make_article(
            title="Digital mit Strategie", published_at=berlin(2020, 1, 1) + timedelta(day)
        )
    assert Article.objects.filter(slug="digital-mit-strategie-52").exists()
    assert Article.objects.values("slug").distinct().count() == 52


def renamed(tag: Tag, *names: str) -> Tag:
    for name in names:
        tag.name = name
        tag.save()
    return tag


def test_renamed_tag_keeps_its_old_name_as_alias():
    tag = renamed(Tag.objects.create(name="eAkte"), "E-Akte")
    assert list(tag.aliases.values_list("name", flat=True)) == ["eAkte"]


def test_tag_renamed_back_drops_the_alias_of_its_own_name():
    tag = renamed(Tag.objects.create(name="eAkte"), "E-Akte", "eakte")
    assert list(tag.aliases.values_list("name", flat=True)) == ["E-Akte"]


def test_changing_only_the_case_of_a_tag_adds_no_alias():
    tag = renamed(Tag.objects.create(name="ozg"), "OZG")
    assert not tag.aliases.exists()


def test_a_tag_loaded_from_the_database_keeps_its_old_name_when_renamed():
    Tag.objects.create(name="Smart-City")
    tag = renamed(Tag.objects.get(name="Smart-City"), "Smart City")
    assert list(tag.aliases.values_list("name", flat=True)) == ["Smart-City"]


def _for_its_page(article) -> Article:
    article = Article.objects.for_article_page().get(pk=article.pk)
    article.prefetch_sparse_relations()
    return article


def test_sparse_relations_an_article_lacks_are_empty_without_compiling_a_query():
    article = _for_its_page(make_article())
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        assert list(article.links.all()) == []
        assert list(article.corrections.all()) == []


def test_sparse_relations_an_article_has_are_read_with_it():
    article = make_article()
    ArticleLink.objects.create(article=article, url="https://www.example.org/", label="Portal")
    article = _for_its_page(article)
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")):
        assert [link.label for link in article.links.all()] == ["Portal"]
