from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.factories import berlin, make_article, make_municipality, make_section
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.content == b"ok"


def test_home_lists_published_articles_with_german_dates(client):
    make_article(title="Digitaler Masterplan", published_at=berlin(2019, 7, 8))
    response = client.get("/")
    assert response.status_code == 200
    assert "Digitaler Masterplan" in response.text
    assert "8. Juli 2019" in response.text


def test_home_hides_drafts_and_scheduled_articles(client):
    make_article(title="Entwurf", status=Article.Status.DRAFT)
    make_article(title="Geplant", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/")
    assert "Entwurf" not in response.text
    assert "Geplant" not in response.text


def test_archive_is_paginated_by_twenty(client):
    for day in range(1, 23):
        make_article(published_at=berlin(2020, 1, day))
    assert len(client.get("/archiv/").context["articles"]) == 20
    assert len(client.get("/archiv/?page=2").context["articles"]) == 2


def test_article_page_shows_body_with_intertitles_as_headings(client):
    article = make_article(
        body=[
            {"type": "paragraph", "text": "Erster Absatz."},
            {"type": "intertitle", "text": "IT-Sicherheit verstärkt"},
        ],
        author_initials="bs",
    )
    response = client.get(article.get_absolute_url())
    assert "<h2>IT-Sicherheit verstärkt</h2>" in response.text
    assert "(bs)" in response.text


def test_article_page_of_a_draft_is_not_found(client):
    article = make_article(status=Article.Status.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_imported_text_is_escaped(client):
    article = make_article(title="<script>alert(1)</script>", lead="<b>fett</b>")
    text = client.get(article.get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;" in text
    assert "<b>fett</b>" not in text


def test_section_page_lists_only_its_articles(client):
    politik, praxis = make_section("Politik"), make_section("Praxis")
    make_article(title="Aus der Politik", section=politik)
    make_article(title="Aus der Praxis", section=praxis)
    text = client.get(politik.get_absolute_url()).text
    assert "Aus der Politik" in text
    assert "Aus der Praxis" not in text


def test_tag_page_lists_tagged_articles(client):
    tagged = make_article(title="Mit OZG")
    tagged.tags.add("OZG")
    make_article(title="Ohne Stichwort")
    text = client.get("/themen/ozg/").text
    assert "Mit OZG" in text
    assert "Ohne Stichwort" not in text


def test_municipality_page_shows_its_parent_chain(client):
    land = make_municipality("Nordrhein-Westfalen", kind="land")
    kreis = make_municipality("Kreis Unna", kind="kreis", parent=land)
    town = make_municipality("Unna", kind="stadt", parent=kreis)
    make_article(title="Aus Unna").municipalities.add(town)
    text = client.get(town.get_absolute_url()).text
    assert "Aus Unna" in text
    assert "Kreis Unna" in text
    assert "Nordrhein-Westfalen" in text


def test_unknown_section_is_not_found(client):
    assert client.get("/bereiche/gibt-es-nicht/").status_code == 404


def test_every_page_carries_the_register_credit(client):
    assert settings.MUNICIPAL_REGISTER_CREDIT in client.get("/").text
    assert settings.MUNICIPAL_REGISTER_CREDIT in client.get("/impressum/").text


def test_list_query_count_does_not_grow_with_rows(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # counts what rendering costs; see test_page_cache
    section = make_section("Politik")

    def queries_for_home():
        with queries_from_cold() as queries:
            client.get("/")
        return len(queries)

    make_article(published_at=berlin(2020, 2, 1), section=section)
    with_one = queries_for_home()
    for day in range(1, 21):
        make_article(published_at=berlin(2020, 1, day), section=section)
    assert queries_for_home() == with_one <= 6
