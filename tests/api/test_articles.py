"""/api/v1/articles: the published articles, filtered and paged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleLink, Correction, Municipality, SlugRedirect, Tag
from tests.factories import berlin, make_article, make_section

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_list_gives_the_newest_first(api):
    older = make_article(published_at=berlin(2020, 1, 1))
    newer = make_article(published_at=berlin(2024, 1, 1))
    assert slugs(api("articles")) == [newer.slug, older.slug]


@pytest.mark.parametrize(
    "unpublished",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"published_at": timezone.now() + timedelta(hours=1)},  # scheduled
    ],
    ids=["draft", "review", "scheduled"],
)
def test_unpublished_articles_never_appear(api, unpublished):
    public = make_article()
    hidden = make_article(**unpublished)
    assert slugs(api("articles")) == [public.slug]
    assert api(f"articles/{hidden.slug}").status_code == 404


def test_item_carries_the_public_fields(api):
    section = make_section("Politik")
    article = make_article(
        kicker="Kreis Unna",
        title="Digitaler Masterplan",
        lead="Vorspann.",
        body=[
            {"type": "paragraph", "text": "Erster Absatz."},
            {"type": "intertitle", "text": "Zwischentitel"},
        ],
        author_initials="ve",
        section=section,
    )
    ArticleLink.objects.create(article=article, url="https://www.unna.de/", label="Unna")
    item = api(f"articles/{article.slug}").json()
    assert item["url"] == f"http://testserver/artikel/{article.slug}/"
    assert item["kicker"] == "Kreis Unna"
    assert item["body"][1] == {"type": "intertitle", "text": "Zwischentitel"}
    assert item["intertitles"] == ["Zwischentitel"]
    assert item["author"] == {"initials": "ve"}
    assert item["section"]["slug"] == section.slug
    assert item["links"] == [{"url": "https://www.unna.de/", "label": "Unna"}]
    assert item["published"] == "2019-07-08T12:00:00+02:00"


def test_item_has_no_editor_data(api):
    article = make_article()
    item = api(f"articles/{article.slug}").json()
    for private in ("status", "edited_fields", "source_files", "duplicate_key", "id"):
        assert private not in item


def test_label_only_link_has_no_url(api):
    article = make_article()
    ArticleLink.objects.create(article=article, label="Mehr Informationen (Deep Link)")
    assert api(f"articles/{article.slug}").json()["links"] == [
        {"url": None, "label": "Mehr Informationen (Deep Link)"}
    ]


def test_urls_come_from_the_site_address_not_the_host_header(api, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    article = make_article()
    item = api(f"articles/{article.slug}", host="localhost:1337").json()
    assert item["url"].startswith("https://news.example.org/")


def test_list_filters_by_section(api):
    politik = make_section("Politik")
    wanted = make_article(section=politik)
    make_article(section=make_section("Panorama"))
    assert slugs(api(f"articles?section={politik.slug}")) == [wanted.slug]


def test_list_filters_by_tag(api):
    tagged = make_article()
    tagged.tags.add("OZG")
    make_article()
    assert slugs(api("articles?tag=ozg")) == [tagged.slug]


def test_list_filters_by_kind_and_year(api):
    report = make_article(kind=Article.Kind.BERICHT, published_at=berlin(2023, 5, 1))
    make_article(kind=Article.Kind.BERICHT, published_at=berlin(2022, 5, 1))
    make_article(kind=Article.Kind.MELDUNG, published_at=berlin(2023, 5, 1))
    assert slugs(api("articles?kind=bericht&year=2023")) == [report.slug]


def test_municipality_filter_by_official_key_includes_the_places_below(api, register):
    unna = Municipality.objects.get(ags="05978")
    town = Municipality.objects.filter(parent=unna).first()
    about_kreis = make_article(published_at=berlin(2024, 1, 2))
    about_kreis.municipalities.add(unna)
    about_town = make_article(published_at=berlin(2024, 1, 1))
    about_town.municipalities.add(town)
    make_article().municipalities.add(Municipality.objects.get(ags="05111"))
    assert slugs(api("articles?municipality=05978")) == [about_kreis.slug, about_town.slug]
    assert slugs(api("articles?municipality=kreis-unna")) == [about_kreis.slug, about_town.slug]
    assert slugs(api(f"articles?municipality={town.ags}")) == [about_town.slug]


def test_land_filter_takes_slug_or_key(api, register):
    in_nrw = make_article()
    in_nrw.municipalities.add(Municipality.objects.get(ags="05978"))
    make_article().municipalities.add(Municipality.objects.get(ags="14"))
    assert slugs(api("articles?land=05")) == [in_nrw.slug]
    assert slugs(api("articles?land=nordrhein-westfalen")) == [in_nrw.slug]


def test_land_filter_refuses_a_place_that_is_no_land(api, register):
    response = api("articles?land=05978")
    assert response.status_code == 404
    assert "05978" in response.json()["detail"]


def test_unknown_section_is_a_problem_not_an_empty_list(api):
    response = api("articles?section=gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Einen Bereich „gibt-es-nicht“ gibt es nicht."


def test_since_and_until_bound_the_publication(api):
    make_article(published_at=berlin(2020, 1, 1))
    inside = make_article(published_at=berlin(2021, 6, 1))
    make_article(published_at=berlin(2022, 1, 1))
    assert slugs(api("articles?since=2021-01-01T00:00:00%2B01:00&until=2021-12-31")) == [
        inside.slug
    ]


def test_modified_since_finds_a_corrected_old_article(api):
    corrected = make_article(published_at=berlin(2015, 1, 1))
    Article.objects.filter(pk=corrected.pk).update(corrected_at=berlin(2024, 3, 1))
    make_article(published_at=berlin(2016, 1, 1))
    assert slugs(api("articles?modified_since=2024-01-01")) == [corrected.slug]


def test_corrections_are_listed_with_their_date(api):
    article = make_article()
    Correction.objects.create(
        article=article, note="Name berichtigt.", created_at=berlin(2024, 3, 1)
    )
    corrections = api(f"articles/{article.slug}").json()["corrections"]
    assert corrections == [{"note": "Name berichtigt.", "date": "2024-03-01T12:00:00+01:00"}]


def test_q_searches_the_full_text(api):
    hit = make_article(title="Onlinezugangsgesetz umgesetzt")
    make_article(title="Haushalt beschlossen")
    assert slugs(api("articles?q=onlinezugangsgesetz")) == [hit.slug]


def test_page_size_defaults_to_20(api):
    Article.objects.bulk_create(
        Article(
            kicker="K",
            title=f"Titel {n}",
            slug=f"titel-{n}",
            duplicate_key=f"k{n}",
            published_at=berlin(2020, 1, 1) + timedelta(days=n),
            status=Article.Status.PUBLISHED,
        )
        for n in range(25)
    )
    assert len(slugs(api("articles"))) == 20


@pytest.mark.parametrize("size", ["0", "101", "zwanzig"])
def test_page_size_outside_1_to_100_is_refused(api, size):
    response = api(f"articles?page_size={size}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "page_size"


def make_dated_articles(count: int, same_moment: bool = False) -> list[Article]:
    return [
        make_article(published_at=berlin(2020, 1, 1) + timedelta(days=0 if same_moment else n))
        for n in range(count)
    ]


@pytest.mark.parametrize("same_moment", [False, True], ids=["dated", "same-moment"])
def test_next_links_walk_every_article_once(api, same_moment):
    made = make_dated_articles(7, same_moment)
    seen, url = [], "articles?page_size=3"
    while url:
        page = api(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"] and page["next"].removeprefix("http://testserver/api/v1/")
    assert sorted(seen) == sorted(article.slug for article in made)
    assert len(seen) == len(set(seen)) == 7


def test_previous_link_returns_to_the_page_before(api):
    make_dated_articles(7)
    first = api("articles?page_size=3").json()
    second = api(first["next"].removeprefix("http://testserver/api/v1/")).json()
    back = api(second["previous"].removeprefix("http://testserver/api/v1/")).json()
    assert first["previous"] is None
    assert back["results"] == first["results"]


def test_last_page_has_no_next_link(api):
    make_dated_articles(3)
    assert api("articles?page_size=3").json()["next"] is None


def test_article_published_meanwhile_does_not_shift_the_next_page(api):
    make_dated_articles(6)
    first = api("articles?page_size=3").json()
    expected = api(first["next"].removeprefix("http://testserver/api/v1/")).json()["results"]
    make_article(published_at=berlin(2021, 1, 1))  # newer than all of them
    again = api(first["next"].removeprefix("http://testserver/api/v1/")).json()["results"]
    assert again == expected


@pytest.mark.parametrize(
    "cursor", ["kaputt", "eyJhZnRlciI6WzFdfQ", "eyJ4IjpbXX0", "eyJhZnRlciI6WyJ4IiwxXX0"]
)
def test_damaged_cursor_is_refused(api, cursor):
    response = api(f"articles?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"parameter": "cursor", "detail": "ist ungültig"}]


def test_unknown_parameter_is_refused_by_name(api):
    make_article()
    response = api("articles?bereich=politik")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [{"parameter": "bereich", "detail": "ist unbekannt"}]
    assert "Erlaubt sind:" in body["detail"]


def test_detail_refuses_query_parameters(api):
    article = make_article()
    assert api(f"articles/{article.slug}?page_size=3").status_code == 400


def test_old_slug_redirects_permanently_to_the_article(api):
    article = make_article()
    SlugRedirect.objects.create(old_slug="alter-name", article=article)
    response = api("articles/alter-name")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/articles/{article.slug}"


def test_tags_are_sorted_by_name(api):
    article = make_article()
    article.tags.add("Zensus", "amt", "OZG")
    assert [tag["name"] for tag in api(f"articles/{article.slug}").json()["tags"]] == [
        "amt",
        "OZG",
        "Zensus",
    ]
    assert Tag.objects.count() == 3


@pytest.fixture(params=["sparse", "dense"])
def link_density(request, monkeypatch):
    """Both plans of ArticleQuerySet.filed_in: through the links' index, or walking."""
    if request.param == "dense":
        monkeypatch.setattr("articles.models.SPARSE_LINKS", 0)


