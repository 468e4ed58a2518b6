"""Feeds, sitemaps and robots.txt: what machines read of the site."""

from html import escape, unescape

import feedparser
import pytest

from articles.models import Article
from articles.public.sitemaps import ArticleSitemap
from tests.factories import berlin, make_article, make_municipality, make_section
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_main_feeds_parse_cleanly_and_list_published_articles(client, url):
    make_article(kicker="Kreis Unna", title="Digitaler Masterplan", lead="Ein „Vorspann“ & mehr.")
    make_article(title="Entwurf", status=Article.Status.DRAFT)
    feed = parse_feed(client, url)
    assert [entry.title for entry in feed.entries] == ["Kreis Unna: Digitaler Masterplan"]
    assert feed.entries[0].summary == "Ein „Vorspann“ &amp; mehr."  # HTML of the text
    assert feed.entries[0].link.endswith("/artikel/digitaler-masterplan/")


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_markup_in_a_lead_is_text_for_a_feed_reader_that_does_not_sanitise(client, url):
    make_article(lead=f"Vorspann {HOSTILE}")
    raw = client.get(url).content
    entry = feedparser.parse(raw, sanitize_html=False).entries[0]
    assert entry.summary_detail.type == "text/html"
    assert "<script" not in entry.summary and "<img" not in entry.summary
    assert entry.summary == f"Vorspann {escape(HOSTILE)}"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_markup_in_a_title_is_text_for_a_feed_reader_that_does_not_sanitise(client, url):
    make_article(kicker="<b>Kreis</b>", title=HOSTILE)
    entry = feedparser.parse(client.get(url).content, sanitize_html=False).entries[0]
    expected = f"<b>Kreis</b>: {HOSTILE}"
    if entry.title_detail.type == "text/plain":
        assert entry.title == expected
    else:
        assert "<script" not in entry.title and unescape(entry.title) == expected


def test_section_tag_and_municipality_feeds_narrow_the_list(client):
    politik = make_section("Politik")
    unna = make_municipality("Unna", kind="stadt", slug="unna")
    article = make_article(title="Gefiltert", section=politik)
    article.tags.add("OZG")
    article.municipalities.add(unna)
    make_article(title="Anderes")
    for url in (
        "/feeds/bereiche/politik/rss/",
        "/feeds/themen/ozg/atom/",
        "/feeds/kommunen/unna/rss/",
    ):
        assert [entry.title.split(": ")[-1] for entry in parse_feed(client, url).entries] == [
            "Gefiltert"
        ]


def test_feed_of_unknown_section_is_not_found(client):
    assert client.get("/feeds/bereiche/gibt-es-nicht/rss/").status_code == 404


def test_pages_link_their_feeds_in_the_head(client):
    make_section("Politik")
    text = client.get("/bereiche/politik/").text
    rss = '<link rel="alternate" type="application/rss+xml" title="RSS" href="{}">'
    assert rss.format("/feeds/bereiche/politik/rss/") in text
    assert 'type="application/atom+xml"' in text


def test_sitemap_index_lists_its_parts(client):
    make_article()
    text = client.get("/sitemap.xml").text
    assert "<sitemapindex" in text
    assert "/sitemap-artikel.xml" in text


def test_article_sitemap_lists_published_articles_with_lastmod(client):
    make_article(title="Sichtbar")
    make_article(title="Entwurf", status=Article.Status.DRAFT)
    make_article(title="Geplant", published_at=berlin(2099, 1, 1))
    text = client.get("/sitemap-artikel.xml").text
    assert "/artikel/sichtbar/" in text
    assert "/artikel/entwurf/" not in text
    assert "/artikel/geplant/" not in text
    assert "<lastmod>" in text


def test_listing_sitemaps_list_only_pages_with_public_articles(client):
    make_article(section=make_section("Politik")).tags.add("OZG")
    make_article(section=make_section("Praxis"), status=Article.Status.DRAFT)
    assert "/bereiche/politik/" in client.get("/sitemap-bereiche.xml").text
    assert "/bereiche/praxis/" not in client.get("/sitemap-bereiche.xml").text
    assert "/themen/ozg/" in client.get("/sitemap-themen.xml").text


