"""Precise invalidation: a write makes stale the pages that show what it changed, and
no others (articles.cache.keys, articles.cache.triggers)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache import keys, purge
from articles.cache.content_version import articles_changed_since, current_version
from articles.models import Article, CacheKey, Municipality, Tag
from tests.factories import make_article, make_municipality, make_section

# Committed writes, as in production: on PostgreSQL the version rises once per transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def served_from_cache(client, url: str) -> bool:
    """Whether `url` is answered from the page cache: one query (the freshness lookup
    of its keys) and no rendering."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) == 1


def cached(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert served_from_cache(client, url), url


def keys_raised_by(write) -> set[str]:
    """The keys that `write` made stale."""
    before = current_version()
    write()
    return set(CacheKey.objects.filter(version__gt=before).values_list("key", flat=True))


def old_article(**fields):
    return make_article(published_at=timezone.now() - timedelta(days=900), **fields)


def newest_articles(count: int, **fields):
    return [
        make_article(published_at=timezone.now() - timedelta(minutes=n), **fields)
        for n in range(count)
    ]


# --- Pages ---------------------------------------------------------------------------


def test_edit_to_an_old_article_leaves_the_home_page_cached(client):
    newest_articles(25)
    old = old_article(title="Alter Beschluss")
    cached(client, "/", old.get_absolute_url())
    old.title = "Korrigierter Beschluss"
    old.save()
    assert served_from_cache(client, "/")
    assert "Korrigierter Beschluss" in client.get(old.get_absolute_url()).text


def test_edit_makes_the_list_page_that_shows_the_article_stale(client):
    section = make_section("Digitalisierung")
    article = make_article(section=section, title="Alter Titel")
    url = section.get_absolute_url()
    cached(client, url)
    Article.objects.filter(pk=article.pk).update(title="Neuer Titel")
    assert "Neuer Titel" in client.get(url).text


def test_edit_makes_the_article_pages_whose_sidebar_shows_it_stale(client):
    section = make_section()
    shown, reader = make_article(section=section, title="Im Kasten"), make_article(section=section)
    unrelated = make_article(section=make_section())
    cached(client, reader.get_absolute_url(), unrelated.get_absolute_url())
    Article.objects.filter(pk=shown.pk).update(title="Im Kasten, berichtigt")
    assert "Im Kasten, berichtigt" in client.get(reader.get_absolute_url()).text
    assert served_from_cache(client, unrelated.get_absolute_url())


def test_publishing_makes_its_section_page_stale_and_leaves_another_section_cached(client):
    news, other = make_section(), make_section()
    make_article(section=news), make_article(section=other)
    draft = make_article(section=news, status=Article.Status.DRAFT, title="Frisch freigegeben")
    cached(client, news.get_absolute_url(), other.get_absolute_url())
    Article.objects.filter(pk=draft.pk).set_status(Article.Status.PUBLISHED)
    assert "Frisch freigegeben" in client.get(news.get_absolute_url()).text
    assert served_from_cache(client, other.get_absolute_url())


def test_tagging_an_article_makes_that_tag_page_stale_and_leaves_another_cached(client):
    article, other = make_article(title="Neu verschlagwortet"), make_article()
    article.tags.add("OZG")
    other.tags.add("Breitband")
    ozg, breitband = (Tag.objects.get(name=n).get_absolute_url() for n in ("OZG", "Breitband"))
    cached(client, ozg, breitband)
    make_article(title="Zweiter zum OZG").tags.add("OZG")
    assert "Zweiter zum OZG" in client.get(ozg).text
    assert served_from_cache(client, breitband)


def test_filing_under_a_gemeinde_makes_its_kreis_page_stale(client):
    kreis = make_municipality("Kreis Unna", kind=Municipality.Kind.KREIS, ags="05978")
    gemeinde = make_municipality(
        "Schwerte", kind=Municipality.Kind.STADT, ags="05978032", parent=kreis
    )
    make_article().municipalities.add(kreis)
    cached(client, kreis.get_absolute_url())
    make_article(title="Schwerte digital").municipalities.add(gemeinde)
    assert "Schwerte digital" in client.get(kreis.get_absolute_url()).text


def test_unrelated_place_page_stays_cached_when_an_article_is_filed(client):
    unna = make_municipality("Kreis Unna", kind=Municipality.Kind.KREIS, ags="05978")
    soest = make_municipality("Kreis Soest", kind=Municipality.Kind.KREIS, ags="05974")
    make_article().municipalities.add(soest)
    cached(client, soest.get_absolute_url())
    make_article().municipalities.add(unna)
    assert served_from_cache(client, soest.get_absolute_url())


def test_renamed_tag_shows_on_the_cached_article_page(client):
    article = make_article()
    article.tags.add("Videochat")
    cached(client, article.get_absolute_url())
    Tag.objects.filter(name="Videochat").update(name="Videokonferenz")
    assert "Videokonferenz" in client.get(article.get_absolute_url()).text


def rendered(client, url: str) -> bool:
    """Whether `url` was rendered for this request rather than served as stored."""
    response = client.get(url)
    assert response.status_code == 200
    return bool(response.templates)


def test_search_results_are_made_stale_by_an_edit_that_makes_an_article_match(client):
    article = make_article(title="Breitband im Kreis")
    url = "/suche/?q=Glasfaser"
    cached(client, url)
    article.title = "Glasfaser im Kreis"
    article.save()  # the search index follows saves
    assert "Glasfaser im Kreis" in client.get(url).text


def cached_search_then_an_edit_elsewhere(client) -> str:
    """A stored results page, then an edit to an article it neither shows nor finds."""
    make_article(title="Glasfaser im Kreis")
    other = old_article(title="Breitband im Kreis")
    url = "/suche/?q=Glasfaser"
    cached(client, url)
    other.title = "Breitband in der Stadt"
    other.save()
    return url


def test_search_results_stay_cached_across_an_edit_they_neither_show_nor_match(client):
    url = cached_search_then_an_edit_elsewhere(client)
    assert not rendered(client, url)


def test_search_results_are_made_stale_when_a_counted_article_stops_matching(client):
    newest_articles(20, title="Glasfaser im Kreis")
    counted = old_article(title="Glasfaser im Dorf")  # beyond the first page of 20
    url = "/suche/?q=Glasfaser"
    client.get(url)
    assert "21 Treffer" in client.get(url).text
    counted.title = "Breitband im Dorf"
    counted.save()
    assert "20 Treffer" in client.get(url).text


def test_a_search_page_is_rendered_again_when_too_many_articles_changed(client, monkeypatch):
    from articles.public.views import SearchView

    monkeypatch.setattr(SearchView, "RECHECK_MOST", 1)
    make_article(title="Glasfaser im Kreis")
    others = [old_article(title=f"Breitband {n}") for n in range(2)]
    url = "/suche/?q=Glasfaser"
    cached(client, url)
    Article.objects.filter(pk__in=[a.pk for a in others]).update(lead="Neu.")  # two, no lists
    assert rendered(client, url)


def test_a_search_page_rechecked_after_an_edit_is_served_with_one_query_again(client):
    url = cached_search_then_an_edit_elsewhere(client)
    assert not rendered(client, url)  # rechecked: the edit changed nothing it found
    assert served_from_cache(client, url)


def test_search_pages_tell_http_caches_that_any_article_edit_makes_them_stale(client, settings):
    settings.HTTP_CACHE_PURGE = ["http://127.0.0.1:6081/"]
    make_article(title="Glasfaser im Kreis")
    response = client.get("/suche/?q=Glasfaser")
    assert keys.ANY_ARTICLE in response["xkey"].split()


# --- What each write makes stale ---------------------------------------------------


def test_text_edit_raises_only_the_article_and_any_article():
    article = make_article()
    raised = keys_raised_by(lambda: Article.objects.filter(pk=article.pk).update(lead="Neu."))
    assert raised == {keys.article(article.pk), keys.ANY_ARTICLE}


def test_moving_an_article_raises_the_lists_of_both_sections():
    before, after = make_section(), make_section()
    article = make_article(section=before)
    raised = keys_raised_by(lambda: Article.objects.filter(pk=article.pk).update(section=after))
    assert {keys.section_list(before.pk), keys.section_list(after.pk), keys.ALL_LISTS} <= raised


def test_publishing_raises_the_lists_of_its_tags_and_places():
    place = make_municipality()
    article = make_article(status=Article.Status.DRAFT)
    article.tags.add("OZG")
    article.municipalities.add(place)
    tag = Tag.objects.get(name="OZG")
    raised = keys_raised_by(lambda: Article.objects.filter(pk=article.pk).set_status("published"))
    assert {keys.tag_list(tag.pk), keys.place_list(place.pk)} <= raised


def test_filing_raises_the_lists_of_the_place_and_every_place_above_it():
    land = make_municipality(kind=Municipality.Kind.LAND, ags="05")
    bezirk = make_municipality(kind=Municipality.Kind.REGIERUNGSBEZIRK, ags="059", land=land)
    kreis = make_municipality(kind=Municipality.Kind.KREIS, ags="05978", parent=bezirk, land=land)
    verband = make_municipality(kind=Municipality.Kind.GEMEINDEVERBAND, parent=kreis, land=land)
    gemeinde = make_municipality(
        kind=Municipality.Kind.GEMEINDE, ags="05978004", parent=verband, land=land
    )
    article = make_article()
    raised = keys_raised_by(lambda: article.municipalities.add(gemeinde))
    expected = {keys.place_list(p.pk) for p in (land, bezirk, kreis, verband, gemeinde)}
    assert expected <= raised
    assert keys.article(article.pk) in raised


def test_search_index_update_raises_no_key():
    article = make_article()
    raised = keys_raised_by(
        lambda: Article.objects.filter(pk=article.pk).update(edited_fields=["title"])
    )
    assert raised == set()


def test_bulk_update_raises_every_article_it_touched():
    articles = [make_article() for _ in range(3)]
    raised = keys_raised_by(lambda: Article.objects.update(kicker="Neu"))
    assert {keys.article(a.pk) for a in articles} <= raised


def test_raw_sql_update_raises_the_article_through_the_triggers():
    article = make_article()

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_article SET title = %s WHERE id = %s", ["X", article.pk]
            )

    assert keys.article(article.pk) in keys_raised_by(raw_update)


