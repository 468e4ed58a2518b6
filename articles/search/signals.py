"""Every write path keeps the search index in step: admin, actions, import, merges."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles import search
from articles.models import Article, Municipality, Tag, TaggedArticle


def reindex(article_ids) -> None:
    if search.is_deferred():
        search.defer(article_ids)
    else:
        search.index_articles(article_ids)


@receiver(post_save, sender=Article, dispatch_uid="search-article-saved")
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.pk])


@receiver(post_delete, sender=Article, dispatch_uid="search-article-deleted")
def article_deleted(sender, instance, **kwargs):
    search.remove_articles([instance.pk])


@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="search-tags-changed")
@receiver(m2m_changed, sender=Article.municipalities.through, dispatch_uid="search-places")
def relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        reindex([instance.pk])
    elif pk_set:
        reindex(pk_set)
    elif action == "post_clear":
        reindex(_articles_of(instance))


@receiver(post_save, sender=Tag, dispatch_uid="search-tag-renamed")
@receiver(post_save, sender=Municipality, dispatch_uid="search-place-renamed")
def name_changed(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex(_articles_of(instance))


def _articles_of(instance) -> list[int]:
    if isinstance(instance, Tag):
        related = Article.objects.filter(tags=instance)
    else:
        related = Article.objects.filter(municipalities=instance)
    return list(related.values_list("pk", flat=True))
