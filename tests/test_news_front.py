"""The home page as a news front; the filterable list in the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.public.front import SECTION_BLOCK_SIZE, TOPIC_WINDOW
from tests.factories import berlin, make_article, make_section
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the tests count what rendering costs


def front(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.context["front"]


def titles(articles):
    return [article.title for article in articles]


def test_lead_story_is_the_newest_full_article(client):
    make_article(title="Älter, aber vollständig", published_at=berlin(2024, 5, 13))
    make_article(title="Nur ein Anreißer", teaser_only=True, published_at=berlin(2024, 5, 14))
    assert front(client).lead.title == "Älter, aber vollständig"


def test_lead_story_is_shown_with_its_lead_and_german_date(client):
    make_article(
        title="Digitaler Masterplan", lead="Der Kreis baut um.", published_at=berlin(2024, 5, 14)
    )
    text = client.get("/").text
    assert (
        'id="lead-story-title"><a href="/artikel/digitaler-masterplan/">Digitaler Masterplan</a>'
        in text
    )
    assert "Der Kreis baut um." in text
    assert "14. Mai 2024" in text


def test_newest_list_follows_the_lead_story_newest_first(client):
    for day in range(1, 5):
        make_article(title=f"Meldung vom {day}.", published_at=berlin(2024, 5, day))
    response = client.get("/")
    assert response.context["front"].lead.title == "Meldung vom 4."
    assert titles(response.context["front"].newest) == [
        "Meldung vom 3.",
        "Meldung vom 2.",
        "Meldung vom 1.",
    ]
    assert "Neueste Meldungen" in response.text


def test_front_leaves_out_teaser_only_articles(client):
    politik = make_section("Politik")
    make_article(title="Voller Text", section=politik)
    make_article(
        title="Nur Anreißer", section=politik, teaser_only=True, published_at=berlin(2024, 1, 1)
    )
    assert "Nur Anreißer" not in client.get("/").text


def test_front_hides_drafts_and_scheduled_articles(client):
    make_article(title="Öffentlich")
    make_article(title="Entwurf", status=Article.Status.DRAFT, published_at=berlin(2024, 1, 1))
    make_article(title="Geplant", published_at=berlin(2099, 1, 1))
    text = client.get("/").text
    assert "Öffentlich" in text
    assert "Entwurf" not in text
    assert "Geplant" not in text


def test_each_section_block_shows_its_newest_articles_not_shown_above(client):
    politik, praxis = make_section("Politik"), make_section("Praxis")
    for day in range(1, 16):
        make_article(title=f"Politik {day:02}", section=politik, published_at=berlin(2024, 3, day))
    make_article(title="Praxis alt", section=praxis, published_at=berlin(2020, 1, 1))
    blocks = {block.section.name: titles(block.articles) for block in front(client).section_blocks}
    # Politik 15 leads, 14 … 7 are the newest list (Praxis is older than all of them).
    assert blocks["Politik"] == ["Politik 06", "Politik 05", "Politik 04", "Politik 03"]
    assert len(blocks["Politik"]) == SECTION_BLOCK_SIZE
    assert blocks["Praxis"] == ["Praxis alt"]


def test_section_block_links_to_its_section_page(client):
    praxis = make_section("Praxis")
    for day in range(1, 12):
        make_article(section=praxis, published_at=berlin(2024, 3, day))
    text = client.get("/").text
    assert '<a href="/bereiche/praxis/">Mehr aus dem Bereich Praxis</a>' in text


def test_section_without_articles_gets_no_block(client):
    make_section("Leer")
    politik = make_section("Politik")
    for day in range(1, 13):
        make_article(section=politik, published_at=berlin(2024, 3, day))
    assert [block.section.name for block in front(client).section_blocks] == ["Politik"]
    assert "Mehr aus dem Bereich Leer" not in client.get("/").text


def test_topics_are_the_busiest_tags_of_recent_articles_without_section_names(client):
    make_section("Politik")
    for day in range(1, 4):
        make_article(published_at=berlin(2024, 5, day)).tags.add("OZG", "Politik")
    make_article(published_at=berlin(2024, 5, 4)).tags.add("Breitband")
    topics = [tag.name for tag in front(client).topics]
    assert topics == ["OZG", "Breitband"]
    assert '<a href="/themen/ozg/">OZG</a>' in client.get("/").text


def test_topics_count_only_the_newest_window_of_articles(client):
    make_article(published_at=berlin(2010, 1, 1)).tags.add("Altes Thema")
    Article.objects.bulk_create(
        Article(
            kicker="Kreis",
            title=f"Neu {number}",
            slug=f"neu-{number}",
            duplicate_key=f"neu-{number}",
            published_at=berlin(2024, 1, 1, minute=number % 60),
            status=Article.Status.PUBLISHED,
        )
        for number in range(TOPIC_WINDOW)
    )
    assert "Altes Thema" not in [tag.name for tag in front(client).topics]


def test_front_escapes_imported_text(client):
    make_article(title="<script>alert(1)</script>", kicker="<b>Kreis</b>")
    text = client.get("/").text
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>Kreis</b>" not in text


def test_front_says_so_when_nothing_is_published(client):
    assert "Noch keine Artikel veröffentlicht." in client.get("/").text


def test_front_links_to_the_archive(client):
    for day in range(1, 4):
        make_article(published_at=berlin(2024, 5, day))
    assert '<a href="/archiv/">Alle Meldungen im Archiv</a>' in client.get("/").text


def queries_for_front(client) -> int:
    with queries_from_cold() as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def make_archive(count, sections):
    tags = ["OZG", "Breitband", "Open Data", "E-Akte"]
    for number in range(count):
        article = make_article(
            section=sections[number % len(sections)],
            published_at=berlin(2020 + number % 5, 1 + number % 12, 1 + number % 28),
            teaser_only=number % 7 == 0,
        )
        article.tags.add(tags[number % len(tags)])


def test_front_query_count_is_the_same_for_20_and_200_articles(
    client, django_assert_max_num_queries
):
    sections = [make_section(f"Bereich {letter}") for letter in "ABCDE"]
    make_archive(20, sections)
    with_20 = queries_for_front(client)
    make_archive(180, sections)
    with django_assert_max_num_queries(with_20):
        assert queries_for_front(client) == with_20
    assert with_20 <= 7


def test_front_reads_the_sections_once(client):
    make_article(section=make_section("Politik"))
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    from_sections = [q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_section"')]
    assert len(from_sections) == 1


def test_every_front_query_is_limited(client):
    sections = [make_section(f"Bereich {letter}") for letter in "ABC"]
    make_archive(30, sections)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    article_queries = [q["sql"] for q in queries if '"articles_article"' in q["sql"]]
    assert article_queries
    for sql in article_queries:
        assert "LIMIT" in sql, sql


# --- The archive keeps the filterable list --------------------------------------------


def listed_titles(response):
    return [article.title for article in response.context["articles"]]


def test_archive_offers_the_filters_in_a_closed_details_box(client):
    make_article()
    text = client.get("/archiv/").text
    assert '<details class="filter-box">' in text
    assert "<summary>Filter" in text
    assert 'action="/archiv/"' in text


def test_archive_opens_the_filter_box_when_a_filter_is_set(client):
    make_article(section=make_section("Politik"))
    assert '<details class="filter-box" open>' in client.get("/archiv/?bereich=politik").text


def test_archive_page_number_alone_keeps_the_filter_box_closed(client):
    for day in range(1, 23):
        make_article(published_at=berlin(2020, 1, day))
    assert '<details class="filter-box">' in client.get("/archiv/?page=2").text


def test_archive_filters_by_section(client):
    politik = make_section("Politik")
    make_article(title="Politisch", section=politik)
    make_article(title="Praktisch", section=make_section("Praxis"))
    assert listed_titles(client.get("/archiv/?bereich=politik")) == ["Politisch"]


def test_archive_keeps_all_years_while_filtered(client):
    politik = make_section("Politik")
    make_article(title="Politik 2019", section=politik, published_at=berlin(2019, 7, 8))
    make_article(
        title="Praxis 2021", section=make_section("Praxis"), published_at=berlin(2021, 5, 1)
    )
    text = client.get("/archiv/?bereich=politik").text
    assert 'href="/archiv/2019/"' in text
    assert 'href="/archiv/2021/"' in text


def test_archive_lists_teaser_only_articles_too(client):
    make_article(title="Nur Anreißer", teaser_only=True)
    assert listed_titles(client.get("/archiv/")) == ["Nur Anreißer"]


@pytest.mark.parametrize(
    "query",
    ["bereich=politik", "land=bayern&jahr=2021", "thema=ozg&art=bericht", "kommune=unna", "page=2"],
)
def test_old_home_filter_urls_lead_to_the_archive_with_the_same_query(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 301
    assert response["Location"] == f"/archiv/?{query}"


def test_old_home_filter_url_reaches_the_filtered_list(client):
    make_article(title="Politisch", section=make_section("Politik"))
    make_article(title="Praktisch", section=make_section("Praxis"))
    response = client.get("/?bereich=politik", follow=True)
    assert listed_titles(response) == ["Politisch"]


def test_other_query_strings_keep_the_front(client):
    make_article(title="Vorne")
    response = client.get("/?utm_source=newsletter")
    assert response.status_code == 200
    assert response.context["front"].lead.title == "Vorne"
