"""Teaser-only articles: we know only the related-news teaser, and say so honestly."""

import pytest

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_its_page_says_in_readers_german_that_the_full_report_is_not_out_yet(client):
    article = make_article(teaser_only=True)
    text = client.get(article.get_absolute_url()).text
    assert "der ausführliche Bericht ist hier noch nicht erschienen" in text
    assert "liegt uns nicht vor" not in text


def test_its_page_is_not_indexed(client):
    article = make_article(teaser_only=True)
    assert '<meta name="robots" content="noindex">' in client.get(article.get_absolute_url()).text


def test_a_full_article_is_indexed(client):
    article = make_article()
    assert 'content="noindex"' not in client.get(article.get_absolute_url()).text


def test_it_claims_no_news_article_in_structured_data(client):
    article = make_article(teaser_only=True)
    text = client.get(article.get_absolute_url()).text
    assert "application/ld+json" not in text
    assert "NewsArticle" not in text


def test_lists_mark_it_as_kurzmeldung(client):
    make_article(teaser_only=True, title="Nur angekündigt")
    make_article(title="Ganz da")
    text = client.get("/archiv/").text
    teaser = text[text.index("Nur angekündigt") :]
    assert '<span class="label-short">Kurzmeldung</span>' in teaser[:600]
    full = text[text.index("Ganz da") :]
    assert "Kurzmeldung" not in full[:400]


def test_related_sidebars_mark_it_as_kurzmeldung(client):
    section = make_section("Politik")
    article = make_article(section=section)
    make_article(section=section, teaser_only=True, title="Nur angekündigt")
    text = client.get(article.get_absolute_url()).text
    sidebar = text[text.index('<aside class="related"') :]
    assert "Nur angekündigt" in sidebar
    assert '<span class="label-short">Kurzmeldung</span>' in sidebar
