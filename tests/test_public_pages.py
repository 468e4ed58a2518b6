"""The public site: lists with filters, article pages, archives, search, errors, health."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleLink, Correction
from tests.factories import berlin, make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    land = make_municipality("Nordrhein-Westfalen", kind="land", slug="nordrhein-westfalen")
    kreis = make_municipality("Kreis Unna", kind="kreis", parent=land, land=land, slug="kreis-unna")
    town = make_municipality("Unna", kind="stadt", parent=kreis, land=land, slug="unna")
    other_land = make_municipality("Bayern", kind="land", slug="bayern")
    return {"land": land, "kreis": kreis, "town": town, "bayern": other_land}


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("redakteurin", password="x", is_staff=True)
    client.force_login(user)
    return client


def listed_titles(response):
    return [article.title for article in response.context["articles"]]


# --- Archive filters (the home page's, until it became the news front) ---------


def test_archive_filters_by_section(client):
    politik = make_section("Politik")
    make_article(title="Politisch", section=politik)
    make_article(title="Praktisch", section=make_section("Praxis"))
    assert listed_titles(client.get("/archiv/?bereich=politik")) == ["Politisch"]


def test_archive_filters_by_land_through_the_register(client, places):
    make_article(title="Aus Unna").municipalities.add(places["town"])
    make_article(title="Aus Bayern").municipalities.add(places["bayern"])
    make_article(title="Ohne Ort")
    assert listed_titles(client.get("/archiv/?land=nordrhein-westfalen")) == ["Aus Unna"]


def test_municipality_filter_includes_the_places_below(client, places):
    make_article(title="Aus der Stadt").municipalities.add(places["town"])
    make_article(title="Aus dem Land").municipalities.add(places["land"])
    assert listed_titles(client.get("/archiv/?kommune=kreis-unna")) == ["Aus der Stadt"]


def test_archive_filters_by_tag_kind_and_year_combined(client):
    wanted = make_article(title="Treffer", kind="bericht", published_at=berlin(2021, 5, 1))
    wanted.tags.add("OZG")
    make_article(title="Falsche Art", published_at=berlin(2021, 5, 1)).tags.add("OZG")
    other_year = make_article(
        title="Falsches Jahr", kind="bericht", published_at=berlin(2022, 1, 1)
    )
    other_year.tags.add("OZG")
    response = client.get("/archiv/?thema=ozg&art=bericht&jahr=2021")
    assert listed_titles(response) == ["Treffer"]


@pytest.mark.parametrize("sparse_links", [1000, 0], ids=["through the taggings", "walking"])
def test_archive_tag_filter_plans_as_the_tag_page(client, monkeypatch, sparse_links):
    monkeypatch.setattr("articles.models.SPARSE_LINKS", sparse_links)
    for day in (1, 2):
        make_article(title=f"OZG {day}", published_at=berlin(2021, 5, day)).tags.add("OZG")
    make_article(title="Anderes Thema", published_at=berlin(2021, 5, 3)).tags.add("Cloud")
    assert listed_titles(client.get("/archiv/?thema=ozg")) == ["OZG 2", "OZG 1"]


def test_pagination_keeps_the_filters(client):
    politik = make_section("Politik")
    for day in range(1, 23):
        make_article(section=politik, published_at=berlin(2020, 1, day))
    response = client.get("/archiv/?bereich=politik")
    assert 'href="?bereich=politik&amp;page=2"' in response.text


@pytest.mark.parametrize(
    "query",
    ["bereich=gibt-es-nicht", "jahr=abc", "art=<script>", "land=unna", "page=999999", "page=-1"],
)
def test_malformed_filter_values_still_give_a_page(client, query):
    make_article()
    assert client.get(f"/archiv/?{query}").status_code in (200, 404)
    assert client.get(f"/archiv/?{query}").status_code != 500


def test_invalid_filter_value_is_ignored_not_fatal(client):
    make_article(title="Bleibt sichtbar")
    assert listed_titles(client.get("/archiv/?bereich=gibt-es-nicht")) == ["Bleibt sichtbar"]


# --- Article page -------------------------------------------------------------------


def test_article_page_shows_everything_filed(client, places):
    politik = make_section("Politik")
    article = make_article(
        kicker="Kreis Unna",
        title="Digitaler Masterplan",
        section=politik,
        author_initials="ve",
        image_caption="Das Kreishaus.",
        image_credit="Kreis Unna",
        body=[{"type": "paragraph", "text": "Absatz."}],
    )
    article.tags.add("Digitalisierung")
    article.municipalities.add(places["kreis"])
    article.links.create(url="https://www.kreis-unna.de", position=0)
    text = client.get(article.get_absolute_url()).text
    for expected in (
        "Kreis Unna",
        "Digitaler Masterplan",
        "8. Juli 2019",
        "(ve)",
        "Das Kreishaus.",
        "Bildquelle: Kreis Unna",
        'href="https://www.kreis-unna.de"',
        'href="/themen/digitalisierung/"',
        'href="/kommunen/kreis-unna/"',
        'href="/bereiche/politik/"',
        'href="/artikel/digitaler-masterplan/druck/"',
    ):
        assert expected in text


def test_print_view_has_the_article_and_no_navigation(client):
    article = make_article(title="Zum Drucken", body=[{"type": "paragraph", "text": "Text."}])
    text = client.get(f"/artikel/{article.slug}/druck/").text
    assert "Zum Drucken" in text
    assert "main-nav" not in text
    assert "print.css" in text


def test_draft_is_hidden_from_readers(client):
    article = make_article(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_banner_and_no_caching(staff_client):
    article = make_article(status=Article.Status.DRAFT)
    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Vorschau" in response.text
    assert "no-cache" in response["Cache-Control"]


def test_staff_preview_a_scheduled_article(staff_client):
    article = make_article(published_at=timezone.now() + timedelta(days=2))
    response = staff_client.get(article.get_absolute_url())
    assert "Vorschau: Dieser Artikel ist geplant" in response.text


def test_published_article_shows_no_preview_banner_to_staff(staff_client):
    article = make_article()
    assert "Vorschau" not in staff_client.get(article.get_absolute_url()).text


def test_old_slug_redirects_permanently(client):
    article = make_article(title="Alter Titel")
    article.slug = "neuer-titel"
    article.save()
    response = client.get("/artikel/alter-titel/")
    assert response.status_code == 301
    assert response["Location"] == "/artikel/neuer-titel/"


def test_old_slug_of_a_draft_is_not_revealed(client):
    article = make_article(title="Alter Titel", status=Article.Status.DRAFT)
    article.slug = "neuer-titel"
    article.save()
    assert client.get("/artikel/alter-titel/").status_code == 404


def test_article_page_query_count_is_constant(client, django_assert_max_num_queries, places):
    politik = make_section("Politik")
    article = make_article(section=politik)
    article.tags.add("OZG", "Cloud")
    article.municipalities.add(places["town"])
    for day in range(1, 15):
        other = make_article(section=politik, published_at=berlin(2021, 1, day))
        other.tags.add("OZG")
        other.municipalities.add(places["kreis"])
    # The page cache (2), the article (with whether it has weblinks and corrections:
    # it has neither) and its places and tags (3), the kept lists of the boxes (1),
    # identity and navigation (2); the lists read afresh: the section's (1), the
    # place's: the places below it, their links and the place's, the list (3), the
    # tags': their first rows, the newest of each, their fields and tags (4).
    with django_assert_max_num_queries(16):
        client.get(article.get_absolute_url())


def test_article_page_shows_its_weblinks_and_correction_notices(client):
    article = make_article()
    ArticleLink.objects.create(article=article, url="https://www.kreis-unna.de/", label="Unna")
    Correction.objects.create(article=article, note="Die Einwohnerzahl war falsch.")
    text = client.get(article.get_absolute_url()).text
    assert '<a href="https://www.kreis-unna.de/" rel="noopener nofollow">Unna</a>' in text
    assert "Die Einwohnerzahl war falsch." in text


def test_article_page_without_weblinks_or_corrections_reads_neither(client):
    article = make_article()
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert any('EXISTS (SELECT 1 FROM "articles_articlelink"' in sql for sql in statements)
    for table in ("articles_articlelink", "articles_correction"):
        assert not [sql for sql in statements if sql.startswith(f'SELECT "{table}"')]


def test_article_page_carries_canonical_opengraph_and_json_ld(client):
    article = make_article(title="Digitaler Masterplan")
    text = client.get(article.get_absolute_url()).text
    assert '<link rel="canonical" href="http://testserver/artikel/digitaler-masterplan/">' in text
    assert '<meta property="og:title" content="Digitaler Masterplan">' in text
    assert '<script type="application/ld+json">' in text
    assert '"@type": "NewsArticle"' in text


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article(title="</script><script>alert(1)</script>")
    text = client.get(article.get_absolute_url()).text
    assert "</script><script>alert(1)" not in text
    assert "\\u003C/script\\u003E" in text


# --- Listing pages -----------------------------------------------------------------


def test_municipality_page_lists_children_that_have_news(client, places):
    make_article(title="Aus Unna").municipalities.add(places["town"])
    text = client.get("/kommunen/kreis-unna/").text
    assert 'href="/kommunen/unna/"' in text
    assert 'href="/kommunen/nordrhein-westfalen/"' in text


def test_archive_lists_years_and_months(client):
    make_article(title="Juli 2019", published_at=berlin(2019, 7, 8))
    make_article(title="Mai 2021", published_at=berlin(2021, 5, 1))
    assert 'href="/archiv/2019/"' in client.get("/archiv/").text
    year = client.get("/archiv/2019/")
    assert listed_titles(year) == ["Juli 2019"]
    assert 'href="/archiv/2019/07/"' in year.text
    assert listed_titles(client.get("/archiv/2021/05/")) == ["Mai 2021"]


def test_archive_hides_future_and_draft_articles(client):
    make_article(title="Entwurf", status=Article.Status.DRAFT, published_at=berlin(2019, 7, 1))
    assert len(client.get("/archiv/2019/").context["articles"]) == 0


# --- Search ------------------------------------------------------------------------


def test_search_finds_published_articles_by_title(client):
    make_article(title="Videochat im Bürgeramt")
    make_article(title="Videochat als Entwurf", status=Article.Status.DRAFT)
    response = client.get("/suche/?q=videochat")
    assert listed_titles(response) == ["Videochat im Bürgeramt"]
    assert "1 Treffer" in response.text


@pytest.mark.parametrize("query", ["", "   ", "'; DROP TABLE x; --", "*" * 2000, "<b>"])
def test_any_search_input_gives_a_page(client, query):
    assert client.get("/suche/", {"q": query}).status_code == 200


# --- Errors and health --------------------------------------------------------------


def test_not_found_page_is_german_with_a_way_back(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert 'href="/"' in response.text


def test_server_error_page_is_german(client):
    from django.template.loader import render_to_string

    assert "Vorübergehender Fehler" in render_to_string("500.html")


def test_readyz_answers_ok_with_the_database(client):
    assert client.get("/readyz/").content == b"ok"


def test_readyz_fails_without_the_database(client):
    with mock.patch("articles.public.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/readyz/")
    assert response.status_code == 503


def test_search_finds_words_in_the_body(client):
    make_article(title="Ohne Treffer im Titel", body=[{"type": "paragraph", "text": "Die E-Akte."}])
    assert listed_titles(client.get("/suche/?q=E-Akte")) == ["Ohne Treffer im Titel"]


def test_article_image_is_shown_with_its_alt_text(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    gif = (  # the smallest valid GIF: one white pixel
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
        b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    article = make_article(image_alt="Das Kreishaus in Unna", image_caption="Kreishaus.")
    article.image.save("kreishaus.gif", SimpleUploadedFile("kreishaus.gif", gif))
    text = client.get(article.get_absolute_url()).text
    assert 'alt="Das Kreishaus in Unna"' in text
    assert "<figcaption" in text


@pytest.fixture
def database_gone(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped or unreachable."""
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)


def test_database_outage_answers_503_with_a_german_page(client, database_gone):
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.text
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "Traceback" not in response.text


def test_readyz_fails_while_the_database_is_gone(client, database_gone):
    assert client.get("/readyz/").status_code == 503


def test_other_errors_still_answer_500(client, monkeypatch):
    from articles.public import front

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(front.NewsFrontView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Vorübergehender Fehler" in response.text


def test_public_pages_never_show_editor_names_or_addresses(client):
    editor = get_user_model().objects.create_user(
        "m.mustermann",
        email="m.mustermann@redaktion.example",
        first_name="Maria",
        last_name="Mustermann",
        is_staff=True,
    )
    article = make_article(title="Geprüfter Artikel", section=make_section("Politik"))
    article.tags.add("OZG")
    article._history_user = editor
    article.title = "Geprüfter Artikel, korrigiert"
    article.save()
    pages = [
        "/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}druck/",
        "/bereiche/politik/",
        "/themen/ozg/",
        "/suche/?q=Artikel",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-artikel.xml",
        "/archiv/2019/",
    ]
    for page in pages:
        text = client.get(page).text
        for secret in ("m.mustermann", "redaktion.example", "Mustermann"):
            assert secret not in text, (page, secret)