def test_rolled_back_write_raises_no_key():
    from django.db import transaction

    article = make_article()
    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Verworfen")
        raise RuntimeError
    assert not CacheKey.objects.filter(version__gt=before).exists()


# --- What a page carries ----------------------------------------------------------


def test_page_naming_many_articles_carries_the_coarse_key_instead():
    collected = {keys.article(n) for n in range(keys.MAX_KEYS_OF_A_KIND["a"][0] + 1)}
    assert keys.page_keys(collected) == sorted({keys.SITE, keys.ALL_LISTS, keys.ANY_ARTICLE})


def test_page_that_names_its_lists_does_not_depend_on_all_lists():
    with keys.collecting() as collected:
        keys.only_lists(keys.section_list(3))
    assert keys.page_keys(collected) == ["ls3", "site"]


def test_public_page_names_its_keys_to_the_http_cache(client, settings):
    settings.HTTP_CACHE_PURGE = ["http://127.0.0.1:6081/"]
    section = make_section()
    article = make_article(section=section)
    article.tags.add("OZG")
    response = client.get(article.get_absolute_url())
    carried = set(response["xkey"].split())
    tag = Tag.objects.get(name="OZG")
    assert {keys.article(article.pk), keys.tag(tag.pk), keys.section_list(section.pk)} <= carried
    assert keys.tag_list(tag.pk) in carried
    assert keys.ALL_LISTS not in carried
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Surrogate-Control"].startswith("max-age=")


