"""What every page shows (identity, navigation, authors) is read once per content version
and process (articles.cache.per_version), with the page cache on or off."""

from unittest import mock

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from articles.cache.per_version import PerVersion
from articles.filters import SearchFilter
from articles.models import Article, Author
from articles.templatetags.newsroom import _filter_fields
from tests.factories import make_article, make_section

# The content version moves with every write: these tests commit theirs, as the site does.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_value_is_read_once_per_version():
    read = mock.Mock(side_effect=["erste", "zweite"])
    kept = PerVersion(read)
    assert (kept.at(7), kept.at(7)) == ("erste", "erste")
    assert read.call_count == 1


def test_a_new_version_reads_it_again():
    kept = PerVersion(mock.Mock(side_effect=["erste", "zweite"]))
    kept.at(7)
    assert kept.at(8) == "zweite"


def test_without_a_version_it_is_read_every_time():
    read = mock.Mock(return_value="frisch")
    kept = PerVersion(read)
    kept.at(None)
    kept.at(None)
    assert read.call_count == 2


def _statements_of(client, path) -> list[str]:
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_pages_read_identity_and_navigation_once_per_version_with_the_page_cache_off(client):
    make_section("Politik")
    article = make_article(section=make_section("Digitales"))
    _statements_of(client, article.get_absolute_url())
    later = _statements_of(client, "/impressum/")
    assert not [sql for sql in later if 'FROM "articles_section"' in sql]
    assert not [sql for sql in later if 'FROM "articles_siteidentity"' in sql]


def test_a_renamed_section_is_in_the_navigation_of_the_next_page(client):
    section = make_section("Politik")
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert ">Politik</a>" in client.get("/impressum/").text
        section.name = "Politik und Verwaltung"
        section.save()
        assert ">Politik und Verwaltung</a>" in client.get("/impressum/").text


def test_an_author_added_for_a_kuerzel_is_named_on_the_next_article_page(client):
    article = make_article(author_initials="ve")
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert "Verena Eckert" not in client.get(article.get_absolute_url()).text
        Author.objects.create(initials="ve", name="Verena Eckert")
        assert "Von <a" in client.get(article.get_absolute_url()).text
        assert "Verena Eckert" in client.get(article.get_absolute_url()).text


def _render_per_version(template, version, **context) -> str:
    request = RequestFactory().get("/")
    request.content_version = version
    return template.render(context, request)


BLOCK = "{% load newsroom %}{% per_version %}{{ name }}{% endper_version %}|{{ name }}"


def test_a_per_version_block_is_rendered_once_per_version():
    template = engines["django"].from_string(BLOCK)
    assert _render_per_version(template, 7, name="erste") == "erste|erste"
    assert _render_per_version(template, 7, name="zweite") == "erste|zweite"
    assert _render_per_version(template, 8, name="dritte") == "dritte|dritte"


def test_a_per_version_block_without_a_version_is_rendered_every_time():
    template = engines["django"].from_string(BLOCK)
    _render_per_version(template, None, name="erste")
    assert _render_per_version(template, None, name="zweite") == "zweite|zweite"


def test_the_search_words_in_the_layout_are_not_kept_for_the_next_page(client):
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert 'value="Breitband"' in client.get("/suche/", {"q": "Breitband"}).text
        assert 'value="Breitband"' not in client.get("/impressum/").text


# The filter forms of the search and archive pages (the filter_field tag).


def test_the_search_filters_read_the_bereiche_and_laender_once_per_version(client):
    make_section("Politik")
    _statements_of(client, "/suche/?q=Cloud")
    later = _statements_of(client, "/suche/?q=Breitband")
    assert not [sql for sql in later if 'FROM "articles_section"' in sql]
    assert not [sql for sql in later if 'FROM "articles_municipality"' in sql]


def test_a_chosen_bereich_is_selected_only_where_it_was_chosen(client):
    make_section("Politik", slug="politik")
    selected = '<option value="politik" selected>'
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert selected in client.get("/suche/?q=Cloud&bereich=politik").text
        assert selected not in client.get("/suche/?q=Cloud").text
        assert selected in client.get("/archiv/?bereich=politik").text


def test_unknown_bereiche_are_marked_invalid_and_kept_as_one_state(client):
    make_section("Politik", slug="politik")
    with override_settings(PAGE_CACHE_SECONDS=0):
        for slug in ("gibt-es-nicht", "auch-nicht", "nie"):
            page = client.get(f"/archiv/?bereich={slug}").text
            assert 'aria-invalid="true"' in page and "Unbekannter Wert" in page
        assert 'aria-invalid="true"' not in client.get("/archiv/?bereich=politik").text
    kept = _filter_fields._kept[1]  # the states of the latest version
    bereich = sorted(state[3:] for state in kept if state[1] == "bereich")
    assert bereich == [(False, "'politik'"), (True, None)]


def test_a_new_section_is_offered_by_the_next_search_page(client):
    make_section("Politik")
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get("/suche/?q=Cloud")
        make_section("Verwaltung")
        assert ">Verwaltung</option>" in client.get("/suche/?q=Cloud").text


def test_filter_fields_without_a_version_are_rendered_every_time():
    template = engines["django"].from_string(
        "{% load newsroom %}{% for field in filter.form %}{% filter_field field %}{% endfor %}"
    )
    section = make_section("Politik")
    first = _render_per_version(template, None, filter=SearchFilter({}, Article.objects.all()))
    section.name = "Politik und Verwaltung"
    section.save()
    later = _render_per_version(template, None, filter=SearchFilter({}, Article.objects.all()))
    assert "Politik</option>" in first and "Politik und Verwaltung</option>" in later
