"""Redaktion writes and sends to review; only Chefredaktion publishes, deletes, merges."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles import roles
from articles.models import Article, Tag
from tests.admin.helpers import post_change, run_action
from tests.factories import berlin, make_article

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_migration_creates_both_groups():
    assert {roles.REDAKTION, roles.CHEFREDAKTION} <= set(
        Group.objects.values_list("name", flat=True)
    )


def test_redaktion_may_write_but_not_publish_delete_or_merge():
    granted = codenames(roles.REDAKTION)
    assert {"add_article", "change_article", "change_tag", "change_municipality"} <= granted
    assert not granted & {"publish_article", "delete_article", "merge_tag", "delete_tag"}


def test_chefredaktion_may_do_everything_editorial():
    assert codenames(roles.REDAKTION) < codenames(roles.CHEFREDAKTION)
    assert {"publish_article", "delete_article", "merge_tag", "merge_municipality"} <= (
        codenames(roles.CHEFREDAKTION)
    )


def test_redaktion_cannot_publish_through_a_posted_action(redaktion):
    article = make_article(status=Article.Status.REVIEW)
    run_action(redaktion, "publish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_redaktion_cannot_unpublish_through_a_posted_action(redaktion):
    article = make_article(status=Article.Status.PUBLISHED)
    run_action(redaktion, "unpublish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_redaktion_is_not_offered_publish_actions(redaktion):
    make_article()
    actions = dict(
        redaktion.get(reverse("admin:articles_article_changelist"))
        .context["action_form"]
        .fields["action"]
        .choices
    )
    assert "send_to_review" in actions
    assert not {"publish", "unpublish", "delete_selected"} & set(actions)


def test_redaktion_cannot_publish_in_the_form(redaktion):
    article = make_article(status=Article.Status.REVIEW)
    response = post_change(redaktion, article, status=Article.Status.PUBLISHED)
    assert response.status_code == 200  # the form comes back with an error
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_redaktion_cannot_unpublish_in_the_form(redaktion):
    article = make_article(status=Article.Status.PUBLISHED)
    post_change(redaktion, article, status=Article.Status.DRAFT)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_redaktion_cannot_move_a_live_article_into_the_future(redaktion):
    article = make_article(status=Article.Status.PUBLISHED, published_at=berlin(2019, 7, 8))
    response = post_change(
        redaktion, article, published_at_0="2099-01-01", published_at_1="12:00:00"
    )
    assert "nur von der Chefredaktion" in response.content.decode()


def test_redaktion_may_correct_a_published_article(redaktion):
    article = make_article(status=Article.Status.PUBLISHED)
    assert post_change(redaktion, article, title="Korrigiert").status_code == 302


def test_redaktion_may_send_a_draft_to_review_in_the_form(redaktion):
    article = make_article(status=Article.Status.DRAFT)
    post_change(redaktion, article, status=Article.Status.REVIEW)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_chefredaktion_may_publish_in_the_form(chefredaktion):
    article = make_article(status=Article.Status.REVIEW)
    post_change(chefredaktion, article, status=Article.Status.PUBLISHED)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_redaktion_cannot_delete_an_article(redaktion):
    article = make_article()
    response = redaktion.post(reverse("admin:articles_article_delete", args=[article.pk]))
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_chefredaktion_may_delete_an_article(chefredaktion):
    article = make_article()
    chefredaktion.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_redaktion_cannot_merge_tags(redaktion):
    tags = [Tag.objects.create(name="OZG"), Tag.objects.create(name="Onlinezugangsgesetz")]
    run_action(redaktion, "merge_tags", tags, model=Tag, target=tags[0].pk, confirm="1")
    assert Tag.objects.count() == 2
