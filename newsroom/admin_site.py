"""The editors' admin site: headed with the site's name as Chefredaktion set it
(articles/identity), read once per admin page."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminSite(AdminSite):
    index_title = "Verwaltung"
    # The index shows the import desk's open findings per kind (articles/templatetags/desk.py).
    index_template = "admin/newsroom_index.html"

    def each_context(self, request):
        from articles.identity.models import SiteIdentity

        name = SiteIdentity.load().name
        return {
            **super().each_context(request),
            "site_header": f"{name} – Redaktion",
            "site_title": name,
        }


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"
