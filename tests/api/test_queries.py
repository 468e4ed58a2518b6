"""Queries per API request do not grow with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleLink, Correction, Municipality
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def queries_for(api, path: str) -> int:
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


def test_article_list_costs_seven_queries(api, full_articles):
    # the content version, the page, its tags, places, links and corrections, and the
    # page cache's question when the next scheduled article goes public
    assert queries_for(api, "articles?page_size=30") == 7


def test_tag_and_place_lists_do_not_grow_with_the_page_size(api, full_articles, register):
    for path in ("tags", "municipalities"):
        small, large = f"{path}?page_size=2", f"{path}?page_size=100"
        assert queries_for(api, small) == queries_for(api, large), path
