"""Every article's history: who changed which field when, diff, and revert."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin.helpers import change_form_data, form_values, post_change
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def test_admin_change_is_recorded_with_its_author(redaktion, redaktion_user):
    article = make_article(title="Alt")
    post_change(redaktion, article, title="Neu")
    latest = article.history.latest()
    assert latest.title == "Neu"
    assert latest.history_user == redaktion_user


def test_history_page_shows_a_german_field_diff(redaktion):
    article = make_article(title="Digitaler Masterplan")
    post_change(redaktion, article, title="Digitaler Masterplan beschlossen")
    page = redaktion.get(history_url(article)).content.decode()
    assert "<strong>Titel:</strong>" in page
    assert "„Digitaler Masterplan“ → „Digitaler Masterplan beschlossen“" in page
    assert "redakteurin" in page


def test_history_diff_marks_changed_words_of_long_texts(redaktion):
    article = make_article(lead="Die Verwaltung " * 20 + "wird umgebaut.")
    post_change(redaktion, article, lead="Die Verwaltung " * 20 + "wird digital umgebaut.")
    page = redaktion.get(history_url(article)).content.decode()
    assert "<ins>digital</ins>" in page


def test_history_records_tag_changes(redaktion):
    article = make_article()
    article.tags.add("OZG")
    page = redaktion.get(history_url(article)).content.decode()
    assert "<strong>Stichwörter:</strong>" in page


def test_revert_restores_an_earlier_title_and_its_tags(redaktion):
    article = make_article(title="Erste Fassung")
    article.tags.add("OZG")
    version = article.history.latest()
    post_change(redaktion, article, title="Zweite Fassung", tags=[])
    article.refresh_from_db()
    assert list(article.tags.names()) == []
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, version.pk])
    form = redaktion.get(revert_url).context["adminform"].form
    response = redaktion.post(revert_url, form_values(form))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Erste Fassung"
    assert list(article.tags.names()) == ["OZG"]


def test_changing_the_slug_keeps_the_old_one_for_a_redirect(redaktion):
    article = make_article(title="Digitaler Masterplan")
    post_change(redaktion, article, slug="masterplan-unna")
    assert article.slug_redirects.get().old_slug == "digitaler-masterplan"


def test_form_data_helper_round_trips(redaktion):
    article = make_article()
    assert change_form_data(redaktion, article)["title"] == article.title
    assert Article.objects.count() == 1
