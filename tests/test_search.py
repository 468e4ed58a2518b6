"""Search that understands German, the same on SQLite and PostgreSQL."""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search
from articles.models import Article, Tag
from articles.search import search_articles
from articles.search.text import parse_query
from tests.factories import berlin, make_article, make_municipality, make_section
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    queryset = Article.objects.published() if queryset is None else queryset
    return [article.title for article in search_articles(query, queryset).queryset]


def page(client, query, **filters):
    return client.get("/suche/", {"q": query, **filters})


# --- German words ---------------------------------------------------------------------


def test_stemming_finds_the_singular_from_the_plural():
    make_article(title="Bürgeramt startet Videochat")
    make_article(title="Kommunalwahl im Mai")
    assert found("Videochats") == ["Bürgeramt startet Videochat"]
    assert found("Kommunalwahlen") == ["Kommunalwahl im Mai"]


@pytest.mark.parametrize("query", ["Görlitz", "goerlitz", "Gorlitz", "GÖRLITZ"])
def test_umlauts_are_found_however_they_are_typed(query):
    make_article(title="Görlitz digitalisiert das Rathaus")
    assert found(query) == ["Görlitz digitalisiert das Rathaus"]


def test_sharp_s_is_found_as_double_s():
    make_article(title="Neue Straße für Daten")
    assert found("strasse") == ["Neue Straße für Daten"]


def test_the_last_word_matches_as_a_prefix():
    make_article(title="Neue Digitalisierungsstrategie")
    assert found("Digitalisierungsstr") == ["Neue Digitalisierungsstrategie"]


@pytest.mark.parametrize("query", ["Wahl-O-Mat", "Software-Roboter", "E-Akte", "e-akte"])
def test_hyphenated_words_are_found(query):
    make_article(
        title="Drei Themen",
        lead="Der Wahl-O-Mat hilft, Software-Roboter entlasten, die E-Akte kommt.",
    )
    assert found(query) == ["Drei Themen"]


@pytest.mark.parametrize("query", ["E-Ak", "Software-Robo", "OZG Wahl-O-M"])
def test_a_hyphenated_last_word_matches_as_a_prefix_while_typing(query):
    make_article(title="OZG-Themen", lead="Der Wahl-O-Mat, Software-Roboter und die E-Akte.")
    assert found(query) == ["OZG-Themen"]


def test_hyphenated_words_in_umlaut_spelling_are_found():
    make_article(title="Das neue Bürger-Portal")
    assert found("Buerger-Portal") == ["Das neue Bürger-Portal"]


def test_every_word_of_the_query_must_match():
    make_article(title="OZG im Kreis Unna")
    make_article(title="OZG in Bayern")
    assert found("OZG Unna") == ["OZG im Kreis Unna"]


# --- What is searched, and how it is ranked --------------------------------------------


def test_body_tags_and_municipality_names_are_searched():
    in_body = make_article(title="Im Text", body=[{"type": "paragraph", "text": "Breitband."}])
    tagged = make_article(title="Verschlagwortet")
    tagged.tags.add("Glasfaser")
    placed = make_article(title="Verortet")
    placed.municipalities.add(make_municipality("Wertheim", kind="stadt"))
    assert found("Breitband") == [in_body.title]
    assert found("Glasfaser") == [tagged.title]
    assert found("Wertheim") == [placed.title]


def test_title_matches_rank_above_body_matches():
    make_article(
        title="Nebenbei erwähnt",
        body=[{"type": "paragraph", "text": "Auch ein Chatbot wird erwähnt."}],
        published_at=berlin(2024, 1, 1),
    )
    make_article(title="Chatbot im Bürgeramt", published_at=berlin(2019, 1, 1))
    assert found("Chatbot") == ["Chatbot im Bürgeramt", "Nebenbei erwähnt"]