def test_tag_filter_finds_the_same_articles_either_way(api, link_density):
    tagged = [make_article(published_at=berlin(2020, 1, day)) for day in (1, 2)]
    for article in tagged:
        article.tags.add("OZG")
    make_article()
    assert slugs(api("articles?tag=ozg")) == [tagged[1].slug, tagged[0].slug]


def test_place_filter_finds_the_same_articles_either_way(api, register, link_density):
    unna = Municipality.objects.get(ags="05978")
    about = make_article()
    about.municipalities.add(Municipality.objects.filter(parent=unna).first())
    make_article().municipalities.add(Municipality.objects.get(ags="14626"))
    assert slugs(api("articles?municipality=05978")) == [about.slug]


def test_land_filter_finds_its_gemeinden_either_way(api, register, link_density):
    """A Land's articles are found by its key's prefix, four levels deep."""
    gemeinde = Municipality.objects.filter(ags__startswith="05978", kind="gemeinde").first()
    about_gemeinde = make_article(published_at=berlin(2020, 1, 2))
    about_gemeinde.municipalities.add(gemeinde)
    about_land = make_article(published_at=berlin(2020, 1, 1))
    about_land.municipalities.add(Municipality.objects.get(ags="05"))
    make_article().municipalities.add(Municipality.objects.get(ags="14626"))
    assert slugs(api("articles?municipality=05")) == [about_gemeinde.slug, about_land.slug]
