"""The admin action "Artikel zusammenführen": twins become one article (articles.merging).

Unlike tags and places, the survivor is not chosen: the oldest article stays, so that
its id, its URL and its history go on. The confirmation page says which one that is
and which ones go into it.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from articles import roles
from articles.admin.taxonomy import chosen_target, merge_confirmation
from articles.merging import merge_articles
from articles.models import Article


@admin.action(description="Artikel zusammenführen", permissions=["merge"])
def merge_articles_action(modeladmin, request, queryset):
    if queryset.count() < 2:
        modeladmin.message_user(request, "Bitte mindestens zwei Artikel wählen.", messages.WARNING)
        return None
    kept = queryset.order_by("created_at", "pk").first()
    oldest = queryset.filter(pk=kept.pk)  # the only candidate: the oldest stays
    if chosen_target(request, oldest) is None:
        return _confirmation(modeladmin, request, queryset, kept, oldest)
    try:
        result = merge_articles(queryset, user=request.user)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return None
    modeladmin.message_user(
        request,
        f"{len(result.absorbed_ids)} Artikel in „{result.kept}“ (Nr. {result.kept.pk}) "
        "zusammengeführt; deren Adressen leiten jetzt dorthin weiter.",
        messages.SUCCESS,
    )
    return None


def _confirmation(modeladmin, request, queryset, kept, oldest):
    absorbed = list(queryset.exclude(pk=kept.pk).order_by("created_at", "pk"))
    named = ", ".join(f"Nr. {article.pk} „{article}“" for article in absorbed)
    intro = (
        f"Der älteste Artikel (Nr. {kept.pk}) bleibt mit seiner Adresse und seinem Status. "
        f"Er übernimmt von {named} Stichwörter, Orte, Links, Quelldateien, Versionen, "
        "Befunde und Korrekturhinweise sowie Vorspann, Text, Bild und Bereich, wo ihm "
        "diese fehlen. Die übrigen Artikel werden danach gelöscht; ihre Adressen leiten "
        "auf ihn weiter."
    )
    if kept.status != Article.Status.PUBLISHED and any(
        article.status == Article.Status.PUBLISHED for article in absorbed
    ):
        intro += (
            " Achtung: Der bleibende Artikel ist nicht veröffentlicht; die Adressen der "
            "veröffentlichten führen für Leser ins Leere, bis er veröffentlicht ist."
        )
    return merge_confirmation(
        modeladmin,
        request,
        queryset,
        candidates=oldest,
        title="Artikel zusammenführen",
        intro=intro,
    )


class ArticleMergeAdminMixin:
    """For the article admin: the right to merge, and the action "merge_articles"."""

    def has_merge_permission(self, request):
        return roles.can_merge_articles(request.user)

    @admin.action(description="Artikel zusammenführen", permissions=["merge"])
    def merge_articles(self, request, queryset):
        return merge_articles_action(self, request, queryset)
