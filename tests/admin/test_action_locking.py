"""Bulk actions hold their articles from reading to writing: an edit saved in between
would otherwise be overwritten (the action writes back what it read)."""

import pytest
from django.db import connection

from articles import models
from articles.models import Article, Tag
from tests.factories import make_article, make_section
from tests.second_connection import edit_from_another_connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def intruder(monkeypatch):
    """Tries an editor's save at the moment between the action's read and its write."""
    outcomes = []

    def patch(module, name, article):
        original = getattr(module, name)

        def write_after_an_edit(*args, **kwargs):
            outcomes.append(edit_from_another_connection(article.pk))
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, write_after_an_edit)

    patch.outcomes = outcomes
    return patch


ACTIONS = {
    "set_section": lambda qs: qs.set_section(make_section("Politik")),
    "set_status": lambda qs: qs.set_status(Article.Status.DRAFT),
    "release_edit_marks": lambda qs: qs.release_edit_marks(),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_edit_cannot_be_saved_while_an_action_holds_the_articles(intruder, action):
    article = make_article(edited_fields=["title"])
    intruder(models, "bulk_update_with_history", article)
    ACTIONS[action](Article.objects.filter(pk=article.pk))
    assert intruder.outcomes == ["blocked"]


def test_an_edit_cannot_be_saved_while_tagging_holds_the_articles(intruder):
    article = make_article()
    intruder(models.ArticleQuerySet, "bulk_update", article)
    Article.objects.filter(pk=article.pk).add_tag(Tag.objects.create(name="OZG"))
    assert intruder.outcomes == ["blocked"]


def test_the_edit_goes_through_once_the_action_is_done():
    article = make_article(edited_fields=["title"])
    Article.objects.filter(pk=article.pk).set_section(make_section("Politik"))
    assert edit_from_another_connection(article.pk) == "written"
    article.refresh_from_db()
    assert (article.lead, article.section.name) == ("Von Hand korrigiert.", "Politik")


def test_locked_refuses_to_run_outside_a_transaction():
    with pytest.raises(Exception, match="needs a transaction"):
        Article.objects.all().locked()
    assert connection.get_autocommit()
