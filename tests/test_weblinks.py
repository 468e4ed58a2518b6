"""Weblinks under an article: label-only entries are text, not dead links."""

import pytest

from articles.models import ArticleLink
from articles.public.weblinks import Weblink, weblinks
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def article_with_links(*links):
    article = make_article()
    for position, (url, label) in enumerate(links):
        article.links.create(position=position, url=url, label=label)
    return article


def weblinks_html(client, article) -> str:
    text = client.get(article.get_absolute_url()).text
    start = text.index('<ul class="links">')
    return text[start : text.index("</ul>", start)]


def test_link_with_an_address_is_a_link_named_by_its_label(client):
    article = article_with_links(("https://www.kreis-unna.de", "Kreis Unna"))
    html = weblinks_html(client, article)
    assert '<a href="https://www.kreis-unna.de" rel="noopener nofollow">Kreis Unna</a>' in html


def test_link_without_a_label_is_named_by_its_address(client):
    article = article_with_links(("https://www.kreis-unna.de", ""))
    html = weblinks_html(client, article)
    assert (
        '<a href="https://www.kreis-unna.de" rel="noopener nofollow">https://www.kreis-unna.de</a>'
        in html
    )


def test_label_without_an_address_is_plain_text_without_the_deep_link_marker(client):
    article = article_with_links(
        ("http://www.landkreis-leer.de", ""),
        ("", "Mehr Informationen zur Initiative Digital (Deep Link)"),
    )
    html = weblinks_html(client, article)
    assert '<li class="link-text">Mehr Informationen zur Initiative Digital</li>' in html
    assert html.count("<a ") == 1
    assert "Deep Link" not in html


def test_label_repeating_the_next_links_text_is_merged_into_that_link(client):
    article = article_with_links(
        ("", "Mehr Informationen (Deep Link)"),
        ("https://www.leer.de/digital", "Mehr Informationen"),
    )
    html = weblinks_html(client, article)
    assert html.count("<li") == 1
    assert (
        '<a href="https://www.leer.de/digital" rel="noopener nofollow">Mehr Informationen</a>'
        in html
    )


def test_label_repeating_the_previous_links_text_is_merged_into_that_link(client):
    article = article_with_links(
        ("https://www.leer.de/digital", "Initiative Digital"),
        ("", "initiative  digital"),
    )
    assert weblinks_html(client, article).count("<li") == 1


def test_label_matching_a_link_further_away_stays_text(client):
    article = article_with_links(
        ("https://www.leer.de/digital", "Initiative Digital"),
        ("https://www.kreis-unna.de", ""),
        ("", "Initiative Digital"),
    )
    assert '<li class="link-text">Initiative Digital</li>' in weblinks_html(client, article)


def test_label_only_text_is_escaped(client):
    article = article_with_links(("", '<a href="javascript:alert(1)">klick</a>'))
    html = weblinks_html(client, article)
    assert 'href="javascript:' not in html
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;klick&lt;/a&gt;" in html


def test_non_web_address_never_becomes_a_link():
    # Past the model's validation and the database's check: the page is the last guard.
    shown = weblinks([ArticleLink(url="javascript:alert(1)", label="Klick")])
    assert shown == [Weblink(text="Klick")]
    assert not shown[0].is_link