def test_proxy_keeps_a_page_no_longer_than_until_the_next_scheduled_article(client, settings):
    settings.HTTP_CACHE_PURGE = ["http://127.0.0.1:6081/"]
    make_article(published_at=timezone.now() + timedelta(seconds=90))
    make_article()
    max_age = int(client.get("/")["Surrogate-Control"].removeprefix("max-age="))
    assert 80 <= max_age <= 90


def test_keys_are_not_sent_without_an_http_cache_in_front(client):
    make_article()
    assert not client.get("/").has_header("xkey")


def test_logged_in_editor_gets_no_keys(client, settings, django_user_model):
    settings.HTTP_CACHE_PURGE = ["http://127.0.0.1:6081/"]
    article = make_article()
    client.force_login(django_user_model.objects.create_user("redaktion", is_staff=True))
    assert not client.get(article.get_absolute_url()).has_header("xkey")


def test_tagging_makes_the_api_tag_counts_stale(client):
    make_article().tags.add("OZG")
    cached(client, "/api/v1/tags")
    make_article().tags.add("OZG")
    assert served_from_cache(client, "/api/v1/tags") is False


def test_correction_makes_the_sitemap_index_stale(client):
    article = make_article()
    cached(client, "/sitemap.xml")
    Article.objects.filter(pk=article.pk).update(corrected_at=timezone.now())
    assert served_from_cache(client, "/sitemap.xml") is False


def test_head_request_stores_nothing_for_the_get_after_it(client):
    make_article()
    client.head("/")
    assert served_from_cache(client, "/") is False


def test_version_never_goes_back_below_a_key_when_the_counter_row_is_gone():
    from articles.models import ContentVersion

    article = make_article()
    newest = max(CacheKey.objects.values_list("version", flat=True))
    ContentVersion.objects.all().delete()
    assert current_version() == newest
    Article.objects.filter(pk=article.pk).update(title="Neu")
    assert CacheKey.objects.get(key=keys.article(article.pk)).version > newest


# --- Reading what changed --------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda version: articles_changed_since(version, most=200),
        lambda version: purge.changed_after(version),
    ],
    ids=["search recheck", "purge worker"],
)
def test_what_changed_since_a_version_is_read_in_the_version_index_order(read):
    """In the keys' default order (by key) SQLite read the keys' own index whole for
    them at 100,000 articles: 40 ms for each search page rechecked after a save, and as
    long for each round of the purge worker (bench/newsday.py's database; a test
    database's statistics do not lead its planner there)."""
    make_article()
    version = current_version()
    make_article()
    with CaptureQueriesContext(connection) as queries:
        read(version)
    listed = [query["sql"] for query in queries if "MAX(" not in query["sql"]]
    assert listed
    assert all(re.search(r'ORDER BY "articles_cachekey"\."version"', sql) for sql in listed), listed
