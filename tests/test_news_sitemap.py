"""The Google News sitemap: full articles of the last two days, valid against Google's
schema (tests/schemas: sitemaps.org core + sitemap-news 0.9); teaser-only articles are in
no sitemap."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from articles.identity.models import SiteIdentity
from articles.models import Article
from articles.public.sitemaps import ArticleSitemap, NewsSitemap
from tests.factories import berlin, make_article

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def news_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "news-sitemap.xsd"), parser))


def news_sitemap(client) -> etree._Element:
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def hours_ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)


def locations(root) -> list[str]:
    return root.xpath("s:url/s:loc/text()", namespaces=NS)


def test_the_news_sitemap_is_valid_against_googles_schema(client):
    SiteIdentity(name="Kommunal <Digital> & Co").save()
    make_article(title="Neu & „wichtig“ <b>", published_at=hours_ago(1))
    corrected = make_article(title="Korrigiert", published_at=hours_ago(20))
    corrected.corrected_at = hours_ago(2)
    corrected.save()
    root = news_sitemap(client)
    schema = news_schema()
    assert schema.validate(etree.ElementTree(root)), schema.error_log
    assert len(locations(root)) == 2


def test_the_schema_check_refuses_what_google_would_refuse():
    wrong = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>http://testserver/artikel/a/</loc><news:news><news:publication>"
        b"<news:name>X</news:name><news:language>Deutsch</news:language></news:publication>"
        b"<news:publication_date>14. Mai 2024</news:publication_date>"
        b"<news:title>A</news:title></news:news></url></urlset>"
    )
    schema = news_schema()
    assert not schema.validate(etree.ElementTree(wrong))
    assert len(schema.error_log) == 2  # the language and the date


def test_it_lists_the_full_public_articles_of_the_last_two_days_newest_first(client):
    make_article(title="Gestern", published_at=hours_ago(20))
    make_article(title="Eben", published_at=hours_ago(1))
    make_article(title="Vorgestern", published_at=hours_ago(49))
    make_article(title="Anriss", published_at=hours_ago(2), teaser_only=True)
    make_article(title="Entwurf", published_at=hours_ago(2), status=Article.Status.DRAFT)
    make_article(title="Geplant", published_at=timezone.now() + timedelta(hours=1))
    assert locations(news_sitemap(client)) == [
        "http://testserver/artikel/eben/",
        "http://testserver/artikel/gestern/",
    ]


def test_each_entry_names_the_publication_after_the_site_in_german(client):
    SiteIdentity(name="Kommunal Digital").save()
    make_article(published_at=hours_ago(1))
    root = news_sitemap(client)
    assert root.xpath("//news:publication/news:name/text()", namespaces=NS) == ["Kommunal Digital"]
    assert root.xpath("//news:publication/news:language/text()", namespaces=NS) == ["de"]


def test_title_and_publication_date_are_the_articles(client):
    published = hours_ago(3).replace(microsecond=0)
    make_article(title="<script>alert(1)</script> & „Zitat“", published_at=published)
    root = news_sitemap(client)
    assert root.xpath("//news:title/text()", namespaces=NS) == [
        "<script>alert(1)</script> & „Zitat“"
    ]
    (date,) = root.xpath("//news:publication_date/text()", namespaces=NS)
    assert datetime.fromisoformat(date) == published
    assert date == timezone.localtime(published).isoformat()  # W3C, with the Berlin offset


def test_it_holds_no_more_than_its_limit_and_has_no_second_part(client, monkeypatch):
    monkeypatch.setattr(NewsSitemap, "limit", 2)
    for hours in (1, 2, 3):
        make_article(title=f"Vor {hours} Stunden", published_at=hours_ago(hours))
    assert len(locations(news_sitemap(client))) == 2
    assert "sitemap-news.xml?p=2" not in client.get("/sitemap.xml").text


def test_googles_limit_is_a_thousand():
    assert NewsSitemap.limit == 1000


def test_the_sitemap_index_and_robots_txt_name_the_news_sitemap(client):
    make_article(published_at=hours_ago(1))
    assert "<loc>http://testserver/sitemap-news.xml</loc>" in client.get("/sitemap.xml").text
    assert "Sitemap: http://testserver/sitemap-news.xml" in client.get("/robots.txt").text


def test_while_nothing_is_recent_it_is_a_404_named_nowhere(client):
    make_article(published_at=hours_ago(72))
    assert client.get("/sitemap-news.xml").status_code == 404
    assert "sitemap-news.xml" not in client.get("/sitemap.xml").text
    assert "sitemap-news.xml" not in client.get("/robots.txt").text


def test_its_index_lastmod_is_the_newest_change_in_the_window():
    make_article(published_at=hours_ago(30))
    recent = make_article(published_at=hours_ago(10))
    recent.corrected_at = hours_ago(1).replace(microsecond=0)
    recent.save()
    make_article(published_at=hours_ago(5), teaser_only=True)
    assert NewsSitemap().get_latest_lastmod() == recent.corrected_at


def test_the_article_sitemap_leaves_out_teaser_only_articles(client):
    make_article(title="Voll", published_at=berlin(2024, 5, 14))
    make_article(title="Anriss", published_at=berlin(2024, 5, 15), teaser_only=True)
    text = client.get("/sitemap-artikel.xml").text
    assert "/artikel/voll/" in text
    assert "/artikel/anriss/" not in text


def test_a_teaser_only_article_does_not_date_the_article_sitemap():
    full = make_article(published_at=berlin(2024, 5, 14))
    make_article(published_at=berlin(2024, 5, 15), teaser_only=True)
    assert ArticleSitemap().get_latest_lastmod() == full.published_at


def test_the_news_sitemap_costs_the_same_queries_however_many_it_lists(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    make_article(published_at=hours_ago(1))
    with django_assert_max_num_queries(100) as captured:
        client.get("/sitemap-news.xml")
    with_one = len(captured)
    for hours in range(2, 22):
        make_article(published_at=hours_ago(hours))
    with django_assert_max_num_queries(with_one):
        assert len(locations(news_sitemap(client))) == 21
