"""The page cache: anonymous readers get stored pages; every write makes them stale."""

import sqlite3
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.apps import install_content_version_triggers
from articles.cache.content_version import current_version, current_version_checking_connection
from articles.cache.middleware import PageCacheMiddleware
from articles.models import (
    Article,
    ArticleLink,
    Author,
    ContentVersion,
    Municipality,
    MunicipalityAlias,
    SiteIdentity,
    Tag,
    TagAlias,
    Vendor,
)
from tests.factories import make_article, make_municipality, make_section

# Committed writes, as in production: on PostgreSQL the version rises once per transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_second_anonymous_request_is_served_with_one_query(client, django_assert_num_queries):
    make_article(title="Digitaler Masterplan")
    client.get("/")
    with django_assert_num_queries(1):  # the content version
        response = client.get("/")
    assert "Digitaler Masterplan" in response.text


def test_a_page_stored_by_the_previous_release_is_still_served(
    client, settings, django_assert_num_queries
):
    """Entries of three parts (no recheck data) from before an upgrade, in a shared cache."""
    make_article(title="Digitaler Masterplan")
    client.get("/")
    cache = caches[settings.PAGE_CACHE_ALIAS]
    (key,) = [k.split(":", 2)[2] for k in cache._cache if ".cache_page.page.GET." in k]
    cache.set(key, cache.get(key)[:3])
    with django_assert_num_queries(1):
        assert "Digitaler Masterplan" in client.get("/").text


def test_cached_page_still_gets_the_per_request_headers(client):
    make_article()
    client.get("/")
    response = client.get("/")
    assert "Content-Security-Policy" in response.headers
    assert "max-age" in response["Cache-Control"]
    assert response.has_header("ETag")


def test_cached_page_answers_a_conditional_get_with_304(client):
    make_article()
    etag = client.get("/").headers["ETag"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304


def test_head_request_is_served_from_the_cache(client, django_assert_num_queries):
    make_article()
    client.get("/")
    with django_assert_num_queries(1):
        assert client.head("/").status_code == 200


def test_saved_article_shows_its_new_title_at_once(client):
    article = make_article(title="Alter Titel")
    client.get(article.get_absolute_url())
    article.title = "Neuer Titel"
    article.save()
    assert "Neuer Titel" in client.get(article.get_absolute_url()).text


def test_queryset_update_without_signals_makes_pages_stale(client):
    article = make_article(title="Alter Titel")
    client.get("/")
    Article.objects.filter(pk=article.pk).update(title="Neuer Titel")
    assert "Neuer Titel" in client.get("/").text


def test_unpublished_article_disappears_from_the_cached_home_page(client):
    make_article(title="Bald zurückgezogen")
    assert "Bald zurückgezogen" in client.get("/").text
    Article.objects.all().set_status(Article.Status.DRAFT)
    assert "Bald zurückgezogen" not in client.get("/").text


def test_new_tag_on_an_article_shows_on_its_cached_page(client):
    article = make_article()
    client.get(article.get_absolute_url())
    article.tags.add("Videochat")
    assert "Videochat" in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda a: make_article(), id="article insert"),
        pytest.param(lambda a: Article.objects.filter(pk=a.pk).delete(), id="article delete"),
        pytest.param(lambda a: a.tags.add("OZG"), id="tag link"),
        pytest.param(lambda a: Tag.objects.update(description="x"), id="tag update"),
        pytest.param(lambda a: a.municipalities.add(make_municipality()), id="place link"),
        pytest.param(lambda a: Municipality.objects.update(population=1), id="place update"),
        pytest.param(lambda a: make_section(), id="section insert"),
        pytest.param(
            lambda a: ArticleLink.objects.create(article=a, url="https://example.org/"),
            id="weblink insert",
        ),
        pytest.param(
            lambda a: MunicipalityAlias.objects.create(
                municipality=a.municipalities.first(), name="Kreisstadt"
            ),
            id="place alias insert",
        ),
        pytest.param(
            lambda a: TagAlias.objects.create(tag=Tag.objects.first(), name="DG"), id="tag alias"
        ),
        pytest.param(
            lambda a: Author.objects.create(initials="ve", name="Eva"), id="author insert"
        ),
        pytest.param(lambda a: SiteIdentity(name="Kommunal").save(), id="site identity"),
        pytest.param(lambda a: Vendor.objects.create(name="JCC", postcode="48149"), id="vendor"),
    ],
)
def test_every_write_to_public_content_raises_the_version(write):
    article = make_article()
    article.tags.add("Digitalisierung")
    article.municipalities.add(make_municipality())
    before = current_version()
    write(article)
    assert current_version() > before


def test_installing_the_triggers_again_is_harmless():
    install_content_version_triggers(sender=None, using="default")
    before = current_version()
    make_article()
    assert current_version() > before


def test_logged_in_editor_is_never_served_a_cached_page(client):
    article = make_article(title="Öffentlich")
    client.get(article.get_absolute_url())
    article_draft = make_article(title="Entwurf", status=Article.Status.DRAFT)
    editor = User.objects.create_user("redakteurin", is_staff=True)
    client.force_login(editor)
    response = client.get(article_draft.get_absolute_url())
    assert "Vorschau" in response.text
    assert "private" in response["Cache-Control"]


