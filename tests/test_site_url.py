"""Absolute URLs come from the canonical site address, never from the Host header."""

import json
import re

import feedparser
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from newsroom.settings import canonical_site_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
FOREIGN_HOST = "localhost:1337"  # passes ALLOWED_HOSTS: Django ignores the port


@pytest.fixture
def foreign_host_client(client, settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    client.defaults["HTTP_HOST"] = FOREIGN_HOST
    return client


@pytest.fixture
def article():
    return make_article(title="Digitaler Masterplan")


def test_canonical_link_og_url_and_json_ld_use_the_site_url(foreign_host_client, article):
    text = foreign_host_client.get(article.get_absolute_url()).text
    expected = f"{SITE}/artikel/digitaler-masterplan/"
    assert f'<link rel="canonical" href="{expected}">' in text
    assert f'<meta property="og:url" content="{expected}">' in text
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', text, re.S)[1])
    assert data["url"] == data["mainEntityOfPage"] == expected
    assert "1337" not in text


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_link_to_the_site_url(foreign_host_client, article, url):
    raw = foreign_host_client.get(url).content
    feed = feedparser.parse(raw)
    assert feed.feed.link == f"{SITE}/"
    assert feed.entries[0].link == f"{SITE}/artikel/digitaler-masterplan/"
    assert b"1337" not in raw


def test_atom_feed_names_its_own_address_on_the_site_url(foreign_host_client, article):
    feed = feedparser.parse(foreign_host_client.get("/feeds/atom/").content)
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {f"{SITE}/feeds/atom/"}


def test_sitemap_index_and_parts_list_urls_on_the_site_url(foreign_host_client, article):
    index = foreign_host_client.get("/sitemap.xml").text
    assert f"<loc>{SITE}/sitemap-artikel.xml</loc>" in index
    part = foreign_host_client.get("/sitemap-artikel.xml").text
    assert f"<loc>{SITE}/artikel/digitaler-masterplan/</loc>" in part
    assert "1337" not in index + part


def test_robots_txt_names_the_sitemap_on_the_site_url(foreign_host_client):
    assert f"Sitemap: {SITE}/sitemap.xml" in foreign_host_client.get("/robots.txt").text


@override_settings(SITE_URL="", DEBUG=True)
def test_development_without_a_site_url_follows_the_request(client, article):
    client.defaults["HTTP_HOST"] = "127.0.0.1:8000"
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
        text = client.get("/robots.txt").text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text


# The setting itself.


def test_site_url_keeps_scheme_host_and_port():
    assert canonical_site_url("https://news.example.org:8443/", [], debug=False, tls=True) == (
        "https://news.example.org:8443"
    )


@pytest.mark.parametrize(
    "value",
    [
        "news.example.org",
        "ftp://news.example.org",
        "https://",
        "https://x.org/pfad",
        "https://x.org/?a=1",
    ],
)
def test_site_url_refuses_what_is_not_a_bare_http_address(value):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SITE_URL"):
        canonical_site_url(value, [], debug=False, tls=False)


def test_without_a_site_url_production_uses_the_first_allowed_host():
    hosts = ["news.example.org", "www.news.example.org"]
    assert canonical_site_url("", hosts, debug=False, tls=True) == "https://news.example.org"
    assert canonical_site_url("", hosts, debug=False, tls=False) == "http://news.example.org"


@pytest.mark.parametrize("pattern", ["*", ".example.org"])
def test_without_a_site_url_a_host_pattern_is_refused_in_production(pattern):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SITE_URL is not set"):
        canonical_site_url("", [pattern], debug=False, tls=True)


def test_development_without_a_site_url_has_none():
    assert canonical_site_url("", ["localhost"], debug=True, tls=False) == ""
