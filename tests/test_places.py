"""Places as readers think of them: Land and Kreis pages gather everything below them,
headings speak German, empty places stay out of indexes, the place box and tag pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.filters import ArticleFilter
from articles.models import Article, Municipality
from articles.public.related import related_sidebars
from tests.factories import berlin, make_article, make_municipality
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


@pytest.fixture
def nrw(register):
    return Municipality.objects.get(ags="05")


def at(ags):
    return Municipality.objects.get(ags=ags)


def about(place, title, **fields):
    article = make_article(title=title, **fields)
    article.municipalities.add(place)
    return article


def listed_titles(response):
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def place_box(article):
    return next((s for s in related_sidebars(article) if s.heading.startswith("Mehr aus")), None)


# --- Land and Kreis pages gather what is below them ------------------------------------


def test_land_page_gathers_its_kreise_and_gemeinden_newest_first(client, nrw):
    about(at("05978036"), "Aus Unna", published_at=berlin(2024, 3, 1))
    about(at("05978"), "Aus dem Kreis", published_at=berlin(2024, 2, 1))
    about(at("05111"), "Aus Düsseldorf", published_at=berlin(2024, 4, 1))
    about(nrw, "Aus dem Land", published_at=berlin(2024, 1, 1))
    about(at("09"), "Aus Bayern")
    make_article(title="Entwurf", status=Article.Status.DRAFT).municipalities.add(at("05978"))
    assert listed_titles(client.get(nrw.get_absolute_url())) == [
        "Aus Düsseldorf",
        "Aus Unna",
        "Aus dem Kreis",
        "Aus dem Land",
    ]


def test_kreis_page_gathers_its_staedte_and_gemeinden(client, register):
    about(at("14626110"), "Aus Görlitz", published_at=berlin(2024, 2, 1))
    about(at("14626"), "Aus dem Landkreis", published_at=berlin(2024, 1, 1))
    about(at("05978036"), "Aus Unna")
    assert listed_titles(client.get(at("14626").get_absolute_url())) == [
        "Aus Görlitz",
        "Aus dem Landkreis",
    ]


def test_land_page_lists_the_kreise_and_kreisfreie_staedte_that_have_news(client, nrw):
    about(at("05978036"), "Aus Unna")  # a Gemeinde: its Kreis is listed
    about(at("05111"), "Aus Düsseldorf")
    children = client.get(nrw.get_absolute_url()).context["children"]
    assert [child.name for child in children] == ["Düsseldorf", "Kreis Unna"]


def test_land_page_lists_no_kreis_without_news(client, nrw):
    about(nrw, "Aus dem Land")
    assert client.get(nrw.get_absolute_url()).context["children"] == []


def test_kreis_page_lists_its_gemeinden_that_have_news(client, register):
    about(at("14626110"), "Aus Görlitz")
    text = client.get(at("14626").get_absolute_url()).text
    assert "Städte und Gemeinden mit Nachrichten" in text
    assert f'href="{at("14626110").get_absolute_url()}"' in text
    others = Municipality.objects.filter(parent=at("14626")).exclude(ags="14626110")
    assert not any(f'href="{other.get_absolute_url()}"' in text for other in others)


def test_place_page_query_count_does_not_grow_with_its_news(client, nrw, settings):
    settings.PAGE_CACHE_SECONDS = 0  # counts what rendering costs (and keeps the context)
    about(at("05978036"), "Erste")
    with queries_from_cold() as few:
        client.get(nrw.get_absolute_url())
    gemeinden = Municipality.objects.filter(ags__startswith="05978", kind__in=["stadt", "gemeinde"])
    for day, gemeinde in enumerate(gemeinden, start=1):
        about(gemeinde, f"Meldung {day}", published_at=berlin(2023, 1, day))
        about(at("05111"), f"Düsseldorf {day}", published_at=berlin(2022, 1, day))
    with queries_from_cold() as many:
        response = client.get(nrw.get_absolute_url())
    assert len(response.context["children"]) == 2
    assert len(many) == len(few)


def test_place_page_stays_within_its_query_budget(client, nrw, django_assert_max_num_queries):
    url = about(at("05978036"), "Aus Unna").municipalities.get().get_absolute_url()
    # Place, version, places below, their links, children, count, list, site chrome (3).
    with django_assert_max_num_queries(10):
        client.get(url)


# --- German headings, labels, population --------------------------------------------


def test_place_page_title_and_heading_say_where_the_news_come_from(client, register):
    kreis = at("05978")
    about(kreis, "Aus dem Kreis")
    text = client.get(kreis.get_absolute_url()).text
    assert "<title>Nachrichten aus dem Kreis Unna – " in text
    assert "<h1>Kreis Unna</h1>" in text
    assert ">Nachrichten aus dem Kreis Unna</h2>" in text


def test_place_page_names_the_kind_as_readers_do(client, register):
    assert '<p class="meta">Landkreis · ' in client.get(at("14626").get_absolute_url()).text
    assert '<p class="meta">Freistaat · ' in client.get(at("09").get_absolute_url()).text
    text = client.get(at("05978").get_absolute_url()).text
    assert '<p class="meta">Kreis · ' in text
    assert "Kreis/Landkreis" not in text


def test_population_carries_its_reference_date(client, register, settings):
    text = client.get(at("05978").get_absolute_url()).text
    assert "393.784 Einwohner (Stand 31. Dezember 2024)" in text


def test_population_reference_date_comes_from_the_setting(client, register, settings):
    from datetime import date

    settings.MUNICIPAL_REGISTER_POPULATION_DATE = date(2025, 12, 31)
    text = client.get(at("05978").get_absolute_url()).text
    assert "Einwohner (Stand 31. Dezember 2025)" in text


def test_place_names_from_editors_are_escaped(client):
    organisation = make_municipality('<img src=x onerror="alert(1)">', kind="other", slug="boese")
    about(organisation, "Aus der Organisation")
    text = client.get("/kommunen/boese/").text
    assert "<img src=x" not in text
    assert "Nachrichten zu &lt;img src=x" in text


# --- Empty places ----------------------------------------------------------------------


def test_place_without_articles_is_shown_but_not_indexed(client, register):
    response = client.get(at("14626").get_absolute_url())
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.text
    assert "Über den Landkreis Görlitz gibt es noch keine Artikel." in response.text
    assert "Keine Artikel gefunden." not in response.text


def test_place_with_articles_below_it_is_indexed(client, nrw):
    about(at("05978036"), "Aus Unna")
    assert 'content="noindex"' not in client.get(nrw.get_absolute_url()).text


# Committed writes, as in production: on PostgreSQL the version rises once per transaction.
@pytest.mark.django_db(transaction=True)
def test_empty_place_page_becomes_indexable_when_its_first_article_appears(client, register):
    kreis = at("14626")
    assert 'content="noindex"' in client.get(kreis.get_absolute_url()).text  # now cached
    about(at("14626110"), "Endlich Nachrichten aus Görlitz")
    text = client.get(kreis.get_absolute_url()).text
    assert 'content="noindex"' not in text
    assert "Endlich Nachrichten aus Görlitz" in text


def test_empty_saarland_speaks_of_das_saarland(client, db):
    saarland = make_municipality("Saarland", kind="land", ags="10", slug="saarland")
    text = client.get(saarland.get_absolute_url()).text
    assert "Über das Saarland gibt es noch keine Artikel." in text


# --- The place box on the article page --------------------------------------------------


def test_place_box_lists_articles_about_the_place_and_below_it(register):
    kreis = at("05978")
    article = about(kreis, "Dieser")
    about(at("05978036"), "Aus Unna", published_at=berlin(2024, 2, 1))
    about(kreis, "Aus dem Kreis", published_at=berlin(2024, 1, 1))
    about(at("05"), "Aus dem Land", published_at=berlin(2024, 3, 1))
    box = place_box(article)
    assert box.heading == "Mehr aus dem Kreis Unna"
    assert [item.title for item in box.articles] == ["Aus Unna", "Aus dem Kreis"]


def test_place_box_never_climbs_to_the_land(register):
    article = about(at("05978036"), "Aus Unna")
    about(at("05"), "Aus Nordrhein-Westfalen")
    about(at("05978"), "Aus dem Kreis")
    assert place_box(article) is None


def test_place_box_is_for_the_most_specific_place_of_the_article(register):
    article = about(at("05"), "Land und Stadt")
    article.municipalities.add(at("05978036"))
    about(at("05978036"), "Aus Unna")
    box = place_box(article)
    assert box.heading == "Mehr aus der Stadt Unna"
    assert [item.title for item in box.articles] == ["Aus Unna"]


def test_place_box_prefers_a_place_to_an_organisation(register):
    krz = make_municipality("krz", kind="other")
    article = about(krz, "Rechenzentrum im Kreis")
    article.municipalities.add(at("05978"))
    about(at("05978"), "Aus dem Kreis")
    assert place_box(article).heading == "Mehr aus dem Kreis Unna"


def test_place_box_costs_the_same_queries_for_any_number_of_articles(register):
    kreis = at("05978")
    article = about(kreis, "Dieser")
    about(kreis, "Eine")
    article = Article.objects.prefetch_related("municipalities", "tags").get(pk=article.pk)
    with CaptureQueriesContext(connection) as one:
        related_sidebars(article)
    for day in range(1, 25):
        about(at("05978036"), f"Unna {day}", published_at=berlin(2022, 1, day))
    with CaptureQueriesContext(connection) as many:
        boxes = related_sidebars(article)
    assert len(boxes[0].articles) == 5
    # Read afresh: the kept lists' versions, the places below, the links of the place
    # and below it, the list, when the next article is scheduled.
    # (Inside the test's transaction nothing is kept: tests/test_kept_lists.py.)
    # (when the next article is scheduled is asked once per content version.)
    assert len(many) <= len(one) <= 5


# --- Tags that name a place; embeds; filters --------------------------------------------


def test_tag_naming_a_register_place_links_to_its_page(client, register):
    article = about(at("05978036"), "Aus Unna")
    article.tags.add("Kreis Unna")
    text = client.get("/themen/kreis-unna/").text
    assert '<a href="/kommunen/kreis-unna/">Alle Nachrichten aus dem Kreis Unna</a>' in text


def test_tag_naming_no_place_links_to_none(client, register):
    make_article(title="OZG").tags.add("OZG")
    response = client.get("/themen/ozg/")
    assert response.context["tag_place"] is None
    assert 'class="tag-place"' not in response.text


def test_tag_naming_a_place_without_news_links_to_none(client, register):
    make_article(title="Über Görlitz, ohne Ort").tags.add("Landkreis Görlitz")
    assert client.get("/themen/landkreis-goerlitz/").context["tag_place"] is None


def test_tag_page_query_count_is_constant(client, register, django_assert_max_num_queries):
    for day in range(1, 12):
        about(at("05978036"), f"Aus Unna {day}", published_at=berlin(2022, 1, day)).tags.add(
            "Kreis Unna"
        )
    with CaptureQueriesContext(connection) as queries:
        client.get("/themen/kreis-unna/")
    about(at("05978"), "Noch eine").tags.add("Kreis Unna")
    with django_assert_max_num_queries(len(queries)):
        client.get("/themen/kreis-unna/")


def test_place_embed_heading_says_where_the_news_come_from(client, register):
    text = client.get("/einbetten/kommune/05978/").text
    assert "<title>Nachrichten aus dem Kreis Unna – " in text
    assert '<span class="label">Nachrichten</span> aus dem Kreis Unna</h1>' in text


def test_land_filter_gathers_everything_in_the_land(register):
    about(at("05978036"), "Aus Unna")
    about(at("09"), "Aus Bayern")
    found = ArticleFilter({"land": "nordrhein-westfalen"}, queryset=Article.objects.published())
    assert [article.title for article in found.qs] == ["Aus Unna"]


def test_municipality_filter_of_a_land_reaches_its_gemeinden(register):
    about(at("05978036"), "Aus Unna")
    about(at("09"), "Aus Bayern")
    found = ArticleFilter({"kommune": "nordrhein-westfalen"}, queryset=Article.objects.published())
    assert [article.title for article in found.qs] == ["Aus Unna"]
