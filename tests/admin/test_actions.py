"""The article list's actions, with their German messages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.admin.helpers import messages_of, run_action
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def drafts(number):
    return [make_article(status=Article.Status.DRAFT) for _ in range(number)]


def test_publish_publishes_and_says_how_many(chefredaktion):
    articles = drafts(3)
    response = run_action(chefredaktion, "publish", articles)
    assert messages_of(response) == ["3 Artikel veröffentlicht"]
    assert Article.objects.published().count() == 3


def test_publish_with_a_future_date_schedules(chefredaktion):
    article = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() + timedelta(days=1)
    )
    response = run_action(chefredaktion, "publish", [article])
    assert "davon 1 geplant" in messages_of(response)[0]
    assert list(Article.objects.scheduled()) == [article]


def test_unpublish_sets_back_to_draft(chefredaktion):
    articles = [make_article(), make_article()]
    response = run_action(chefredaktion, "unpublish", articles)
    assert messages_of(response) == ["2 Artikel zurück auf Entwurf gesetzt"]
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}


def test_send_to_review_moves_drafts_only(redaktion):
    draft, published = make_article(status=Article.Status.DRAFT), make_article()
    response = run_action(redaktion, "send_to_review", [draft, published])
    assert messages_of(response) == ["1 Artikel zur Prüfung gegeben"]
    draft.refresh_from_db(), published.refresh_from_db()
    assert (draft.status, published.status) == (Article.Status.REVIEW, Article.Status.PUBLISHED)


def test_set_section_files_articles_and_marks_the_correction(chefredaktion):
    section = make_section("Praxis")
    articles = [make_article(), make_article()]
    response = run_action(chefredaktion, "set_section", articles, section=section.pk)
    assert messages_of(response) == ["Bereich „Praxis“ bei 2 Artikeln gesetzt"]
    for article in articles:
        article.refresh_from_db()
        assert (article.section, article.edited_fields) == (section, ["section"])


def test_set_section_without_a_section_changes_nothing(redaktion):
    article = make_article()
    response = run_action(redaktion, "set_section", [article])
    assert messages_of(response) == ["Bitte einen Bereich wählen."]


def test_add_tag_creates_and_assigns_it(chefredaktion):
    articles = [make_article(), make_article()]
    response = run_action(chefredaktion, "add_tag", articles, tag_name="Glasfaser")
    assert messages_of(response) == ["Stichwort „Glasfaser“ bei 2 Artikeln hinzugefügt"]
    for article in articles:
        assert list(article.tags.names()) == ["Glasfaser"]
        article.refresh_from_db()
        assert article.is_edited("tags")


def test_remove_tag_removes_it_from_the_selection_only(chefredaktion):
    tagged, other = make_article(), make_article()
    tagged.tags.add("OZG"), other.tags.add("OZG")
    response = run_action(chefredaktion, "remove_tag", [tagged], tag_name="ozg")
    assert messages_of(response) == ["Stichwort „OZG“ bei 1 Artikel entfernt"]
    assert list(tagged.tags.names()) == []
    assert list(other.tags.names()) == ["OZG"]


def test_actions_are_recorded_in_the_history_with_the_user(chefredaktion, chefredaktion_user):
    article = drafts(1)[0]
    run_action(chefredaktion, "publish", [article])
    latest = article.history.latest()
    assert (latest.status, latest.history_user) == (Article.Status.PUBLISHED, chefredaktion_user)