def test_archive_sitemap_lists_years_with_public_articles(client):
    make_article(published_at=berlin(2019, 7, 8))
    make_article(published_at=berlin(2015, 1, 1), status=Article.Status.DRAFT)
    text = client.get("/sitemap-archiv.xml").text
    assert "/archiv/2019/" in text
    assert "/archiv/2015/" not in text


def test_municipality_sitemap_lists_only_places_with_public_articles(client):
    public, hidden = make_municipality(slug="unna"), make_municipality(slug="leer")
    make_article().municipalities.add(public)
    make_article(status=Article.Status.DRAFT).municipalities.add(hidden)
    text = client.get("/sitemap-kommunen.xml").text
    assert "/kommunen/unna/" in text
    assert "/kommunen/leer/" not in text


def test_municipality_sitemap_lists_the_places_above_a_place_with_news(client):
    land = make_municipality(slug="nrw", kind="land")
    kreis = make_municipality(slug="kreis-unna", kind="kreis", parent=land, land=land)
    gemeinde = make_municipality(slug="holzwickede", parent=kreis, land=land)
    make_municipality(slug="leer", kind="kreis")
    make_article().municipalities.add(gemeinde)
    text = client.get("/sitemap-kommunen.xml").text
    for slug in ["holzwickede", "kreis-unna", "nrw"]:
        assert f"/kommunen/{slug}/" in text
    assert "/kommunen/leer/" not in text


def test_a_place_feed_gathers_the_news_of_the_places_below_it(client):
    land = make_municipality(slug="nrw", kind="land")
    kreis = make_municipality(slug="kreis-unna", kind="kreis", parent=land, land=land)
    make_article(title="Aus Holzwickede").municipalities.add(
        make_municipality(slug="holzwickede", parent=kreis, land=land)
    )
    feed = feedparser.parse(client.get("/feeds/kommunen/kreis-unna/rss/").content)
    assert [entry.title.split(": ")[-1] for entry in feed.entries] == ["Aus Holzwickede"]


def test_the_static_pages_sitemap_lists_the_directories_and_legal_pages(client):
    text = client.get("/sitemap-seiten.xml").text
    for path in ["/archiv/", "/autoren/", "/anbieter/", "/impressum/", "/datenschutz/"]:
        assert f"{path}</loc>" in text


def test_article_sitemap_is_split_into_parts_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for day in (1, 2, 3):
        make_article(published_at=berlin(2020, 1, day))
    assert "/sitemap-artikel.xml?p=2" in client.get("/sitemap.xml").text
    assert client.get("/sitemap-artikel.xml?p=2").text.count("<url>") == 1


def test_sitemap_index_queries_do_not_grow_with_articles(client, settings):
    """Django's index asks every item for its lastmod unless the sitemap says otherwise."""
    settings.PAGE_CACHE_SECONDS = 0

    def queries_for_index():
        with queries_from_cold() as captured:
            client.get("/sitemap.xml")
        return len(captured)

    make_article(published_at=berlin(2020, 1, 1)).tags.add("OZG")
    with_one = queries_for_index()
    for day in range(2, 22):
        make_article(published_at=berlin(2020, 1, day)).tags.add(f"Thema {day}")
    assert queries_for_index() == with_one


def test_robots_txt_names_the_sitemap(client):
    text = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_sitemap_index_lastmod_is_the_newest_publication_of_a_public_article():
    make_article(title="Älter", published_at=berlin(2019, 7, 8))
    newest = make_article(title="Öffentlich", published_at=berlin(2020, 6, 15))
    make_article(title="Entwurf", status=Article.Status.DRAFT, published_at=berlin(2021, 1, 1))
    make_article(title="Geplant", published_at=berlin(2099, 1, 1))
    assert ArticleSitemap().get_latest_lastmod() == newest.published_at


def test_sitemap_index_lastmod_is_a_later_public_correction():
    article = make_article(title="Öffentlich", published_at=berlin(2020, 6, 15))
    article.corrected_at = berlin(2024, 5, 14)
    article.save()
    assert ArticleSitemap().get_latest_lastmod() == berlin(2024, 5, 14)
