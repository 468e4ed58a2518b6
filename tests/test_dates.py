"""One date format on every public page: "14. Mai 2024" (Django's "j. F Y")."""

import re
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.template import engines

from tests.factories import berlin, make_article, make_section

pytestmark = pytest.mark.django_db

NUMERIC_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")


def page_text(client, path) -> str:
    """The page without its footer: the register credit there quotes the data source's
    own "Stand" line, which is not a date of ours."""
    text = client.get(path).text
    return text.split('<footer class="site-footer">')[0]


@pytest.fixture
def politik_articles():
    politik = make_section("Politik")
    first = make_article(title="Erster Artikel", section=politik, published_at=berlin(2024, 5, 14))
    make_article(title="Zweiter Artikel", section=politik, published_at=berlin(2020, 6, 15))
    return first


def test_article_page_and_its_sidebars_show_german_dates(client, politik_articles):
    text = page_text(client, politik_articles.get_absolute_url())
    assert "14. Mai 2024" in text  # the article
    assert '<time datetime="2020-06-15T12:00:00+02:00">15. Juni 2020</time>' in text  # sidebar
    assert not NUMERIC_DATE.search(text)


@pytest.mark.parametrize("path", ["/", "/archiv/", "/archiv/2024/", "/bereiche/politik/"])
def test_list_pages_show_german_dates_only(client, politik_articles, path):
    text = page_text(client, path)
    assert "14. Mai 2024" in text
    assert not NUMERIC_DATE.search(text)


def test_no_template_formats_a_date_with_numbers():
    """Guards the templates themselves: no "j.n.Y" or "d.m.Y" is left anywhere."""
    numeric = re.compile(r"""date:\s*["'][djn]\.[mn]\.[Yy]""")
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if numeric.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# The fast filters of the public pages give what Django's date filter gives.

MOMENTS = [
    datetime(2019, 7, 7, 22, 30, tzinfo=UTC),  # already 8 July in Berlin (summer time)
    datetime(2024, 1, 1, 0, 15, tzinfo=UTC),
    datetime(2023, 12, 31, 23, 5, tzinfo=UTC),  # 1 January in Berlin (winter time)
    datetime(2024, 3, 31, 1, 30, 12, 345, tzinfo=UTC),  # after the spring change
    date(2024, 5, 14),
]


def _rendered(source: str, value) -> str:
    return engines["django"].from_string("{% load newsroom %}" + source).render({"d": value})


@pytest.mark.parametrize("value", MOMENTS)
def test_german_date_is_the_date_filters_long_date(value):
    assert _rendered("{{ d|german_date }}", value) == _rendered('{{ d|date:"j. F Y" }}', value)


@pytest.mark.parametrize("value", MOMENTS)
def test_isoformat_is_the_date_filters_c(value):
    assert _rendered("{{ d|isoformat }}", value) == _rendered("{{ d|date:'c' }}", value)


def test_a_berlin_evening_in_utc_is_the_next_day():
    assert _rendered("{{ d|german_date }}", MOMENTS[0]) == "8. Juli 2019"


@pytest.mark.parametrize("value", [None, "", "kein Datum"])
def test_the_fast_date_filters_show_nothing_for_what_is_no_date(value):
    assert _rendered("{{ d|german_date }}{{ d|isoformat }}", value) == ""
