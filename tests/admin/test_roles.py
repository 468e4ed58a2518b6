"""Redaktion writes and sends to review; only Chefredaktion publishes, deletes, merges."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.admin.articles import ArticleAdminForm
from articles.models import Article, Tag
from tests.admin.helpers import change_url, form_values, post_change, run_action
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
    post_change(redaktion, article, published_at_0="2099-01-01", published_at_1="12:00:00")
    article.refresh_from_db()
    assert article.published_at == berlin(2019, 7, 8)


def test_redaktion_cannot_break_the_embargo_of_a_scheduled_article(redaktion):
    christmas = timezone.now() + timedelta(days=30)
    article = make_article(status=Article.Status.PUBLISHED, published_at=christmas)
    response = post_change(
        redaktion, article, published_at_0="2019-07-08", published_at_1="12:00:00"
    )
    assert response.status_code == 302  # the rest of the form is saved
    article.refresh_from_db()
    assert article.published_at == christmas
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_redaktion_cannot_break_an_embargo_by_restoring_an_older_version(redaktion):
    article = make_article(status=Article.Status.PUBLISHED, published_at=berlin(2019, 7, 8))
    old_version = article.history.latest()
    christmas = timezone.now() + timedelta(days=30)
    article.published_at = christmas
    article.save()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, old_version.pk])
    page = redaktion.get(url)
    data = form_values(page.context["adminform"].form)
    data |= {"published_at_0": "2019-07-08", "published_at_1": "12:00:00", "status": "draft"}
    data |= {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}
    redaktion.post(url, data)
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, christmas)


def test_redaktion_sees_status_and_date_of_a_published_article_locked(redaktion):
    article = make_article(status=Article.Status.PUBLISHED)
    form = redaktion.get(change_url(article)).context["adminform"].form
    assert form.fields["status"].disabled
    assert form.fields["published_at"].disabled
    assert "nur die Chefredaktion" in form.fields["published_at"].help_text


def test_redaktion_may_date_a_draft(redaktion):
    article = make_article(status=Article.Status.DRAFT, published_at=berlin(2019, 7, 8))
    post_change(redaktion, article, published_at_0="2020-06-15", published_at_1="09:30:00")
    article.refresh_from_db()
    assert article.published_at == berlin(2020, 6, 15, 9, 30)


def test_chefredaktion_may_move_a_scheduled_article(chefredaktion):
    article = make_article(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(days=30)
    )
    post_change(chefredaktion, article, published_at_0="2019-07-08", published_at_1="12:00:00")
    article.refresh_from_db()
    assert article.published_at == berlin(2019, 7, 8)


def test_the_form_refuses_a_changed_date_of_a_published_article_for_redaktion(db):
    """The rule holds in the form's cleaning too, not only through the disabled field."""
    article = make_article(status=Article.Status.PUBLISHED, published_at=berlin(2019, 7, 8))
    form = ArticleAdminForm(instance=article)
    form.can_publish = False
    form.cleaned_data = {"published_at": berlin(2099, 1, 1)}
    with pytest.raises(ValidationError, match="nur die Chefredaktion"):
        form.clean_published_at()


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
