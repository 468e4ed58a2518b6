"""Backups with natural keys: `dumpdata --natural-foreign --natural-primary` and
`loaddata` give back the same archive, history included.

Two things stand in the way, and this module removes both:

- Versions keep references to sections, tags, places and users that were deleted or
  merged since (the history's foreign keys have no constraint). Django's serializer
  then fails on the natural key of a row that is gone. Our JSON serializer (installed
  as the "json" format in settings.SERIALIZATION_MODULES) writes such a reference as
  the stored id instead, which loaddata reads back as it was.
- A dump with --natural-primary names articles by their duplicate key, not their pk,
  while a version names its article by pk (the history's plain `id` column). On
  loaddata an article takes back the pk its versions name, so that its history, and
  the history of deleted articles, stays as it was. An article without any version
  gets a new pk; versions loaded after their article are pointed at it.

After a load, `rebuild_search_index` restores the search index (loaddata sends no
signals that index).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import Deserializer  # noqa: F401  (the format's reader)
from django.core.serializers.json import Serializer as JSONSerializer
from django.db.models.signals import pre_save
from django.dispatch import receiver

from articles.models import Article

HistoricalArticle = Article.history.model


class Serializer(JSONSerializer):
    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)


@receiver(pre_save, sender=Article)
def restore_loaded_article_pk(sender, instance, raw=False, **kwargs):
    if not raw:
        return
    # Its versions come from the dump: setting its places must not add one.
    instance.skip_history_when_saving = True
    if instance.pk is None:
        versions = HistoricalArticle.objects.filter(duplicate_key=instance.duplicate_key)
        instance.pk = versions.order_by("-history_date").values_list("id", flat=True).first()


@receiver(pre_save, sender=HistoricalArticle)
def relink_loaded_version(sender, instance, raw=False, **kwargs):
    if raw:
        loaded = Article.objects.filter(duplicate_key=instance.duplicate_key)
        instance.id = loaded.values_list("pk", flat=True).first() or instance.id