def test_equally_relevant_results_are_newest_first():
    make_article(title="Cloud alt", published_at=berlin(2018, 1, 1))
    make_article(title="Cloud neu", published_at=berlin(2024, 1, 1))
    assert found("Cloud") == ["Cloud neu", "Cloud alt"]


def test_drafts_and_scheduled_articles_are_never_found_by_the_public(client):
    make_article(title="Cloud Entwurf", status=Article.Status.DRAFT)
    make_article(title="Cloud geplant", published_at=berlin(2099, 1, 1))
    response = page(client, "Cloud")
    assert response.context["paginator"].count == 0
    assert "Cloud Entwurf" not in response.text


# --- Keeping the index in step ---------------------------------------------------------


def test_an_edited_title_is_found_at_once():
    article = make_article(title="Alter Titel")
    article.title = "Glasfaserausbau"
    article.save()
    assert found("Glasfaserausbau") == ["Glasfaserausbau"]
    assert found("Titel") == []


def test_a_renamed_tag_is_found_under_its_new_name():
    article = make_article(title="Mit Stichwort")
    article.tags.add("Breitbnd")
    tag = Tag.objects.get(name="Breitbnd")
    tag.name = "Breitband"
    tag.save()
    assert found("Breitband") == ["Mit Stichwort"]


def test_merged_tags_are_found_under_the_surviving_tag():
    article = make_article(title="Zusammengeführt")
    article.tags.add("E-Akte alt")
    target = Tag.objects.create(name="Elektronische Akte")
    target.absorb([Tag.objects.get(name="E-Akte alt")])
    assert found("Elektronische Akte") == ["Zusammengeführt"]
    assert found("alt") == []


def test_imported_pages_are_searchable(settings, register):
    call_command("import_seeds", str(settings.SEEDS_DIR), stdout=StringIO())
    assert "Digitaler Masterplan" in found("Masterplan")
    assert "Digital mit Strategie" in found("Südwestfalen-IT")


def test_a_deleted_article_leaves_the_index():
    article = make_article(title="Gelöscht")
    article.delete()
    assert found("Gelöscht") == []


def test_rebuild_command_indexes_every_article():
    make_article(title="Neu aufgebaut")
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt: 1 articles" in out.getvalue()
    assert found("aufgebaut") == ["Neu aufgebaut"]


# --- The results page -----------------------------------------------------------------


def test_results_page_shows_count_and_marked_snippets(client):
    make_article(title="Videochat", lead="Das Bürgeramt bietet jetzt einen Videochat an.")
    response = page(client, "videochat")
    assert "1 Treffer" in response.text
    assert "<mark>Videochat</mark>" in response.text


def test_snippets_escape_imported_markup_and_the_query(client):
    make_article(title="Markup", lead="<script>alert(1)</script> Cloud <b>fett</b>")
    text = page(client, "Cloud <script>").text
    assert "<script>alert(1)" not in text
    assert "<b>fett</b>" not in text
    assert "&lt;script&gt;" in text


def test_results_combine_with_section_land_and_year_filters(client):
    politik = make_section("Politik")
    nrw = make_municipality("Nordrhein-Westfalen", kind="land", slug="nrw")
    wanted = make_article(title="Cloud NRW", section=politik, published_at=berlin(2021, 3, 1))
    wanted.municipalities.add(nrw)
    make_article(title="Cloud woanders", section=politik, published_at=berlin(2021, 3, 1))
    make_article(title="Cloud anderes Jahr", section=politik, published_at=berlin(2022, 3, 1))
    response = page(client, "Cloud", bereich="politik", land="nrw", jahr="2021")
    assert [a.title for a in response.context["articles"]] == ["Cloud NRW"]


def test_results_are_paginated_with_the_query_kept(client):
    for day in range(1, 23):
        make_article(title=f"Cloud {day}", published_at=berlin(2020, 1, day))
    response = page(client, "Cloud")
    assert len(response.context["articles"]) == 20
    assert "q=Cloud" in response.text.split('rel="next"')[1][:80]


