"""Queries per API request do not grow with the page size."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleLink, Correction, Municipality
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def queries_for(api, path: str, *, warm_fragments: bool = False) -> int:
    if not warm_fragments:
        caches[settings.API_FRAGMENT_CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as context:
        assert api(path).status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def full_articles():
    section = make_section("Politik")
    place = Municipality.objects.create(name="Unna", slug="unna")
    for _ in range(30):
        article = make_article(section=section)
        article.tags.add("OZG", "Cloud")
        article.municipalities.add(place)
        ArticleLink.objects.create(article=article, url="https://example.org/", label="x")
        Correction.objects.create(article=article, note="Berichtigt.")


def test_article_list_queries_do_not_grow_with_the_page_size(api, full_articles):
    assert queries_for(api, "articles?page_size=2") == queries_for(api, "articles?page_size=30")


def test_article_list_costs_eight_queries(api, full_articles):
    # the content version, the page, its articles' rows, tags, places, links and
    # corrections, and the page cache's question when the next scheduled article is due
    assert queries_for(api, "articles?page_size=30") == 8


def test_cached_fragments_spare_the_article_queries(api, full_articles):
    queries_for(api, "articles?page_size=30")
    assert queries_for(api, "articles?page_size=30", warm_fragments=True) == 3


@pytest.mark.django_db(transaction=True)  # the version rises per transaction
def test_cached_fragment_shows_an_edit_at_once(api, full_articles):
    api("articles")
    article = Article.objects.order_by("-published_at", "-pk").first()
    Article.objects.filter(pk=article.pk).update(title="Neuer Titel")  # no signals
    assert api("articles").json()["results"][0]["title"] == "Neuer Titel"


def test_lists_and_details_share_the_fragments(api, full_articles):
    api("articles?page_size=30")
    article = Article.objects.first()
    assert queries_for(api, f"articles/{article.slug}", warm_fragments=True) == 3


def test_tag_and_place_lists_do_not_grow_with_the_page_size(api, full_articles, register):
    for path in ("tags", "municipalities"):
        small, large = f"{path}?page_size=2", f"{path}?page_size=100"
        assert queries_for(api, small) == queries_for(api, large), path
