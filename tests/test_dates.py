"""One date format on every public page: "14. Mai 2024" (Django's "j. F Y")."""

import re

import pytest
from django.conf import settings

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
