"""\"Gerade geöffnet von …\": an open change form pings; others see who has it open."""

from datetime import timedelta

import pytest
from django.urls import reverse

from articles.models import EditingPresence
from tests.admin.helpers import change_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def presence_url(article) -> str:
    return reverse("admin:articles_article_presence", args=[article.pk])


def test_opening_the_form_shows_who_else_has_it_open(redaktion, chefredaktion, chefredaktion_user):
    chefredaktion_user.first_name, chefredaktion_user.last_name = "Clara", "Chef"
    chefredaktion_user.save()
    article = make_article()
    chefredaktion.get(change_url(article))
    page = redaktion.get(change_url(article)).text
    assert "Gerade geöffnet von Clara Chef" in page


def test_the_ping_names_the_others_but_not_oneself(redaktion, chefredaktion):
    article = make_article()
    chefredaktion.post(presence_url(article))
    assert redaktion.post(presence_url(article)).json() == {"others": ["chefin"]}
    assert chefredaktion.post(presence_url(article)).json() == {"others": ["redakteurin"]}


def test_a_form_that_stopped_pinging_counts_as_closed(redaktion, chefredaktion):
    article = make_article()
    chefredaktion.post(presence_url(article))
    EditingPresence.objects.update(
        seen_at=EditingPresence.objects.get().seen_at - timedelta(minutes=2)
    )
    assert redaktion.post(presence_url(article)).json() == {"others": []}


def test_the_ping_is_a_post_for_editors_only(client, redaktion):
    article = make_article()
    assert redaktion.get(presence_url(article)).status_code == 405
    response = client.post(presence_url(article))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not EditingPresence.objects.exists()


def test_the_script_comes_from_our_own_static_files(redaktion):
    page = redaktion.get(change_url(make_article())).text
    assert 'src="/static/articles/presence.js"' in page
    assert "data-presence-url=" in page
