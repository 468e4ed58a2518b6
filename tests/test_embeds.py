"""Embeds: the newest news about a place or a Thema, for iframes on other sites."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches

from articles.models import Article, Municipality
from tests.factories import berlin, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def unna(register):
    return Municipality.objects.get(ags="05978")


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<p class="title"><a href="[^"]+">([^<]+)</a>', response.text)


def test_place_embed_lists_the_place_and_everything_below_newest_first(client, unna):
    town = Municipality.objects.filter(parent=unna).first()
    make_article(title="Über den Kreis", published_at=berlin(2024, 1, 1)).municipalities.add(unna)
    make_article(title="Über die Stadt", published_at=berlin(2024, 2, 1)).municipalities.add(town)
    make_article(title="Anderswo").municipalities.add(Municipality.objects.get(ags="14626"))
    make_article(title="Entwurf", status=Article.Status.DRAFT).municipalities.add(unna)
    assert titles(client.get("/einbetten/kommune/05978/")) == ["Über die Stadt", "Über den Kreis"]


def test_land_embed_gathers_its_kreise(client, unna):
    make_article(title="Über den Kreis").municipalities.add(unna)
    assert titles(client.get("/einbetten/kommune/05/")) == ["Über den Kreis"]


def test_embed_links_to_the_articles_on_the_canonical_site(client, unna, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article()
    article.municipalities.add(unna)
    text = client.get("/einbetten/kommune/05978/").text
    assert f'href="https://news.example.org{article.get_absolute_url()}"' in text
    assert 'href="https://news.example.org/kommunen/kreis-unna/"' in text


def test_embed_may_be_framed_by_any_site(client, unna):
    response = client.get("/einbetten/kommune/05978/")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_cached_embed_may_still_be_framed(client, unna, django_assert_num_queries):
    client.get("/einbetten/kommune/05978/")
    with django_assert_num_queries(1):  # a page-cache hit
        response = client.get("/einbetten/kommune/05978/")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_other_pages_may_not_be_framed(client, unna):
    response = client.get("/kommunen/kreis-unna/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_embed_sets_no_cookie_and_needs_no_script(client, unna):
    make_article().municipalities.add(unna)
    response = client.get("/einbetten/kommune/05978/")
    assert not response.cookies
    assert "<script" not in response.text
    assert 'target="_blank"' in response.text


def test_embed_shows_ten_articles_unless_asked_for_fewer(client, unna):
    for number in range(12):
        make_article(title=f"Meldung {number}").municipalities.add(unna)
    assert len(titles(client.get("/einbetten/kommune/05978/"))) == 10
    assert len(titles(client.get("/einbetten/kommune/05978/?anzahl=3"))) == 3


@pytest.mark.parametrize("count", ["0", "21", "viele"])
def test_invalid_count_is_explained(client, unna, count):
    response = client.get(f"/einbetten/kommune/05978/?anzahl={count}")
    assert response.status_code == 400
    assert "muss eine ganze Zahl von 1 bis 20 sein" in response.text


def test_unknown_key_is_not_found(client, unna):
    assert client.get("/einbetten/kommune/99999/").status_code == 404


def test_place_without_news_says_so(client, unna):
    assert "Noch keine Nachrichten." in client.get("/einbetten/kommune/05978/").text


def test_tag_embed_lists_the_thema(client):
    make_article(title="Mit Thema").tags.add("OZG")
    make_article(title="Ohne Thema")
    assert titles(client.get("/einbetten/thema/ozg/")) == ["Mit Thema"]


def test_embed_escapes_imported_text(client, unna):
    make_article(title="<script>alert(1)</script>").municipalities.add(unna)
    text = client.get("/einbetten/kommune/05978/").text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_municipality_page_offers_the_snippet_as_text(client, unna):
    text = client.get("/kommunen/kreis-unna/").text
    assert "Auf Ihrer Website einbinden" in text
    assert (
        "&lt;iframe src=&quot;http://testserver/einbetten/kommune/05978/&quot; "
        "title=&quot;Nachrichten aus dem Kreis Unna&quot;"
    ) in text
    assert "<iframe" not in text


def test_organisation_page_offers_no_snippet(client):
    Municipality.objects.create(name="krz", slug="krz", kind=Municipality.Kind.OTHER)
    assert "Auf Ihrer Website einbinden" not in client.get("/kommunen/krz/").text


def test_tag_page_offers_the_tag_embed(client):
    make_article().tags.add("OZG")
    caches[settings.PAGE_CACHE_ALIAS].clear()
    assert "/einbetten/thema/ozg/" in client.get("/themen/ozg/").text
