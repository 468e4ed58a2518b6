"""The author directory: which name stands behind a Kürzel."""

from django.contrib import admin

from articles.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "role"]
    search_fields = ["name", "initials", "role"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["initials", "name", "slug", "role", "bio"]
