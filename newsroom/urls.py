from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.views import healthz

admin.site.site_header = f"{settings.SITE_NAME} – Redaktion"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Verwaltung"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("", include("articles.urls")),
]