def test_search_pages_are_labelled_for_results_not_dates(client):
    for day in range(1, 23):
        make_article(title=f"Cloud {day}", published_at=berlin(2020, 1, day))
    text = page(client, "Cloud").text
    assert "Weitere Treffer »" in text
    assert "Ältere" not in text


def test_count_and_ranking_stop_at_the_window_of_the_newest_hits(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    make_article(title="Chatbot im Titel", published_at=berlin(2018, 1, 1))
    for year in (2023, 2024):
        body = [{"type": "paragraph", "text": "Ein Chatbot wird erwähnt."}]
        make_article(title=f"Nebenbei {year}", body=body, published_at=berlin(year, 1, 1))
    response = page(client, "Chatbot")
    assert response.context["paginator"].count == 2
    assert [a.title for a in response.context["articles"]] == ["Nebenbei 2024", "Nebenbei 2023"]
    assert "Mehr als 2 Treffer für „Chatbot“" in response.text


def test_within_the_window_relevance_comes_before_recency(monkeypatch):
    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    body = [{"type": "paragraph", "text": "Ein Chatbot wird erwähnt."}]
    for year in (2010, 2024, 2025):
        make_article(title=f"Erwähnt {year}", body=body, published_at=berlin(year, 1, 1))
    make_article(title="Chatbot im Titel", published_at=berlin(2018, 1, 1))
    assert found("Chatbot") == ["Chatbot im Titel", "Erwähnt 2025", "Erwähnt 2024"]


def test_a_filtered_search_counts_within_its_filter(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    for year in (2019, 2020, 2021, 2022):
        make_article(title=f"Cloud {year}", published_at=berlin(year, 6, 1))
    response = page(client, "Cloud", jahr="2020")
    assert response.context["paginator"].count == 1
    assert "Mehr als" not in response.text


def test_search_page_query_count_does_not_grow_with_hits(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # counts what rendering costs; see test_page_cache

    def queries_for_search():
        with queries_from_cold() as queries:
            page(client, "Cloud")
        return len(queries)

    make_article(title="Cloud 0", published_at=berlin(2020, 2, 1), section=make_section())
    with_one = queries_for_search()
    for day in range(1, 30):
        make_article(title=f"Cloud {day}", published_at=berlin(2020, 1, day))
    assert queries_for_search() == with_one <= 8


def test_a_query_without_words_gets_a_helpful_page(client):
    response = page(client, "*** ??? ---")
    assert response.status_code == 200
    assert "kein Wort, nach dem sich suchen lässt" in response.text


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "OR AND NOT",
        "NEAR(a b)",
        "a:* & !b | <->",
        "*",
        "title:Cloud",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "Ä" * 2000,
        "x" * 2000,
        "\x00\x01",
        "🙂 Görlitz",
    ],
)
def test_anything_a_user_can_type_gives_a_page(client, query):
    make_article(title="Cloud")
    assert page(client, query).status_code == 200


def test_postgres_keeps_each_search_vector_inside_its_row():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 table stores its own index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage, attcompression FROM pg_attribute "
            "WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m", "l")  # main storage, lz4


def test_postgres_sorts_the_window_without_the_vectors():
    """Carrying each match's vector through the date sort spilled it to disk."""
    if connection.vendor != "postgresql":
        pytest.skip("the window query of the PostgreSQL backend")
    for number in range(3):
        make_article(title=f"Smart City {number}")
    with CaptureQueriesContext(connection) as queries:
        search.backend().newest_hits(Article.objects.published(), parse_query("Smart City"), 10)
    (window_sql,) = [query["sql"] for query in queries if "ts_rank" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE) {window_sql}")
        plan = [line for (line,) in cursor.fetchall()]
    sorted_outputs = [
        output
        for node, output in itertools.pairwise(plan)
        if "Sort" in node and "Output:" in output
    ]
    assert sorted_outputs
    assert not any("articles_article.search_vector" in output for output in sorted_outputs)
