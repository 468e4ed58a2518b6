"""Article lists without a total: page N shows its items, a next link exactly when there
are more, no COUNT(*) of the list, a constant number of queries per page; the archive's
years and months probed per period."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author
from articles.public.pagination import UncountedPaginator
from articles.public.views import PAGE_SIZE
from tests.factories import berlin, make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    """What rendering costs, not a page-cache hit."""
    settings.PAGE_CACHE_SECONDS = 0


def titles(response):
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def numbered(count, **fields):
    """`count` articles, "Nr 1" the newest; returns their titles newest first."""
    for number in range(1, count + 1):
        make_article(
            title=f"Nr {number}",
            published_at=berlin(2020, 1, 1, 0, 0) - number * ONE_HOUR,
            **fields,
        )
    return [f"Nr {number}" for number in range(1, count + 1)]


ONE_HOUR = berlin(2020, 1, 1, 1, 0) - berlin(2020, 1, 1, 0, 0)


def has_next(response) -> bool:
    return 'rel="next"' in response.text


def has_previous(response) -> bool:
    return 'rel="prev"' in response.text


def lists(kind):
    """The URL of a list of `kind` and the fields that file an article in it."""
    if kind == "section":
        section = make_section("Politik")
        return "/bereiche/politik/", {"section": section}, None
    if kind == "tag":
        return "/themen/ozg/", {}, lambda article: article.tags.add("OZG")
    if kind == "place":
        kreis = make_municipality("Kreis Unna", kind="kreis", slug="kreis-unna")
        town = make_municipality("Unna", kind="stadt", parent=kreis, slug="unna")
        return "/kommunen/kreis-unna/", {}, lambda article: article.municipalities.add(town)
    if kind == "author":
        Author.objects.create(initials="ve", name="Vera Eckhardt", slug="vera-eckhardt")
        return "/autoren/vera-eckhardt/", {"author_initials": "ve"}, None
    return "/archiv/", {}, None


def fill(kind, count):
    url, fields, file = lists(kind)
    return url, add(count, fields, file)


def add(count, fields, file):
    expected = numbered(count, **fields)
    if file:
        for article in Article.objects.filter(title__in=expected):
            file(article)
    return expected


KINDS = ["section", "tag", "place", "author", "archive"]


@pytest.mark.parametrize("kind", KINDS)
def test_pages_of_a_list_show_their_items_and_a_next_link_while_there_are_more(client, kind):
    url, expected = fill(kind, 2 * PAGE_SIZE + 3)
    first, second, third = (client.get(f"{url}?page={n}") for n in (1, 2, 3))
    assert titles(first) == expected[:PAGE_SIZE]
    assert titles(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    assert titles(third) == expected[2 * PAGE_SIZE :]
    assert [has_next(page) for page in (first, second, third)] == [True, True, False]
    assert [has_previous(page) for page in (first, second, third)] == [False, True, True]
    assert "Seite 2</span>" in second.text  # no total: "Seite 2", not "Seite 2 von 3"
    assert client.get(f"{url}?page=4").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_last_page_has_no_next_link(client, kind):
    url, expected = fill(kind, 2 * PAGE_SIZE)
    last = client.get(f"{url}?page=2")
    assert titles(last) == expected[PAGE_SIZE:]
    assert not has_next(last)
    assert client.get(f"{url}?page=3").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_one_page_shows_no_pagination(client, kind):
    url, expected = fill(kind, PAGE_SIZE)
    response = client.get(url)
    assert titles(response) == expected
    assert 'class="pagination"' not in response.text


@pytest.mark.parametrize("page", ["0", "-1", "abc", "last", "99999999999999999999"])
def test_pages_that_cannot_exist_are_not_found(client, page):
    make_article()
    assert client.get(f"/archiv/?page={page}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_counts_its_list(client, kind):
    url, _ = fill(kind, PAGE_SIZE + 1)
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{url}?page={page}").status_code == 200
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert counts == []


@pytest.mark.parametrize("kind", KINDS)
def test_query_count_of_a_list_page_does_not_grow_with_the_list(client, kind):
    url, fields, file = lists(kind)
    add(3, fields, file)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for article in [make_article(published_at=berlin(2019, 1, 1), **fields) for _ in range(45)]:
        if file:
            file(article)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{url}?page=2").status_code == 200
    assert len(many) <= len(few)


def test_empty_place_is_noindex_and_a_place_with_news_is_not(client):
    make_municipality("Leer", kind="stadt", slug="leer")
    assert '<meta name="robots" content="noindex">' in client.get("/kommunen/leer/").text
    fill("place", 1)
    assert '<meta name="robots" content="noindex">' not in client.get("/kommunen/kreis-unna/").text


def test_paginator_reads_one_row_more_than_a_page():
    numbered(5)
    paginator = UncountedPaginator(Article.objects.order_by("-published_at"), 2)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
    assert [article.title for article in page] == ["Nr 5"]
    assert not page.has_next() and page.has_previous() and page.previous_page_number() == 2
    assert len(queries) == 1 and "LIMIT 3 OFFSET 4" in queries[0]["sql"]


# --- The archive's years and months --------------------------------------------------


def test_archive_lists_the_years_with_articles_newest_first_skipping_empty_ones(client):
    for year in (2015, 2017, 2018):
        make_article(published_at=berlin(year, 6, 1))
    make_article(published_at=berlin(2016, 6, 1), status=Article.Status.DRAFT)
    years = [date.year for date in client.get("/archiv/").context["date_list"]]
    assert years == [2018, 2017, 2015]


def test_a_year_counts_in_berlin_time(client):
    make_article(published_at=berlin(2019, 1, 1, 0, 30))  # 2018-12-31 23:30 UTC
    assert [date.year for date in client.get("/archiv/").context["date_list"]] == [2019]


def test_year_archive_lists_its_months_with_articles(client):
    for month in (2, 5, 12):
        make_article(published_at=berlin(2021, month, 10))
    make_article(published_at=berlin(2022, 3, 10))
    months = [date.month for date in client.get("/archiv/2021/").context["date_list"]]
    assert months == [2, 5, 12]


def test_archive_navigation_reads_no_distinct_dates_of_the_archive(client):
    make_article(published_at=berlin(2001, 1, 1))
    make_article(published_at=berlin(2024, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        client.get("/archiv/")
    assert not any("DISTINCT" in q["sql"] for q in queries)


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_page_leaves_the_search_index_in_the_database(client, kind):
    url, _ = fill(kind, 3)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q["sql"] for q in queries if "search_vector" in q["sql"]]
