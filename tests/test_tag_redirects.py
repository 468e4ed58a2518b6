"""Old tag URLs: a renamed or merged Stichwort answers its former address with a 301."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Tag, TagRedirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def rename(tag: Tag, name: str, slug: str) -> Tag:
    tag.name, tag.slug = name, slug
    tag.save()
    return tag


def assert_moved(client, old: str, new: str):
    response = client.get(old)
    assert response.status_code == 301, response.status_code
    assert response["Location"] == new


def test_a_renamed_tags_old_page_redirects_permanently_to_its_new_one(client):
    tag = Tag.objects.create(name="OZG")
    rename(tag, "Onlinezugangsgesetz", "onlinezugangsgesetz")
    assert_moved(client, "/themen/ozg/", "/themen/onlinezugangsgesetz/")


def test_the_new_page_answers_after_a_rename(client):
    tag = Tag.objects.create(name="OZG")
    make_article(title="Gefiltert").tags.add(tag)
    rename(tag, "Onlinezugangsgesetz", "onlinezugangsgesetz")
    response = client.get("/themen/onlinezugangsgesetz/")
    assert response.status_code == 200
    assert "Gefiltert" in response.text


def test_a_merged_tags_page_redirects_to_the_tag_it_was_merged_into(client):
    kept, merged = Tag.objects.create(name="OZG"), Tag.objects.create(name="OZG-Umsetzung")
    kept.absorb([merged])
    assert_moved(client, "/themen/ozg-umsetzung/", "/themen/ozg/")


def test_a_chain_of_merges_redirects_in_one_hop(client):
    a, b, c = (Tag.objects.create(name=name) for name in ("Thema A", "Thema B", "Thema C"))
    b.absorb([a])
    c.absorb([b])
    assert_moved(client, "/themen/thema-a/", "/themen/thema-c/")
    assert_moved(client, "/themen/thema-b/", "/themen/thema-c/")


def test_a_renamed_then_merged_tag_redirects_in_one_hop(client):
    first, kept = Tag.objects.create(name="E-Akte"), Tag.objects.create(name="Digitale Akte")
    rename(first, "E-Akte Bund", "e-akte-bund")
    kept.absorb([first])
    assert_moved(client, "/themen/e-akte/", "/themen/digitale-akte/")
    assert_moved(client, "/themen/e-akte-bund/", "/themen/digitale-akte/")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feeds_of_a_former_slug_redirect_to_the_current_feeds(client, kind):
    kept, merged = Tag.objects.create(name="OZG"), Tag.objects.create(name="OZG-Umsetzung")
    kept.absorb([merged])
    assert_moved(client, f"/feeds/themen/ozg-umsetzung/{kind}/", f"/feeds/themen/ozg/{kind}/")


def test_the_redirect_keeps_the_query(client):
    tag = Tag.objects.create(name="OZG")
    rename(tag, "Onlinezugangsgesetz", "onlinezugangsgesetz")
    assert_moved(client, "/themen/ozg/?page=2", "/themen/onlinezugangsgesetz/?page=2")


def test_a_slug_nobody_ever_had_is_not_found(client):
    assert client.get("/themen/gibt-es-nicht/").status_code == 404
    assert client.get("/feeds/themen/gibt-es-nicht/atom/").status_code == 404


def test_a_new_tag_under_a_former_slug_wins_over_the_redirect(client):
    tag = Tag.objects.create(name="OZG")
    rename(tag, "Onlinezugangsgesetz", "onlinezugangsgesetz")
    Tag.objects.create(name="OZG")  # takes the slug "ozg" again
    assert TagRedirect.objects.filter(old_slug="ozg").exists()
    assert client.get("/themen/ozg/").status_code == 200


def test_a_current_tag_page_does_not_look_up_redirects(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    tag = Tag.objects.create(name="OZG")
    make_article().tags.add(tag)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/themen/ozg/").status_code == 200
    assert not any("tagredirect" in query["sql"].lower() for query in captured)
