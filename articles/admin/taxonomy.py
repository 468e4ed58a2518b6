"""Admins for what articles are filed under: tags, municipalities, sections, vendors."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from articles import roles
from articles.admin.concurrency import ConcurrentEditAdminMixin
from articles.models import (
    Municipality,
    MunicipalityAlias,
    Revision,
    Section,
    SlugRedirect,
    SourceFile,
    Tag,
    TagAlias,
    Vendor,
    VendorAlias,
    merge_refusal,
)

MERGE_TEMPLATE = "admin/articles/merge_confirmation.html"


def merge_confirmation(modeladmin, request, queryset, *, candidates, title, intro):
    """The page between choosing "zusammenführen" and doing it: pick the survivor."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "objects": queryset,
        "candidates": candidates,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, MERGE_TEMPLATE, context)


def chosen_target(request, queryset):
    """The survivor the confirmation page posted, if it is one of the selection."""
    target_id = request.POST.get("target")
    if not target_id or "confirm" not in request.POST:
        return None
    return queryset.filter(pk=target_id).first()


class TagAliasInline(admin.TabularInline):
    model = TagAlias
    extra = 0
    fields = ["name"]


@admin.register(Tag)
class TagAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "aliases__name"]
    ordering = ["name"]
    inlines = [TagAliasInline]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("tagged_articles"))

    @admin.display(description="Artikel", ordering="article_total")
    def article_count(self, tag):
        return tag.article_total

    def has_merge_permission(self, request):
        return roles.can_merge_tags(request.user)

    @admin.action(description="Stichwörter zusammenführen", permissions=["merge"])
    def merge_tags(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(
                request, "Bitte mindestens zwei Stichwörter wählen.", messages.WARNING
            )
            return None
        target = chosen_target(request, queryset)
        if target is None:
            return merge_confirmation(
                self,
                request,
                queryset,
                candidates=queryset,
                title="Stichwörter zusammenführen",
                intro="Das gewählte Stichwort übernimmt die Artikel der anderen; diese werden "
                "danach gelöscht. Ihre Namen bleiben als alternative Namen erhalten, damit "
                "der Import sie künftig dem gewählten Stichwort zuordnet.",
            )
        others = list(queryset.exclude(pk=target.pk))
        moved = target.absorb(others)
        self.message_user(
            request,
            f"{len(others)} Stichwörter in „{target}“ zusammengeführt; "
            f"{moved} Artikel neu verschlagwortet.",
        )
        return None


class MunicipalityAliasInline(admin.TabularInline):
    model = MunicipalityAlias
    extra = 1
    fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "ags", "chain", "population"]
    list_filter = ["kind", "land"]
    list_select_related = ["parent__parent__parent__parent"]
    search_fields = ["name", "official_name", "^ags", "aliases__name"]
    ordering = ["name", "pk"]
    autocomplete_fields = ["parent", "land"]
    readonly_fields = ["chain"]
    fields = [
        "name",
        "official_name",
        "slug",
        "kind",
        "ags",
        "parent",
        "chain",
        "land",
        "population",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MunicipalityAliasInline]
    actions = ["merge_municipalities", "relink_places"]

    @admin.action(description="Orte aller Artikel neu zuordnen", permissions=["change"])
    def relink_places(self, request, queryset):
        from articles.importer.tasks import relink_places

        relink_places.enqueue()
        self.message_user(
            request,
            "Die Orte aller Artikel werden im Hintergrund neu zugeordnet; "
            "von der Redaktion korrigierte Orte bleiben.",
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            # A new or changed alternative name: articles naming it get their places.
            from articles.importer.tasks import relink_places

            relink_places.enqueue()

    @admin.display(description="Liegt in")
    def chain(self, municipality):
        return " › ".join(str(m) for m in municipality.parent_chain) or "—"

    def has_merge_permission(self, request):
        return roles.can_merge_municipalities(request.user)

    @admin.action(description="Dubletten zusammenführen", permissions=["merge"])
    def merge_municipalities(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Bitte mindestens zwei Einträge wählen.", messages.WARNING)
            return None
        target = chosen_target(request, queryset)
        if target is None:
            return merge_confirmation(
                self,
                request,
                queryset,
                # Register entries first: they are the ones the duplicates should join.
                candidates=queryset.order_by("ags", "name").reverse(),
                title="Kommunen zusammenführen",
                intro="Der gewählte Eintrag übernimmt Artikel, alternative Namen und "
                "untergeordnete Einträge der anderen; deren Namen werden alternative Namen. "
                "Nur Einträge ohne amtlichen Schlüssel können aufgehen.",
            )
        others = list(queryset.exclude(pk=target.pk))
        try:
            moved = target.absorb(others)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            f"{len(others)} Einträge in „{target}“ zusammengeführt; "
            f"{moved} Artikel neu zugeordnet.",
        )
        return None


@admin.register(Section)
class SectionAdmin(ConcurrentEditAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    # The count's GROUP BY drops Meta.ordering; the autocomplete pages need an order.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Artikel", ordering="article_total")
    def article_count(self, section):
        return section.article_total


class VendorAliasInline(admin.TabularInline):
    """Former names, kept by merges: the import files pages naming them under this vendor."""

    model = VendorAlias
    extra = 0
    # Each row is titled with the name; beside it, the form the import compares.
    fields = ["key"]
    readonly_fields = ["key"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    """Read-mostly: vendors come from the import; editors file them under a section and
    merge twins the normalised name did not catch."""

    list_display = ["name", "postcode", "city", "section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["name", "aliases__name", "city", "=postcode"]
    ordering = ["name", "pk"]
    readonly_fields = ["name", "postcode", "city"]
    inlines = [VendorAliasInline]
    actions = ["merge_vendors"]

    def has_add_permission(self, request):
        return False

    def has_merge_permission(self, request):
        return roles.can_merge_vendors(request.user)

    @admin.action(description="Anbieter zusammenführen", permissions=["merge"])
    def merge_vendors(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Bitte mindestens zwei Anbieter wählen.", messages.WARNING)
            return None
        refusal = merge_refusal(queryset)  # before asking which one stays
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        target = chosen_target(request, queryset)
        if target is None:
            return merge_confirmation(
                self,
                request,
                queryset,
                candidates=queryset.select_related("section"),
                title="Anbieter zusammenführen",
                intro="Der gewählte Anbieter bleibt; die anderen werden gelöscht. Ihre Namen "
                "bleiben als frühere Namen erhalten, damit der Import sie künftig dem "
                "gewählten Anbieter zuordnet.",
            )
        others = list(queryset.exclude(pk=target.pk))
        merged = target.absorb(others)
        self.message_user(request, f"{merged} Anbieter in „{target.name}“ zusammengeführt.")
        return None


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "checksum", "imported_at"]
    search_fields = ["name"]
    readonly_fields = ["name", "checksum", "imported_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__title"]
    autocomplete_fields = ["article"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The proposals waiting for (and decided by) Chefredaktion; each opens its review."""

    list_display = ["article", "author", "created_at", "status", "changed_fields"]
    list_filter = ["status"]
    list_select_related = ["article", "author"]
    search_fields = ["article__title", "author__username"]
    date_hierarchy = "created_at"

    @admin.display(description="Geänderte Felder")
    def changed_fields(self, revision):
        return ", ".join(revision.fields) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Viewing a proposal opens its review page, with the diff and the decision."""
        revision = self.get_object(request, object_id)
        if request.method != "GET" or revision is None or not self.has_view_permission(request):
            return super().change_view(request, object_id, form_url, extra_context)
        return HttpResponseRedirect(revision.get_absolute_url())
