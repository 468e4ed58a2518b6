"""The lists the sidebars are taken from, kept across requests (articles.cache.lists)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache import keys
from articles.cache.content_version import current_version
from articles.cache.lists import kept_lists
from articles.models import Article
from articles.public.related import related_sidebars
from tests.factories import berlin, make_article, make_municipality, make_section

# Lists read inside a transaction are never kept: these tests commit their writes.
pytestmark = pytest.mark.django_db(transaction=True)


def boxes(article, version=None) -> dict[str, list[str]]:
    """The sidebars of `article` as a reader gets them: heading, titles."""
    article = (
        Article.objects.select_related("section")
        .prefetch_related("municipalities", "tags")
        .get(pk=article.pk)
    )
    shown = related_sidebars(article, version)
    return {box.heading: [item.title for item in box.articles] for box in shown}


def queries_of_boxes(article, version=None) -> int:
    article = (
        Article.objects.select_related("section")
        .prefetch_related("municipalities", "tags")
        .get(pk=article.pk)
    )
    with CaptureQueriesContext(connection) as queries:
        related_sidebars(article, version)
    return len(queries)


@pytest.fixture
def politik():
    return make_section("Politik")


def test_an_article_of_the_same_section_place_and_tag_reads_the_kept_lists(politik):
    unna = make_municipality("Unna")
    first, second = make_article(section=politik), make_article(section=politik)
    for article in (first, second):
        article.tags.add("OZG")
        article.municipalities.add(unna)
    make_article(section=politik, title="Nachbar").tags.add("OZG")
    boxes(first)
    assert queries_of_boxes(second) == 1  # the kept lists' keys, unchanged


def test_lists_kept_at_the_version_a_page_renders_at_are_used_without_a_lookup(politik):
    reader = make_article(section=politik)
    make_article(section=politik, title="Nachbar").tags.add("OZG")
    reader.tags.add("OZG")
    version = current_version()
    boxes(reader, version)
    assert queries_of_boxes(reader, version) == 0
    assert queries_of_boxes(reader) == 1  # without the page's version: the keys' lookup


def test_a_list_kept_at_an_older_version_is_checked_and_shows_the_edit(politik):
    reader = make_article(section=politik, published_at=berlin(2024, 1, 2))
    listed = make_article(section=politik, title="Alter Titel", published_at=berlin(2024, 1, 1))
    boxes(reader, current_version())
    listed.title = "Neuer Titel"
    listed.save()
    assert boxes(reader, current_version()) == {"Mehr aus dem Bereich Politik": ["Neuer Titel"]}


def test_an_edited_title_shows_in_the_kept_box_of_another_article(politik):
    reader = make_article(section=politik, published_at=berlin(2024, 1, 2))
    listed = make_article(section=politik, title="Alter Titel", published_at=berlin(2024, 1, 1))
    assert boxes(reader) == {"Mehr aus dem Bereich Politik": ["Alter Titel"]}
    listed.title = "Neuer Titel"
    listed.save()
    assert boxes(reader) == {"Mehr aus dem Bereich Politik": ["Neuer Titel"]}


def test_a_newly_published_article_joins_the_kept_box(politik):
    reader = make_article(section=politik, published_at=berlin(2024, 1, 1))
    make_article(section=politik, title="Älter", published_at=berlin(2023, 1, 1))
    boxes(reader)
    draft = make_article(
        section=politik, title="Neu", status=Article.Status.DRAFT, published_at=berlin(2023, 6, 1)
    )
    assert boxes(reader) == {"Mehr aus dem Bereich Politik": ["Älter"]}
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert boxes(reader) == {"Mehr aus dem Bereich Politik": ["Neu", "Älter"]}


def test_an_unpublished_article_leaves_the_kept_box(politik):
    reader = make_article(section=politik)
    gone = make_article(section=politik, title="Zurückgezogen")
    boxes(reader)
    gone.status = Article.Status.DRAFT
    gone.save()
    assert boxes(reader) == {}


def test_a_new_shared_tag_moves_an_article_up_the_kept_topic_box():
    reader = make_article()
    reader.tags.add("OZG", "Cloud")
    newer = make_article(title="Neuer", published_at=berlin(2024, 1, 2))
    newer.tags.add("OZG")
    older = make_article(title="Älter", published_at=berlin(2024, 1, 1))
    older.tags.add("OZG")
    assert boxes(reader) == {"Zum Thema": ["Neuer", "Älter"]}
    older.tags.add("Cloud")
    assert boxes(reader) == {"Zum Thema": ["Älter", "Neuer"]}


def test_a_place_box_follows_an_article_filed_below_the_place():
    kreis = make_municipality("Kreis Unna", kind="kreis")
    gemeinde = make_municipality("Unna", kind="gemeinde", parent=kreis)
    reader = make_article()
    reader.municipalities.add(kreis)
    boxes(reader)
    make_article(title="Aus Unna").municipalities.add(gemeinde)
    assert boxes(reader) == {"Mehr aus dem Kreis Unna": ["Aus Unna"]}


def test_kept_lists_expire_when_the_next_scheduled_article_goes_public(politik):
    make_article(section=politik, published_at=timezone.now() + timedelta(seconds=90))
    reader = make_article(section=politik)
    lists = caches["lists"]
    with mock.patch.object(lists, "set_many", wraps=lists.set_many) as stored:
        boxes(reader)
    timeout = stored.call_args.args[1]
    assert 80 <= timeout <= 90


def test_a_list_read_once_is_kept_for_the_next_request():
    read = mock.Mock(return_value={"ls1:6": [(7, "Zeile")]})
    assert kept_lists({"ls1:6": keys.section_list(1)}, read) == {"ls1:6": [(7, "Zeile")]}
    assert kept_lists({"ls1:6": keys.section_list(1)}, read) == {"ls1:6": [(7, "Zeile")]}
    read.assert_called_once_with(["ls1:6"])


@override_settings(LIST_CACHE_SECONDS=0)
def test_with_the_list_cache_off_every_request_reads_the_lists():
    read = mock.Mock(return_value={"ls1:6": []})
    kept_lists({"ls1:6": keys.section_list(1)}, read)
    kept_lists({"ls1:6": keys.section_list(1)}, read)
    assert read.call_count == 2


def test_a_list_read_inside_a_transaction_is_not_kept():
    # As in the admin's preview of a proposed change, whose writes are rolled back.
    read = mock.Mock(return_value={"ls1:6": [(7, "Vorschau")]})
    with transaction.atomic():
        kept_lists({"ls1:6": keys.section_list(1)}, read)
    kept_lists({"ls1:6": keys.section_list(1)}, read)
    assert read.call_count == 2


def test_inside_a_transaction_lists_kept_at_the_pages_version_are_checked(politik):
    reader = make_article(section=politik, published_at=berlin(2024, 1, 2))
    listed = make_article(section=politik, title="Alter Titel", published_at=berlin(2024, 1, 1))
    version = current_version()
    boxes(reader, version)
    with transaction.atomic():  # the admin's preview of a proposed change
        listed.title = "Vorschau"
        listed.save()
        assert boxes(reader, version) == {"Mehr aus dem Bereich Politik": ["Vorschau"]}
        transaction.set_rollback(True)


def test_an_article_page_without_the_page_cache_reads_no_kept_list_keys(
    client, django_assert_max_num_queries, politik
):
    reader = make_article(section=politik)
    make_article(section=politik).tags.add("OZG")
    reader.tags.add("OZG")
    client.get(reader.get_absolute_url())
    # The content version (1), the article, its places and tags (3); the kept lists are
    # at the page's version, identity and navigation kept for it (per_version).
    with override_settings(PAGE_CACHE_SECONDS=0), django_assert_max_num_queries(4):
        client.get(reader.get_absolute_url())
