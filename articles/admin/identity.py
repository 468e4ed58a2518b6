"""The site identity in the admin: one form, no list, no add or delete."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from articles.identity.models import SiteIdentity


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Website", {"fields": ["name", "tagline", "description", "logo"]}),
        (
            "Vorschaubild",
            {
                "fields": ["default_image", "default_image_alt"],
                "description": "Für Seiten und Artikel ohne eigenes Bild in sozialen Netzen.",
            },
        ),
        (
            "Anbieter (§ 5 DDG)",
            {
                "fields": [
                    "publisher",
                    "representative",
                    "street",
                    ("postcode", "city"),
                    "email",
                    "phone",
                    "register_entry",
                    "vat_id",
                ]
            },
        ),
        (
            "Verantwortlich für den Inhalt (§ 18 Abs. 2 MStV)",
            {"fields": ["responsible_name", "responsible_address"]},
        ),
        ("Impressum", {"fields": ["imprint_notes"]}),
        ("Datenschutzerklärung", {"fields": ["log_retention_days", "privacy_notes"]}),
        (
            "Erklärung zur Barrierefreiheit",
            {"fields": ["accessibility_contact", "enforcement_body"]},
        ),
    ]

    def has_add_permission(self, request):
        return False  # the one row exists from the first visit of the list on

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is nothing to list: the form of the one row."""
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        SiteIdentity.objects.get_or_create(pk=1)
        return HttpResponseRedirect(reverse("admin:articles_siteidentity_change", args=[1]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        identity = SiteIdentity.load()
        if request.method == "GET" and identity.missing_fields:
            messages.warning(
                request,
                "Für ein vollständiges Impressum fehlen noch: "
                + ", ".join(identity.missing_fields)
                + ".",
            )
        return super().change_view(request, object_id, form_url, extra_context)