def test_preview_of_a_draft_is_not_stored_for_anonymous_readers(client):
    draft = make_article(title="Entwurf", status=Article.Status.DRAFT)
    editor = User.objects.create_user("redakteurin", is_staff=True)
    client.force_login(editor)
    client.get(draft.get_absolute_url())
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_missing_page_is_not_stored(client, django_assert_max_num_queries):
    client.get("/artikel/gibt-es-nicht/")
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/artikel/gibt-es-nicht/").status_code == 404
    assert len(captured) > 1


def test_query_strings_are_cached_apart(client):
    make_article(title="Videochat im Bürgeramt")
    make_article(title="E-Akte eingeführt")
    assert "E-Akte eingeführt" not in client.get("/suche/?q=Videochat").text
    assert "Videochat im Bürgeramt" not in client.get("/suche/?q=E-Akte").text


def test_health_checks_bypass_the_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/healthz/")
    with django_assert_num_queries(1):
        client.get("/readyz/")
    with django_assert_num_queries(1):
        client.get("/readyz/")


def test_page_is_kept_no_longer_than_until_the_next_scheduled_article():
    make_article(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(seconds=90)
    )
    assert 80 <= PageCacheMiddleware._timeout(current_version()) <= 90


def test_page_cache_can_be_turned_off(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    make_article()
    client.get("/")
    with django_assert_max_num_queries(10) as captured:
        client.get("/")
    assert len(captured) > 1


def test_page_from_a_version_the_database_never_reached_is_rendered_afresh(client):
    """A database restored from a backup has an older version than the pages that a
    cache outliving it holds: those show content the database no longer has."""
    article = make_article(title="Nach der Sicherung geschrieben")
    client.get(article.get_absolute_url())
    ContentVersion.objects.update(version=F("version") - 1)  # as before the last write
    Article.objects.filter(pk=article.pk).update(title="Aus der Sicherung")
    ContentVersion.objects.update(version=F("version") - 1)  # the restore's own write
    assert "Aus der Sicherung" in client.get(article.get_absolute_url()).text


def disk_cache(folder):
    return {"default": {"BACKEND": "articles.cache.disk.MachineCache", "LOCATION": str(folder)}}


def test_a_page_stored_by_one_worker_is_served_by_another_through_the_disk_cache(
    client, tmp_path, django_assert_num_queries
):
    """Without Redis the app servers of a machine share their pages in files: each
    opens the folder for itself (a new cache object here, a new process there)."""
    make_article(title="Digitaler Masterplan")
    with override_settings(CACHES=disk_cache(tmp_path)):
        client.get("/")
    with override_settings(CACHES=disk_cache(tmp_path)), django_assert_num_queries(1):
        assert "Digitaler Masterplan" in client.get("/").text


def test_a_disk_cache_hit_opens_no_new_cache_connection(client, tmp_path):
    """Django closes the caches after each request; reopening diskcache's database and
    setting its pragmas again was half of a hit's time."""
    make_article()
    with override_settings(CACHES=disk_cache(tmp_path)):
        client.get("/")
        with mock.patch("diskcache.core.sqlite3.connect", wraps=sqlite3.connect) as connect:
            client.get("/")
    assert connect.call_count == 0


def test_import_makes_cached_pages_stale(client, tmp_path, register):
    client.get("/")
    call_command("import_seeds", verbosity=0)
    newest = Article.objects.published().full().first()  # the front leads with full articles
    assert newest.title in client.get("/").text


def test_stored_feed_is_sent_in_one_piece(client):
    """A WSGI server writes each piece separately: hundreds of small writes per hit."""
    make_article()
    client.get("/feeds/rss/")
    assert len(list(client.get("/feeds/rss/"))) == 1


def test_rolled_back_write_leaves_the_version_unchanged():
    make_article()
    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article()
        raise RuntimeError
    assert current_version() == before


@pytest.fixture
def connection_due_for_a_health_check():
    """The state Django puts a persistent connection in at the start of a request when
    CONN_HEALTH_CHECKS is on (the test client skips that step)."""
    connection.ensure_connection()
    enabled = connection.health_check_enabled
    connection.health_check_enabled, connection.health_check_done = True, False
    yield connection
    connection.health_check_enabled = enabled


def test_the_version_read_is_the_requests_health_check(connection_due_for_a_health_check):
    with CaptureQueriesContext(connection) as queries:
        version = current_version_checking_connection()
    assert version == current_version()
    assert [query["sql"] for query in queries] == [queries[0]["sql"]]  # no SELECT 1 first
    assert "SELECT version" in queries[0]["sql"]
    assert connection.health_check_done


def test_a_connection_that_went_away_while_idle_is_replaced(connection_due_for_a_health_check):
    if connection.vendor == "sqlite":
        pytest.skip("a file database has no server connection to lose")
    make_article()
    expected = current_version()
    connection.health_check_done = False
    connection.connection.close()  # the server or a proxy dropped it
    assert current_version_checking_connection() == expected
