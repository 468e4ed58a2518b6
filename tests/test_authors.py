"""Authors: the Kürzel under an article becomes a name with a page, where it is known."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Author
from tests.factories import berlin, make_article
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


def make_author(**fields) -> Author:
    fields.setdefault("initials", "ve")
    fields.setdefault("name", "Verena Eckert")
    return Author.objects.create(**fields)


def structured_data(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(match.group(1))


def test_the_article_shows_the_authors_name_linked_to_their_page(client):
    author = make_author(role="Redakteurin")
    article = make_article(author_initials="ve")
    text = client.get(article.get_absolute_url()).text
    assert f'Von <a href="{author.get_absolute_url()}">Verena Eckert</a>' in text


def test_the_kuerzel_matches_whatever_its_case(client):
    make_author(initials="VE")
    article = make_article(author_initials="ve")
    assert "Verena Eckert" in client.get(article.get_absolute_url()).text


def test_unknown_initials_stay_initials(client):
    article = make_article(author_initials="xy")
    text = client.get(article.get_absolute_url()).text
    assert "(xy)" in text
    assert structured_data(client.get(article.get_absolute_url()))["author"] == {
        "@type": "Person",
        "name": "xy",
    }


def test_json_ld_author_is_a_person_with_name_and_url(client):
    author = make_author(role="Redakteurin")
    article = make_article(author_initials="ve")
    data = structured_data(client.get(article.get_absolute_url()))
    assert data["author"]["@type"] == "Person"
    assert data["author"]["name"] == "Verena Eckert"
    assert data["author"]["url"].endswith(author.get_absolute_url())
    assert data["author"]["url"].startswith("http")
    assert data["author"]["jobTitle"] == "Redakteurin"


def test_the_author_page_lists_their_published_articles_newest_first(client):
    author = make_author(bio="Schreibt über Register und Portale.")
    older = make_article(author_initials="ve", published_at=berlin(2020, 1, 1))
    newer = make_article(author_initials="VE", published_at=berlin(2021, 1, 1))
    make_article(author_initials="ve", status=Article.Status.DRAFT, title="Entwurf von ve")
    make_article(author_initials="ab", title="Von jemand anderem")
    response = client.get(author.get_absolute_url())
    assert list(response.context["articles"]) == [newer, older]
    assert "Schreibt über Register und Portale." in response.text
    assert "Entwurf von ve" not in response.text


def test_an_author_page_without_articles_is_not_indexed(client):
    author = make_author()
    assert '<meta name="robots" content="noindex">' in client.get(author.get_absolute_url()).text


def test_the_author_page_costs_the_same_queries_for_many_articles(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    author = make_author()
    make_article(author_initials="ve", published_at=berlin(2020, 2, 1))

    def queries():
        with queries_from_cold() as captured:
            client.get(author.get_absolute_url())
        return len(captured)

    with_one = queries()
    for day in range(1, 26):
        make_article(author_initials="ve", published_at=berlin(2020, 1, day))
    assert queries() == with_one <= 7


def test_the_directory_lists_authors_by_name(client):
    make_author(initials="zz", name="Zora Zimmer")
    make_author(initials="ab", name="Anna Berg", role="Chefredakteurin")
    text = client.get("/autoren/").text
    assert text.index("Anna Berg") < text.index("Zora Zimmer")
    assert "Chefredakteurin" in text


def test_an_unknown_author_slug_is_a_404(client):
    assert client.get("/autoren/niemand/").status_code == 404


def test_a_kuerzel_belongs_to_one_author_only():
    make_author(initials="ve")
    with pytest.raises(ValidationError) as error:
        Author(initials="VE", name="Vera Ehrlich").full_clean()
    assert "gehört schon zu Verena Eckert" in str(error.value)


def test_bio_and_name_are_escaped(client):
    author = make_author(name="<b>Eva</b>", bio="<script>x()</script>")
    text = client.get(author.get_absolute_url()).text
    assert "<script>x()</script>" not in text
    assert "&lt;b&gt;Eva&lt;/b&gt;" in text
