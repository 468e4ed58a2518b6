from django.contrib import admin

from articles.models import (
    Article,
    ArticleLink,
    Municipality,
    MunicipalityAlias,
    Section,
    SourceFile,
    Tag,
)


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    extra = 0
    fields = ["position", "url", "label"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kicker", "published_at", "section", "kind", "status", "teaser_only"]
    list_filter = ["status", "kind", "teaser_only", "section"]
    list_select_related = ["section"]
    search_fields = ["kicker", "title", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "municipalities"]
    readonly_fields = ["natural_key", "edited_fields", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleLinkInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MunicipalityAliasInline(admin.TabularInline):
    model = MunicipalityAlias
    extra = 1
    fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ags", "parent", "population"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "official_name", "=ags", "aliases__name"]
    raw_id_fields = ["parent", "land"]
    inlines = [MunicipalityAliasInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "checksum", "imported_at"]
    search_fields = ["name"]
    readonly_fields = ["name", "checksum", "imported_at"]
