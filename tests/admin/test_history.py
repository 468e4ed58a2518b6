"""Every article's history: who changed which field when, diff, and revert."""

import pytest
from django.urls import reverse

from articles.models import Article, Tag
from tests.admin.helpers import change_form_data, form_values, post_change
from tests.factories import make_article, make_municipality

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def test_admin_change_is_recorded_with_its_author(chefredaktion, chefredaktion_user):
    article = make_article(title="Alt")
    post_change(chefredaktion, article, title="Neu")
    latest = article.history.latest()
    assert latest.title == "Neu"
    assert latest.history_user == chefredaktion_user


def test_history_page_shows_a_german_field_diff(chefredaktion):
    article = make_article(title="Digitaler Masterplan")
    post_change(chefredaktion, article, title="Digitaler Masterplan beschlossen")
    page = chefredaktion.get(history_url(article)).content.decode()
    assert "<strong>Titel:</strong>" in page
    assert "„Digitaler Masterplan“ → „Digitaler Masterplan beschlossen“" in page
    assert "chefin" in page


def test_history_diff_marks_changed_words_of_long_texts(chefredaktion):
    article = make_article(lead="Die Verwaltung " * 20 + "wird umgebaut.")
    post_change(chefredaktion, article, lead="Die Verwaltung " * 20 + "wird digital umgebaut.")
    page = chefredaktion.get(history_url(article)).content.decode()
    assert "<ins>digital</ins>" in page


def test_history_records_tag_changes(chefredaktion):
    article = make_article()
    article.tags.add("OZG")
    page = chefredaktion.get(history_url(article)).content.decode()
    assert "<strong>Stichwörter:</strong>" in page


def test_revert_restores_an_earlier_title_and_its_tags(chefredaktion):
    article = make_article(title="Erste Fassung")
    article.tags.add("OZG")
    version = article.history.latest()
    post_change(chefredaktion, article, title="Zweite Fassung", tags=[])
    article.refresh_from_db()
    assert list(article.tags.names()) == []
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, version.pk])
    form = chefredaktion.get(revert_url).context["adminform"].form
    response = chefredaktion.post(revert_url, form_values(form))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Erste Fassung"
    assert list(article.tags.names()) == ["OZG"]


def test_changing_the_slug_keeps_the_old_one_for_a_redirect(chefredaktion):
    article = make_article(title="Digitaler Masterplan")
    post_change(chefredaktion, article, slug="masterplan-unna")
    assert article.slug_redirects.get().old_slug == "digitaler-masterplan"


def test_form_data_helper_round_trips(chefredaktion):
    article = make_article()
    assert change_form_data(chefredaktion, article)["title"] == article.title
    assert Article.objects.count() == 1


# An editor's log: one version per save, none that changes nothing.


def test_a_save_of_text_places_and_tags_writes_one_version(chefredaktion):
    article = make_article()
    unna = make_municipality("Kreis Unna")
    ozg = Tag.objects.create(name="OZG")
    before = article.history.count()
    post_change(
        chefredaktion,
        article,
        title="Neu",
        municipalities=[str(unna.pk)],
        tags=[str(ozg.pk)],
        new_tags="Smart City",
    )
    assert article.history.count() == before + 1
    latest = article.history.order_by("-history_id").first()
    assert latest.title == "Neu"
    assert sorted(row.tag.name for row in latest.tags.all()) == ["OZG", "Smart City"]
    assert [row.municipality for row in latest.municipalities.all()] == [unna]


def test_saving_an_unchanged_form_writes_no_version(chefredaktion):
    article = make_article()
    before = article.history.count()
    assert post_change(chefredaktion, article).status_code == 302
    assert article.history.count() == before


def test_restoring_a_version_writes_one_version_that_says_so(chefredaktion, chefredaktion_user):
    article = make_article(title="Erste Fassung")
    article.tags.add("OZG")
    version = article.history.order_by("-history_id").first()
    post_change(chefredaktion, article, title="Zweite Fassung", tags=[])
    before = article.history.count()
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, version.pk])
    chefredaktion.post(
        revert_url, form_values(chefredaktion.get(revert_url).context["adminform"].form)
    )
    assert article.history.count() == before + 1
    restored = article.history.order_by("-history_id").first()
    assert (restored.title, restored.history_user) == ("Erste Fassung", chefredaktion_user)
    assert restored.history_change_reason.startswith("Wiederhergestellt: Version vom ")
    assert [row.tag.name for row in restored.tags.all()] == ["OZG"]


def test_the_history_does_not_show_the_edit_marks_as_content(chefredaktion):
    article = make_article(title="Alt")
    post_change(chefredaktion, article, title="Neu")
    page = chefredaktion.get(history_url(article)).text
    assert "<strong>Titel:</strong>" in page
    assert "Von Redaktion geändert" not in page
